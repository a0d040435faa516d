/**
 * diff and promote end to end on the example fleet, with the real Flux build engine, in real git
 * repositories: a bare remote, a clone, a fake GitHub API on loopback for the pull request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { git } from '../../src/git/git.js';

const run = (argv: string[], cwd: string, env: Record<string, string> = {}) => runCli(argv, { cwd, env });

const commit = (repo: string, msg: string) =>
  git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', msg]);

function edit(repo: string, file: string, from: string, to: string): void {
  const p = join(repo, file);
  const text = readFileSync(p, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(p, text.replace(from, to));
}

/** The example fleet pushed to a bare remote, cloned with local env branches. */
async function exampleClone(): Promise<{ clone: string; remote: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-promote-'));
  assert.equal((await run(['demo'], cwd)).code, 0);
  const seed = join(cwd, 'aksfleet-demo');
  // without the demo's own release on env/dev: each test makes its change
  git(seed, ['branch', '-f', 'env/dev', 'env/qa']);
  const remote = join(cwd, 'remote.git');
  git(cwd, ['init', '-q', '--bare', remote]);
  git(seed, ['push', '-q', remote, 'main', 'env/dev', 'env/qa', 'env/prod']);
  const clone = join(cwd, 'clone');
  git(cwd, ['clone', '-q', remote, clone]);
  for (const b of ['env/dev', 'env/qa', 'env/prod']) git(clone, ['branch', '-q', '--track', b, `origin/${b}`]);
  return { clone, remote };
}

test('diff renders both refs from git objects: ' +
  'a shared-base change shows on every environment, a dev overlay change only on dev', {
  timeout: 240_000,
}, async () => {
  const { clone } = await exampleClone();
  git(clone, ['checkout', '-q', 'env/dev']);
  edit(clone, 'workloads/base/app/api/deployment.yaml', 'api:1.2.3', 'api:1.2.4');
  commit(clone, 'api 1.2.4');
  const d = await run(['diff', clone, '--base', 'env/qa', '--head', 'env/dev'], clone);
  assert.equal(d.code, 1, d.err);
  for (const c of ['aks-dev', 'aks-qa', 'aks-prod'])
    assert.match(d.out, new RegExp(`cluster ${c} \\(clusters/${c}\\): 0 added, 1 changed, 0 removed`));
  assert.match(
    d.out,
    /Deployment\/app\/api \[api\]: acrprod123\.azurecr\.io\/api:1\.2\.3 -> acrprod123\.azurecr\.io\/api:1\.2\.4/,
  );

  // The working tree is the default head; the checkout is never modified by diff.
  const same = await run(['diff', clone, '--base', 'HEAD'], clone);
  assert.equal(same.code, 0, same.out + same.err);
  assert.match(same.out, /cluster aks-qa \(clusters\/aks-qa\): no changes \(inputs unchanged\)/);
  // An uncommitted change to dev's overlay: only the dev cluster changes; qa and prod are not rebuilt.
  edit(clone, 'workloads/dev/kustomization.yaml', 'value: 1', 'value: 2');
  const status = git(clone, ['status', '--porcelain']);
  const dev = await run(['diff', clone, '--base', 'HEAD'], clone);
  assert.equal(dev.code, 1, dev.err);
  assert.match(
    dev.out,
    /cluster aks-dev \(clusters\/aks-dev\): 0 added, 1 changed, 0 removed\n.*\n\s+~ spec\.replicas: 1 -> 2/,
  );
  assert.match(dev.out, /cluster aks-qa \(clusters\/aks-qa\): no changes \(inputs unchanged\)/);
  assert.match(dev.out, /cluster aks-prod \(clusters\/aks-prod\): no changes \(inputs unchanged\)/);
  assert.equal(git(clone, ['status', '--porcelain']), status);

  const md = await run(['diff', clone, '--base', 'env/qa', '--head', 'env/dev', '--format', 'markdown'], clone);
  assert.match(md.out, /^### aksfleet diff: `env\/qa` → `env\/dev`/);
  const json = JSON.parse(
    (
      await run(
        ['diff', clone, '--base', 'env/qa', '--head', 'env/dev', '--format', 'json', '--cluster', 'aks-prod'],
        clone,
      )
    ).out,
  );
  assert.deepEqual(
    json.clusters.map((c: { cluster: string }) => c.cluster),
    ['aks-prod'],
  );
});

test('promote dev -> qa: a branch from env/qa with the merge, env/qa untouched, pushed and a pull request opened', {
  timeout: 240_000,
}, async () => {
  const { clone, remote } = await exampleClone();
  git(clone, ['checkout', '-q', 'env/dev']);
  edit(clone, 'workloads/base/app/api/deployment.yaml', 'api:1.2.3', 'api:1.2.5');
  commit(clone, 'api 1.2.5');
  const devSha = git(clone, ['rev-parse', 'env/dev']).trim();
  const qaSha = git(clone, ['rev-parse', 'env/qa']).trim();

  const requests: { url: string; auth: string; body: Record<string, string> }[] = [];
  const api = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', auth: String(req.headers.authorization), body: JSON.parse(body) });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ html_url: 'https://github.example/your-org/aks-gitops/pull/7' }));
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  try {
    const env = {
      GITHUB_TOKEN: 'test-token',
      AKSFLEET_GITHUB_API: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    };
    const p = await run(['promote', 'dev', 'qa', clone, '--push'], clone, env);
    assert.equal(p.code, 0, p.err);
    const branch = `promote/dev-to-qa-${devSha.slice(0, 7)}`;
    assert.match(p.err, new RegExp(`created branch ${branch.replace(/\//g, '\\/')}`));
    assert.match(p.out, /cluster aks-qa \(clusters\/aks-qa\): 0 added, 1 changed, 0 removed/);
    assert.doesNotMatch(p.out, /cluster aks-dev/, 'only the target environment is rendered');
    // git itself: both parents, env/qa unmoved locally and on the remote, the branch pushed.
    assert.deepEqual(git(clone, ['rev-list', '--parents', '-n', '1', branch]).trim().split(' ').slice(1), [
      qaSha,
      devSha,
    ]);
    assert.equal(git(clone, ['rev-parse', 'env/qa']).trim(), qaSha);
    assert.equal(git(remote, ['rev-parse', 'env/qa']).trim(), qaSha);
    assert.equal(git(remote, ['rev-parse', branch]).trim(), git(clone, ['rev-parse', branch]).trim());
    assert.match(
      git(clone, ['log', '-1', '--format=%B', branch]),
      /- aks-qa: 0 added, 1 changed, 0 removed; images: api acrprod123\.azurecr\.io\/api:1\.2\.3 -> acrprod123\.azurecr\.io\/api:1\.2\.5/,
    );
    // The pull request: owner/repo from fleet.yaml, the markdown diff as its body.
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url, '/repos/your-org/aks-gitops/pulls');
    assert.equal(requests[0]!.auth, 'Bearer test-token');
    assert.equal(requests[0]!.body.head, branch);
    assert.equal(requests[0]!.body.base, 'env/qa');
    assert.match(requests[0]!.body.body!, /### aksfleet diff/);

    const again = await run(['promote', 'qa', 'prod', clone], clone);
    assert.equal(again.code, 0);
    assert.match(again.err, /nothing to promote/);
    const backwards = await run(['promote', 'prod', 'dev', clone], clone);
    assert.equal(backwards.code, 2);
    assert.match(backwards.err, /promotions move forward/);
  } finally {
    api.close();
  }
});
