/**
 * A check kept between runs (watch-check.ts): after each edit of a small two-cluster repository,
 * the kept check gives what a fresh check in a new session gives, and checks again only the
 * cluster the edit can change; an edit that breaks a file gives its finding, the fix removes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { createSession } from '../session/session.js';
import { diskFingerprint } from '../incremental/watch-inputs.js';
import { tempDir, twoClusterRepo, writeTree } from '../cli/testing/fixture-repos.js';
import { checkRepository } from './index.js';
import { WatchCheck } from './watch-check.js';

const TODAY = '2026-12-07';

function fresh(dir: string) {
  const r = checkRepository(new DiskRepoFs(dir), { today: TODAY, keepContexts: false, session: createSession() });
  return { findings: r.findings, clusters: r.clusters, assumed: r.assumedKubernetesVersion };
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = before.replace(from, to);
  assert.notEqual(after, before, `the edit of ${file} changes it`);
  writeFileSync(p, after);
}

test('watch check: each run equals a fresh check; only the clusters an edit can change are checked again', () => {
  const dir = tempDir('aksfleet-watch-check-');
  try {
    writeTree(dir, twoClusterRepo());
    const w = new WatchCheck();
    const session = createSession();
    const run = () => {
      const r = w.run(new DiskRepoFs(dir), { today: TODAY, session, fingerprint: diskFingerprint(dir) });
      const { findings, clusters, assumedKubernetesVersion: assumed } = r.result;
      assert.deepEqual({ findings, clusters, assumed }, fresh(dir));
      return r;
    };
    const first = run();
    assert.deepEqual(first.checked, ['clusters/dev', 'clusters/prod']);
    assert.ok(first.result.findings.filter((f) => f.cluster === 'dev').length > 0, 'findings to keep');
    assert.deepEqual(run().checked, [], 'nothing changed: nothing checked again');

    // An overlay of one environment: that cluster only.
    edit(dir, 'apps/prod/kustomization.yaml', 'resources:', 'commonLabels:\n  tier: prod\nresources:');
    assert.deepEqual(run().checked, ['clusters/prod']);

    // The base both overlays use: both.
    edit(dir, 'apps/base/deploy.yaml', 'web:latest', 'web:1.0.1');
    assert.deepEqual(run().checked, ['clusters/dev', 'clusters/prod']);

    // A broken sync path: its finding, in that cluster only; the fix takes it away.
    edit(dir, 'clusters/dev/flux.yaml', 'path: ./apps/dev', 'path: ./apps/nope');
    const broken = run();
    assert.deepEqual(broken.checked, ['clusters/dev']);
    const found = broken.result.findings.filter((f) => f.rule === 'kustomization-path-exists');
    assert.deepEqual(
      found.map((f) => [f.cluster, f.file]),
      [['dev', 'clusters/dev/flux.yaml']],
    );
    edit(dir, 'clusters/dev/flux.yaml', 'path: ./apps/nope', 'path: ./apps/dev');
    const fixed = run();
    assert.deepEqual(fixed.checked, ['clusters/dev']);
    assert.equal(fixed.result.findings.filter((f) => f.rule === 'kustomization-path-exists').length, 0);

    // A file that cannot be read is a finding, as in check (a YAML error in the overlay).
    edit(dir, 'apps/dev/kustomization.yaml', 'resources:', 'resources: [\n');
    const bad = run();
    assert.deepEqual(bad.checked, ['clusters/dev']);
    assert.ok(bad.result.findings.some((f) => f.cluster === 'dev' && f.severity === 'error'));

    // A new cluster is checked; a removed one is gone from the report.
    writeTree(dir, { 'clusters/qa/flux.yaml': twoClusterRepo()['clusters/dev/flux.yaml']! });
    assert.deepEqual(run().checked, ['clusters/qa']);
    rmSync(join(dir, 'clusters/qa'), { recursive: true });
    assert.deepEqual(run().checked, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
