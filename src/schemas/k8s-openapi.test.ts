import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aksVersions } from '../facts/aks-versions.js';
import type { KObject } from '../resources/resource.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { chooseMinor, defaultMinor, hasKind, minorSchemas, schemaMinors } from './k8s-openapi.js';
import { schemaSource, validateObject } from './validate.js';

const deployment = (spec: Record<string, unknown>): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'app' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'x:1' }] } },
    ...spec,
  },
});

test('k8s-schemas: every AKS minor from 1.31 on has its own schemas, from the registry package', () => {
  const minors = schemaMinors();
  for (const m of ['1.31', '1.32', '1.33', '1.34', '1.35']) assert.ok(minors.includes(m), m);
  for (const m of minors) {
    const d = minorSchemas(m);
    assert.equal(d.kubernetesMinor, m);
    assert.match(
      d.source,
      /^kubernetes-validate 1\.37\.0 \(PyPI, sha256 [0-9a-f]{64}\) v\d+\.\d+\.0-local-strict\/_definitions\.json/,
    );
    assert.equal(d.kinds['apps/v1 Deployment'], 'io.k8s.api.apps.v1.Deployment');
  }
  // The default is the newest AKS minor that the data holds.
  const aks = aksVersions()
    .versions.map((v) => v.minor)
    .filter((m) => minors.includes(m));
  assert.equal(defaultMinor(), aks.at(-1));
});

test("chooseMinor: the cluster's own minor, else the nearest with a note", () => {
  assert.deepEqual(chooseMinor('1.33.5'), { minor: '1.33', exact: true });
  assert.deepEqual(chooseMinor('v1.32'), { minor: '1.32', exact: true });
  assert.deepEqual(chooseMinor(undefined), { minor: defaultMinor(), exact: true });
  const old = chooseMinor('1.20.1');
  assert.equal(old.minor, schemaMinors()[0]);
  assert.equal(old.exact, false);
  assert.match(old.note!, /no schemas of Kubernetes 1\.20 here/);
  assert.equal(chooseMinor('1.99').minor, schemaMinors().at(-1));
});

test('unknown fields of built-in kinds are errors, with the field path and a did-you-mean', () => {
  const p = validateObject(deployment({ replcas: 2 }), '1.33.2');
  assert.deepEqual(
    p.map((x) => [x.path, x.message, x.code, x.severity]),
    [['/spec', "unknown field 'replcas'; did you mean 'replicas'?", 'unknown-field', 'error']],
  );
  // No close name: no suggestion.
  assert.deepEqual(
    validateObject(deployment({ flavour: 'x' }), '1.33').map((x) => x.message),
    ["unknown field 'flavour'"],
  );
  // Deep in a pod template.
  const deep = deployment({});
  (deep.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
    .containers[0]!.imagePullPolicyy = 'Always';
  assert.deepEqual(
    validateObject(deep, '1.35').map((x) => [x.path, x.message]),
    [['/spec/template/spec/containers/0', "unknown field 'imagePullPolicyy'; did you mean 'imagePullPolicy'?"]],
  );
});

test('wrong types and int-or-string are reported once, with what is accepted', () => {
  assert.deepEqual(
    validateObject(deployment({ replicas: 'three' }), '1.34').map((x) => [x.path, x.message]),
    [['/spec/replicas', 'must be integer']],
  );
  const svc: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80, targetPort: true }] },
  };
  assert.deepEqual(
    validateObject(svc, '1.34').map((x) => [x.path, x.message]),
    [['/spec/ports/0/targetPort', 'must be string or integer']],
  );
  assert.deepEqual(validateObject({ ...svc, spec: { ports: [{ port: 80, targetPort: 'http' }] } }, '1.34'), []);
});

test('each cluster is judged by the schemas of its own minor', () => {
  // Pod-level resources (spec.resources of a PodSpec) arrived in 1.32's OpenAPI (PodLevelResources, alpha):
  // a field of 1.32 that 1.31 does not know.
  const withPodResources = deployment({});
  (withPodResources.spec as { template: { spec: Record<string, unknown> } }).template.spec.resources = {
    limits: { cpu: '1' },
  };
  assert.deepEqual(
    validateObject(withPodResources, '1.31.9').map((x) => [x.path, x.code]),
    [['/spec/template/spec', 'unknown-field']],
  );
  assert.deepEqual(validateObject(withPodResources, '1.32.2'), []);
  // A kind that only later minors serve: resource.k8s.io/v1 (DRA GA in 1.34).
  assert.equal(hasKind('1.33', 'resource.k8s.io/v1', 'ResourceClaim'), false);
  assert.equal(hasKind('1.34', 'resource.k8s.io/v1', 'ResourceClaim'), true);
  assert.equal(schemaSource('resource.k8s.io/v1', 'ResourceClaim', '1.33.2'), undefined);
  assert.equal(schemaSource('resource.k8s.io/v1', 'ResourceClaim', '1.34.1')?.kubernetesMinor, '1.34');
});

test(
  "k8s-schemas: every minor's definitions are valid JSON Schema " +
    '2020-12 (k8s-openapi.ts skips that check when it loads them)',
  () => {
    for (const m of schemaMinors()) {
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      assert.equal(
        ajv.validateSchema({ $id: `k8s-${m}`, $defs: minorSchemas(m).defs }),
        true,
        `${m}: ${ajv.errorsText()}`,
      );
    }
  },
);
