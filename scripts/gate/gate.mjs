#!/usr/bin/env node
// The pull-request gate's glue for CI (action.yml, ci/azure-pipelines/aksfleet-gate.yml), shipped
// with the package: `node "$(npm root -g)/aksfleet/scripts/gate/gate.mjs" <step>`. Node 20, no
// dependencies. Steps:
//
//   context --provider github|azure
//       Whether this run may write to the pull request (comment, code scanning): not on a
//       pull request from a fork (a read-only token) and not without a token. Writes
//       `writable=true|false` and `pr=N` to $GITHUB_OUTPUT (GitHub) or sets the pipeline variables
//       AKSFLEET_WRITABLE and AKSFLEET_PR (Azure), and says why when it skips.
//
//   comment --provider github|azure --body FILE [--body FILE]... [--marker KEY] [--title T]
//       Posts the files (Markdown) as ONE pull-request comment, found again by a hidden marker
//       (<!-- aksfleet-gate:KEY -->) and updated in place on the next run, never repeated.
//       GitHub: the issue comments API (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH,
//       GITHUB_API_URL). Azure DevOps: the pull request threads API (SYSTEM_ACCESSTOKEN,
//       SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, BUILD_REPOSITORY_ID,
//       SYSTEM_PULLREQUEST_PULLREQUESTID).
//
// Exit codes: 0 done or skipped on purpose (said so), 1 the API refused, 2 bad usage or input.
import { appendFileSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** GitHub's limit for a comment body is 65536 characters; Azure's is larger. Keep room for the note. */
export const MAX_BODY = 60000;

const GITHUB_WRITE_HINT =
  'the token cannot write to the pull request: give the job `permissions: pull-requests: write`';
const AZURE_WRITE_HINT =
  'the build service cannot write to the pull request: allow it "Contribute to pull requests" on the repository';

export class GateError extends Error {
  constructor(message, code = 2) {
    super(message);
    this.code = code;
  }
}

/** The hidden marker that finds the gate's comment again. */
export function marker(key = 'default') {
  if (!/^[A-Za-z0-9_./-]{1,100}$/.test(key))
    throw new GateError(`--marker must be letters, digits, '_', '.', '/' or '-', got '${key}'`);
  return `<!-- aksfleet-gate:${key} -->`;
}

/** The comment: marker, title, the files' Markdown; cut (with a note) to the API's limit. */
export function composeBody(parts, { key = 'default', title = 'aksfleet pull-request gate' } = {}) {
  const head = `${marker(key)}\n## ${title}\n\n`;
  let text =
    parts
      .map((p) => p.trim())
      .filter(Boolean)
      .join('\n\n') || '_aksfleet wrote nothing to report._';
  const room = MAX_BODY - head.length - 200;
  if (text.length > room)
    text = `${text.slice(0, room)}\n\n… cut to ${room} characters: the full report is in the job's artifacts and log.`;
  return `${head}${text}\n`;
}

function need(env, name, why) {
  const v = env[name];
  if (!v) throw new GateError(`${name} is not set (${why})`);
  return v;
}

async function call(fetchImpl, url, init, what, hint = '') {
  const res = await fetchImpl(url, init);
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = {};
  }
  if (!res.ok)
    throw new GateError(
      `${what}: ${res.status} ${json.message ?? res.statusText ?? ''}`.trim() +
        (res.status === 403 && hint ? ` (${hint})` : ''),
      1,
    );
  return json;
}

function githubEvent(env) {
  const path = need(env, 'GITHUB_EVENT_PATH', 'the pull request event');
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GateError(`cannot read the event ${path}: ${e.message}`);
  }
}

