/**
 * ResourceSets in the cluster build: expanded into what the Flux Operator applies (owner labels,
 * origin at the ResourceSet with the input index), the Kustomizations and HelmReleases they
 * generate followed like any other, Static providers read, other providers reported as not
 * followed with the reason, failures as errors. The operator's own builder judges the
 * expansion itself in oracle.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { allErrors, allResources, allWarnings } from '../build/build-cluster.js';
import { buildCluster, expandResourceSet } from '../with-engines.js';
import { combineInputs, inputId, normalizeKey } from './inputs.js';
import { slugify } from './slugify.js';

const sync =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n' +
  '  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://github.com/example/fleet\n  ref:\n' +
  '    branch: main\n---\n' +
  'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n' +
  '  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/dev\n  prune: true\n  sourceRef:\n' +
  '    kind: GitRepository\n    name: flux-system\n';
const tenants = (inputsFrom = '', inputs = '  inputs:\n    - tenant: team1\n    - tenant: team2\n') =>
  'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: tenants\n' +
  '  namespace: flux-system\nspec:\n' +
  inputs +
  inputsFrom +
  '  resources:\n    - apiVersion: kustomize.toolkit.fluxcd.io/v1\n      kind: Kustomization\n' +
  '      metadata:\n        name: << inputs.tenant >>\n        namespace: flux-system\n      spec:\n' +
  '        interval: 10m\n        path: ./tenants/<< inputs.tenant >>\n        prune: true\n' +
  '        sourceRef:\n          kind: GitRepository\n          name: flux-system\n';
const ns = (n: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`;

test('a ResourceSet in the build: one Kustomization per input, each followed, its objects built', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/sync.yaml': sync,
    'clusters/dev/tenants.yaml': tenants(),
    'tenants/team1/ns.yaml': ns('team1'),
    'tenants/team2/ns.yaml': ns('team2'),
  });
  const b = buildCluster(fs, { path: 'clusters/dev' });
  assert.deepEqual(allErrors(b), []);
  assert.deepEqual(
    allWarnings(b).filter((w) => /ResourceSet/.test(w.message)),
    [],
  );
  assert.deepEqual(
    b.kustomizations.map((k) => [k.id, k.status, k.parent ?? '']),
    [
      ['flux-system/flux-system', 'built', ''],
      ['flux-system/team1', 'built', 'flux-system/flux-system'],
      ['flux-system/team2', 'built', 'flux-system/flux-system'],
    ],
  );
  const team1 = allResources(b).find((r) => r.object.kind === 'Kustomization' && r.object.metadata?.name === 'team1')!;
  assert.equal(team1.object.metadata?.labels?.['resourceset.fluxcd.controlplane.io/name'], 'tenants');
  assert.equal(team1.object.metadata?.labels?.['resourceset.fluxcd.controlplane.io/namespace'], 'flux-system');
  assert.equal(
    team1.object.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name'],
    undefined,
    'applied by the operator, not by kustomize-controller',
  );
  assert.deepEqual(
    { ...team1.origin },
    {
      file: 'clusters/dev/tenants.yaml',
      line: 1,
      kustomization: 'clusters/dev',
      fluxKustomization: 'flux-system/flux-system',
      resourceSet: { id: 'ResourceSet/flux-system/tenants', input: 0, fieldPath: 'spec.resources[0]' },
    },
  );
  assert.deepEqual(
    allResources(b)
      .filter((r) => r.object.kind === 'Namespace')
      .map((r) => r.object.metadata?.name),
    ['team1', 'team2'],
  );
  assert.deepEqual(b.resourceSets, [
    {
      id: 'ResourceSet/flux-system/tenants',
      kustomization: 'flux-system/flux-system',
      status: 'expanded',
      objects: 2,
      inputs: 2,
      file: 'clusters/dev/tenants.yaml',
      line: 1,
    },
  ]);
});

test('a Static ResourceSetInputProvider is read; a GitHub one is not followed, with the reason, never silent', () => {
  const rsip = (name: string, type: string) =>
    `---\napiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSetInputProvider\nmetadata:\n  name: ${name}\n` +
    `  namespace: flux-system\nspec:\n  type: ${type}\n  defaultValues:\n    tenant: team1\n`;
  const files = { 'clusters/dev/sync.yaml': sync, 'tenants/team1/ns.yaml': ns('team1') };
  const stat = buildCluster(
    new MemoryRepoFs({
      ...files,
      'clusters/dev/tenants.yaml': tenants('  inputsFrom:\n    - name: static\n', '') + rsip('static', 'Static'),
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(allErrors(stat), []);
  assert.deepEqual(
    stat.kustomizations.map((k) => k.id),
    ['flux-system/flux-system', 'flux-system/team1'],
  );
  const gh = buildCluster(
    new MemoryRepoFs({
      ...files,
      'clusters/dev/tenants.yaml': tenants('  inputsFrom:\n    - name: prs\n', '') + rsip('prs', 'GitHubPullRequest'),
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(
    gh.kustomizations.map((k) => k.id),
    ['flux-system/flux-system'],
  );
  assert.equal(gh.resourceSets?.[0]?.status, 'not-followed');
  const w = allWarnings(gh).filter((x) => x.object === 'ResourceSet/flux-system/tenants');
  assert.equal(w.length, 1);
  assert.match(
    w[0]!.message,
    /not expanded offline: its input provider ResourceSetInputProvider\/flux-system\/prs has type GitHubPullRequest/,
  );
  assert.equal(w[0]!.file, 'clusters/dev/tenants.yaml');
});

test("a ResourceSet whose template fails is an error at its file, with the operator's message", () => {
  const bad = tenants().replace('./tenants/<< inputs.tenant >>', './tenants/<< inputs.team >>');
  const b = buildCluster(new MemoryRepoFs({ 'clusters/dev/sync.yaml': sync, 'clusters/dev/tenants.yaml': bad }), {
    path: 'clusters/dev',
  });
  const e = allErrors(b);
  assert.equal(e.length, 1);
  assert.match(
    e[0]!.message,
    /ResourceSet flux-system\/tenants does not expand .*failed to build resources\[0\]: .*map has no entry for key "team"/,
  );
  assert.equal(e[0]!.fieldPath, 'spec.resources[0]');
});

test('dependsOn an object the build does not have is said', () => {
  const rs = tenants().replace(
    'spec:\n',
    'spec:\n  dependsOn:\n    - apiVersion: apps/v1\n      kind: Deployment\n      name: gate\n' +
      '      namespace: infra\n',
  );
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/sync.yaml': sync,
      'clusters/dev/tenants.yaml': rs,
      'tenants/team1/ns.yaml': ns('team1'),
      'tenants/team2/ns.yaml': ns('team2'),
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(
    allWarnings(b)
      .filter((w) => w.fieldPath === 'spec.dependsOn[0]')
      .map((w) => w.message),
    [
      "ResourceSet flux-system/tenants depends on Deployment/infra/gate, which is not in this cluster's " +
        'build: the Flux Operator waits for it (created in the cluster?)',
    ],
  );
});

test('inputs: adler32 ids, normalised provider keys, Permute scoped with ids, Flatten in order', () => {
  assert.equal(inputId('Wikipedia'), String(0x11e60398));
  assert.equal(normalizeKey('Env.Provider  Two!'), 'env_provider_two');
  const self = {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'ResourceSet',
    name: 'rs',
    namespace: 'n',
    inputs: [{ a: 1 }, { a: 2 }],
  };
  const p = {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'ResourceSetInputProvider',
    name: 'p',
    namespace: 'n',
    inputs: [{ b: 'x' }],
  };
  assert.deepEqual(
    combineInputs(self, [p]).map((i) => [i.a ?? i.b, (i.provider as { kind: string }).kind]),
    [
      [1, 'ResourceSet'],
      [2, 'ResourceSet'],
      ['x', 'ResourceSetInputProvider'],
    ],
  );
  const perm = combineInputs(self, [p], { strategy: 'Permute' });
  assert.deepEqual(
    perm.map((i) => [(i.rs as { a: number }).a, (i.p as { b: string }).b, i.id]),
    [
      [1, 'x', inputId('rs=0/p=0')],
      [2, 'x', inputId('rs=1/p=0')],
    ],
  );
  assert.throws(() => combineInputs(self, [], { strategy: 'Zip' }), /unknown input strategy: 'Zip'/);
});

test('slugify: gosimple/slug with the operator settings', () => {
  assert.equal(slugify('>=1.0.0-rc.0'), '1-0-0-rc-0');
  assert.equal(slugify('  Release & More @ home '), 'release-and-more-at-home');
  assert.equal(slugify('très spécial'), 'tres-special');
  assert.equal(slugify('a'.repeat(40) + '-' + 'b'.repeat(40)), 'a'.repeat(40));
});

test('a disabled ResourceSet is not expanded, and says so', () => {
  const x = expandResourceSet(
    {
      apiVersion: 'fluxcd.controlplane.io/v1',
      kind: 'ResourceSet',
      metadata: { name: 'x', namespace: 'n', annotations: { 'fluxcd.controlplane.io/reconcile': 'disabled' } },
      spec: { resources: [] },
    },
    undefined,
    { providers: [] },
  );
  assert.equal(x.status, 'not-followed');
});

test('a HelmRelease a ResourceSet generates goes through the HelmRelease stage like any other', () => {
  const rs =
    'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: apps\n' +
    '  namespace: flux-system\nspec:\n  inputs:\n    - app: podinfo\n  resources:\n' +
    '    - apiVersion: helm.toolkit.fluxcd.io/v2\n      kind: HelmRelease\n      metadata:\n' +
    '        name: << inputs.app >>\n        namespace: flux-system\n      spec:\n        interval: 1h\n' +
    '        chart:\n          spec:\n            chart: << inputs.app >>\n            sourceRef:\n' +
    '              kind: HelmRepository\n              name: charts\n';
  const b = buildCluster(new MemoryRepoFs({ 'clusters/dev/sync.yaml': sync, 'clusters/dev/apps.yaml': rs }), {
    path: 'clusters/dev',
  });
  assert.deepEqual(
    b.helmReleases.map((h) => [h.id, h.kustomization]),
    [['flux-system/podinfo', 'flux-system/flux-system']],
  );
});
