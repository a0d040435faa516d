import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPullRequest, targetFromUrl } from './pull-request.js';
import { InputError } from '../errors.js';

test('owner and repository from clone URLs', () => {
  assert.deepEqual(targetFromUrl('https://github.com/your-org/aks-gitops.git'), {
    provider: 'github',
    owner: 'your-org',
    repository: 'aks-gitops',
  });
  assert.deepEqual(targetFromUrl('git@github.com:your-org/aks-gitops.git'), {
    provider: 'github',
    owner: 'your-org',
    repository: 'aks-gitops',
  });
  assert.deepEqual(targetFromUrl('https://dev.azure.com/contoso/Platform%20Team/_git/aks-gitops'), {
    provider: 'azure-repos',
    owner: 'contoso',
    project: 'Platform Team',
    repository: 'aks-gitops',
  });
  assert.deepEqual(targetFromUrl('git@ssh.dev.azure.com:v3/contoso/platform/aks-gitops'), {
    provider: 'azure-repos',
    owner: 'contoso',
    project: 'platform',
    repository: 'aks-gitops',
  });
  assert.equal(targetFromUrl('/srv/git/repo.git'), undefined);
});

test('Azure DevOps: the pull request API with a PAT, refs as full names', async () => {
  const seen: { url?: string; auth?: string; body?: Record<string, string> } = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      seen.body = JSON.parse(body);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pullRequestId: 42 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = await openPullRequest(
      { provider: 'azure-repos', owner: 'contoso', project: 'platform', repository: 'aks-gitops' },
      { title: 'Promote dev to qa', body: 'diff', head: 'promote/dev-to-qa-abc1234', base: 'env/qa' },
      { AZURE_DEVOPS_TOKEN: 'pat', AKSFLEET_AZDO_API: api },
    );
    assert.equal(seen.url, '/contoso/platform/_apis/git/repositories/aks-gitops/pullrequests?api-version=7.1');
    assert.equal(seen.auth, `Basic ${Buffer.from(':pat').toString('base64')}`);
    assert.deepEqual(seen.body, {
      sourceRefName: 'refs/heads/promote/dev-to-qa-abc1234',
      targetRefName: 'refs/heads/env/qa',
      title: 'Promote dev to qa',
      description: 'diff',
    });
    assert.equal(url, `${api}/contoso/platform/_git/aks-gitops/pullrequest/42`);
  } finally {
    server.close();
  }
  await assert.rejects(
    openPullRequest(
      { provider: 'github', owner: 'o', repository: 'r' },
      { title: 't', body: 'b', head: 'h', base: 'b' },
      {},
    ),
    (e: unknown) => e instanceof InputError && /GITHUB_TOKEN/.test(e.message),
  );
});
