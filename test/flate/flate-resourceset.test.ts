/**
 * Flux Operator ResourceSets in a whole repository, `aksfleet build` side by side with flate 0.6
 * (`flate build ks`, which expands ResourceSets: its pkg/resourceset): a layout of the operator's
 * documentation (tenants from inputs, a Static ResourceSetInputProvider by name and by selector,
 * a multi-document template with range and an excluded object, Permute, commonMetadata, steps),
 * where the Kustomizations the ResourceSets generate are themselves built. The expansion itself
 * is judged by the operator's own builder (src/flux/resourceset/oracle.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { oracle } from '../oracles/index.js';
import { runFlate, runOurs, compare } from './flate.js';

const flate = oracle('flate-0.6');
/**
 * Kinds flate parses as typed objects (pkg/manifest), kept in its store rather than printed when a ResourceSet
 * generates them.
 */
const TYPED_BY_FLATE = new Set([
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'Bucket',
  'ConfigMap',
  'Secret',
  'ResourceSet',
  'ResourceSetInputProvider',
]);

const FILES: Record<string, string> = {
  'clusters/dev/sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/dev
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
  'clusters/dev/tenants.yaml': `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: tenants
  namespace: flux-system
spec:
  commonMetadata:
    labels:
      toolkit.fluxcd.io/tenant: fleet
  inputs:
    - tenant: team1
      env: dev
    - tenant: team2
      env: dev
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: << inputs.tenant >>
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: << inputs.tenant >>-apps
        namespace: flux-system
      spec:
        interval: 10m
        path: ./tenants/<< inputs.tenant >>
        prune: true
        targetNamespace: << inputs.tenant >>
        sourceRef:
          kind: GitRepository
          name: flux-system
`,
  'clusters/dev/providers.yaml': `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata:
  name: regions
  namespace: flux-system
  labels:
    fleet/inputs: regions
spec:
  type: Static
  defaultValues:
    region: westeurope
    zones: ["1", "2"]
---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: regional
  namespace: flux-system
spec:
  inputsFrom:
    - kind: ResourceSetInputProvider
      name: regions
  resourcesTemplate: |
    <<- range $z := inputs.zones >>
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: zone-<< inputs.region >>-<< $z >>
      namespace: flux-system
      annotations:
        provider: << inputs.provider.name >>
        zone: << $z | quote >>
    <<- end >>
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: disabled-<< inputs.region >>
      namespace: flux-system
      annotations:
        fluxcd.controlplane.io/reconcile: disabled
---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: matrix
  namespace: flux-system
spec:
  inputStrategy:
    name: Permute
  inputs:
    - app: web
    - app: api
  inputsFrom:
    - selector:
        matchLabels:
          fleet/inputs: regions
  resources:
    - apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: << inputs.matrix.app >>-<< inputs.regions.region | slugify >>
        namespace: flux-system
        annotations:
          values.yaml: |
            << dict "app" inputs.matrix.app "zones" inputs.regions.zones | toYaml | nindent 6 >>
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: << inputs.matrix.app >>-settings
        namespace: flux-system
      data:
        app: << inputs.matrix.app >>
`,
  'tenants/team1/deploy.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
`,
  'tenants/team2/deploy.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
`,
};

test('flate side by side: ResourceSets (inputs, Static providers, template, Permute) and the Kustomizations they generate', {
  skip: flate.skip,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-flate-rset-'));
  try {
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const theirs = runFlate(flate.path, dir, 'clusters/dev');
    assert.equal(theirs.status, 0, theirs.stderr);
    const ours = runOurs(dir, { path: 'clusters/dev' });
    assert.deepEqual(ours.errors, []);
    const generatedBy = (o: { metadata?: { labels?: unknown } }) =>
      (o.metadata?.labels as Record<string, string> | undefined)?.['resourceset.fluxcd.controlplane.io/name'];
    const all = compare(
      theirs.objects,
      ours.objects.filter((o) => !ours.roots.has(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`)),
    );
    // flate keeps the children of a ResourceSet that it parses as typed objects (Flux kinds,
    // ConfigMaps and Secrets) in its store to reconcile them, and prints only the others
    // (pkg/controllers/resourceset: RawSink gets RawObject children): those are ours only.
    const typed = (d: { key: string; what: string }) =>
      d.what === 'only-ours' &&
      TYPED_BY_FLATE.has(d.key.split('/')[0]!) &&
      ours.objects.some(
        (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}` === d.key && generatedBy(o),
      );
    const diffs = all.filter((d) => !typed(d));
    const generated = ours.objects.filter(generatedBy);
    const compared = theirs.objects.filter(generatedBy);
    console.log(
      `flate ResourceSet layout: ${theirs.objects.length} objects from flate, ${ours.objects.length} ours; ` +
        `${generated.length} generated by ResourceSets, ${compared.length} of them printed by flate and equal, ` +
        `${all.length - diffs.length} typed ones flate does not print; ${diffs.length} differences`,
    );
    assert.deepEqual(diffs, []);
    assert.equal(compared.length, 6);
    assert.equal(generated.length, 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
