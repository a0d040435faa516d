/**
 * Differential: a HelmRelease built by `buildCluster` installs what the real `helm template` prints
 * for the same chart, values, release name, namespace, Kubernetes version and API versions, plus
 * what helm-controller and Helm's apply add: the origin labels `helm.toolkit.fluxcd.io/name` and
 * `/namespace` on every object (hooks included: Helm 4's `combined` post-render strategy), and the
 * release namespace on namespaced objects without one. Test hooks run only with `helm test`.
 *
 * The values are the real `spec.values` of corpus HelmReleases (../shared/charts/values, corpus-*
 * cases). The oracle is helm 4.2 (Flux 2.9's library) when built, else helm 4.1 on cases where the
 * two agree (test/helm/conformance.test.ts KNOWN_DIFFERENT_41). The expected side is helm's
 * output with those two additions written here, independently of src/flux/helmrelease.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { oracle } from '../oracles/index.js';
import { runHelm } from '../helm/testing.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allErrors } from '../../src/flux/index.js';
import { loadDirFiles } from '../../src/helm/chart/directory.js';
import { parseGoYaml } from '../../src/yaml/go-yaml.js';
import { CLUSTER_SCOPED } from '../../src/kustomize/fieldspecs/cluster-scoped.js';
import type { ChartStore } from '../../src/helm/sources/types.js';
import type { KObject } from '../../src/resources/resource.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts');
const helm42 = oracle('helm-4.2');
const helm41 = oracle('helm-4.1');
const bin = helm42.built ? helm42 : helm41;

/** chart, case, release, namespace: corpus HelmRelease values where helm 4.1 and 4.2 agree. */
const CASES = [
  ['cert-manager', 'corpus-fluxcd-cert-manager', 'cert-manager', 'cert-manager'],
  ['ingress-nginx', 'corpus-fluxcd-ingress-nginx', 'ingress-nginx', 'ingress-nginx'],
  ['external-dns', 'corpus-onedr0p-unifi-dns', 'external-dns', 'network'],
] as const;

/**
 * The cluster has these CRDs, so `.Capabilities.APIVersions` has their group/versions (as the cases' --api-versions).
 */
const CRDS = [
  ['monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors'],
  ['cert-manager.io', 'Certificate', 'certificates'],
  ['gateway.networking.k8s.io', 'HTTPRoute', 'httproutes'],
].map(([group, kind, plural]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind, plural },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
}));

function store(chart: string): ChartStore {
  const files = loadDirFiles(join(SHARED, 'charts', chart));
  return {
    lookup: (req) =>
      req.chart === chart
        ? { ok: true, chart: { files, version: 'x', digest: `sha256:${chart}`, from: 'mapped', location: chart } }
        : { ok: false, reason: 'not this chart' },
  };
}

const parse = (text: string, file: string): KObject[] =>
  parseGoYaml(text, file, { dialect: 'v3' })
    .map((d) => d.value as KObject)
    .filter((v) => v !== null && typeof v === 'object');

/** What helm-controller and Helm's apply add to helm template's objects. */
function asInstalled(o: KObject, hr: { name: string; namespace: string }, clusterScoped: Set<string>): KObject {
  const md: Record<string, unknown> = { ...(o.metadata ?? {}) };
  md.labels = {
    ...((md.labels as Record<string, string>) ?? {}),
    'helm.toolkit.fluxcd.io/name': hr.name,
    'helm.toolkit.fluxcd.io/namespace': hr.namespace,
  };
  const group = (o.apiVersion ?? '').includes('/') ? o.apiVersion!.split('/')[0] : '';
  const scoped = CLUSTER_SCOPED.has(`${o.apiVersion} ${o.kind}`) || clusterScoped.has(`${group}/${o.kind}`);
  if (!md.namespace && !scoped) md.namespace = hr.namespace;
  return { ...o, metadata: md as KObject['metadata'] };
}

for (const [chart, name, release, namespace] of CASES) {
  test(`HelmRelease ${namespace}/${release} with ${chart}/${name} values installs what ${bin.name} template prints`, {
    skip: bin.skip,
    timeout: 300_000,
  }, () => {
    const valuesFile = join(SHARED, 'values', chart, `${name}.yaml`);
    const values = parseGoYaml(readFileSync(valuesFile, 'utf8'), valuesFile, { dialect: 'v2' })[0]?.value ?? {};
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: release, namespace },
      spec: {
        chart: { spec: { chart, sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
        values,
      },
    };
    const repo = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'charts', namespace: 'flux-system' },
      spec: { url: 'https://charts.example.com' },
    };
    const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
    const fs = new MemoryRepoFs({
      'c/hr.yaml': json(hr),
      'c/repo.yaml': json(repo),
      'c/crds.yaml': CRDS.map(json).join('\n---\n'),
    });
    const b = buildCluster(fs, { path: 'c', helm: { store: store(chart), kubeVersion: '1.30' } });
    assert.deepEqual(allErrors(b), []);
    const h = b.helmReleases[0]!;
    assert.equal(h.status, 'rendered', JSON.stringify(h.warnings));

    const apiVersions = [
      'cert-manager.io/v1',
      'cert-manager.io/v1/Certificate',
      'gateway.networking.k8s.io/v1',
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'monitoring.coreos.com/v1',
      'monitoring.coreos.com/v1/ServiceMonitor',
    ];
    const args = [
      'template',
      release,
      join(SHARED, 'charts', chart),
      '-n',
      namespace,
      '--kube-version',
      '1.30',
      '--include-crds',
      '--skip-tests',
      ...apiVersions.flatMap((a) => ['--api-versions', a]),
      '-f',
      valuesFile,
    ];
    const r = runHelm(bin.path, args, SHARED);
    assert.equal(r.status, 0, r.stderr);
    const theirs = parse(r.stdout, 'helm-output.yaml');
    const clusterScoped = new Set(
      theirs
        .filter((o) => o.kind === 'CustomResourceDefinition' && (o.spec as any)?.scope === 'Cluster')
        .map((o) => `${(o.spec as any).group}/${(o.spec as any).names.kind}`),
    );
    const expected = theirs.map((o) => asInstalled(o, { name: release, namespace }, clusterScoped));
    const ours = h.resources.map((x) => x.object);
    assert.ok(expected.length > 5, `${expected.length} objects`);
    assert.deepEqual(
      ours.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
      expected.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
      'same objects in the same order',
    );
    assert.deepEqual(ours, expected);
    // Every object is located at the HelmRelease and names its template.
    for (const x of h.resources) {
      assert.equal(x.origin?.file, 'c/hr.yaml');
      assert.match(x.origin?.helm?.template ?? '', new RegExp(`^${chart}/`));
    }
  });
}
