/**
 * Chart renders kept in a content store change nothing but speed: a cluster built from a warm
 * store (a new process: no session memo) equals one built without a store, objects, origins,
 * errors and warnings alike, failed renders included; any one input of a render changed is a
 * miss; an entry that does not decode is rendered again. The key's encoding of values is
 * injective where JSON's is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentStore } from '../../content-store.js';
import { GoInt } from '../../gotemplate/value.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { allErrors, allResources, allWarnings } from '../build/build-cluster.js';
import { buildCluster } from '../with-engines.js';
import { canonicalKey, renderStoreKey, type RenderInputs } from './render-store.js';
import { demoChartFiles, memoryChartStore } from './testing.js';

/** A store in memory that counts what it answered. */
function memoryStore(): ContentStore & { entries: Map<string, string>; hits: number; renderHits: number } {
  const entries = new Map<string, string>();
  const s = {
    entries,
    hits: 0,
    renderHits: 0,
    get(key: string) {
      const v = entries.get(key);
      if (v !== undefined) s.hits++;
      if (v !== undefined && key.startsWith('helm-render')) s.renderHits++;
      return v;
    },
    put(key: string, text: string) {
      entries.set(key, text);
    },
  };
  return s;
}

const SOURCES =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
  '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';

function hr(values: string, name = 'web'): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    `metadata: {name: ${name}, namespace: apps}`,
    'spec:',
    '  chart:',
    '    spec:',
    '      {chart: demo, version: "1.2.3", sourceRef: {kind: HelmRepository, name: charts, namespace: flux-system}}',
    `  values:\n${values}`,
  ].join('\n');
}

const charts = () =>
  memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles('1.2.3') },
  ]);

function build(releases: Record<string, string>, renderStore?: ContentStore, kubeVersion = '1.31.2') {
  const fs = new MemoryRepoFs({
    'clusters/c1/sources.yaml': SOURCES,
    ...Object.fromEntries(Object.entries(releases).map(([k, v]) => [`clusters/c1/${k}`, v])),
  });
  const b = buildCluster(fs, {
    path: 'clusters/c1',
    helm: { store: charts(), kubeVersion, ...(renderStore ? { renderStore } : {}) },
  });
  return {
    resources: allResources(b),
    errors: allErrors(b),
    warnings: allWarnings(b),
    status: b.helmReleases.map((h) => h.status),
  };
}

const RELEASES = {
  'web.yaml': hr('    replicas: 3\n    privileged: true\n'),
  'broken.yaml': hr('    boom: true\n', 'broken'),
};

test('a warm store gives the same build as no store, failed renders included', () => {
  const plain = build(RELEASES);
  assert.deepEqual(plain.status.sort(), ['failed', 'rendered']);
  const store = memoryStore();
  const cold = build(RELEASES, store);
  assert.equal(store.renderHits, 0);
  assert.ok(store.entries.size >= 3, 'both renders and the parsed files are kept');
  const warm = build(RELEASES, store);
  assert.equal(store.renderHits, 2, 'both renders come from the store');
  assert.deepEqual(cold, plain);
  assert.deepEqual(warm, plain);
});

test('any one input of a render changed is a miss', () => {
  const store = memoryStore();
  build({ 'web.yaml': hr('    replicas: 3\n') }, store);
  const renders = () => [...store.entries.keys()].filter((k) => k.startsWith('helm-render')).length;
  assert.equal(renders(), 1);
  build({ 'web.yaml': hr('    replicas: 4\n') }, store); // values
  assert.equal(renders(), 2);
  build({ 'web.yaml': hr('    replicas: 3\n', 'web2') }, store); // release name
  assert.equal(renders(), 3);
  build({ 'web.yaml': hr('    replicas: 3\n') }, store, '1.32.0'); // kube version and API versions
  assert.equal(renders(), 4);
  const again = build({ 'web.yaml': hr('    replicas: 3\n') }, store);
  assert.equal(renders(), 4, 'the same inputs find their entry');
  assert.deepEqual(again, build({ 'web.yaml': hr('    replicas: 3\n') }));
});

test('an entry that does not decode is rendered again, with the same result', () => {
  const store = memoryStore();
  const plain = build(RELEASES);
  build(RELEASES, store);
  for (const k of store.entries.keys()) store.entries.set(k, k.startsWith('helm-render') ? '{"ok":true}' : 'not json');
  assert.deepEqual(build(RELEASES, store), plain);
});

test('renderStoreKey names every input; canonicalKey tells apart what JSON confuses', () => {
  const base: RenderInputs = {
    chartDigest: 'sha256:1',
    chartName: 'demo',
    values: { a: 1 },
    apiVersions: ['v1'],
    kubeVersion: '1.31.2',
    releaseName: 'web',
    releaseNamespace: 'apps',
    skipSchema: false,
  };
  const changed: Partial<RenderInputs>[] = [
    { chartDigest: 'sha256:2' },
    { chartName: 'demo2' },
    { values: { a: 2 } },
    { values: { a: '1' } },
    { apiVersions: ['v1', 'apps/v1'] },
    { kubeVersion: '1.32.0' },
    { releaseName: 'web2' },
    { releaseNamespace: 'apps2' },
    { skipSchema: true },
  ];
  const keys = new Set([renderStoreKey(base), ...changed.map((c) => renderStoreKey({ ...base, ...c }))]);
  assert.equal(keys.size, changed.length + 1);
  const pairs: [unknown, unknown][] = [
    ['5n', 5n],
    [new GoInt(5n), { value: 5n, kind: 'int' }],
    [new GoInt(5n, 'int'), new GoInt(5n, 'int64')],
    [0, -0],
    [[1], { 0: 1 }],
    [null, undefined],
    ['a,b', ['a', 'b']],
    [{ 'a"': 1 }, { a: '1' }],
    [new Uint8Array([104, 105]), 'hi'],
  ];
  for (const [a, b] of pairs) assert.notEqual(canonicalKey(a), canonicalKey(b), `${String(a)} / ${String(b)}`);
  assert.equal(canonicalKey(new Map()), undefined);
  assert.equal(canonicalKey({ f: () => 1 }), undefined);
  assert.equal(renderStoreKey({ ...base, values: { f: new Map() } }), undefined);
});
