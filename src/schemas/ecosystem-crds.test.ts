/**
 * The ecosystem kinds (Flux, cert-manager, Gateway API, Prometheus operator, Flux Operator) are
 * judged by their real CRDs (data/ecosystem-crds, scripts/ecosystem-crds.mjs), strictly, on every
 * version their CRDs serve; versions they do not serve are refused; a cluster's own CRDs still win.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import type { KObject } from '../resources/resource.js';
import { withObjectFields } from './build-crds.js';
import { strictify } from './strictify.js';
import { ECOSYSTEM_DIR, indexEcosystem, readEcosystemProjects } from './ecosystem-crds.js';
import { schemaSource, validateObject } from './validate.js';

const projects = readEcosystemProjects();
const { schemas, kinds } = indexEcosystem(projects);

test('data/ecosystem-crds: the pinned projects, each with its source and version recorded', () => {
  assert.deepEqual(
    projects.map((p) => p.project),
    ['cert-manager', 'flux-operator', 'flux', 'gateway-api', 'prometheus-operator'],
  );
  for (const p of projects) {
    assert.ok(p.sources.length > 0, p.project);
    for (const s of p.sources) assert.match(s, /@v\d|tag v\d/, s);
    for (const c of p.crds) assert.match(c.from, /^\S+@v\d+\.\d+\.\d+ \S+\.ya?ml$/, c.from);
  }
  // The kinds fleets hold most, at the versions Flux 2.9 and the fleet's add-ons serve.
  for (const k of [
    'kustomize.toolkit.fluxcd.io/v1 Kustomization',
    'helm.toolkit.fluxcd.io/v2 HelmRelease',
    'source.toolkit.fluxcd.io/v1 GitRepository',
    'source.toolkit.fluxcd.io/v1 OCIRepository',
    'source.toolkit.fluxcd.io/v1 HelmRepository',
    'notification.toolkit.fluxcd.io/v1beta3 Alert',
    'image.toolkit.fluxcd.io/v1 ImagePolicy',
    'cert-manager.io/v1 ClusterIssuer',
    'gateway.networking.k8s.io/v1 HTTPRoute',
    'gateway.networking.k8s.io/v1beta1 HTTPRoute',
    'monitoring.coreos.com/v1 ServiceMonitor',
    'monitoring.coreos.com/v1 PrometheusRule',
    'fluxcd.controlplane.io/v1 FluxInstance',
    'fluxcd.controlplane.io/v1 ResourceSet',
  ]) {
    assert.ok(schemas.has(k), k);
    assert.match(schemaSource(k.split(' ')[0]!, k.split(' ')[1]!)!.from, new RegExp(`^data/${ECOSYSTEM_DIR}/`), k);
  }
});

/** An object of `key` with `field` added under spec (or at the top when the schema has no spec). */
function withUnknownField(key: string, spec: boolean): KObject {
  const [apiVersion, kind] = key.split(' ') as [string, string];
  return {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'n' },
    ...(spec ? { spec: { notAField: 1 } } : { notAField: 1 }),
  };
}

test('every served version of every ecosystem CRD rejects an unknown field, at its path', () => {
  let checked = 0;
  for (const [key, s] of schemas) {
    const root = s.version.schema as {
      properties?: Record<string, { properties?: unknown; 'x-kubernetes-preserve-unknown-fields'?: boolean }>;
    };
    const spec = root.properties?.spec;
    const inSpec = spec?.properties !== undefined && spec['x-kubernetes-preserve-unknown-fields'] !== true;
    const problems = validateObject(withUnknownField(key, inSpec));
    const unknown = problems.filter((p) => p.code === 'unknown-field' && p.field === 'notAField');
    assert.equal(unknown.length, 1, `${key}: ${JSON.stringify(problems)}`);
    assert.equal(unknown[0]!.path, inSpec ? '/spec' : '', key);
    checked++;
  }
  assert.equal(
    checked,
    [...kinds.values()].reduce((n, k) => n + k.served.length, 0),
  );
  assert.ok(checked >= 48, `${checked} served versions`);
});

test('Flux: typos are errors with a did-you-mean; valid objects pass', () => {
  const ks: KObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: './apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      postBuild: { substitute: { a: 'b' } },
    },
  };
  assert.deepEqual(validateObject(ks), []);
  const typo = structuredClone(ks);
  (typo.spec as Record<string, unknown>).dependsOn = [{ name: 'infra' }];
  (typo.spec as { postBuild: Record<string, unknown> }).postBuild.substituteFrm = [];
  assert.deepEqual(
    validateObject(typo).map((p) => `${p.path}: ${p.message}`),
    ["/spec/postBuild: unknown field 'substituteFrm'; did you mean 'substituteFrom'?"],
  );
  const badInterval = structuredClone(ks);
  (badInterval.spec as Record<string, unknown>).interval = 'ten minutes';
  assert.match(
    validateObject(badInterval)
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n'),
    /^\/spec\/interval: must match pattern/,
  );
});

