import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateAll } from '../../generators/index.js';
import { exampleFile } from '../../package-root.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import type { Resource } from '../../resources/resource.js';
import { createSession } from '../../session/session.js';
import { loadFleet } from '../../spec/load.js';
import { checkRepository } from '../index.js';
import { rules } from '../registry.js';
import { checkCluster } from '../run.js';
import { contextFromYaml, resourcesFromYaml } from '../testing.js';
import type { CheckContext } from '../types.js';

const rule = rules.find((r) => r.id === 'object-schema')!;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: app
spec:
  replcas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1
`;

function run(yaml: string, extra: Partial<CheckContext> = {}, resources?: Resource[]) {
  const ctx = contextFromYaml(yaml, { files: { 'fixture.yaml': yaml } });
  return checkCluster({ ...ctx, ...(resources ? { resources } : {}), ...extra }, { rules: [rule] });
}

test('object-schema: a typo in a field name is an error at its line, with a did-you-mean', () => {
  const f = run(DEPLOYMENT, { kubernetesVersion: '1.33.2' });
  assert.deepEqual(
    f.map((x) => [x.severity, x.file, x.line, x.resource, x.message]),
    [
      [
        'error',
        'fixture.yaml',
        7,
        'Deployment/app/api',
        "/spec: unknown field 'replcas'; did you mean 'replicas'? (schema: Kubernetes 1.33 OpenAPI (data/k8s-schemas))",
      ],
    ],
  );
  // The right spelling passes.
  assert.deepEqual(run(DEPLOYMENT.replace('replcas', 'replicas'), { kubernetesVersion: '1.33.2' }), []);
  // A wrong type points at the value's line.
  const t = run(DEPLOYMENT.replace('replcas: 2', 'replicas: two'));
  assert.deepEqual(
    t.map((x) => [x.line, x.message.replace(/ \(schema: .*/, '')]),
    [[7, '/spec/replicas: must be integer']],
  );
});

test("object-schema: an API the cluster's version no longer serves is an error", () => {
  const pdb =
    'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: { name: p, namespace: app }\nspec: { ' +
    'minAvailable: 1 }\n';
  assert.deepEqual(
    run(pdb, { kubernetesVersion: '1.33.2' }).map((x) => [x.line, x.message]),
    [[1, 'policy/v1beta1 PodDisruptionBudget is no longer served since Kubernetes 1.25 (the cluster runs 1.33.2)']],
  );
  // No version known: judged as on the newest AKS minor.
  assert.match(run(pdb)[0]!.message, /no longer served since Kubernetes 1\.25 \(the cluster runs 1\.\d+\)/);
  assert.deepEqual(run(pdb, { kubernetesVersion: '1.24.9' }), []);
});

test('object-schema: each cluster is judged by its own Kubernetes minor; outside the data, the nearest says so', () => {
  const podLevel = DEPLOYMENT.replace('replcas: 2', 'replicas: 2').replace(
    '    spec:\n      containers:',
    '    spec:\n      resources: { limits: { cpu: "1" } }\n      containers:',
  );
  assert.deepEqual(
    run(podLevel, { kubernetesVersion: '1.31.9' }).map((x) => [x.line, x.message.replace(/; did.*| \(schema.*/, '')]),
    [[12, "/spec/template/spec: unknown field 'resources'"]],
  );
  assert.deepEqual(run(podLevel, { kubernetesVersion: '1.32.2' }), []);
  const old = run(DEPLOYMENT, { kubernetesVersion: '1.27.3' });
  assert.match(
    old[0]!.message,
    /no schemas of Kubernetes 1\.27 here \(data\/k8s-schemas holds 1\.29-1\.\d+\); those of 1\.29 stand in/,
  );
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
                labels: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: app }
spec:
  sise: 3
  labels: { anything: goes }
`;

test("object-schema: custom resources are validated against the CRDs of the cluster's own build", () => {
  const yaml = `${CRD}---\n${WIDGET}`;
  const f = run(yaml);
  assert.deepEqual(
    f.map((x) => [x.line, x.message]),
    [
      [
        26,
        "/spec: unknown field 'sise'; did you mean 'size'? (schema: CustomResourceDefinition " +
          'widgets.example.com (fixture.yaml:1))',
      ],
    ],
  );
  assert.deepEqual(run(yaml.replace('sise: 3', 'size: 3')), []);
  assert.match(run(yaml.replace('sise: 3', 'size: three'))[0]!.message, /^\/spec\/size: must be integer/);
  // Without the CRD: no schema, not checked (no finding from this rule).
  assert.deepEqual(run(WIDGET), []);
});

test('object-schema: a chart CRD of a rendered HelmRelease judges its kind before the bundled schema', () => {
  // The build carries its own Velero Schedule CRD (as a chart's crds/ folder would): a field the bundled
  // data/crds schema does not have is accepted, and the finding names the chart.
  const chartCrd = CRD.replace('widgets.example.com', 'schedules.velero.io')
    .replace('group: example.com', 'group: velero.io')
    .replace('kind: Widget, plural: widgets', 'kind: Schedule, plural: schedules');
  const schedule =
    'apiVersion: velero.io/v1\nkind: Schedule\nmetadata: { name: s, namespace: velero }\nspec:\n  size: 1\n  sise: 2\n';
  const resources: Resource[] = [
    ...resourcesFromYaml(chartCrd, 'clusters/test/velero.yaml').map((r) => ({
      ...r,
      origin: {
        ...r.origin!,
        helm: { release: 'HelmRelease/velero/velero', chart: 'velero@10.0.0', template: 'velero/crds/schedules.yaml' },
      },
    })),
    ...resourcesFromYaml(schedule, 'apps/schedule.yaml'),
  ];
  const f = run('', {}, resources);
  assert.deepEqual(
    f.map((x) => x.message),
    [
      "/spec: unknown field 'sise'; did you mean 'size'? (schema: CustomResourceDefinition " +
        'schedules.velero.io (clusters/test/velero.yaml:1, chart velero@10.0.0))',
    ],
  );
});

test('checkRepository: a cluster is judged by --kube-version, else by its fleet spec kubernetesVersion', () => {
  const fleet = loadFleet(exampleFile('fleet.yaml'));
  const files: Record<string, string> = { 'fleet.yaml': readFileSync(exampleFile('fleet.yaml'), 'utf8') };
  for (const f of generateAll(fleet)) files[f.path] = f.content;
  const cluster = fleet.spec.clusters[0]!;
  const fromSpec = checkRepository(new MemoryRepoFs(files), { cluster: cluster.name, today: '2026-11-25' });
  assert.equal(fromSpec.contexts[0]!.kubernetesVersion, cluster.kubernetesVersion);
  const flag = checkRepository(new MemoryRepoFs(files), {
    cluster: cluster.name,
    today: '2026-11-25',
    session: createSession({ helm: { kubeVersion: '1.32.2' } }),
  });
  assert.equal(flag.contexts[0]!.kubernetesVersion, '1.32.2');
});
