import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { generateAll } from '../generators/index.js';
import { exampleFile } from '../package-root.js';
import { loadFleet } from '../spec/load.js';
import { schemaSource, validateObject } from './validate.js';
import type { KObject } from '../resources/resource.js';

const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'app' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'x:1' }] } },
  },
};

const cases: { name: string; obj: KObject; want: RegExp | null }[] = [
  { name: 'valid Deployment', obj: deployment, want: null },
  {
    name: 'Deployment replicas of the wrong type',
    obj: { ...deployment, spec: { ...(deployment.spec as object), replicas: 'three' } },
    want: /\/spec\/replicas: must be integer/,
  },
  {
    name: 'Deployment without template',
    obj: { ...deployment, spec: { selector: {} } },
    want: /\/spec: missing required field 'template'/,
  },
  {
    name: 'Flux Kustomization v1 without sourceRef',
    obj: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'x' },
      spec: { interval: '1m', prune: true },
    },
    want: /\/spec: missing required field 'sourceRef'/,
  },
  {
    name: 'HelmRelease v2 with a typo in a field name',
    obj: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'x' },
      spec: { interval: '1m', chartRef: { kind: 'OCIRepository', name: 'c' }, valueFrom: [] },
    },
    want: /^\/spec: unknown field 'valueFrom'; did you mean 'valuesFrom'\?$/,
  },
  {
    name: 'valid HelmRepository v1',
    obj: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'x' },
      spec: { interval: '1h', url: 'https://charts.example.com' },
    },
    want: null,
  },
  {
    name: 'HTTPRoute weight of the wrong type',
    obj: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { rules: [{ backendRefs: [{ name: 's', port: 80, weight: 'ninety' }] }] },
    },
    want: /\/spec\/rules\/0\/backendRefs\/0\/weight: must be integer/,
  },
  {
    name: 'Velero Schedule with an unknown field (CRD schema, strict)',
    obj: {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 's' },
      spec: { schedule: '0 2 * * *', template: { includedNamespace: ['a'] } },
    },
    want: /\/spec\/template: unknown field 'includedNamespace'/,
  },
  {
    name: 'Velero Schedule without schedule',
    obj: { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 's' }, spec: { template: {} } },
    want: /missing required field 'schedule'/,
  },
  {
    name: 'valid BackupStorageLocation with nullable field',
    obj: {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'b' },
      spec: { provider: 'azure', objectStorage: { bucket: 'v' }, backupSyncPeriod: null },
    },
    want: null,
  },
  {
    name: 'SecretProviderClass parameters must be strings',
    obj: {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'k' },
      spec: { provider: 'azure', parameters: { useWorkloadIdentity: true } },
    },
    want: /\/spec\/parameters\/useWorkloadIdentity: must be string/,
  },
  {
    name: 'ConstraintTemplate target with an unknown field',
    obj: {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 't' },
      spec: { targets: [{ target: 'admission.k8s.gatekeeper.sh', regoo: 'x' }] },
    },
    want: /\/spec\/targets\/0: unknown field 'regoo'/,
  },
  {
    name: 'ClusterIssuer acme without server',
    obj: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'le' },
      spec: { acme: { privateKeySecretRef: { name: 'k' } } },
    },
    want: /missing required field 'server'/,
  },
];

for (const c of cases) {
  test(`validateObject: ${c.name}`, () => {
    const problems = validateObject(c.obj);
    const text = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    if (c.want === null) assert.deepEqual(problems, []);
    else {
      assert.match(text, c.want);
      assert.ok(problems.every((p) => p.severity === 'error'));
    }
  });
}

test('validateObject: a kind without schema is one no-schema warning, not silence', () => {
  const p = validateObject({
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: 'K8sRequiredLabels',
    metadata: { name: 'x' },
  });
  assert.deepEqual(
    p.map((x) => [x.severity, x.code]),
    [['warning', 'no-schema']],
  );
  assert.equal(schemaSource('constraints.gatekeeper.sh/v1beta1', 'K8sRequiredLabels'), undefined);
  // Only ClusterPolicy's CRD is kept (data/crds/README.md); the namespaced Policy is not checked.
  assert.equal(schemaSource('kyverno.io/v1', 'Policy'), undefined);
});

/** The Kyverno ClusterPolicies that `aksfleet generate` writes for the example fleet. */
function exampleClusterPolicies(): { file: string; obj: KObject }[] {
  const out: { file: string; obj: KObject }[] = [];
  for (const f of generateAll(loadFleet(exampleFile('fleet.yaml')))) {
    if (!f.path.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(f.content)) {
      const obj = d.toJS() as KObject | null;
      if (obj?.apiVersion === 'kyverno.io/v1' && obj.kind === 'ClusterPolicy') out.push({ file: f.path, obj });
    }
  }
  return out;
}

