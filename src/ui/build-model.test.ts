/**
 * The console's model comes from one render per cluster: the check's, in the command's session
 * (its render count says so), with the session's HelmRelease options. Chart objects are listed
 * under their HelmRelease and served by the API like any other object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createSession, withHelm } from '../session/session.js';
import { demoChartFiles, memoryChartStore } from '../flux/helmrelease/testing.js';
import { buildConsoleModel } from './build-model.js';
import { apiAnswer } from './server.js';
import { helmSummaryLines } from './helm-summary.js';
import type { ConsoleCluster, ConsoleObject } from './model.js';

const sync = (cluster: string) =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  url: https://example.com/fleet.git',
    '  ref:',
    '    branch: main',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    `  path: ./clusters/${cluster}`,
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '',
  ].join('\n');

const apps = [
  'apiVersion: kustomize.toolkit.fluxcd.io/v1',
  'kind: Kustomization',
  'metadata:',
  '  name: apps',
  '  namespace: flux-system',
  'spec:',
  '  interval: 10m',
  '  path: ./apps',
  '  prune: true',
  '  sourceRef:',
  '    kind: GitRepository',
  '    name: flux-system',
  '',
].join('\n');

const APP_FILES: Record<string, string> = {
  'apps/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - sources.yaml\n' +
    '  - release.yaml\n',
  'apps/sources.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
    '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n',
  'apps/release.yaml': [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: web',
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chart:',
    '    spec:',
    '      chart: demo',
    '      version: "1.2.3"',
    '      sourceRef:',
    '        kind: HelmRepository',
    '        name: charts',
    '        namespace: flux-system',
    '  values:',
    '    replicas: 3',
    '',
  ].join('\n'),
};

/** Two clusters (a, b) that sync `apps/`, whose HelmRelease installs the demo chart. */
function repo(): { root: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-ui-model-'));
  const files: Record<string, string> = { ...APP_FILES };
  for (const c of ['a', 'b']) {
    files[`clusters/${c}/flux-system/gotk-sync.yaml`] = sync(c);
    files[`clusters/${c}/apps.yaml`] = apps;
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

const store = () =>
  memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles('1.2.3') },
  ]);
const get = (model: ReturnType<typeof buildConsoleModel>, path: string) =>
  apiAnswer(model, new URL(path, 'http://127.0.0.1'));

test('console model: each cluster rendered once in the session (the check and the views share it)', () => {
  const r = repo();
  try {
    const session = withHelm(createSession(), { enabled: true, store: store() });
    const model = buildConsoleModel({ root: r.root, isGit: false, session });
    assert.deepEqual(
      model.clusters.map((c) => c.name),
      ['a', 'b'],
    );
    // Every build of the session, by repository view and cluster path: one each, no other.
    assert.deepEqual(session.renders.entries(), [
      { view: r.root, path: 'clusters/a', count: 1 },
      { view: r.root, path: 'clusters/b', count: 1 },
    ]);
    // The check ran on that render: its findings are in the model and counted per cluster.
    assert.ok(model.findings.length > 0, 'the check found something (image tags, resources...)');
    for (const c of model.clusters) {
      const mine = model.findings.filter((f) => f.cluster === c.name);
      assert.equal(c.findings.error + c.findings.warning + c.findings.info, mine.length, c.name);
    }
    // The files the build read are the console's sources, the chart's values among none of them.
    assert.ok(
      model.sources.has('apps/release.yaml') && model.sources.has('clusters/a/apps.yaml'),
      [...model.sources.keys()].join(', '),
    );
  } finally {
    r.done();
  }
});

