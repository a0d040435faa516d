/**
 * The HelmRelease stage of the Flux build, over in-memory repositories and a test-double chart
 * store: release names (helm-controller's own test vectors), values in Flux's order, origin labels,
 * release namespace, CRDs, hooks, post-renderers, capabilities, statuses, and the session's render
 * cache. The chart output itself is judged against the real helm in test/flux/helmrelease-oracle.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { allErrors, allResources, allWarnings } from '../build/build-cluster.js';
import { buildCluster } from '../with-engines.js';
import { createSession, fluxBuildOptions, withHelm } from '../../session/session.js';
import { shortenReleaseName, releaseNames } from './release-name.js';
import { HELMRELEASE_STAGES } from './stages.js';
import { demoChartFiles, memoryChartStore } from './testing.js';
import type { KObject } from '../../resources/resource.js';

test('release name: helm-controller ShortenName test vectors (internal/release/name_test.go)', () => {
  assert.equal(shortenReleaseName('release-name'), 'release-name');
  assert.equal(
    shortenReleaseName('release-name-with-very-long-name-which-is-longer-than-53-characters'),
    'release-name-with-very-long-name-which-i-788ca0d0d7b0',
  );
  assert.equal(
    shortenReleaseName('another-release-name-with-very-long-name-which-is-longer-than-53-characters'),
    'another-release-name-with-very-long-name-7e72150d5a36',
  );
  assert.equal(shortenReleaseName(''), '');
  assert.deepEqual(releaseNames('app', 'flux', { targetNamespace: 'prod' }), {
    releaseName: 'prod-app',
    releaseNamespace: 'prod',
    storageNamespace: 'flux',
  });
  assert.deepEqual(releaseNames('app', 'flux', { releaseName: 'x', targetNamespace: 'prod', storageNamespace: 's' }), {
    releaseName: 'x',
    releaseNamespace: 'prod',
    storageNamespace: 's',
  });
});

const SOURCES =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
  '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';

function hr(spec: string, name = 'web', ns = 'apps'): string {
  return (
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n` +
    `spec:\n  chart:\n    spec:\n      chart: demo\n      version: "1.2.3"\n      sourceRef:\n` +
    `        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n${spec}`
  );
}

function repo(files: Record<string, string>): MemoryRepoFs {
  return new MemoryRepoFs({
    'clusters/c1/sources.yaml': SOURCES,
    ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`clusters/c1/${k}`, v])),
  });
}

const store = () =>
  memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles('1.2.3') },
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '2.0.0', files: demoChartFiles('2.0.0') },
  ]);

const byKind = (objs: KObject[], kind: string) => objs.filter((o) => o.kind === kind);

test('HelmRelease: rendered with origin labels, release namespace, CRDs first, hooks last, origins at the HelmRelease', () => {
  const fs = repo({ 'release.yaml': hr('  values:\n    replicas: 3\n') });
  const b = buildCluster(fs, { path: 'clusters/c1', helm: { store: store(), kubeVersion: '1.31.2' } });
  assert.deepEqual(allErrors(b), []);
  assert.equal(b.helmReleases.length, 1);
  const h = b.helmReleases[0]!;
  assert.equal(h.status, 'rendered');
  assert.deepEqual(h.chart?.name, 'demo');
  assert.equal(h.chart?.version, '1.2.3');
  assert.match(h.chart?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(
    h.resources.map((r) => `${r.object.kind}/${r.object.metadata?.namespace ?? ''}/${r.object.metadata?.name}`),
    [
      'CustomResourceDefinition//widgets.example.com',
      'ConfigMap/apps/web-config',
      'ClusterRole//web-reader',
      'Deployment/apps/web',
      'Job/apps/web-hook',
    ],
    "crds/ first, then Helm's install order, then the hooks",
  );
  assert.deepEqual(h.hooks, ['demo/templates/hook.yaml']);
  for (const r of h.resources) {
    assert.equal(r.object.metadata?.labels?.['helm.toolkit.fluxcd.io/name'], 'web');
    assert.equal(r.object.metadata?.labels?.['helm.toolkit.fluxcd.io/namespace'], 'apps');
    assert.equal(r.origin?.file, 'clusters/c1/release.yaml');
    assert.equal(r.origin?.helm?.release, 'HelmRelease/apps/web');
    assert.equal(r.origin?.helm?.chart, 'demo@1.2.3');
  }
  const dep = byKind(
    h.resources.map((r) => r.object),
    'Deployment',
  )[0] as any;
  assert.equal(dep.spec.replicas, 3);
  assert.equal(
    h.resources.find((r) => r.object.kind === 'Deployment')!.origin?.helm?.template,
    'demo/templates/deployment.yaml',
  );
  const cm = byKind(
    h.resources.map((r) => r.object),
    'ConfigMap',
  )[0] as any;
  assert.equal(cm.data.kube, 'v1.31.2', '.Capabilities.KubeVersion from the options');
  assert.equal(cm.data.widgets, 'true', "the chart's own CRD is in .Capabilities.APIVersions");
  // allResources has the chart objects after the objects of the path that applies the HelmRelease.
  const all = allResources(b).map((r) => r.object.kind);
  assert.ok(all.indexOf('HelmRelease') < all.indexOf('Deployment'));
});

test('HelmRelease: values in Flux order (valuesFrom in order, targetPath, spec.values last), Secret data decoded, optional and missing refs', () => {
  const cm =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n  namespace: apps\ndata:\n  values.yaml: |\n' +
    '    replicas: 2\n    greeting: from-configmap\n    image:\n      tag: "1.26"\n';
  const secret =
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\n  namespace: apps\ndata:\n` +
    `  tag: ${Buffer.from('1.27').toString('base64')}\n`;
  const spec = [
    '  valuesFrom:',
    '    - kind: ConfigMap',
    '      name: base',
    '    - kind: Secret',
    '      name: sec',
    '      valuesKey: tag',
    '      targetPath: image.tag',
    '    - kind: ConfigMap',
    '      name: nowhere',
    '      optional: true',
    '    - kind: ConfigMap',
    '      name: cluster-only',
    '  values:',
    '    replicas: 5',
    '',
  ].join('\n');
  const b = buildCluster(repo({ 'cm.yaml': cm, 'secret.yaml': secret, 'release.yaml': hr(spec) }), {
    path: 'clusters/c1',
    helm: { store: store() },
  });
  const h = b.helmReleases[0]!;
  assert.equal(h.status, 'rendered');
  const objs = h.resources.map((r) => r.object) as any[];
  const dep = objs.find((o) => o.kind === 'Deployment');
  assert.equal(dep.spec.replicas, 5, 'spec.values wins');
  assert.equal(
    dep.spec.template.spec.containers[0].image,
    'nginx:1.27',
    'targetPath from the Secret, after the ConfigMap',
  );
  assert.equal(objs.find((o) => o.kind === 'ConfigMap').data.greeting, 'from-configmap');
  assert.deepEqual(
    h.warnings.map((w) => w.fieldPath),
    ['spec.valuesFrom[3]'],
    'only the non-optional missing reference is reported',
  );
  assert.match(
    h.warnings[0]!.message,
    /cluster-only is not in this cluster's build \(if it lives only in the cluster, give it with --values-from FILE\)/,
  );
  // Given as living only in the cluster (--values-from): used, after the Secret and before spec.values.
  const only = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-only', namespace: 'apps' },
    data: { 'values.yaml': 'greeting: from-cluster\nreplicas: 9\n' },
  };
  const b2 = buildCluster(repo({ 'cm.yaml': cm, 'secret.yaml': secret, 'release.yaml': hr(spec) }), {
    path: 'clusters/c1',
    helm: { store: store(), clusterObjects: [only] },
  });
  const objs2 = b2.helmReleases[0]!.resources.map((r) => r.object) as any[];
  assert.deepEqual(b2.helmReleases[0]!.warnings, []);
  assert.equal(objs2.find((o) => o.kind === 'ConfigMap').data.greeting, 'from-cluster');
  assert.equal(objs2.find((o) => o.kind === 'Deployment').spec.replicas, 5, 'spec.values still wins');
});

test('HelmRelease: no store, chart not in store -> chart-unavailable warning with the reason; --no-helm -> disabled; suspend -> suspended', () => {
  const fs = repo({
    'release.yaml': hr(''),
    'other.yaml': hr('  suspend: true\n', 'paused').replace('"1.2.3"', '"9.9.9"'),
  });
  const none = buildCluster(fs, { path: 'clusters/c1' });
  assert.deepEqual(
    none.helmReleases.map((h) => [h.id, h.status]),
    [
      ['apps/paused', 'suspended'],
      ['apps/web', 'chart-unavailable'],
    ],
  );
  assert.deepEqual(allErrors(none), [], 'unavailable is not an error of the build');
  const w = allWarnings(none).find((x) => x.object === 'HelmRelease/apps/web')!;
  assert.match(
    w.message,
    /no chart store: map HelmRepository\/flux-system\/charts to a folder of charts with --chart-source/,
  );
  assert.equal(w.file, 'clusters/c1/release.yaml');
  const missing = buildCluster(repo({ 'release.yaml': hr('').replace('"1.2.3"', '">=3.0.0"') }), {
    path: 'clusters/c1',
    helm: { store: store() },
  });
  assert.equal(missing.helmReleases[0]!.status, 'chart-unavailable');
  assert.match(missing.helmReleases[0]!.warnings[0]!.message, /test store: no chart demo >=3.0.0/);
  const off = buildCluster(fs, { path: 'clusters/c1', helm: { enabled: false, store: store() } });
  assert.deepEqual(
    off.helmReleases.map((h) => h.status),
    ['suspended', 'disabled'],
  );
  assert.equal(allResources(off).length, allResources(none).length, '--no-helm: the objects of today');
});

test("HelmRelease: a template error is a build error at the HelmRelease, with the chart and Helm's message", () => {
  const b = buildCluster(repo({ 'release.yaml': hr('  values:\n    boom: true\n') }), {
    path: 'clusters/c1',
    helm: { store: store() },
  });
  const h = b.helmReleases[0]!;
  assert.equal(h.status, 'failed');
  assert.equal(h.resources.length, 0);
  const e = allErrors(b);
  assert.equal(e.length, 1);
  assert.equal(e[0]!.object, 'HelmRelease/apps/web');
  assert.equal(e[0]!.file, 'clusters/c1/release.yaml');
  assert.match(e[0]!.message, /^chart demo@1\.2\.3: .*demo\/templates\/fail\.yaml.*boom requested/s);
});

test('HelmRelease: targetNamespace, install.crds Skip, createNamespace, commonMetadata, postRenderers patches and images', () => {
  const spec = [
    '  targetNamespace: prod',
    '  postRenderStrategy: nohooks',
    '  install:',
    '    crds: Skip',
    '    createNamespace: true',
    '  commonMetadata:',
    '    labels:',
    '      team: a',
    '      helm.toolkit.fluxcd.io/name: ignored',
    '  postRenderers:',
    '    - kustomize:',
    '        images:',
    '          - name: nginx',
    '            newTag: "1.99"',
    '        patches:',
    '          - target:',
    '              kind: Deployment',
    '            patch: |',
    '              - op: add',
    '                path: /metadata/annotations',
    '                value: {patched: "yes"}',
    '',
  ].join('\n');
  const b = buildCluster(repo({ 'release.yaml': hr(spec) }), { path: 'clusters/c1', helm: { store: store() } });
  const h = b.helmReleases[0]!;
  assert.deepEqual(allErrors(b), []);
  assert.equal(h.releaseName, 'prod-web');
  assert.equal(h.releaseNamespace, 'prod');
  const objs = h.resources.map((r) => r.object) as any[];
  assert.deepEqual(
    objs.map((o) => o.kind),
    ['Namespace', 'ConfigMap', 'ClusterRole', 'Deployment', 'Job'],
    'no CRD with install.crds Skip; the Namespace first',
  );
  const dep = objs.find((o) => o.kind === 'Deployment');
  assert.equal(dep.metadata.name, 'prod-web');
  assert.equal(dep.metadata.namespace, 'prod');
  assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.99');
  assert.deepEqual(dep.metadata.annotations, { patched: 'yes' });
  assert.equal(dep.metadata.labels.team, 'a');
  assert.equal(dep.metadata.labels['helm.toolkit.fluxcd.io/name'], 'web', 'origin labels win over commonMetadata');
  assert.equal(objs.find((o) => o.kind === 'ConfigMap').data.widgets, 'false', 'no CRD applied, none in .Capabilities');
  const job = objs.find((o) => o.kind === 'Job');
  assert.equal(job.metadata.namespace, 'prod');
  assert.equal(
    job.metadata.labels,
    undefined,
    'postRenderStrategy nohooks: hooks are not post-rendered (no origin labels)',
  );
  const noHooks = buildCluster(repo({ 'release.yaml': hr('  install:\n    disableHooks: true\n') }), {
    path: 'clusters/c1',
    helm: { store: store() },
  });
  assert.deepEqual(
    noHooks.helmReleases[0]!.resources.map((r) => r.object.kind).filter((k) => k === 'Job'),
    [],
    'install.disableHooks',
  );
});

test('HelmRelease: chart from a GitRepository path of this repository; chartRef to an OCIRepository', () => {
  const chart = Object.fromEntries(Object.entries(demoChartFiles('0.1.0')).map(([k, v]) => [`charts/demo/${k}`, v]));
  const git =
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: local\n  namespace: apps\n' +
    'spec:\n  chart:\n    spec:\n      chart: ./charts/demo\n      sourceRef:\n        kind: GitRepository\n' +
    '        name: flux-system\n        namespace: flux-system\n';
  const oci =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: demo\n' +
    '  namespace: apps\nspec:\n  url: oci://ghcr.io/x/demo\n  ref:\n    tag: 2.0.0\n---\n' +
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: fromoci\n' +
    '  namespace: apps\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: demo\n';
  const s = memoryChartStore([
    { sourceId: 'OCIRepository/apps/demo', chart: '', version: '2.0.0', files: demoChartFiles('2.0.0') },
  ]);
  const fs = new MemoryRepoFs({ ...chart, 'clusters/c1/release.yaml': git, 'clusters/c1/oci.yaml': oci });
  const b = buildCluster(fs, { path: 'clusters/c1', helm: { store: s } });
  assert.deepEqual(
    b.helmReleases.map((h) => [h.id, h.status, h.chart?.version]),
    [
      ['apps/fromoci', 'rendered', '2.0.0'],
      ['apps/local', 'rendered', '0.1.0'],
    ],
  );
  assert.equal(b.helmReleases[1]!.chart?.location, 'charts/demo');
  assert.deepEqual(
    s.requests.map((r) => [r.sourceId, r.url, r.tag]),
    [['OCIRepository/apps/demo', 'oci://ghcr.io/x/demo', '2.0.0']],
  );
});

test('HelmRelease: the session renders a release once for every cluster that installs it; timings name the stages', () => {
  const release = hr('  values:\n    replicas: 2\n');
  const fs = new MemoryRepoFs({
    'clusters/a/s.yaml': SOURCES,
    'clusters/a/r.yaml': release,
    'clusters/b/s.yaml': SOURCES,
    'clusters/b/r.yaml': release,
  });
  const session = withHelm(createSession({ timeStages: true }), { store: store() });
  const a = buildCluster(fs, { path: 'clusters/a', ...fluxBuildOptions(session) });
  const hits = session.renderCache.stats().hits;
  const b = buildCluster(fs, { path: 'clusters/b', ...fluxBuildOptions(session) });
  assert.ok(session.renderCache.stats().hits >= hits + 2, 'chart and render both from the cache');
  assert.deepEqual(
    b.helmReleases[0]!.resources.map((r) => r.object),
    a.helmReleases[0]!.resources.map((r) => r.object),
  );
  const timed = session
    .timings!.list()
    .map((t) => t.stage)
    .filter((s) => s.startsWith('helm/'));
  assert.deepEqual(
    timed,
    HELMRELEASE_STAGES.map((s) => `helm/${s.name}`),
  );
});

test('HelmRelease: clusters sharing a render share its frozen objects; each copies what its stages change', () => {
  const release = hr('  values:\n    replicas: 2\n');
  const fs = new MemoryRepoFs({
    'clusters/a/s.yaml': SOURCES,
    'clusters/a/r.yaml': release,
    'clusters/b/s.yaml': SOURCES,
    'clusters/b/r.yaml': release,
  });
  const session = withHelm(createSession(), { store: store() });
  const a = buildCluster(fs, { path: 'clusters/a', ...fluxBuildOptions(session) }).helmReleases[0]!.resources.map(
    (r) => r.object,
  );
  const b = buildCluster(fs, { path: 'clusters/b', ...fluxBuildOptions(session) }).helmReleases[0]!.resources.map(
    (r) => r.object,
  );
  assert.deepEqual(b, a);
  const crd = (objs: KObject[]) =>
    objs.find((o) => o.kind === 'CustomResourceDefinition') as { spec: { versions: { schema: object }[] } } & KObject;
  assert.ok(crd(a), 'the demo chart has a CRD');
  // The release metadata stage copies each object and its metadata (the origin labels, the namespace).
  for (const [x, y] of a.map((o, i) => [o, b[i]!] as const)) {
    assert.notEqual(x, y, `${x.kind} ${x.metadata?.name}: each cluster its own object`);
    assert.notEqual(x.metadata, y.metadata);
  }
  // What no stage changed is the render's, frozen, the same in both clusters (no copy per cluster).
  assert.equal(crd(b).spec.versions[0]!.schema, crd(a).spec.versions[0]!.schema, 'the version schema is shared');
  assert.ok(Object.isFrozen(crd(a).spec.versions[0]!.schema));
  assert.throws(() => {
    (crd(a).spec.versions[0]!.schema as Record<string, unknown>).x = 1;
  }, TypeError);
  const spec = (objs: KObject[]) => objs.find((o) => o.kind === 'Deployment')!.spec as Record<string, unknown>;
  assert.equal(spec(a), spec(b), 'the Deployment spec is shared');
  // So one cluster cannot change another's objects: a write into a shared part throws.
  assert.throws(() => {
    spec(a).replicas = 99;
  }, TypeError);
  assert.equal(spec(b).replicas, 2);
});

test('.Capabilities.APIVersions has group/version/Kind of the built-in resources of the cluster minor, as discovery gives helm-controller', () => {
  const files = {
    'Chart.yaml': 'apiVersion: v2\nname: gates\nversion: 1.0.0\n',
    // velero's and gatekeeper's gate: policy/v1 in a cluster, policy/v1beta1 under plain `helm template`.
    'templates/pdb.yaml':
      '{{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}\napiVersion: policy/v1\n' +
      '{{- else }}\napiVersion: policy/v1beta1\n{{- end }}\nkind: PodDisruptionBudget\nmetadata:\n' +
      '  name: gates\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: gates\n',
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gates\ndata:\n' +
      '  has: "{{ .Capabilities.APIVersions.Has "v1/Pod" }} {{ .Capabilities.APIVersions.Has ' +
      '"apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ ' +
      '.Capabilities.APIVersions.Has "policy/v1beta1/PodSecurityPolicy" }} {{ .Capabilities.APIVersions.Has ' +
      '"v1/PodList" }} {{ .Capabilities.APIVersions.Has "apps/v1/WatchEvent" }}"\n',
  };
  const gates = memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'gates', version: '1.0.0', files },
  ]);
  const fs = repo({ 'release.yaml': hr('').replace('chart: demo', 'chart: gates').replace('"1.2.3"', '"1.0.0"') });
  const b = buildCluster(fs, { path: 'clusters/c1', helm: { store: gates, kubeVersion: '1.33.2' } });
  assert.deepEqual(allErrors(b), []);
  const objs = b.helmReleases[0]!.resources.map((r) => r.object) as any[];
  assert.equal(objs.find((o) => o.kind === 'PodDisruptionBudget').apiVersion, 'policy/v1');
  // Pods, Deployments and group/versions yes; PodSecurityPolicy (gone since 1.25), lists and WatchEvent no.
  assert.equal(objs.find((o) => o.kind === 'ConfigMap').data.has, 'true true true false false false');
});

test('.Capabilities.APIVersions has the subresource kinds discovery lists, at the group/version that lists them (helm GetVersionSet)', () => {
  // Discovery lists pods/eviction (kind Eviction, body policy/v1) under v1, deployments/scale
  // (kind Scale, body autoscaling/v1) under apps/v1; policy/v1 and autoscaling/v1 do not list them.
  const probes = [
    'v1/Eviction',
    'apps/v1/Scale',
    'v1/Scale',
    'v1/TokenRequest',
    'v1/PodExecOptions',
    'v1/PodAttachOptions',
    'v1/PodPortForwardOptions',
    'v1/PodProxyOptions',
    'v1/NodeProxyOptions',
    'v1/ServiceProxyOptions',
    'v1/Binding',
    'policy/v1/Eviction',
    'autoscaling/v1/Scale',
    'authentication.k8s.io/v1/TokenRequest',
    'batch/v1/Scale',
  ];
  const files = {
    'Chart.yaml': 'apiVersion: v2\nname: gates\nversion: 1.0.0\n',
    'templates/cm.yaml':
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gates\ndata:\n` +
      `${probes.map((p, i) => `  p${i}: "{{ .Capabilities.APIVersions.Has "${p}" }}"\n`).join('')}`,
  };
  const gates = memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'gates', version: '1.0.0', files },
  ]);
  const fs = repo({ 'release.yaml': hr('').replace('chart: demo', 'chart: gates').replace('"1.2.3"', '"1.0.0"') });
  for (const kubeVersion of ['1.29.4', '1.33.2', '1.37.0']) {
    const b = buildCluster(fs, { path: 'clusters/c1', helm: { store: gates, kubeVersion } });
    assert.deepEqual(allErrors(b), []);
    const data = (b.helmReleases[0]!.resources.map((r) => r.object) as any[]).find((o) => o.kind === 'ConfigMap').data;
    const has = Object.fromEntries(probes.map((p, i) => [p, data[`p${i}`]]));
    assert.deepEqual(has, Object.fromEntries(probes.map((p, i) => [p, i < 11 ? 'true' : 'false'])), kubeVersion);
  }
});
