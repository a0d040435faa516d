/**
 * The cross-cluster memo of steps 1-2 changes nothing but speed: every cluster of a generated
 * fleet builds to the same objects, issues and order with and without it; a changed input is
 * never served from it; callers that change what they get do not change the memo; and a caller
 * that records its reads still sees every input of a memoised build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { RecordingRepoFs } from '../../repo/recording-fs.js';
import { buildCluster, allResources } from './build-cluster.js';
import { buildMemoStats, cloneData, setBuildMemo } from './build-memo.js';
import type { ClusterBuild } from './types.js';
import { substituteObject } from '../substitute/postbuild-substitute.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 3, appsPerTenant: 2, seed: 3 });
const files = Object.fromEntries(generateAll(fleet).map((f) => [f.path, f.content]));
const names = fleet.spec.clusters.map((c) => c.name);

function buildAll(fs: MemoryRepoFs): ClusterBuild[] {
  return names.map((cluster) => buildCluster(fs, { cluster, allowMissingVars: true }));
}

test('memo: every cluster builds the same with and without it (objects, origins, issues, order)', () => {
  const was = setBuildMemo(false);
  let without: string;
  try {
    without = JSON.stringify(buildAll(new MemoryRepoFs(files)));
  } finally {
    setBuildMemo(was);
  }
  setBuildMemo(true);
  const before = buildMemoStats();
  const withMemo = JSON.stringify(buildAll(new MemoryRepoFs(files)));
  const after = buildMemoStats();
  assert.ok(after.hits - before.hits > 0, `the memo was used (hits ${after.hits - before.hits})`);
  assert.ok(JSON.parse(without).every((b: ClusterBuild) => allResources(b).length > 0), 'clusters have objects');
  assert.equal(withMemo, without);
  setBuildMemo(was);
});

test('memo: a changed file is rebuilt, not served from the memo (same label, other content)', () => {
  setBuildMemo(true);
  const cluster = names[0]!;
  const a = buildCluster(new MemoryRepoFs(files, 'repo'), { cluster, allowMissingVars: true });
  const path = Object.keys(files).find((p) => p.startsWith('workloads/base/') && p.endsWith('deployment.yaml'))
    ?? Object.keys(files).find((p) => p.startsWith('workloads/base/') && p.endsWith('.yaml'))!;
  const changed = { ...files, [path]: files[path]!.replace(/replicas: \d+/, 'replicas: 77') };
  assert.notEqual(changed[path], files[path], `${path} has replicas to change`);
  const stale = buildMemoStats().stale;
  const b = buildCluster(new MemoryRepoFs(changed, 'repo'), { cluster, allowMissingVars: true });
  assert.ok(buildMemoStats().stale > stale, 'the entry was found stale');
  const replicas = (x: ClusterBuild) => allResources(x).filter((r) => r.object.kind === 'Deployment').map((r) => (r.object.spec as { replicas?: unknown }).replicas);
  assert.ok(replicas(b).includes(77), 'the change is in the build');
  assert.ok(!replicas(a).includes(77));
  setBuildMemo(false);
  const c = buildCluster(new MemoryRepoFs(changed, 'repo'), { cluster, allowMissingVars: true });
  assert.equal(JSON.stringify(b), JSON.stringify(c));
  setBuildMemo(true);
});

test('memo: changing a result does not change later builds', () => {
  setBuildMemo(true);
  const fs = new MemoryRepoFs(files);
  const first = buildCluster(fs, { cluster: names[0]!, allowMissingVars: true });
  const expected = JSON.stringify(buildCluster(fs, { cluster: names[0]!, allowMissingVars: true }));
  for (const r of allResources(first)) {
    (r.object as Record<string, unknown>).spec = { mutated: true };
    if (r.object.metadata) r.object.metadata.name = 'mutated';
  }
  assert.equal(JSON.stringify(buildCluster(fs, { cluster: names[0]!, allowMissingVars: true })), expected);
});

test('memo: a recording caller sees every file of a memoised build', () => {
  setBuildMemo(false);
  const plain = new RecordingRepoFs(new MemoryRepoFs(files));
  buildCluster(plain, { cluster: names[3]!, allowMissingVars: true });
  setBuildMemo(true);
  const fs = new MemoryRepoFs(files);
  buildCluster(fs, { cluster: names[0]!, allowMissingVars: true }); // fills the memo
  const hits = buildMemoStats().hits;
  const rec = new RecordingRepoFs(fs);
  buildCluster(rec, { cluster: names[3]!, allowMissingVars: true }); // same environment (6 clusters over 3 envs)
  assert.ok(buildMemoStats().hits > hits, 'served from the memo');
  const missing = plain.filesRead().filter((f) => !rec.filesRead().includes(f));
  assert.deepEqual(missing, []);
});

test('cloneData: deep, independent, keeps bigints, own __proto__ keys and other objects', () => {
  const src = JSON.parse('{"a":{"b":[1,{"c":"x"}],"__proto__":{"polluted":true}},"n":null}') as Record<string, any>;
  src.big = 12345678901234567890n;
  src.when = new Date(0);
  const c = cloneData(src);
  assert.deepEqual(c, src);
  assert.notEqual(c.a, src.a);
  assert.notEqual(c.a.b[1], src.a.b[1]);
  assert.equal(Object.getPrototypeOf(c.a), Object.prototype, 'an own __proto__ key does not become the prototype');
  assert.deepEqual(Object.keys(c.a), ['b', '__proto__']);
  assert.equal(({} as any).polluted, undefined);
  assert.ok(c.when instanceof Date && c.when !== src.when);
  c.a.b[1].c = 'y';
  assert.equal(src.a.b[1].c, 'x');
});

test('substitution memo: same text, other values of the looked-up variables -> other result; copies are independent', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '${A}', b: '${B:=dflt}', n: '${N}' } };
  const cases = [
    new Map([['A', 'one'], ['N', '1']]),
    new Map([['A', 'two'], ['N', '1'], ['B', 'bee']]),
    new Map([['A', 'one'], ['N', '1'], ['UNUSED', 'x']]),
    new Map([['A', 'one']]),
    new Map([['A', 'true'], ['N', '007']]),
  ];
  const run = () => cases.map((vars) => substituteObject(obj, { vars }));
  setBuildMemo(false);
  const expected = JSON.stringify(run());
  setBuildMemo(true);
  const first = run();
  const second = run();
  assert.equal(JSON.stringify(first), expected);
  assert.equal(JSON.stringify(second), expected);
  assert.deepEqual((second[1]!.object as any).data, { a: 'two', b: 'bee', n: 1 });
  assert.deepEqual((second[3]!.object as any).data, { a: 'one', b: 'dflt', n: null });
  (first[0]!.object as any).data.a = 'mutated';
  assert.equal((run()[0]!.object as any).data.a, 'one');
});

test('substitution memo: values JSON conflates (NaN/null, -0/0, Date/string, bigint) are not confused', () => {
  const mk = (x: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { v: '${A}' }, extra: x }) as any;
  const values = [NaN, null, -0, 0, new Date(0), '1970-01-01T00:00:00.000Z', 10n ** 20n, Infinity];
  const vars = new Map([['A', 'x']]);
  setBuildMemo(false);
  const expected = values.map((x) => substituteObject(mk(x), { vars }));
  setBuildMemo(true);
  for (let round = 0; round < 2; round++) {
    const got = values.map((x) => substituteObject(mk(x), { vars }));
    got.forEach((g, i) => assert.deepEqual(g, expected[i], `value #${i} round ${round}`));
  }
});