test('console API: chart objects under their HelmRelease, each served with its YAML and template', () => {
  const r = repo();
  try {
    const model = buildConsoleModel({
      root: r.root,
      isGit: false,
      session: withHelm(createSession(), { enabled: true, store: store() }),
    });
    const c = get(model, '/api/cluster?name=a');
    assert.equal(c.status, 200);
    const ks = (c.body as ConsoleCluster).kustomizations.find((k) => k.id === 'Kustomization/flux-system/apps')!;
    assert.deepEqual(
      ks.objects.map((o) => o.id),
      ['HelmRepository/flux-system/charts', 'HelmRelease/apps/web'],
    );
    assert.equal(ks.helmReleases.length, 1);
    const h = ks.helmReleases[0]!;
    assert.equal(h.id, 'HelmRelease/apps/web');
    assert.equal(h.status, 'rendered');
    assert.deepEqual(h.chart, { name: 'demo', version: '1.2.3' });
    assert.deepEqual(
      h.objects.map((o) => `${o.id} ${o.template}`),
      [
        'CustomResourceDefinition/widgets.example.com demo/crds/widget.yaml',
        'ConfigMap/apps/web-config demo/templates/configmap.yaml',
        'ClusterRole/web-reader demo/templates/clusterrole.yaml',
        'Deployment/apps/web demo/templates/deployment.yaml',
        'Job/apps/web-hook demo/templates/hook.yaml',
      ],
    );
    assert.ok(
      h.objects.every((o) => o.file === 'apps/release.yaml'),
      'chart objects are located at their HelmRelease',
    );
    const dep = get(model, '/api/object?cluster=a&id=Deployment%2Fapps%2Fweb');
    assert.equal(dep.status, 200);
    const o = dep.body as ConsoleObject;
    assert.equal(o.helmRelease, 'HelmRelease/apps/web');
    assert.equal(o.kustomization, 'Kustomization/flux-system/apps');
    assert.equal(o.template, 'demo/templates/deployment.yaml');
    assert.match(o.yaml, /replicas: 3/);
    assert.match(o.yaml, /helm\.toolkit\.fluxcd\.io\/name: web/);
    // The overview counts the chart objects among the cluster's objects.
    const ov = model.overview.clusters.find((x) => x.name === 'a')!;
    assert.equal(ov.objectCount, model.objects.get('a')!.size);
    assert.ok(model.objects.get('a')!.has('Job/apps/web-hook'));
    assert.deepEqual(helmSummaryLines(model), [], 'every HelmRelease rendered: nothing to say');
  } finally {
    r.done();
  }
});

test('console model: no chart store -> chart-unavailable with the reason; --no-helm -> disabled; nothing silently dropped', () => {
  const r = repo();
  try {
    const none = buildConsoleModel({ root: r.root, isGit: false, session: createSession() });
    const h = none.clusters[0]!.kustomizations.find((k) => k.name === 'apps')!.helmReleases[0]!;
    assert.equal(h.status, 'chart-unavailable');
    assert.deepEqual(h.objects, []);
    assert.match(
      h.problems.join('\n'),
      /no chart store: map HelmRepository\/flux-system\/charts to a folder of charts with --chart-source/,
    );
    assert.equal(none.clusters[0]!.kustomizations.find((k) => k.name === 'apps')!.status, 'warning');
    // The terminal says it too (one line, both clusters' HelmReleases counted).
    assert.deepEqual(helmSummaryLines(none), [
      'warning: 2 HelmRelease(s) not rendered, no chart for them offline: the console shows each with the ' +
        'reason (map their sources with --chart-source, or use --chart-cache)',
    ]);
    const off = buildConsoleModel({
      root: r.root,
      isGit: false,
      session: withHelm(createSession(), { enabled: false }),
    });
    assert.equal(off.clusters[0]!.kustomizations.find((k) => k.name === 'apps')!.helmReleases[0]!.status, 'disabled');
    assert.ok(!off.objects.get('a')!.has('Deployment/apps/web'));
    assert.deepEqual(helmSummaryLines(off), ['info: --no-helm: 2 HelmRelease(s) not rendered']);
  } finally {
    r.done();
  }
});
