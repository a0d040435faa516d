/**
 * Opening the promotion pull request on GitHub or Azure DevOps (only with `--push` and a token).
 * The API base can be overridden (GitHub Enterprise, tests): AKSFLEET_GITHUB_API, AKSFLEET_AZDO_API.
 */
import { InputError } from '../errors.js';

export interface PullRequestTarget {
  readonly provider: 'github' | 'azure-repos';
  /** GitHub owner or Azure DevOps organization. */
  readonly owner: string;
  readonly repository: string;
  /** Azure DevOps project. */
  readonly project?: string;
}

export interface PullRequest {
  readonly title: string;
  readonly body: string;
  readonly head: string;
  readonly base: string;
}

/** owner/repository from a clone URL (github.com or dev.azure.com forms). */
export function targetFromUrl(url: string): PullRequestTarget | undefined {
  let m = /github\.com[/:]([^/]+)\/([^/]+?)(\.git)?$/.exec(url);
  if (m) return { provider: 'github', owner: m[1]!, repository: m[2]! };
  m =
    /dev\.azure\.com\/([^/]+)\/([^/]+)\/_git\/([^/]+?)$/.exec(url) ??
    /ssh\.dev\.azure\.com:v3\/([^/]+)\/([^/]+)\/([^/]+?)$/.exec(url);
  if (m) return { provider: 'azure-repos', owner: m[1]!, project: decodeURIComponent(m[2]!), repository: m[3]! };
  return undefined;
}

export async function openPullRequest(
  t: PullRequestTarget,
  pr: PullRequest,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if (t.provider === 'github') {
    const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
    if (!token) throw new InputError('--push needs GITHUB_TOKEN (or GH_TOKEN) to open the pull request');
    const api = (env.AKSFLEET_GITHUB_API ?? 'https://api.github.com').replace(/\/$/, '');
    const res = await fetch(`${api}/repos/${t.owner}/${t.repository}/pulls`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
        'user-agent': 'aksfleet',
      },
      body: JSON.stringify({ title: pr.title, body: pr.body, head: pr.head, base: pr.base }),
    });
    const json = (await res.json().catch(() => ({}))) as { html_url?: string; message?: string };
    if (!res.ok)
      throw new InputError(`GitHub refused the pull request (${res.status}): ${json.message ?? res.statusText}`);
    return json.html_url ?? '';
  }
  const token = env.AZURE_DEVOPS_TOKEN ?? env.SYSTEM_ACCESSTOKEN;
  if (!token) throw new InputError('--push needs AZURE_DEVOPS_TOKEN (or SYSTEM_ACCESSTOKEN) to open the pull request');
  const api = (env.AKSFLEET_AZDO_API ?? 'https://dev.azure.com').replace(/\/$/, '');
  const url = `${api}/${t.owner}/${encodeURIComponent(t.project ?? '')}/_apis/git/repositories/${t.repository}/pullrequests?api-version=7.1`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`:${token}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      sourceRefName: `refs/heads/${pr.head}`,
      targetRefName: `refs/heads/${pr.base}`,
      title: pr.title,
      description: pr.body.slice(0, 4000),
    }),
  });
  const json = (await res.json().catch(() => ({}))) as { pullRequestId?: number; message?: string };
  if (!res.ok)
    throw new InputError(`Azure DevOps refused the pull request (${res.status}): ${json.message ?? res.statusText}`);
  return `${api}/${t.owner}/${t.project}/_git/${t.repository}/pullrequest/${json.pullRequestId ?? ''}`;
}