test('Kyverno ClusterPolicy: checked against the published Kyverno 1.13.2 CRD (v1), exactly', () => {
  assert.deepEqual(schemaSource('kyverno.io/v1', 'ClusterPolicy'), {
    from: 'data/crds/kyverno.io_clusterpolicies.v1.schema.json.gz (v1)',
    exact: true,
  });
});

test("Kyverno ClusterPolicy: the example fleet's generated policies validate", () => {
  const policies = exampleClusterPolicies();
  assert.deepEqual(policies.map((p) => p.obj.metadata?.name).sort(), [
    'require-namespace-labels',
    'restrict-image-registries',
    'verify-signed-images',
  ]);
  for (const { file, obj } of policies) assert.deepEqual(validateObject(obj), [], `${file} ${obj.metadata?.name}`);
});

test('Kyverno ClusterPolicy: broken generated policies are refused with the field path', () => {
  const verify = exampleClusterPolicies().find((p) => p.obj.metadata?.name === 'verify-signed-images')!.obj;
  const spec = verify.spec as { rules: { verifyImages: Record<string, unknown>[] }[] } & Record<string, unknown>;
  assert.ok(
    Array.isArray(spec.rules[0]!.verifyImages[0]!.imageReferences),
    'the generated rule lists image references',
  );

  const notAList = structuredClone(verify);
  (notAList.spec as typeof spec).rules[0]!.verifyImages[0]!.imageReferences = 'not-a-list';
  assert.deepEqual(
    validateObject(notAList).map((p) => [p.path, p.message, p.code, p.severity]),
    [['/spec/rules/0/verifyImages/0/imageReferences', 'must be array', 'schema', 'error']],
  );

  const unknownField = structuredClone(verify);
  (unknownField.spec as Record<string, unknown>).validationFailureActions = 'Enforce';
  assert.deepEqual(
    validateObject(unknownField).map((p) => [p.path, p.message, p.code]),
    [['/spec', "unknown field 'validationFailureActions'; did you mean 'validationFailureAction'?", 'unknown-field']],
  );

  const badEnum = structuredClone(verify);
  (badEnum.spec as Record<string, unknown>).validationFailureAction = 'Deny';
  assert.match(
    validateObject(badEnum)
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n'),
    /^\/spec\/validationFailureAction: must be equal to one of the allowed values: "audit", "enforce", "Audit", "Enforce"$/,
  );

  const noName = structuredClone(verify);
  delete (noName.spec as { rules: Record<string, unknown>[] }).rules[0]!.name;
  assert.match(
    validateObject(noName)
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n'),
    /^\/spec\/rules\/0: missing required field 'name'$/,
  );

  assert.match(
    validateObject({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'x' } })[0]!.message,
    /missing required field 'spec'/,
  );
});

test('validateObject: not an object, or no apiVersion/kind', () => {
  assert.equal(validateObject([] as unknown as KObject)[0]!.code, 'not-an-object');
  assert.equal(validateObject({ kind: 'Pod' })[0]!.code, 'not-an-object');
});

test('schemaSource says where the schema comes from', () => {
  assert.deepEqual(schemaSource('apps/v1', 'Deployment', '1.33.5'), {
    from: 'Kubernetes 1.33 OpenAPI (data/k8s-schemas)',
    exact: true,
    kubernetesMinor: '1.33',
  });
  assert.deepEqual(schemaSource('helm.toolkit.fluxcd.io/v2', 'HelmRelease'), {
    from:
      'data/ecosystem-crds/flux.json.gz: github.com/fluxcd/helm-controller@v1.6.4 ' +
      'config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml (v2)',
    exact: true,
  });
  assert.equal(schemaSource('velero.io/v1', 'Schedule')!.exact, true);
});

test('validateObject with a cluster version: APIs it no longer serves are errors', () => {
  const pdb: KObject = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: {} };
  assert.deepEqual(
    validateObject(pdb, '1.33.5').map((p) => p.code),
    ['removed-api'],
  );
  assert.match(
    validateObject(pdb, '1.33.5')[0]!.message,
    /no longer served since Kubernetes 1\.25 \(the cluster runs 1\.33\.5\)/,
  );
  assert.notEqual(validateObject(pdb, '1.24')[0]?.code, 'removed-api');
  assert.deepEqual(validateObject(deployment, '1.33'), []);
});
