/**
 * `aksfleet generate` end to end: the example fleet (and variants that take the other branches)
 * generates the Flux repository; every kustomization folder builds with `kubectl kustomize`
 * (kustomize v5.5.0), every script passes `shellcheck`, every object validates against its
 * published schema, and output is deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { InputError } from '../../src/errors.js';
import { HEADER } from '../../src/generators/flux/common.js';
import { clusterVars } from '../../src/generators/flux/clusters.js';
import { tenantPlacedOn } from '../../src/spec/placement.js';
import { generateFluxRepo } from '../../src/generators/flux/index.js';
import { generateAll } from '../../src/generators/index.js';
import type { GeneratedFile } from '../../src/generators/types.js';
import { validateObject } from '../../src/schemas/validate.js';
import { loadFleet } from '../../src/spec/load.js';
import { EXAMPLE, exampleRaw, fleetOf, hasTool, kubectlKustomize, writeTree } from './helpers.js';
import { kustomizeSkip } from '../../src/kustomize/testing/oracle.js';

const noKustomize = kustomizeSkip();
const haveShellcheck = hasTool('shellcheck');

function kustomizationDirs(files: readonly GeneratedFile[]): string[] {
  return files
    .filter((f) => f.path.endsWith('/kustomization.yaml'))
    .map((f) => dirname(f.path))
    .sort();
}

function objectsOf(files: readonly GeneratedFile[]): { file: string; obj: Record<string, any> }[] {
  const out: { file: string; obj: Record<string, any> }[] = [];
  for (const f of files) {
    if (!f.path.endsWith('.yaml') || f.path.endsWith('kustomization.yaml')) continue;
    for (const d of parseAllDocuments(f.content)) out.push({ file: f.path, obj: d.toJS() as Record<string, any> });
  }
  return out;
}

/** Builds every kustomization folder with kubectl; returns the output per folder. */
function buildAll(
  t: { skip: (m: string) => void },
  files: readonly GeneratedFile[],
): Map<string, Record<string, any>[]> | undefined {
  if (noKustomize) {
    t.skip(noKustomize);
    return undefined;
  }
  const root = writeTree(files);
  const out = new Map<string, Record<string, any>[]>();
  const failures: string[] = [];
  for (const dir of kustomizationDirs(files)) {
    const r = kubectlKustomize(join(root, dir));
    if (!r.ok) failures.push(`${dir}: ${r.err.trim()}`);
    else
      out.set(
        dir,
        parseAllDocuments(r.out)
          .map((d) => d.toJS() as Record<string, any>)
          .filter((o) => o),
      );
  }
  assert.deepEqual(failures, [], 'every generated kustomization folder builds with kubectl kustomize');
  return out;
}

function find(objs: Record<string, any>[] | undefined, kind: string, name: string): Record<string, any> {
  const o = (objs ?? []).find((x) => x.kind === kind && x.metadata?.name === name);
  assert.ok(o, `${kind}/${name} in the build`);
  return o;
}

const example = loadFleet(EXAMPLE);
const files = generateFluxRepo(example);

test('the example fleet generates the seed layout', () => {
  const paths = new Set(files.map((f) => f.path));
  for (const p of [
    'cluster-bootstrap/aks-dev.sh',
    'cluster-bootstrap/aks-prod.sh',
    '.sourceignore',
    'clusters/aks-prod/aksfleet/platform.yaml',
    'clusters/aks-prod/aksfleet/tenants.yaml',
    'clusters/aks-prod/aksfleet/workloads.yaml',
    'platform/controllers/cert-manager/release.yaml',
    'platform/controllers/envoy-gateway/release.yaml',
    'platform/controllers/kube-prometheus-stack/release.yaml',
    'platform/controllers/kyverno/release.yaml',
    'platform/controllers/velero/release.yaml',
    'platform/configs/gateway/gateway.yaml',
    'platform/configs/cert-manager/cluster-issuer.yaml',
    'platform/configs/velero/backup-storage-location.yaml',
    'platform/policies/kyverno-policies.yaml',
    'tenants/base/app/network-policies.yaml',
    'tenants/base/app/secret-provider-classes.yaml',
    'workloads/base/app/api/deployment.yaml',
    'workloads/base/shop/shop/httproute.yaml',
    'workloads/dev/kustomization.yaml',
    'workloads/prod/kustomization.yaml',
  ]) {
    assert.ok(paths.has(p), p);
  }
  // clusters/<cluster>/ itself has no kustomization.yaml: flux bootstrap's flux-system/ must be included by Flux's
  // generated one.
  assert.ok(!paths.has('clusters/aks-prod/kustomization.yaml'));
});

