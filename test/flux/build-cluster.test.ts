/**
 * End-to-end tests of the Flux layer over in-memory repositories and the real kustomize engine:
 * sync detection, recursion, owner labels, commonMetadata, postBuild with substituteFrom from the
 * build, suspend, foreign sources, dependsOn order and cycles, recursion cycles, normalisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allResources, allErrors, formatIssue } from '../../src/flux/index.js';
import { resourceId } from '../../src/resources/resource.js';

const ks = (name: string, path: string, extra = '', ns = 'flux-system') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
${extra}`;

const gitrepo = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/repo
  ref: {branch: main}
`;

test('cluster build: sync Kustomization, recursion, owner labels, order', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
    'clusters/dev/flux-system/gotk-sync.yaml': gitrepo + ks('flux-system', './clusters/dev'),
    'clusters/dev/apps.yaml': ks('apps', './apps', '  dependsOn:\n  - name: infra\n'),
    'clusters/dev/infra.yaml': ks('infra', './infra'),
    'infra/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/svc.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: web\nspec:\n  ports:\n  - port: 80\n',
    'apps/nested.yaml': ks('nested', './nested', '  targetNamespace: web\n'),
    'nested/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: b}\n',
  });
  const b = buildCluster(fs, { cluster: 'dev' });
  assert.deepEqual(allErrors(b).map(formatIssue), []);
  assert.equal(b.root.syncedBy, 'flux-system/flux-system');
  assert.deepEqual(b.root.resources, []);
  assert.deepEqual(
    b.kustomizations.map((k) => [k.id, k.status, k.path]),
    [
      ['flux-system/flux-system', 'built', 'clusters/dev'],
      ['flux-system/infra', 'built', 'infra'],
      ['flux-system/apps', 'built', 'apps'],
      ['flux-system/nested', 'built', 'nested'],
    ],
  );
  const apps = b.kustomizations.find((k) => k.id === 'flux-system/apps')!;
  const svc = apps.resources.find((r) => r.object.kind === 'Service')!;
  assert.deepEqual(svc.object.metadata?.labels, {
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
  });
  assert.deepEqual((svc.object.spec as any).ports, [{ port: 80, protocol: 'TCP' }]);
  assert.equal(svc.origin?.file, 'apps/svc.yaml');
  assert.equal(svc.origin?.fluxKustomization, 'flux-system/apps');
  const nested = b.kustomizations.find((k) => k.id === 'flux-system/nested')!;
  assert.equal(nested.parent, 'flux-system/apps');
  assert.deepEqual(nested.chain, ['flux-system/flux-system', 'flux-system/apps', 'flux-system/nested']);
  assert.equal(nested.resources[0]!.object.metadata?.namespace, 'web');
  assert.equal(nested.generated, 'created');
  // Flux's generated kustomization walks clusters/dev lexically: apps.yaml, flux-system/, infra.yaml
  assert.deepEqual(
    allResources(b).map((r) => resourceId(r.object)),
    [
      'Kustomization/flux-system/apps',
      'GitRepository/flux-system/flux-system',
      'Kustomization/flux-system/flux-system',
      'Kustomization/flux-system/infra',
      'Namespace/web',
      'Kustomization/flux-system/nested',
      'Service/web/web',
      'ConfigMap/web/c',
    ],
  );
});

test('cluster build: postBuild from a ConfigMap built by another Kustomization, typing, disabled, commonMetadata', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/settings.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\n' +
      'data:\n  REPLICAS: "3"\n  ENABLED: "yes"\n',
    'clusters/dev/apps.yaml': ks(
      'apps',
      './apps',
      [
        '  postBuild:',
        '    substitute: {ENV: dev}',
        '    substituteFrom:',
        '    - {kind: ConfigMap, name: cluster-settings}',
        '    - {kind: Secret, name: optional-secret, optional: true}',
        '  commonMetadata:',
        '    labels: {team: a}',
        '',
      ].join('\n'),
    ),
    'apps/deploy.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: default',
      'spec:',
      '  replicas: ${REPLICAS}',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: web:${ENV}',
      '        env:',
      '        - {name: ON, value: "${ENABLED}"}',
      '        - {name: D, value: "${MISSING:=fallback}"}',
      '        ports: [{containerPort: 8080}]',
      '',
    ].join('\n'),
    'apps/raw.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  namespace: default\n' +
      '  annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}\ndata: {x: "${ENV}"}\n',
  });
  const b = buildCluster(fs, { path: 'clusters/dev' });
  assert.deepEqual(allErrors(b).map(formatIssue), []);
  assert.equal(b.root.syncedBy, undefined);
  assert.equal(b.root.resources.length, 2);
  const apps = b.kustomizations[0]!;
  const d = apps.resources.find((r) => r.object.kind === 'Deployment')!.object as any;
  assert.equal(d.spec.replicas, 3);
  assert.equal(d.spec.template.spec.containers[0].image, 'web:dev');
  assert.deepEqual(d.spec.template.spec.containers[0].env, [
    { name: 'ON', value: true },
    { name: 'D', value: 'fallback' },
  ]);
  assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  assert.equal(d.metadata.labels.team, 'a');
  assert.equal(d.spec.template.metadata.labels.team, undefined); // commonMetadata: metadata only
  const raw = apps.resources.find((r) => r.object.metadata?.name === 'raw')!.object as any;
  assert.equal(raw.data.x, '${ENV}');
  assert.deepEqual(
    apps.substitution?.substituteFrom.map((r) => r.status),
    ['found', 'optional-missing'],
  );
  assert.deepEqual(apps.substitution?.variables, ['ENABLED', 'ENV', 'REPLICAS']);
});

test('cluster build: missing variables and cluster-only substituteFrom are reported, unless allowed', () => {
  const files = {
    'clusters/dev/apps.yaml': ks(
      'apps',
      './apps',
      '  postBuild:\n    substituteFrom:\n    - {kind: Secret, name: cluster-secrets}\n',
    ),
    'apps/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n' +
      '  domain: "${DOMAIN}"\n  size: "${SIZE:=5Gi}"\n',
  };
  const strict = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev' });
  const msgs = allErrors(strict).map(formatIssue);
  assert.equal(msgs.length, 2);
  assert.match(msgs[0]!, /substituteFrom\[0\]: Secret\/flux-system\/cluster-secrets is not in the cluster build/);
  assert.match(msgs[1]!, /^apps\/cm\.yaml:1: ConfigMap\/default\/c: variable \$\{DOMAIN\} is not set/);
  assert.match(msgs[1]!, /\(Kustomization flux-system\/apps\)$/);
  assert.equal(strict.kustomizations[0]!.status, 'failed');
  const allowed = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev', allowMissingVars: true });
  assert.deepEqual(allErrors(allowed), []);
  assert.equal(allowed.kustomizations[0]!.warnings.length, 2);
  // kustomize writes "${DOMAIN}" unquoted, so an empty substitution reads back as null (as in Flux)
  assert.deepEqual((allowed.kustomizations[0]!.resources[0]!.object as any).data, { domain: null, size: '5Gi' });
  const withVars = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev', vars: { DOMAIN: 'example.com' } });
  assert.deepEqual(allErrors(withVars), []);
  assert.equal((withVars.kustomizations[0]!.resources[0]!.object as any).data.domain, 'example.com');
});

test('cluster build: suspended, foreign source, --source mapping, missing dependsOn, dependsOn cycle', () => {
  const files = {
    'clusters/dev/a.yaml': ks('a', './a', '  dependsOn: [{name: b}]\n'),
    'clusters/dev/b.yaml': ks('b', './a', '  dependsOn: [{name: a}, {name: ghost}]\n  suspend: true\n'),
    'clusters/dev/c.yaml': ks('c', './', '').replace(
      'kind: GitRepository\n    name: flux-system\n    namespace: flux-system',
      'kind: OCIRepository\n    name: podinfo',
    ),
    'a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\n',
    'oci/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  namespace: default\n',
  };
  const b = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev' });
  const byId = Object.fromEntries(b.kustomizations.map((k) => [k.id, k]));
  assert.equal(byId['flux-system/b']!.status, 'suspended');
  assert.equal(byId['flux-system/b']!.suspended, true);
  assert.equal(byId['flux-system/b']!.resources.length, 0);
  assert.equal(byId['flux-system/c']!.status, 'not-buildable');
  assert.match(byId['flux-system/c']!.warnings[0]!.message, /--source OCIRepository\/flux-system\/podinfo=/);
  assert.deepEqual(
    b.errors.map((e) => e.message),
    [
      'dependsOn cycle: flux-system/a -> flux-system/b -> flux-system/a; none of these Kustomizations would ' +
        'ever become ready',
    ],
  );
  assert.ok(
    byId['flux-system/b']!.errors.some((e) => /dependsOn flux-system\/ghost is not a Kustomization/.test(e.message)),
  );
  assert.deepEqual(
    b.kustomizations.map((k) => k.id),
    ['flux-system/c', 'flux-system/a', 'flux-system/b'],
  );
  const mapped = buildCluster(new MemoryRepoFs(files), {
    path: 'clusters/dev',
    sources: { 'OCIRepository/flux-system/podinfo': 'oci' },
  });
  const c = mapped.kustomizations.find((k) => k.id === 'flux-system/c')!;
  assert.equal(c.status, 'built');
  assert.equal(c.path, 'oci');
  assert.equal(c.resources[0]!.origin?.file, 'oci/cm.yaml');
});

test('cluster build: recursion cycle and duplicate definitions are reported with the chain', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/a.yaml': ks('a', './x'),
    'x/b.yaml': ks('b', './y'),
    'y/a.yaml': ks('a', './x'),
    'y/dup.yaml': ks('d', './z'),
    'x/dup.yaml': ks('d', './z'),
    'z/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n  namespace: default\n',
  });
  const b = buildCluster(fs, { path: 'clusters/dev' });
  const msgs = b.errors.map((e) => e.message);
  assert.ok(
    msgs.includes('Kustomization recursion cycle: flux-system/a -> flux-system/b -> flux-system/a'),
    msgs.join('\n'),
  );
  assert.ok(
    msgs.some((m) =>
      /Flux Kustomization flux-system\/d is defined twice: by flux-system\/a and by flux-system\/a -> flux-system\/b/.test(
        m,
      ),
    ),
    msgs.join('\n'),
  );
});

test('cluster build: kustomize errors name the file and the Kustomization chain; bad cluster path is an InputError', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/a.yaml': ks('a', './a'),
    'a/kustomization.yaml': 'resources: [missing.yaml]\n',
  });
  const b = buildCluster(fs, { cluster: 'dev' });
  const e = allErrors(b);
  assert.equal(e.length, 1);
  assert.deepEqual(e[0]!.chain, ['flux-system/a']);
  assert.match(formatIssue(e[0]!), /missing\.yaml/);
  assert.throws(() => buildCluster(fs, { cluster: 'prod' }), /cluster path 'clusters\/prod' is not a directory/);
  assert.throws(() => buildCluster(fs, { path: '../x' }), /leaves the repository root/);
});

test('cluster build: Secret stringData folded into data; status dropped; deterministic', () => {
  const files = {
    'clusters/dev/a.yaml': ks('a', './a'),
    'a/s.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  k: v\nstatus: {x: 1}\n',
  };
  const b1 = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev' });
  const s = b1.kustomizations[0]!.resources[0]!.object as any;
  assert.deepEqual(s.data, { k: Buffer.from('v').toString('base64') });
  assert.equal(s.stringData, undefined);
  assert.equal(s.status, undefined);
  const b2 = buildCluster(new MemoryRepoFs(files), { path: 'clusters/dev' });
  assert.equal(JSON.stringify(b1), JSON.stringify(b2));
});

test('cluster build: SOPS-encrypted Secrets need spec.decryption (error), and are unknown offline with it (warning)', () => {
  const secret =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\ndata:\n' +
    '  k: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n' +
    '  mac: ENC[AES256_GCM,data:m,iv:x,tag:y,type:str]\n  version: 3.9.0\n';
  const without = buildCluster(new MemoryRepoFs({ 'clusters/dev/a.yaml': ks('a', './a'), 'a/s.yaml': secret }), {
    path: 'clusters/dev',
  });
  assert.match(
    allErrors(without).map(formatIssue).join('\n'),
    /Secret\/default\/s: is SOPS encrypted, configuring decryption/,
  );
  const withDec = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/a.yaml': ks('a', './a', '  decryption:\n    provider: sops\n'),
      'a/s.yaml': secret,
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(allErrors(withDec), []);
  assert.match(withDec.kustomizations[0]!.warnings.map(formatIssue).join('\n'), /not known offline/);
});

test('cluster build: owner labels are set last (they win over commonMetadata), as the SSA manager sets them at apply', () => {
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/a.yaml': ks(
        'a',
        './a',
        '  commonMetadata:\n    labels:\n      kustomize.toolkit.fluxcd.io/name: other\n      team: x\n',
      ),
      'a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n',
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(b.kustomizations[0]!.resources[0]!.object.metadata?.labels, {
    'kustomize.toolkit.fluxcd.io/name': 'a',
    team: 'x',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
  });
});

test('cluster build: the GitRepository spec.ignore and .sourceignore shape the artifact Flux builds from', () => {
  const repoWithIgnore = gitrepo.replace(
    '  ref: {branch: main}\n',
    '  ref: {branch: main}\n  ignore: |\n    /apps/skip.yaml\n',
  );
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'clusters/dev/flux-system/gotk-sync.yaml': repoWithIgnore + ks('flux-system', './clusters/dev'),
      'clusters/dev/apps.yaml': ks('apps', './apps'),
      'apps/keep.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  namespace: default\n',
      'apps/skip.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skip\n  namespace: default\n',
      'apps/.sourceignore': 'local-*.yaml\n',
      'apps/local-dev.yaml': 'not: kubernetes yaml\n',
      // No .sops.yaml here: with ignore patterns, source-controller keeps only the VCS default
      // excludes (src/flux/source/sourceignore-dialect.test.ts).
    }),
    { cluster: 'dev' },
  );
  assert.deepEqual(allErrors(b).map(formatIssue), []);
  const apps = b.kustomizations.find((k) => k.id === 'flux-system/apps')!;
  assert.equal(apps.generated, 'created');
  assert.deepEqual(apps.kustomization?.resources, ['./keep.yaml']);
});

test('cluster build: errors in a Flux Kustomization spec point at the file and line that define it', () => {
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/apps.yaml':
        ks('apps', './nope') + ks('remote', './apps', '  components:\n  - https://github.com/x/y\n'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n',
    }),
    { path: 'clusters/dev' },
  );
  const e = allErrors(b).map(formatIssue);
  assert.deepEqual(e, [
    "clusters/dev/apps.yaml:2: spec.path: kustomization path not found: 'nope' (repository path 'nope') " +
      '(Kustomization flux-system/apps)',
    "clusters/dev/apps.yaml:16: spec.components[0]: component path 'https://github.com/x/y' must be local " +
      'and relative (Kustomization flux-system/remote)',
  ]);
});

test('cluster build: objects the apply skips or only creates are listed (reconcile: disabled, ssa: Ignore/IfNotPresent)', () => {
  const cm = (name: string, meta: string) =>
    `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\n${meta}`;
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/dev/a.yaml': ks('a', './a'),
      'a/cms.yaml':
        cm('off', '  annotations:\n    kustomize.toolkit.fluxcd.io/reconcile: disabled\n') +
        cm('ign', '  labels:\n    kustomize.toolkit.fluxcd.io/ssa: ignore\n') +
        cm('once', '  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\n') +
        cm('normal', ''),
    }),
    { path: 'clusters/dev' },
  );
  assert.deepEqual(
    b.kustomizations[0]!.applyModes?.map((m) => [m.object, m.mode]),
    [
      ['ConfigMap/default/off', 'skip'],
      ['ConfigMap/default/ign', 'skip'],
      ['ConfigMap/default/once', 'create-only'],
    ],
  );
  assert.equal(b.kustomizations[0]!.resources.length, 4);
});

test('cluster build: objects applied to a remote cluster (kubeConfig) do not satisfy substituteFrom on this one', () => {
  const b = buildCluster(
    new MemoryRepoFs({
      'clusters/hub/remote.yaml': ks(
        'remote',
        './remote',
        '  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n',
      ),
      'clusters/hub/local.yaml': ks(
        'local',
        './local',
        '  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: settings\n',
      ),
      'remote/settings.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: flux-system\ndata:\n  X: spoke\n',
      'local/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  x: ${X:=default}\n',
    }),
    { path: 'clusters/hub', allowMissingVars: true },
  );
  const local = b.kustomizations.find((k) => k.id === 'flux-system/local')!;
  assert.equal(b.kustomizations.find((k) => k.id === 'flux-system/remote')!.remote, true);
  assert.deepEqual(
    local.substitution?.substituteFrom.map((r) => r.status),
    ['missing'],
  );
  assert.equal((local.resources[0]!.object as any).data.x, 'default');
});
