/**
 * The CRD validation rules that src/schemas/crd-cel.ts evaluates, judged by cel-go (the `cel`
 * oracle: cel-go with the Kubernetes base environment of k8s.io/apiserver v0.35.2, variables dyn):
 * every rule of the bundled ecosystem CRDs met while walking a set of HelmRelease, HTTPRoute,
 * Gateway and Kustomization objects (each `self` as the walk gives it, defaults applied) gives the
 * same bool, or an error on both sides. Runs with oracle('cel') built (test/oracles/build.sh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agree, describe, loadOracle, runOracle, runOurs, type CelCase } from '../cel/testing/oracle.js';
import { indexEcosystem, readEcosystemProjects } from './ecosystem-crds.js';
import { strictEcosystemSchema } from './validate.js';
import { withDefaults } from './crd-cel.js';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Each (rule, self) the walk evaluates, as crd-cel.ts walks (transition rules left out). */
function sites(schema: unknown, value: unknown, out: CelCase[]): void {
  if (!isMap(schema) || value === undefined || value === null) return;
  for (const r of Array.isArray(schema['x-kubernetes-validations'])
    ? (schema['x-kubernetes-validations'] as { rule: string }[])
    : []) {
    if (!/oldSelf/.test(r.rule)) out.push({ expr: r.rule, vars: { self: value } });
  }
  if (isMap(value)) {
    const props = isMap(schema.properties) ? schema.properties : {};
    for (const [k, v] of Object.entries(value)) sites(k in props ? props[k] : schema.additionalProperties, v, out);
  } else if (Array.isArray(value)) value.forEach((v) => sites(schema.items, v, out));
}

const meta = { name: 'a', namespace: 'b' };
const OBJECTS = [
  ...[
    {},
    { chart: { spec: { chart: 'p', sourceRef: { kind: 'HelmRepository', name: 'p' } } } },
    { chartRef: { kind: 'OCIRepository', name: 'p' } },
    {
      chartRef: { kind: 'OCIRepository', name: 'p' },
      chart: { spec: { chart: 'p', sourceRef: { kind: 'HelmRepository', name: 'p' } } },
      upgrade: { remediation: { retries: 3, strategy: 'uninstall' } },
    },
  ].map((spec) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta,
    spec: { interval: '5m', ...spec },
  })),
  ...['foo', '/foo', '/a//b', '/a/../b'].map((value) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta,
    spec: {
      parentRefs: [{ name: 'gw', port: 443 }],
      hostnames: ['a.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value }, headers: [{ name: 'x', value: 'y' }] }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
          backendRefs: [{ name: 's', port: 80, weight: 1 }],
        },
      ],
    },
  })),
  ...[
    ['a', 'a'],
    ['a', 'b'],
  ].map((names) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: meta,
    spec: {
      gatewayClassName: 'x',
      listeners: names.map((name, i) => ({
        name,
        port: 80 + i,
        protocol: i ? 'HTTPS' : 'HTTP',
        hostname: '*.example.com',
        ...(i ? { tls: { mode: 'Terminate', certificateRefs: [{ name: 'c' }] } } : {}),
      })),
    },
  })),
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta,
    spec: {
      interval: '5m',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'x' },
      kubeConfig: { configMapRef: { name: 'k' }, secretRef: { name: 's' } },
    },
  },
];

const cel = await loadOracle('cel');

test('CRD validation rules met on real objects agree with cel-go (oracle cel)', { skip: cel.skip }, () => {
  const { schemas } = indexEcosystem(readEcosystemProjects());
  const cases: CelCase[] = [];
  for (const o of OBJECTS) {
    const eco = schemas.get(`${o.apiVersion} ${o.kind}`);
    assert.ok(eco, `${o.apiVersion} ${o.kind}`);
    const schema = strictEcosystemSchema(eco);
    sites(schema, withDefaults(schema, o), cases);
  }
  assert.equal(cases.length, 192);
  const theirs = runOracle(cel.path, cases);
  const bad = cases
    .map((c, i) => ({ c, ours: runOurs(c), theirs: theirs[i]! }))
    .filter((x) => !agree(x.ours, x.theirs));
  assert.deepEqual(
    bad.map((x) => `${x.c.expr}: ours ${describe(x.ours)}, cel-go ${describe(x.theirs)}`),
    [],
  );
  const falses = theirs.filter((t) => 'value' in t && t.value === false).length;
  assert.equal(falses, 11, 'rules that fail on these objects');
});