test('generation is deterministic: same fleet, byte-identical files (whole output of every generator)', () => {
  const a = generateAll(loadFleet(EXAMPLE));
  const b = generateAll(loadFleet(EXAMPLE));
  assert.deepEqual(a, b);
  assert.deepEqual(generateFluxRepo(example), files);
});

test('every YAML file starts with the generated-by header; scripts right after the shebang', () => {
  for (const f of files) {
    if (f.path.endsWith('.yaml')) assert.ok(f.content.startsWith(HEADER), f.path);
    else if (f.path.endsWith('.sh')) {
      assert.ok(f.content.startsWith(`#!/usr/bin/env bash\n${HEADER}`), f.path);
      assert.equal(f.executable, true);
      assert.match(f.content, /^set -euo pipefail$/m);
    }
  }
});

test('every generated kustomization folder builds with kubectl kustomize; overlays do what fleet.yaml says', (t) => {
  const built = buildAll(t, files);
  if (!built) return;
  // dev overrides api replicas to 1; prod keeps 3 (oracle: kubectl's own patch application)
  assert.equal(find(built.get('workloads/dev'), 'Deployment', 'api').spec.replicas, 1);
  assert.equal(find(built.get('workloads/prod'), 'Deployment', 'api').spec.replicas, 3);
  // shop runs in qa and prod (tier: frontend) but not dev (tier: internal)
  assert.ok(!built.get('workloads/dev')!.some((o) => o.metadata?.namespace === 'shop'));
  const prod = built.get('workloads/prod')!;
  assert.equal(
    find(prod, 'Deployment', 'shop-blue').spec.template.spec.containers[0].image,
    'acrprod123.azurecr.io/shop:2.0.0',
  );
  assert.equal(
    find(prod, 'Deployment', 'shop-green').spec.template.spec.containers[0].image,
    'acrprod123.azurecr.io/shop:2.1.0',
  );
  const route = find(prod, 'HTTPRoute', 'shop');
  assert.deepEqual(
    route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]),
    [
      ['shop-blue', 90],
      ['shop-green', 10],
    ],
  );
  assert.deepEqual(route.spec.parentRefs, [{ name: 'public-gw', namespace: 'envoy-gateway-system' }]);
  // workload identity: the pod template carries the label the webhook needs, the SA the client-id variable
  assert.equal(find(prod, 'Deployment', 'api').spec.template.metadata.labels['azure.workload.identity/use'], 'true');
  // apps go to the tainted user pool: toleration plus required affinity to AKS user-mode nodes
  const shopPod = find(prod, 'Deployment', 'shop-blue').spec.template.spec;
  assert.deepEqual(shopPod.tolerations, [{ key: 'workload', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
  assert.deepEqual(
    shopPod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
      .matchExpressions[0],
    {
      key: 'kubernetes.azure.com/mode',
      operator: 'In',
      values: ['user'],
    },
  );
  const tenants = built.get('tenants/prod')!;
  assert.equal(
    find(tenants, 'ServiceAccount', 'sa-blob').metadata.annotations['azure.workload.identity/client-id'],
    '${IDENTITY_CLIENT_ID_ID_APP_BLOB}',
  );
  assert.deepEqual(find(tenants, 'Namespace', 'shop').metadata.labels.owner, 'team-shop');
  const dns = tenants.find(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-dns' && o.metadata.namespace === 'app',
  )!;
  assert.deepEqual(dns.spec.egress[0].to[0].namespaceSelector.matchLabels, {
    'kubernetes.io/metadata.name': 'kube-system',
  });
  const sync = built.get('clusters/aks-prod/aksfleet')!;
  assert.deepEqual(find(sync, 'Kustomization', 'platform').spec.sourceRef, {
    kind: 'GitRepository',
    name: 'flux-system',
  });
  assert.equal(find(sync, 'Kustomization', 'workloads').spec.path, './workloads/prod');
  assert.deepEqual(find(sync, 'Kustomization', 'workloads').spec.dependsOn, [
    { name: 'platform' },
    { name: 'tenants' },
  ]);
  assert.deepEqual(find(sync, 'Kustomization', 'tenants').spec.postBuild.substituteFrom, [
    { kind: 'ConfigMap', name: 'aksfleet-outputs' },
  ]);
  // platform/configs pulls in the policies folder
  const policies = built
    .get('platform/configs')!
    .filter((o) => o.kind === 'ClusterPolicy')
    .map((o) => o.metadata.name);
  assert.deepEqual(policies.sort(), ['require-namespace-labels', 'restrict-image-registries', 'verify-signed-images']);
  // the app with SLOs is scraped under job="api" (the SLO rules select job="api")
  assert.equal(find(prod, 'ServiceMonitor', 'api').spec.jobLabel, 'app.kubernetes.io/name');
  assert.ok(
    prod.some((o) => o.kind === 'PrometheusRule' && o.metadata.namespace === 'app'),
    'SLO objects of api are in the base',
  );
});

test('every script aksfleet generate writes passes shellcheck (bootstrap and infra)', (t) => {
  if (!haveShellcheck) return t.skip('shellcheck not installed (apt-get install -y shellcheck)');
  const all = generateAll(example);
  const root = writeTree(all);
  const scripts = all.filter((f) => f.path.endsWith('.sh')).map((f) => join(root, f.path));
  assert.equal(scripts.filter((p) => p.includes('/cluster-bootstrap/')).length, 3);
  const r = spawnSync('shellcheck', ['--severity=style', ...scripts], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('every generated object validates against its schema (packages or published CRDs)', () => {
  const problems: string[] = [];
  const unchecked = new Set<string>();
  const k8s = example.spec.clusters[0]!.kubernetesVersion;
  for (const { file, obj } of objectsOf(files)) {
    for (const p of validateObject(obj, k8s)) {
      if (p.code === 'no-schema') unchecked.add(`${obj.apiVersion} ${obj.kind}`);
      else problems.push(`${file} ${obj.kind}/${obj.metadata?.name}: ${p.path}: ${p.message}`);
    }
  }
  assert.deepEqual(problems, []);
  // Every generated kind has a schema, Kyverno ClusterPolicy included (see data/crds/README.md).
  assert.deepEqual([...unchecked], []);
});

test(
  'variant: label placement splitting an environment gets ' +
    'per-cluster folders, Gatekeeper gets a constraints stage',
  (t) => {
    const raw = exampleRaw();
    const prod2 = structuredClone(raw.spec.clusters[2]);
    prod2.name = 'aks-prod-2';
    prod2.network.vnet = {
      addressSpace: '10.31.0.0/16',
      nodeSubnet: '10.31.0.0/20',
      privateEndpointSubnet: '10.31.16.0/24',
    }; // the VNets of a fleet must not overlap
    prod2.labels = { tier: 'internal', 'topology.example.com/ring': '2' };
    raw.spec.clusters.push(prod2);
    raw.spec.addons.policy = { engine: 'gatekeeper', version: '3.17.1' };
    const fleet = fleetOf(raw);
    const out = generateFluxRepo(fleet);
    const paths = new Set(out.map((f) => f.path));
    assert.ok(
      !paths.has('workloads/prod/kustomization.yaml'),
      'no environment folder that would claim a placement that is not true',
    );
    assert.ok(paths.has('workloads/prod/clusters/aks-prod/kustomization.yaml'));
    assert.ok(paths.has('workloads/prod/clusters/aks-prod-2/kustomization.yaml'));
    assert.ok(paths.has('workloads/qa/kustomization.yaml'), 'qa is still exact');
    assert.ok(paths.has('platform/policies/constraints/required-labels.yaml'));
    const sync = parseAllDocuments(
      out.find((f) => f.path === 'clusters/aks-prod-2/aksfleet/workloads.yaml')!.content,
    )[0]!.toJS();
    assert.equal(sync.spec.path, './workloads/prod/clusters/aks-prod-2');
    assert.equal(sync.spec.postBuild.substitute.CLUSTER_LABEL_TOPOLOGY_EXAMPLE_COM_RING, '2');
    const platform = parseAllDocuments(
      out.find((f) => f.path === 'clusters/aks-prod-2/aksfleet/platform.yaml')!.content,
    ).map((d) => d.toJS());
    assert.deepEqual(
      platform.map((k) => k.metadata.name),
      ['platform-controllers', 'platform', 'policy-constraints'],
    );
    const built = buildAll(t, out);
    if (!built) return;
    assert.ok(built.get('workloads/prod/clusters/aks-prod')!.some((o) => o.metadata?.name === 'shop-blue'));
    assert.ok(!built.get('workloads/prod/clusters/aks-prod-2')!.some((o) => o.metadata?.namespace === 'shop'));
    assert.ok(
      built.get('tenants/prod/clusters/aks-prod')!.some((o) => o.kind === 'Namespace' && o.metadata.name === 'shop'),
    );
    assert.ok(
      !built.get('tenants/prod/clusters/aks-prod-2')!.some((o) => o.kind === 'Namespace' && o.metadata.name === 'shop'),
    );
    for (const { file, obj } of objectsOf(out)) {
      for (const p of validateObject(obj)) if (p.code !== 'no-schema') assert.fail(`${file}: ${p.path}: ${p.message}`);
    }
  },
);

test(
  'variant: ingress-nginx, Azure Repos, ' +
    'AKS Flux extension (no bootstrap scripts), ' +
    'an image override via images',
  (t) => {
    const raw = exampleRaw();
    raw.spec.addons.ingress = { kind: 'ingress-nginx', version: '4.11.3' };
    raw.spec.git = { provider: 'azure-repos', url: 'https://dev.azure.com/org/proj/_git/gitops', mainBranch: 'main' };
    raw.spec.gitops = { mode: 'extension' };
    delete raw.spec.tenants[1].apps[0].blueGreen;
    raw.spec.tenants[0].apps[0].overrides = { dev: { replicas: 1, image: 'acrprod123.azurecr.io/api:1.3.0-rc.1' } };
    const out = generateFluxRepo(fleetOf(raw));
    assert.ok(!out.some((f) => f.path.startsWith('cluster-bootstrap/')));
    assert.ok(out.some((f) => f.path === 'platform/controllers/ingress-nginx/release.yaml'));
    assert.ok(!out.some((f) => f.path.startsWith('platform/configs/gateway/')));
    const dev = parse(out.find((f) => f.path === 'workloads/dev/kustomization.yaml')!.content);
    assert.deepEqual(dev.images, [{ name: 'acrprod123.azurecr.io/api', newTag: '1.3.0-rc.1' }]);
    const built = buildAll(t, out);
    if (!built) return;
    assert.equal(
      find(built.get('workloads/dev'), 'Deployment', 'api').spec.template.spec.containers[0].image,
      'acrprod123.azurecr.io/api:1.3.0-rc.1',
    );
    assert.equal(
      find(built.get('workloads/qa'), 'Deployment', 'api').spec.template.spec.containers[0].image,
      'acrprod123.azurecr.io/api:1.2.3',
    );
    for (const { file, obj } of objectsOf(out)) {
      for (const p of validateObject(obj)) if (p.code !== 'no-schema') assert.fail(`${file}: ${p.path}: ${p.message}`);
    }
  },
);

test('variant: a blue/green image override patches the blue slot only (images would hit both)', (t) => {
  const raw = exampleRaw();
  raw.spec.tenants[1].apps[0].overrides = { qa: { image: 'acrprod123.azurecr.io/shop:2.0.1' } };
  const out = generateFluxRepo(fleetOf(raw));
  const qa = parse(out.find((f) => f.path === 'workloads/qa/kustomization.yaml')!.content);
  assert.equal(qa.images, undefined);
  const built = buildAll(t, out);
  if (!built) return;
  assert.equal(
    find(built.get('workloads/qa'), 'Deployment', 'shop-blue').spec.template.spec.containers[0].image,
    'acrprod123.azurecr.io/shop:2.0.1',
  );
  assert.equal(
    find(built.get('workloads/qa'), 'Deployment', 'shop-green').spec.template.spec.containers[0].image,
    'acrprod123.azurecr.io/shop:2.1.0',
  );
  assert.equal(
    find(built.get('workloads/prod'), 'Deployment', 'shop-blue').spec.template.spec.containers[0].image,
    'acrprod123.azurecr.io/shop:2.0.0',
  );
});

test('variant: every add-on off still builds (empty platform folders)', (t) => {
  const raw = exampleRaw();
  for (const k of ['certManager', 'ingress', 'kubePrometheusStack', 'policy', 'secretsStoreCsi', 'velero'])
    raw.spec.addons[k] = { ...raw.spec.addons[k], enabled: false };
  delete raw.spec.tenants[1].apps[0].blueGreen;
  const built = buildAll(t, generateFluxRepo(fleetOf(raw)));
  if (!built) return;
  assert.deepEqual(built.get('platform/controllers'), []);
  assert.deepEqual(built.get('platform/configs'), []);
});

test(
  'variant: a tenant with two namespaces, ' +
    'an identity and app in the second one, no backup, ' +
    'a Cosign public key',
  (t) => {
    const raw = exampleRaw();
    const app = raw.spec.tenants[0];
    app.namespaces = ['app', 'app-jobs'];
    app.backup = false;
    app.workloadIdentities[0].namespace = 'app-jobs';
    app.apps[0].namespace = 'app-jobs';
    raw.spec.imagePolicy = {
      publicKey: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n',
      attestations: [],
    };
    const out = generateFluxRepo(fleetOf(raw));
    assert.ok(!out.some((f) => f.path === 'tenants/base/app/backup-schedule.yaml'));
    const policies = parseAllDocuments(
      out.find((f) => f.path === 'platform/policies/kyverno-policies.yaml')!.content,
    ).map((d) => d.toJS());
    assert.deepEqual(policies[0].spec.rules[0].verifyImages[0].attestors, [
      { entries: [{ keys: { publicKeys: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n' } }] },
    ]);
    const built = buildAll(t, out);
    if (!built) return;
    const tenants = built.get('tenants/dev')!;
    const inNs = (kind: string, ns: string) =>
      tenants
        .filter((o) => o.kind === kind && o.metadata.namespace === ns)
        .map((o) => o.metadata.name)
        .sort();
    assert.deepEqual(inNs('RoleBinding', 'app-jobs'), ['tenant-app-edit']);
    assert.deepEqual(inNs('NetworkPolicy', 'app-jobs'), [
      'allow-dns',
      'allow-egress',
      'allow-from-ingress',
      'allow-from-monitoring',
      'default-deny',
    ]);
    assert.deepEqual(
      inNs('NetworkPolicy', 'app'),
      ['allow-dns', 'allow-egress', 'default-deny'],
      'no app in app: no ingress openings there',
    );
    assert.deepEqual(inNs('SecretProviderClass', 'app-jobs'), ['kv-sa-blob']);
    assert.equal(find(built.get('workloads/dev'), 'Deployment', 'api').metadata.namespace, 'app-jobs');
  },
);

test('variant: blue/green without the Gateway API is an input error naming the field', () => {
  const raw = exampleRaw();
  raw.spec.addons.ingress = { kind: 'ingress-nginx', version: '4.11.3' };
  assert.throws(
    () => generateFluxRepo(fleetOf(raw)),
    (e: unknown) =>
      e instanceof InputError && e.fieldPath === 'spec.tenants[1].apps[0].blueGreen' && /Gateway API/.test(e.message),
  );
});

function captureIo(cwd: string): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    color: false,
    cwd,
    env: {},
  };
  return io;
}

test(
  'CLI: aksfleet generate writes next to fleet.yaml, ' +
    'is idempotent, refuses edited files, --dry-run writes nothing',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-cli-'));
    cpSync(EXAMPLE, join(dir, 'fleet.yaml'));
    let io = captureIo(dir);
    assert.equal(await main(['generate'], io), 0, io.stderr);
    assert.match(io.stderr, /created, 0 updated, 0 deleted, 0 unchanged/);
    assert.ok(existsSync(join(dir, 'clusters/aks-prod/aksfleet/platform.yaml')));
    assert.ok(existsSync(join(dir, '.aksfleet/manifest.json')));
    const manifest1 = readFileSync(join(dir, '.aksfleet/manifest.json'), 'utf8');

    io = captureIo(dir);
    assert.equal(await main(['generate', '-f', 'fleet.yaml'], io), 0);
    assert.match(io.stderr, / 0 created, 0 updated, 0 deleted, \d+ unchanged/);
    assert.equal(readFileSync(join(dir, '.aksfleet/manifest.json'), 'utf8'), manifest1, 'byte-identical second run');

    const edited = join(dir, 'workloads/dev/kustomization.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8') + '# my edit\n');
    io = captureIo(dir);
    assert.equal(await main(['generate'], io), 1);
    assert.match(
      io.stderr,
      /workloads\/dev\/kustomization\.yaml: would overwrite a file that changed since aksfleet wrote it/,
    );
    assert.match(readFileSync(edited, 'utf8'), /# my edit/);

    io = captureIo(dir);
    assert.equal(await main(['generate', '--dry-run'], io), 1);
    assert.match(io.stdout, /^conflict workloads\/dev\/kustomization\.yaml/m);

    io = captureIo(dir);
    assert.equal(await main(['generate', '--force'], io), 0);
    assert.doesNotMatch(readFileSync(edited, 'utf8'), /# my edit/);

    // Removing a tenant deletes its owned files; dry-run lists the deletions first.
    const raw = parse(readFileSync(join(dir, 'fleet.yaml'), 'utf8'));
    raw.spec.tenants = raw.spec.tenants.filter((x: any) => x.name !== 'shop');
    writeFileSync(join(dir, 'fleet.yaml'), JSON.stringify(raw));
    io = captureIo(dir);
    assert.equal(await main(['generate', '--dry-run'], io), 0);
    assert.match(io.stdout, /^delete workloads\/base\/shop\/shop\/httproute\.yaml$/m);
    assert.ok(existsSync(join(dir, 'workloads/base/shop/shop/httproute.yaml')), 'dry-run wrote nothing');
    io = captureIo(dir);
    assert.equal(await main(['generate'], io), 0);
    assert.ok(!existsSync(join(dir, 'workloads/base/shop')));
  },
);

test('CLI: -o writes elsewhere; a bad fleet is exit 2 with file:line:col', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-cli-'));
  const out = join(dir, 'out');
  let io = captureIo(dir);
  assert.equal(await main(['generate', '-f', EXAMPLE, '-o', out], io), 0, io.stderr);
  assert.ok(existsSync(join(out, 'workloads/prod/kustomization.yaml')));
  const raw = exampleRaw();
  raw.spec.addons.ingress = { kind: 'ingress-nginx', version: '4.11.3' };
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    readFileSync(EXAMPLE, 'utf8').replace(
      'ingress: { kind: gateway-api, version: v1.7.5, gatewayName: public-gw }',
      'ingress: { kind: ingress-nginx, version: 4.11.3 }',
    ),
  );
  io = captureIo(dir);
  assert.equal(await main(['generate', '-f', bad, '-o', join(dir, 'out2')], io), 2);
  assert.match(
    io.stderr,
    /bad\.yaml:\d+:\d+: spec\.tenants\[1\]\.apps\[0\]\.blueGreen: blue\/green needs the Gateway API/,
  );
  assert.ok(!existsSync(join(dir, 'out2')), 'nothing written');
});

test('aksfleet build renders every cluster of the generated repo offline (all four Flux Kustomizations built)', async () => {
  const root = writeTree(generateAll(example));
  for (const c of example.spec.clusters) {
    const io = captureIo(root);
    // The IaC outputs ConfigMap lives in the cluster, not in Git: its variables are unknown offline.
    const code = await main(['build', root, '--cluster', c.name, '--summary', '--allow-missing-vars'], io);
    assert.equal(code, 0, io.stderr);
    for (const k of ['platform-controllers', 'platform', 'tenants', 'workloads']) {
      assert.match(
        io.stdout + io.stderr,
        new RegExp(`flux-system/${k} +\\S+ +\\d+ .*built`),
        `${c.name}: ${k} built\n${io.stdout}`,
      );
    }
  }
});

test(
  'every ${VAR} a cluster applies is substituted: ' +
    'cluster variables or a key the IaC publishes to aksfleet-outputs',
  () => {
    const all = generateAll(example);
    const byPath = new Map(all.map((f) => [f.path, f.content]));
    for (const c of example.spec.clusters) {
      const publish = byPath.get(`infra/clusters/${c.name}/publish-outputs.sh`);
      assert.ok(publish, `infra/clusters/${c.name}/publish-outputs.sh is generated`);
      const known = new Set(Object.keys(clusterVars(example, c)));
      const tenants = example.spec.tenants.filter((t) => tenantPlacedOn(t, c)).map((t) => t.name);
      const applied = all.filter(
        (f) =>
          f.path.startsWith('platform/') ||
          tenants.some((t) => f.path.startsWith(`tenants/base/${t}/`) || f.path.startsWith(`workloads/base/${t}/`)),
      );
      const missing = new Set<string>();
      for (const f of applied) {
        for (const m of f.content.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) {
          const v = m[1]!;
          if (!known.has(v) && !new RegExp(`\\b${v}\\b`).test(publish)) missing.add(`${f.path}: ${v}`);
        }
      }
      assert.deepEqual([...missing], [], `${c.name}: variables nobody sets (Flux would substitute empty strings)`);
    }
  },
);
