/**
 * The README's quick start: `npm start` runs `aksfleet demo`, which must take the example fleet
 * from nothing to a generated, committed, built and checked repository with exit 0, and be
 * idempotent when run again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { git } from '../../src/git/git.js';

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

test('aksfleet demo: the example fleet generated, committed on its branches, built and checked clean', { timeout: 180_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-demo-'));
  const r = await run(['demo'], cwd);
  assert.equal(r.code, 0, r.err);
  const dir = join(cwd, 'aksfleet-demo');
  assert.equal(r.out.trim(), dir);
  for (const f of ['fleet.yaml', 'clusters/aks-dev', 'clusters/aks-prod', 'platform', 'tenants', 'workloads/base/app/api', 'infra', 'cluster-bootstrap/aks-prod.sh']) {
    assert.ok(existsSync(join(dir, f)), `${f} generated`);
  }
  assert.deepEqual(git(dir, ['branch', '--format=%(refname:short)']).trim().split('\n').sort(), ['env/dev', 'env/prod', 'env/qa', 'main']);
  assert.match(r.err, /build {6}aks-prod: 4\/4 Flux Kustomizations, \d+ objects\n/);
  assert.match(r.err, /check {6}\d+ rules over 3 clusters: 0 errors/);
  // Again: nothing changes.
  const again = await run(['demo'], cwd);
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /0 created, 0 updated, 0 deleted, \d+ unchanged/);
  assert.equal(git(dir, ['status', '--porcelain']).trim(), '');
});