/** GitHub: may this run write to the pull request? */
export function githubContext(env) {
  const ev = githubEvent(env);
  const pr = ev.pull_request;
  if (!pr) return { writable: false, pr: '', reason: 'not a pull request event: no comment to post' };
  const head = pr.head?.repo?.full_name;
  const base = pr.base?.repo?.full_name ?? env.GITHUB_REPOSITORY;
  if (head !== base)
    return {
      writable: false,
      pr: String(pr.number),
      reason:
        `pull request from the fork ${head ?? '(deleted)'}: the token is read-only, so the SARIF upload and ` +
        `the pull-request comment are skipped; the report is in the job summary`,
    };
  if (!env.GITHUB_TOKEN)
    return {
      writable: false,
      pr: String(pr.number),
      reason: 'no GITHUB_TOKEN: the SARIF upload and the pull-request comment are skipped',
    };
  return { writable: true, pr: String(pr.number), reason: '' };
}

/** Azure DevOps: may this run write to the pull request? */
export function azureContext(env) {
  const pr = env.SYSTEM_PULLREQUEST_PULLREQUESTID ?? '';
  if (!pr) return { writable: false, pr: '', reason: 'not a pull request build: no comment to post' };
  if (/^true$/i.test(env.SYSTEM_PULLREQUEST_ISFORK ?? ''))
    return {
      writable: false,
      pr,
      reason: 'pull request from a fork: the token is read-only, so the pull-request comment is skipped',
    };
  if (!env.SYSTEM_ACCESSTOKEN)
    return {
      writable: false,
      pr,
      reason:
        'SYSTEM_ACCESSTOKEN is empty (map it: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)): the ' +
        'pull-request comment is skipped',
    };
  return { writable: true, pr, reason: '' };
}

/** GitHub: create the marked comment, or update it. Returns what was done and the comment id. */
export async function githubComment(env, body, key, fetchImpl = fetch) {
  const ctx = githubContext(env);
  if (!ctx.writable) return { action: 'skipped', reason: ctx.reason };
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const repo = need(env, 'GITHUB_REPOSITORY', 'owner/name');
  const headers = {
    authorization: `Bearer ${env.GITHUB_TOKEN}`,
    accept: 'application/vnd.github+json',
    'content-type': 'application/json',
    'user-agent': 'aksfleet-gate',
    'x-github-api-version': '2022-11-28',
  };
  const mark = marker(key);
  for (let page = 1; page <= 50; page++) {
    const list = await call(
      fetchImpl,
      `${api}/repos/${repo}/issues/${ctx.pr}/comments?per_page=100&page=${page}`,
      { headers },
      'listing the pull request comments',
    );
    if (!Array.isArray(list)) throw new GateError('listing the pull request comments: not a list', 1);
    const found = list.find((c) => typeof c.body === 'string' && c.body.includes(mark));
    if (found) {
      await call(
        fetchImpl,
        `${api}/repos/${repo}/issues/comments/${found.id}`,
        { method: 'PATCH', headers, body: JSON.stringify({ body }) },
        'updating the comment',
        GITHUB_WRITE_HINT,
      );
      return { action: 'updated', id: found.id };
    }
    if (list.length < 100) break;
  }
  const made = await call(
    fetchImpl,
    `${api}/repos/${repo}/issues/${ctx.pr}/comments`,
    { method: 'POST', headers, body: JSON.stringify({ body }) },
    'creating the comment',
    GITHUB_WRITE_HINT,
  );
  return { action: 'created', id: made.id };
}

