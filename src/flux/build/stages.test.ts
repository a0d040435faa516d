/**
 * The Flux build is the list FLUX_BUILD_STAGES: the memoised stages come first (the memo runs
 * them as one unit), the plain ones are a prefix (a cluster path no Kustomization syncs stops
 * after them), and a build with timings runs exactly these stages, in this order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { StageTimings } from '../../pipeline/stages.js';
import { buildCluster, allResources } from './build-cluster.js';
import { BuildMemo } from './build-memo.js';
import { FLUX_BUILD_STAGES } from './stages.js';

const prefix = (flags: boolean[]) => flags.indexOf(false) === -1 || flags.slice(flags.indexOf(false)).every((f) => !f);

test('stages: unique names; memoised stages first, then plain ones', () => {
  const names = FLUX_BUILD_STAGES.map((s) => s.name);
  assert.equal(new Set(names).size, names.length);
  assert.ok(prefix(FLUX_BUILD_STAGES.map((s) => s.memoised)), 'memoised stages are a prefix');
  assert.ok(prefix(FLUX_BUILD_STAGES.map((s) => s.plain)), 'plain stages are a prefix');
  assert.ok(
    FLUX_BUILD_STAGES.every((s) => !s.memoised || s.plain),
    'memoised stages run for plain directories too',
  );
});

test('stages: a timed build runs every stage, in list order; with a memo, the memoised ones run less', () => {
  const fleet = syntheticFleet({ clusters: 4, tenants: 2, appsPerTenant: 1, seed: 5 });
  const fs = new MemoryRepoFs(Object.fromEntries(generateAll(fleet).map((f) => [f.path, f.content])));
  const names = fleet.spec.clusters.map((c) => c.name);
  const plain = new StageTimings();
  const without = names.map((cluster) => buildCluster(fs, { cluster, allowMissingVars: true, timings: plain }));
  assert.deepEqual(
    plain
      .list()
      .map((t) => t.stage)
      .filter((s) => s.startsWith('flux/')),
    FLUX_BUILD_STAGES.map((s) => `flux/${s.name}`),
  );
  const runs = Object.fromEntries(plain.list().map((t) => [t.stage, t.runs]));
  const ks = without.reduce((n, b) => n + b.kustomizations.filter((k) => k.status === 'built').length, 0);
  assert.equal(runs['flux/owner-labels'], ks, 'the Flux stages ran once per built Kustomization');
  assert.ok(runs['flux/generate']! > ks, 'generate also ran for each cluster path');

  const shared = new StageTimings();
  const memo = new BuildMemo();
  const same = names.map((cluster) => buildCluster(fs, { cluster, allowMissingVars: true, timings: shared, memo }));
  assert.equal(JSON.stringify(same.map(allResources)), JSON.stringify(without.map(allResources)));
  const sharedRuns = Object.fromEntries(shared.list().map((t) => [t.stage, t.runs]));
  assert.ok(
    sharedRuns['flux/generate']! < runs['flux/generate']!,
    `generate ran ${sharedRuns['flux/generate']} times with a shared memo, ${runs['flux/generate']} without`,
  );
  assert.equal(sharedRuns['flux/owner-labels'], ks);
});
