import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import { loadFleet, validateFleet } from '../../spec/load.js';
import { exampleFile } from '../../package-root.js';
import { shQuote } from './bootstrap.js';
import { clusterLabelVar, clusterVars } from './clusters.js';
import { generateFluxRepo } from './index.js';
import { envPlacements } from './placement.js';
import { envOverlay, toleration } from './workloads.js';
import { splitImage as parseImage } from '../../resources/image-ref.js';

const example = loadFleet(exampleFile('fleet.yaml'));
const raw = () => loadRaw() as Record<string, any>;
function loadRaw(): unknown {
  return parse(readFileSync(exampleFile('fleet.yaml'), 'utf8'));
}

test('parseImage splits name, tag and digest (registry ports are not tags)', () => {
  const cases: [string, ReturnType<typeof parseImage>][] = [
    ['acr.azurecr.io/api:1.2.3', { name: 'acr.azurecr.io/api', tag: '1.2.3' }],
    ['acr.azurecr.io/api', { name: 'acr.azurecr.io/api' }],
    ['localhost:5000/team/api', { name: 'localhost:5000/team/api' }],
    ['localhost:5000/api:v2', { name: 'localhost:5000/api', tag: 'v2' }],
    ['acr.azurecr.io/api:1.2.3@sha256:abc', { name: 'acr.azurecr.io/api', tag: '1.2.3', digest: 'sha256:abc' }],
    ['acr.azurecr.io/api@sha256:abc', { name: 'acr.azurecr.io/api', digest: 'sha256:abc' }],
  ];
  for (const [ref, want] of cases) assert.deepEqual(parseImage(ref), want, ref);
});

