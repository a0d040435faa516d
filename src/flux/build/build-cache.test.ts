/**
 * The persistent build cache changes nothing but speed: builds served from it equal fresh builds
 * (objects, origins, issues, order) of a generated fleet on disk; a changed file is rebuilt; an
 * entry made by another engine (salt), a corrupt file or an unreadable directory is a miss; and
 * values JSON would not carry exactly are never stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../../git/testing.js';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { buildCluster } from './build-cluster.js';
import { BuildMemo } from './build-memo.js';
import { DiskBuildCache, jsonExact } from './build-cache.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 3, appsPerTenant: 2, seed: 4 });
const names = fleet.spec.clusters.map((c) => c.name);

function writeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-build-cache-'));
  writeFiles(root, Object.fromEntries(generateAll(fleet).map((f) => [f.path, f.content])));
  return root;
}

/** The counters of the memos of the last buildAll calls, added up. */
const total = { misses: 0, diskHits: 0 };
const buildMemoStats = () => ({ ...total });

/** Every cluster built in a fresh in-process memo (as a new process would), through `cache`. */
function buildAll(root: string, cache?: DiskBuildCache): string {
  const memo = new BuildMemo(cache);
  try {
    const fs = new DiskRepoFs(root);
    return JSON.stringify(names.map((cluster) => buildCluster(fs, { cluster, allowMissingVars: true, memo })));
  } finally {
    cache?.flush();
    total.misses += memo.stats().misses;
    total.diskHits += memo.stats().diskHits;
  }
}

/** Every cluster built without any memo. */
function fresh(root: string): string {
  return JSON.stringify(
    names.map((cluster) => buildCluster(new DiskRepoFs(root), { cluster, allowMissingVars: true })),
  );
}

test('build cache: a second process builds from the cache, the same as without it; a changed file is rebuilt', () => {
  const root = writeRepo();
  const dir = join(root, '.cache');
  const want = fresh(root);
  const first = new DiskBuildCache(dir, 'salt-1');
  assert.equal(buildAll(root, first), want);
  assert.ok(first.stats.written > 0, 'entries were written');
  const [folder, ...more] = readdirSync(dir);
  assert.deepEqual(more, [], 'one folder per engine version');
  const entries = readdirSync(join(dir, folder!)).length;

  const d0 = buildMemoStats();
  const second = new DiskBuildCache(dir, 'salt-1');
  assert.equal(buildAll(root, second), want, 'served from the cache: same builds');
  const d1 = buildMemoStats();
  assert.equal(d1.misses - d0.misses, 0, 'nothing was built');
  assert.equal(d1.diskHits - d0.diskHits, entries, 'every entry was used once');

  // One cluster's own file changes: that build is stale and made again; the shared ones are read.
  const file = join(root, 'clusters', names[0]!, 'aksfleet', 'workloads.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/interval: \S+/, 'interval: 7m'));
  const changed = fresh(root);
  assert.notEqual(changed, want, 'the change reaches the build');
  const third = new DiskBuildCache(dir, 'salt-1');
  assert.equal(buildAll(root, third), changed);
  const d2 = buildMemoStats();
  assert.equal(d2.misses - d1.misses, 1, 'one folder built again');
  assert.equal(d2.diskHits - d1.diskHits, entries - 1);
  assert.equal(third.stats.written, 1);

  // Another engine (salt) never reads these entries.
  const other = new DiskBuildCache(dir, 'salt-2');
  assert.equal(buildAll(root, other), changed);
  assert.equal(buildMemoStats().diskHits, d2.diskHits, 'no entry of another salt was used');
  assert.equal(readdirSync(dir).length, 1, "the other engine's folder was removed");
  assert.notEqual(readdirSync(dir)[0], folder);
});

test('build cache: corrupt or foreign files are misses; an unwritable directory only costs speed', () => {
  const root = writeRepo();
  const dir = join(root, '.cache');
  const want = fresh(root);
  buildAll(root, new DiskBuildCache(dir, 's'));
  const folder = join(dir, readdirSync(dir)[0]!);
  for (const f of readdirSync(folder))
    writeFileSync(join(folder, f), f.charCodeAt(0) % 2 ? '{"format":1,"salt":"s","key":"other"' : 'not json');
  const before = buildMemoStats().diskHits;
  assert.equal(buildAll(root, new DiskBuildCache(dir, 's')), want);
  assert.equal(buildMemoStats().diskHits, before);
  const blocked = join(root, 'a-file');
  writeFileSync(blocked, '');
  const c = new DiskBuildCache(join(blocked, 'cache'), 's');
  assert.equal(buildAll(root, c), want);
  assert.equal(c.stats.written, 0);
});

test('build cache: only values JSON carries exactly are stored', () => {
  for (const v of [null, 'x', true, 0, 1.5, -3, [1, 'a', { b: [null] }], { a: { b: 'c' } }, 2 ** 53 - 1])
    assert.ok(jsonExact(v), JSON.stringify(v));
  const bad: unknown[] = [
    undefined,
    NaN,
    Infinity,
    -0,
    2 ** 53,
    { a: undefined },
    [1, , 2],
    new Date(0),
    new Map(),
    1n,
    { b: [() => 1] },
  ];
  const proto = JSON.parse('{"__proto__": 1}') as unknown;
  for (const v of [...bad, proto]) assert.ok(!jsonExact(v), String(v));
});