test("a version the CRD does not serve is refused, unless the cluster's own CRDs define it", () => {
  const old: KObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
    kind: 'Kustomization',
    metadata: { name: 'x' },
    spec: {},
  };
  const p = validateObject(old);
  assert.deepEqual(
    p.map((x) => [x.code, x.severity, x.path]),
    [['removed-api', 'error', '/apiVersion']],
  );
  assert.match(
    p[0]!.message,
    /kustomize\.toolkit\.fluxcd\.io\/v1beta2 Kustomization is not served by the flux CRD .*kustomize-controller@v1\.9\.5.*; it serves kustomize\.toolkit\.fluxcd\.io\/v1$/,
  );
  assert.equal(schemaSource(old.apiVersion!, old.kind!), undefined);
  // The cluster's build defines v1beta2 (e.g. an older gotk-components.yaml): its CRD judges.
  const crds = new Map([
    [
      'kustomize.toolkit.fluxcd.io/v1beta2 Kustomization',
      {
        schema: withObjectFields(
          strictify({
            type: 'object',
            properties: { spec: { type: 'object', properties: { path: { type: 'string' } } } },
          }) as Record<string, unknown>,
        ),
        from: 'CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io (gotk-components.yaml:1)',
      },
    ],
  ]);
  assert.deepEqual(validateObject({ ...old, spec: { path: './x' } }, undefined, { crds }), []);
  assert.deepEqual(
    validateObject({ ...old, spec: { pth: './x' } }, undefined, { crds }).map((x) => x.message),
    ["unknown field 'pth'; did you mean 'path'?"],
  );
  // A group and kind nobody here knows stays unchecked (a warning), not refused.
  assert.deepEqual(
    validateObject({ apiVersion: 'example.com/v9', kind: 'Kustomization', metadata: { name: 'x' } }).map((x) => x.code),
    ['no-schema'],
  );
});

test("Go RE2 patterns keep their meaning: the Prometheus operator's (?i) is case-insensitive", () => {
  const rule = (strategy: string): KObject => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'r', namespace: 'n' },
    spec: { groups: [{ name: 'g', partial_response_strategy: strategy, rules: [{ alert: 'A', expr: 'up == 0' }] }] },
  });
  assert.deepEqual(validateObject(rule('Abort')), []);
  assert.deepEqual(validateObject(rule('WARN')), []);
  assert.match(
    validateObject(rule('drop'))
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n'),
    /^\/spec\/groups\/0\/partial_response_strategy: must match pattern/,
  );
});

test('cert-manager, Gateway API and Flux Operator objects: strict, with the field path', () => {
  const cert: KObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'c', namespace: 'n' },
    spec: {
      secretName: 's',
      dnsNames: ['a.example.com'],
      issuerRef: { name: 'le', kind: 'ClusterIssuer' },
      privateKey: { algorithm: 'ECDSA', sise: 256 },
    },
  };
  assert.deepEqual(
    validateObject(cert).map((p) => `${p.path}: ${p.message}`),
    ["/spec/privateKey: unknown field 'sise'; did you mean 'size'?"],
  );
  const route: KObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'n' },
    spec: { parentRefs: [{ name: 'gw', sectionNme: 'https' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] },
  };
  assert.deepEqual(
    validateObject(route).map((p) => `${p.path}: ${p.message}`),
    ["/spec/parentRefs/0: unknown field 'sectionNme'; did you mean 'sectionName'?"],
  );
  const fi: KObject = {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    metadata: { name: 'flux', namespace: 'flux-system' },
    spec: {
      distribution: { version: '2.x', registry: 'ghcr.io/fluxcd' },
      components: ['source-controller'],
      sync: { kind: 'GitRepository', url: 'https://example.com/r.git', ref: 'refs/heads/main', path: 'clusters/dev' },
    },
  };
  assert.deepEqual(validateObject(fi), []);
  assert.deepEqual(
    validateObject({ ...fi, spec: { ...(fi.spec as object), cluster: { tipe: 'aks' } } }).map(
      (p) => `${p.path}: ${p.message}`,
    ),
    ["/spec/cluster: unknown field 'tipe'; did you mean 'type'?"],
  );
});

test('no @kubernetes-models package is imported or depended on', () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    assert.deepEqual(
      Object.keys(pkg[field] ?? {}).filter((n) => n.includes('kubernetes-models')),
      [],
      field,
    );
  }
  const importing: string[] = [];
  const scan = (dir: string): void => {
    for (const e of readdirSync(join(PACKAGE_ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) scan(rel);
      else if (
        /\.(ts|mts|mjs|js)$/.test(e.name) &&
        /from ['"](@kubernetes-models|kubernetes-models)|require\(['"](@kubernetes-models|kubernetes-models)/.test(
          readFileSync(join(PACKAGE_ROOT, rel), 'utf8'),
        )
      )
        importing.push(rel);
    }
  };
  for (const d of ['src', 'test', 'scripts', 'bench']) scan(d);
  assert.deepEqual(importing, []);
});