test('toleration: key=value:Effect and key:Effect', () => {
  assert.deepEqual(toleration('workload=true:NoSchedule'), {
    key: 'workload',
    operator: 'Equal',
    value: 'true',
    effect: 'NoSchedule',
  });
  assert.deepEqual(toleration('dedicated:NoExecute'), { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' });
});

test('shQuote makes any string one shell word', () => {
  assert.equal(shQuote('rg-aks'), "'rg-aks'");
  assert.equal(shQuote("it's"), "'it'\\''s'");
});

test('cluster labels become CLUSTER_LABEL_<KEY>; two keys that collide are an input error', () => {
  assert.equal(clusterLabelVar('topology.kubernetes.io/zone'), 'CLUSTER_LABEL_TOPOLOGY_KUBERNETES_IO_ZONE');
  assert.deepEqual(clusterVars(example, example.spec.clusters[2]!), {
    CLUSTER_NAME: 'aks-prod',
    ENVIRONMENT: 'prod',
    REGION: 'uksouth',
    CLUSTER_LABEL_TIER: 'frontend',
  });
  const r = raw();
  r.spec.clusters[0].labels = { 'a.b': 'x', a_b: 'y' };
  assert.throws(
    () => generateFluxRepo(validateFleet(r, 'f.yaml')),
    (e: unknown) => e instanceof InputError && e.fieldPath === 'spec.clusters[0].labels.a_b',
  );
});

test('placement: environments are exact when every cluster runs the same tenants', () => {
  const p = envPlacements(example).map((e) => [e.env.name, e.tenants.map((t) => t.name), e.exact]);
  assert.deepEqual(p, [
    ['dev', ['app'], true],
    ['qa', ['app', 'shop'], true],
    ['prod', ['app', 'shop'], true],
  ]);
  const r = raw();
  // fleet VNets must not overlap
  const vnet = { addressSpace: '10.31.0.0/16', nodeSubnet: '10.31.0.0/20', privateEndpointSubnet: '10.31.16.0/24' };
  r.spec.clusters.push({
    ...r.spec.clusters[2],
    name: 'aks-prod-b',
    labels: { tier: 'internal' },
    network: { ...r.spec.clusters[2].network, vnet },
  });
  const split = envPlacements(validateFleet(r, 'f.yaml')).find((e) => e.env.name === 'prod')!;
  assert.equal(split.exact, false);
  assert.deepEqual(
    split.clusters.map((c) => c.name),
    ['aks-prod', 'aks-prod-b'],
  );
});

test('an environment named like a generated folder is refused', () => {
  const r = raw();
  r.spec.environments[0].name = 'base';
  r.spec.clusters[0].environment = 'base';
  r.spec.tenants[0].placement.environments = ['base', 'qa', 'prod'];
  r.spec.tenants[0].apps[0].overrides = { base: { replicas: 1 } };
  assert.throws(
    () => generateFluxRepo(validateFleet(r, 'f.yaml')),
    (e: unknown) => e instanceof InputError && e.fieldPath === 'spec.environments[0].name',
  );
});

test('envOverlay: replicas by JSON patch, a unique image name by images, a shared one by patch', () => {
  const r = raw();
  r.spec.tenants[0].apps[0].overrides = { dev: { replicas: 1, image: 'acrprod123.azurecr.io/api@sha256:0123' } };
  const f = validateFleet(r, 'f.yaml');
  const dev = envOverlay(f, 'dev', [f.spec.tenants[0]!]);
  assert.deepEqual(dev.images, [{ name: 'acrprod123.azurecr.io/api', digest: 'sha256:0123' }]);
  assert.equal((dev.patches as any[]).length, 1);
  assert.match((dev.patches as any[])[0].patch, /path: \/spec\/replicas\n {2}value: 1/);
  // Nothing overridden in prod: no fields at all.
  assert.deepEqual(envOverlay(f, 'prod', f.spec.tenants), {});
});

test('add-ons can be switched off: their folders disappear, platform folders stay valid', () => {
  const r = raw();
  for (const k of ['certManager', 'ingress', 'kubePrometheusStack', 'policy', 'secretsStoreCsi', 'velero'])
    r.spec.addons[k] = { ...r.spec.addons[k], enabled: false };
  delete r.spec.tenants[1].apps[0].blueGreen;
  const files = generateFluxRepo(validateFleet(r, 'f.yaml'));
  assert.ok(
    !files.some(
      (f) => f.path.startsWith('platform/controllers/') && f.path !== 'platform/controllers/kustomization.yaml',
    ),
  );
  assert.ok(!files.some((f) => f.path.endsWith('backup-schedule.yaml')));
  const configs = parse(files.find((f) => f.path === 'platform/configs/kustomization.yaml')!.content);
  assert.deepEqual(configs.resources, []);
  const np = files.find((f) => f.path === 'tenants/base/app/network-policies.yaml')!.content;
  assert.doesNotMatch(np, /allow-from-ingress|allow-from-monitoring/);
});

test('strings YAML 1.1 would misread (Flux reads with sigs.k8s.io/yaml) are quoted', () => {
  const r = raw();
  r.spec.tenants[0].owner = 'yes';
  r.spec.tenants[0].costCenter = '0777';
  r.spec.clusters[0].labels = { ring: 'on' };
  const files = generateFluxRepo(validateFleet(r, 'f.yaml'));
  const ns = files.find((f) => f.path === 'tenants/base/app/namespaces.yaml')!.content;
  assert.match(ns, /owner: "yes"/);
  assert.match(ns, /costCenter: "0777"/);
  assert.match(
    files.find((f) => f.path === 'clusters/aks-dev/aksfleet/tenants.yaml')!.content,
    /CLUSTER_LABEL_RING: "on"/,
  );
});

test('a tenant may not claim a system or platform namespace (pruning it would be fatal)', () => {
  for (const ns of ['kube-system', 'flux-system', 'velero', 'monitoring']) {
    const r = raw();
    r.spec.tenants[1].namespaces = ['shop', ns];
    assert.throws(
      () => generateFluxRepo(validateFleet(r, 'f.yaml')),
      (e: unknown) => e instanceof InputError && e.fieldPath === 'spec.tenants[1].namespaces[1]',
      ns,
    );
  }
});

test(
  'the generated Kyverno policies load in Kyverno with imagePolicy.enforce true ' +
    'and false (mutateDigest only when enforcing: Kyverno 1.19 refuses it under Audit)',
  async () => {
    const { compilePolicies } = await import('../../admission/kyverno/engine/policy.js');
    const { policyConfigFiles } = await import('./policies.js');
    const { parseAllDocuments } = await import('yaml');
    for (const enforce of [true, false]) {
      const r = raw();
      r.spec.imagePolicy.enforce = enforce;
      r.spec.addons = {
        ...(r.spec.addons ?? {}),
        policy: { ...(r.spec.addons?.policy ?? {}), enabled: true, engine: 'kyverno' },
      };
      const file = policyConfigFiles(validateFleet(r, 'f.yaml')).find((f) => f.path.endsWith('kyverno-policies.yaml'))!;
      const docs = parseAllDocuments(file.content).map((d, i) => ({
        object: d.toJSON() as Record<string, unknown>,
        file: file.path,
        line: i + 1,
      }));
      const { policies, errors } = compilePolicies(docs);
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
        `enforce: ${enforce}`,
      );
      assert.equal(policies.length, 3);
    }
  },
);
