/**
 * The README's quick start: `npm start` runs `aksfleet demo`, which must take the example fleet
 * from nothing to a generated, committed, built and checked repository with exit 0, and be
 * idempotent when run again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkBin } from '../../src/cli/commands/demo.js';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { git } from '../../src/git/git.js';

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

test('aksfleet demo: the example fleet generated, committed on its branches, built and checked clean', {
  timeout: 180_000,
}, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-demo-'));
  const r = await run(['demo'], cwd);
  assert.equal(r.code, 0, r.err);
  const dir = join(cwd, 'aksfleet-demo');
  assert.equal(r.out.trim(), dir);
  for (const f of [
    'fleet.yaml',
    'clusters/aks-dev',
    'clusters/aks-prod',
    'platform',
    'tenants',
    'workloads/base/app/api',
    'infra',
    'cluster-bootstrap/aks-prod.sh',
  ]) {
    assert.ok(existsSync(join(dir, f)), `${f} generated`);
  }
  assert.deepEqual(git(dir, ['branch', '--format=%(refname:short)']).trim().split('\n').sort(), [
    'env/dev',
    'env/prod',
    'env/qa',
    'main',
  ]);
  assert.match(r.err, /build {6}aks-prod: 4\/4 Flux Kustomizations, \d+ objects\n/);
  assert.match(r.err, /check {6}\d+ rules over 3 clusters: 0 errors/);
  // The environment branches differ: a release (the api image bumped) on env/dev, to promote.
  assert.equal(git(dir, ['rev-parse', 'env/qa']), git(dir, ['rev-parse', 'main']));
  assert.equal(git(dir, ['rev-parse', 'env/prod']), git(dir, ['rev-parse', 'main']));
  assert.equal(git(dir, ['rev-parse', 'env/dev^']), git(dir, ['rev-parse', 'main']), 'one commit on env/dev');
  assert.equal(git(dir, ['log', '-1', '--format=%s', 'env/dev']).trim(), 'api: acrprod123.azurecr.io/api:1.2.4 in dev');
  assert.deepEqual(git(dir, ['diff', '--name-only', 'env/qa', 'env/dev']).trim().split('\n'), [
    '.aksfleet/manifest.json',
    'fleet.yaml',
    'workloads/base/app/api/deployment.yaml',
  ]);
  assert.equal(git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim(), 'main', 'the work tree is left on main');
  assert.match(
    r.err,
    /^git {8}env\/dev: api acrprod123\.azurecr\.io\/api:1\.2\.3 -> acrprod123\.azurecr\.io\/api:1\.2\.4 \(a release in dev, to promote to qa\)$/m,
  );
  const diff = await run(['diff', '--base', 'env/qa', '--head', 'env/dev'], dir);
  assert.equal(diff.code, 1, diff.err);
  for (const c of ['aks-dev', 'aks-qa', 'aks-prod'])
    assert.match(diff.out, new RegExp(`cluster ${c} \\(clusters/${c}\\): 0 added, 1 changed, 0 removed`));
  assert.match(
    r.err,
    /^ {2}npx aksfleet@[^ ]+ diff --base env\/qa --head env\/dev +what the release in dev changes in qa$/m,
    'outside a checkout: the registry form',
  );
  // Again: nothing changes.
  const again = await run(['demo'], cwd);
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /0 created, 0 updated, 0 deleted, \d+ unchanged/);
  assert.equal(git(dir, ['status', '--porcelain']).trim(), '');
  assert.equal(git(dir, ['rev-parse', 'env/dev^']), git(dir, ['rev-parse', 'main']), 'no second release');
});

test('demo inside a checkout: node_modules/.bin/aksfleet links the checkout bin, out of git, so npm takes the folder for its prefix', () => {
  const pkg = realpathSync(mkdtempSync(join(tmpdir(), 'aksfleet-pkg-')));
  mkdirSync(join(pkg, 'bin'));
  writeFileSync(join(pkg, 'bin', 'aksfleet'), '#!/bin/sh\necho checkout-bin "$@"\n');
  chmodSync(join(pkg, 'bin', 'aksfleet'), 0o755);
  writeFileSync(join(pkg, 'package.json'), '{"name":"aksfleet","version":"0.0.0","bin":{"aksfleet":"bin/aksfleet"}}\n');
  const dir = join(pkg, 'aksfleet-demo');
  mkdirSync(dir);
  git(dir, ['init', '-q']);
  const link = linkBin(dir, pkg)!;
  assert.equal(link, join(dir, 'node_modules', '.bin', 'aksfleet'));
  assert.equal(realpathSync(link), join(pkg, 'bin', 'aksfleet'));
  assert.equal(spawnSync(link, ['--version'], { encoding: 'utf8' }).stdout, 'checkout-bin --version\n');
  assert.equal(linkBin(dir, pkg), link, 'again: the same link');
  assert.equal(
    readFileSync(join(dir, '.git', 'info', 'exclude'), 'utf8')
      .split('\n')
      .filter((l) => l === '/node_modules/').length,
    1,
  );
  assert.equal(git(dir, ['status', '--porcelain']).trim(), '', 'the link is not a change of the repository');
  // npm's prefix (where npx looks for node_modules/.bin first) is the demo, not the checkout.
  const npm = spawnSync('npm', ['prefix'], { cwd: dir, encoding: 'utf8' });
  if (npm.status === 0) assert.equal(npm.stdout.trim(), dir);
  assert.equal(linkBin(join(tmpdir(), 'elsewhere'), pkg), undefined, 'outside the checkout: no link');
});