/** Azure DevOps: create the marked thread, or update its first comment. */
export async function azureComment(env, body, key, fetchImpl = fetch) {
  const ctx = azureContext(env);
  if (!ctx.writable) return { action: 'skipped', reason: ctx.reason };
  const collection = need(env, 'SYSTEM_COLLECTIONURI', 'the organization URL').replace(/\/?$/, '/');
  const project = encodeURIComponent(need(env, 'SYSTEM_TEAMPROJECT', 'the project'));
  const repo = encodeURIComponent(need(env, 'BUILD_REPOSITORY_ID', 'the repository id'));
  const base = `${collection}${project}/_apis/git/repositories/${repo}/pullRequests/${ctx.pr}/threads`;
  const headers = { authorization: `Bearer ${env.SYSTEM_ACCESSTOKEN}`, 'content-type': 'application/json' };
  const mark = marker(key);
  const threads = await call(fetchImpl, `${base}?api-version=7.1`, { headers }, 'listing the pull request threads');
  const found = (threads.value ?? []).find(
    (t) => !t.isDeleted && typeof t.comments?.[0]?.content === 'string' && t.comments[0].content.includes(mark),
  );
  if (found) {
    await call(
      fetchImpl,
      `${base}/${found.id}/comments/${found.comments[0].id}?api-version=7.1`,
      { method: 'PATCH', headers, body: JSON.stringify({ content: body }) },
      'updating the comment',
      AZURE_WRITE_HINT,
    );
    return { action: 'updated', id: found.id };
  }
  const made = await call(
    fetchImpl,
    `${base}?api-version=7.1`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({ comments: [{ parentCommentId: 0, content: body, commentType: 1 }], status: 1 }),
    },
    'creating the comment thread',
    AZURE_WRITE_HINT,
  );
  return { action: 'created', id: made.id };
}

function say(provider, kind, text, out) {
  if (provider === 'github') out(`::${kind}::${text}\n`);
  else out(`##vso[task.logissue type=${kind === 'notice' ? 'warning' : kind}]${text}\n`);
}

/** Runs one step; returns the exit code. `out` is the log; env and fetch are injectable for tests. */
export async function run(argv, env = process.env, out = (s) => process.stdout.write(s), fetchImpl = fetch) {
  try {
    const [step, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: {
        provider: { type: 'string' },
        body: { type: 'string', multiple: true },
        marker: { type: 'string' },
        title: { type: 'string' },
      },
    });
    const provider = values.provider;
    if (provider !== 'github' && provider !== 'azure')
      throw new GateError(`--provider must be github or azure, got '${provider ?? ''}'`);
    if (step === 'context') {
      const ctx = provider === 'github' ? githubContext(env) : azureContext(env);
      if (provider === 'github') {
        const file = need(env, 'GITHUB_OUTPUT', 'the step outputs file');
        appendFileSync(file, `writable=${ctx.writable}\npr=${ctx.pr}\n`);
      } else {
        out(
          `##vso[task.setvariable variable=AKSFLEET_WRITABLE]${ctx.writable}\n` +
            `##vso[task.setvariable variable=AKSFLEET_PR]${ctx.pr}\n`,
        );
      }
      if (ctx.reason) say(provider, 'notice', ctx.reason, out);
      out(`aksfleet gate: ${ctx.writable ? `may write to pull request ${ctx.pr}` : 'read-only'}\n`);
      return 0;
    }
    if (step === 'comment') {
      const files = values.body ?? [];
      if (files.length === 0) throw new GateError('comment needs --body FILE (Markdown), one or more');
      const parts = files.map((f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch (e) {
          throw new GateError(`cannot read --body ${f}: ${e.code ?? e.message}`);
        }
      });
      const key = values.marker || 'default';
      const body = composeBody(parts, { key, title: values.title });
      if (provider === 'github' && env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, body);
      const r =
        provider === 'github'
          ? await githubComment(env, body, key, fetchImpl)
          : await azureComment(env, body, key, fetchImpl);
      if (r.action === 'skipped') say(provider, 'notice', `comment skipped: ${r.reason}`, out);
      else out(`aksfleet gate: comment ${r.id} ${r.action}\n`);
      return 0;
    }
    throw new GateError(`unknown step '${step ?? ''}': use context or comment`);
  } catch (e) {
    if (!(e instanceof GateError) && e?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw e;
    out(`aksfleet gate: error: ${e.message}\n`);
    return e instanceof GateError ? e.code : 2;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stdout.write(`aksfleet gate: error: ${e?.message ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
