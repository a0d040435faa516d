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
import { BuildMemo } from './build-memo.js';
import { cloneData } from './clone-data.js';
import type { ClusterBuild } from './types.js';
import { substituteObject } from '../substitute/postbuild-substitute.js';
import { SubstitutionMemo } from '../substitute/substitution-memo.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 3, appsPerTenant: 2, seed: 3 });
const files = Object.fromEntries(generateAll(fleet).map((f) => [f.path, f.content]));
const names = fleet.spec.clusters.map((c) => c.name);

function buildAll(fs: MemoryRepoFs, memo?: BuildMemo): ClusterBuild[] {
  return names.map((cluster) => buildCluster(fs, { cluster, allowMissingVars: true, memo }));
}

test('memo: every cluster builds the same with and without it (objects, origins, issues, order)', () => {
  const without = JSON.stringify(buildAll(new MemoryRepoFs(files)));
  const memo = new BuildMemo();
  const withMemo = JSON.stringify(buildAll(new MemoryRepoFs(files), memo));
  assert.ok(memo.stats().hits > 0, `the memo was used (hits ${memo.stats().hits})`);
  assert.ok(
    JSON.parse(without).every((b: ClusterBuild) => allResources(b).length > 0),
    'clusters have objects',
  );
  assert.equal(withMemo, without);
});

test('memo: a changed file is rebuilt, not served from the memo (same label, other content)', () => {
  const memo = new BuildMemo();
  const cluster = names[0]!;
  const a = buildCluster(new MemoryRepoFs(files, 'repo'), { cluster, allowMissingVars: true, memo });
  const path =
    Object.keys(files).find((p) => p.startsWith('workloads/base/') && p.endsWith('deployment.yaml')) ??
    Object.keys(files).find((p) => p.startsWith('workloads/base/') && p.endsWith('.yaml'))!;
  const changed = { ...files, [path]: files[path]!.replace(/replicas: \d+/, 'replicas: 77') };
  assert.notEqual(changed[path], files[path], `${path} has replicas to change`);
  const stale = memo.stats().stale;
  const b = buildCluster(new MemoryRepoFs(changed, 'repo'), { cluster, allowMissingVars: true, memo });
  assert.ok(memo.stats().stale > stale, 'the entry was found stale');
  const replicas = (x: ClusterBuild) =>
    allResources(x)
      .filter((r) => r.object.kind === 'Deployment')
      .map((r) => (r.object.spec as { replicas?: unknown }).replicas);
  assert.ok(replicas(b).includes(77), 'the change is in the build');
  assert.ok(!replicas(a).includes(77));
  const c = buildCluster(new MemoryRepoFs(changed, 'repo'), { cluster, allowMissingVars: true });
  assert.equal(JSON.stringify(b), JSON.stringify(c));
});

test('memo: changing a result does not change later builds', () => {
  const memo = new BuildMemo();
  const fs = new MemoryRepoFs(files);
  const first = buildCluster(fs, { cluster: names[0]!, allowMissingVars: true, memo });
  const expected = JSON.stringify(buildCluster(fs, { cluster: names[0]!, allowMissingVars: true, memo }));
  for (const r of allResources(first)) {
    (r.object as Record<string, unknown>).spec = { mutated: true };
    if (r.object.metadata) r.object.metadata.name = 'mutated';
  }
  assert.equal(JSON.stringify(buildCluster(fs, { cluster: names[0]!, allowMissingVars: true, memo })), expected);
});

test('memo: a recording caller sees every file of a memoised build', () => {
  const plain = new RecordingRepoFs(new MemoryRepoFs(files));
  buildCluster(plain, { cluster: names[3]!, allowMissingVars: true });
  const memo = new BuildMemo();
  const fs = new MemoryRepoFs(files);
  buildCluster(fs, { cluster: names[0]!, allowMissingVars: true, memo }); // fills the memo
  const hits = memo.stats().hits;
  const rec = new RecordingRepoFs(fs);
  buildCluster(rec, { cluster: names[3]!, allowMissingVars: true, memo }); // same environment (6 clusters over 3 envs)
  assert.ok(memo.stats().hits > hits, 'served from the memo');
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
  const obj = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data: { a: '${A}', b: '${B:=dflt}', n: '${N}' },
  };
  const cases = [
    new Map([
      ['A', 'one'],
      ['N', '1'],
    ]),
    new Map([
      ['A', 'two'],
      ['N', '1'],
      ['B', 'bee'],
    ]),
    new Map([
      ['A', 'one'],
      ['N', '1'],
      ['UNUSED', 'x'],
    ]),
    new Map([['A', 'one']]),
    new Map([
      ['A', 'true'],
      ['N', '007'],
    ]),
  ];
  const memo = new SubstitutionMemo();
  const run = (m?: SubstitutionMemo) => cases.map((vars) => substituteObject(obj, { vars, ...(m ? { memo: m } : {}) }));
  const expected = JSON.stringify(run());
  const first = run(memo);
  const second = run(memo);
  assert.equal(JSON.stringify(first), expected);
  assert.equal(JSON.stringify(second), expected);
  assert.deepEqual((second[1]!.object as any).data, { a: 'two', b: 'bee', n: 1 });
  assert.deepEqual((second[3]!.object as any).data, { a: 'one', b: 'dflt', n: null });
  (first[0]!.object as any).data.a = 'mutated';
  assert.equal((run(memo)[0]!.object as any).data.a, 'one');
});

test('substitution memo: values JSON conflates (NaN/null, -0/0, Date/string, bigint) are not confused', () => {
  const mk = (x: unknown) =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { v: '${A}' }, extra: x }) as any;
  const values = [NaN, null, -0, 0, new Date(0), '1970-01-01T00:00:00.000Z', 10n ** 20n, Infinity];
  const vars = new Map([['A', 'x']]);
  const expected = values.map((x) => substituteObject(mk(x), { vars }));
  const memo = new SubstitutionMemo();
  for (let round = 0; round < 2; round++) {
    const got = values.map((x) => substituteObject(mk(x), { vars, memo }));
    got.forEach((g, i) => assert.deepEqual(g, expected[i], `value #${i} round ${round}`));
  }
});
