/**
 * End to end on the generated example fleet (examples/fleet.yaml through the generators, as
 * `aksfleet generate` writes it): it passes the gate (exit 0, no error or warning), and each
 * planted defect fails it (exit 1) with the rule and the planted file named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from './helpers.js';

const fleetText = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8');
const base = mkdtempSync(join(tmpdir(), 'aksfleet-example-'));
writeFileSync(join(base, 'fleet.yaml'), fleetText);
for (const f of generateAll(parseFleet(fleetText))) {
  mkdirSync(dirname(join(base, f.path)), { recursive: true });
  writeFileSync(join(base, f.path), f.content);
}
process.on('exit', () => rmSync(base, { recursive: true, force: true }));

interface Json {
  findings: {
    rule: string;
    severity: string;
    file: string | null;
    line: number | null;
    cluster: string | null;
    message: string;
  }[];
  clusters: { name: string; objects: number }[];
}

test('the generated example fleet passes: exit 0, no error or warning', async () => {
  const r = await runCli(['check', base, '--format', 'json']);
  const j = JSON.parse(r.out) as Json;
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(
    j.clusters.map((c) => c.name),
    ['aks-dev', 'aks-prod', 'aks-qa'],
  );
  for (const c of j.clusters) assert.ok(c.objects > 40, `${c.name} renders ${c.objects} objects`);
  assert.deepEqual(
    j.findings.filter((f) => f.severity !== 'info'),
    [],
  );
  // Only the production preference for digests remains, as info; the fleet's signature policy,
  // which needs a registry: not evaluable offline (info), never a pass; and (no chart given) the
  // add-on HelmReleases whose charts were not rendered, as info.
  assert.deepEqual([...new Set(j.findings.map((f) => `${f.rule}@${f.cluster}`))].sort(), [
    'helmrelease-renders@aks-dev',
    'helmrelease-renders@aks-prod',
    'helmrelease-renders@aks-qa',
    'image-digest-in-prod@aks-prod',
    'policy:verify-signed-images/autogen-require-cosign@aks-dev',
    'policy:verify-signed-images/autogen-require-cosign@aks-prod',
    'policy:verify-signed-images/autogen-require-cosign@aks-qa',
  ]);
  for (const f of j.findings.filter((x) => x.rule.startsWith('policy:'))) {
    assert.match(
      f.message,
      /^not evaluable offline: policy verify-signed-images rule autogen-require-cosign on \d+ object\(s\) \(verifyImages/,
    );
    assert.equal(f.file, 'platform/policies/kyverno-policies.yaml');
  }
  assert.ok(
    j.findings
      .filter((f) => f.rule === 'helmrelease-renders')
      .every((f) =>
        /no chart store: map HelmRepository\/\S+ to a folder of charts with --chart-source/.test(f.message),
      ),
  );
});

test('--cluster and --path check one cluster; repository rules look at its infra only', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-one-'));
  try {
    cpSync(base, root, { recursive: true });
    const p = join(root, 'infra/clusters/aks-prod/main.bicepparam');
    writeFileSync(p, readFileSync(p, 'utf8').replace('enablePrivateCluster: true', 'enablePrivateCluster: false'));
    const dev = await runCli(['check', root, '--cluster', 'aks-dev', '--format', 'json']);
    assert.equal(dev.code, 0, dev.out);
    assert.deepEqual(
      (JSON.parse(dev.out) as Json).clusters.map((c) => c.name),
      ['aks-dev'],
    );
    const prod = await runCli(['check', root, '--path', 'clusters/aks-prod', '--format', 'json']);
    assert.equal(prod.code, 1);
    const j = JSON.parse(prod.out) as Json;
    assert.deepEqual(
      j.clusters.map((c) => c.name),
      ['aks-prod'],
    );
    assert.ok(
      j.findings.some((f) => f.rule === 'prod-cluster-private' && f.file === 'infra/clusters/aks-prod/main.bicepparam'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

interface Defect {
  readonly name: string;
  readonly file: string;
  readonly edit: (text: string) => string;
  readonly rule: string;
  /** File the finding names, when not the edited one. */
  readonly at?: string;
  readonly failOn?: string;
  readonly extra?: Record<string, string>;
  /** A kustomization.yaml to list the (new) file in. */
  readonly listIn?: string;
}

const replaceOnce = (from: string | RegExp, to: string) => (t: string) => {
  const out = t.replace(from, to);
  assert.notEqual(out, t, `defect edit did not apply: ${String(from)}`);
  return out;
};

const defects: Defect[] = [
  {
    name: 'image :latest',
    file: 'workloads/base/app/api/deployment.yaml',
    edit: replaceOnce('api:1.2.3', 'api:latest'),
    rule: 'image-tag-pinned',
  },
  {
    name: 'image from Docker Hub',
    file: 'workloads/base/app/api/deployment.yaml',
    edit: replaceOnce('acrprod123.azurecr.io/api:1.2.3', 'docker.io/library/nginx:1.27.3'),
    rule: 'image-from-fleet-registry',
  },
  // Any all-pods policy of a direction isolates it (Kubernetes semantics), so the defect is no policy at all.
  {
    name: 'no network policies',
    file: 'tenants/base/app/kustomization.yaml',
    edit: replaceOnce('- network-policies.yaml\n', ''),
    rule: 'namespace-has-default-deny',
    at: 'tenants/base/app/namespaces.yaml',
  },
  // At the cause (#17 item 5): the egress policy that leaves DNS out, not the Namespace.
  {
    name: 'no DNS egress',
    file: 'tenants/base/app/network-policies.yaml',
    edit: replaceOnce(
      /      port: 53\n    - protocol: TCP\n      port: 53/,
      '      port: 54\n    - protocol: TCP\n      port: 54',
    ),
    rule: 'namespace-allows-dns',
  },
  // The fleet's own Kyverno policy refuses it (Enforce): one finding, the policy's, exit 1 at the default --fail-on.
  {
    name: 'namespace without costCenter',
    file: 'tenants/base/app/namespaces.yaml',
    edit: replaceOnce(/\n\s+costCenter: .*/, ''),
    rule: 'policy:require-namespace-labels/require-owner-and-cost-center',
  },
  {
    name: 'platform namespace without costCenter',
    file: 'platform/controllers/velero/namespace.yaml',
    edit: replaceOnce(/\n\s+costCenter: .*/, ''),
    rule: 'policy:require-namespace-labels/require-owner-and-cost-center',
  },
  {
    name: 'allow-all ingress policy in a tenant namespace',
    file: 'tenants/base/app/allow-all.yaml',
    edit: () =>
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-all, namespace: app }\n' +
      'spec: { podSelector: {}, policyTypes: [Ingress], ingress: [ {} ] }\n',
    rule: 'namespace-has-default-deny',
    extra: {},
    listIn: 'tenants/base/app/kustomization.yaml',
  },
  {
    name: 'workload identity label missing',
    file: 'workloads/base/app/api/deployment.yaml',
    edit: replaceOnce(/\n\s+azure\.workload\.identity\/use: "true"/, ''),
    rule: 'workload-identity-pod-label',
  },
  {
    name: 'service account without federated credential',
    file: 'tenants/base/app/service-accounts.yaml',
    edit: replaceOnce('name: sa-blob', 'name: sa-blobs'),
    rule: 'service-account-has-federated-credential',
  },
  {
    name: 'plain Secret',
    file: 'tenants/base/app/kustomization.yaml',
    edit: replaceOnce('- backup-schedule.yaml', '- backup-schedule.yaml\n- db-secret.yaml'),
    rule: 'no-plain-secret',
    at: 'tenants/base/app/db-secret.yaml',
    extra: {
      'tenants/base/app/db-secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: app }\ndata: { password: aHVudGVyMg== }\n',
    },
  },
  {
    name: 'dependsOn typo',
    file: 'clusters/aks-dev/aksfleet/workloads.yaml',
    edit: replaceOnce('- name: tenants', '- name: tenant'),
    rule: 'depends-on-exists',
  },
  {
    name: 'sourceRef typo',
    file: 'clusters/aks-qa/aksfleet/tenants.yaml',
    edit: replaceOnce(/(sourceRef:\n\s+kind: GitRepository\n\s+name: )\S+/, '$1git-ops'),
    rule: 'source-ref-exists',
  },
  {
    name: 'path typo',
    file: 'clusters/aks-qa/aksfleet/workloads.yaml',
    edit: replaceOnce('path: ./workloads/qa', 'path: ./workload/qa'),
    rule: 'kustomization-path-exists',
  },
  {
    name: 'suspended on prod',
    file: 'clusters/aks-prod/aksfleet/workloads.yaml',
    edit: replaceOnce('  prune: true', '  prune: true\n  suspend: true'),
    rule: 'no-suspend-in-prod',
  },
  {
    name: 'prune off',
    file: 'clusters/aks-dev/aksfleet/workloads.yaml',
    edit: replaceOnce('prune: true', 'prune: false'),
    rule: 'kustomization-prune-enabled',
    failOn: 'warning',
  },
  {
    name: 'chart version range',
    file: 'platform/controllers/velero/release.yaml',
    edit: replaceOnce(/version: "?12\.1\.0"?/, 'version: ">=12.0.0"'),
    rule: 'helm-chart-version-pinned',
  },
  {
    name: 'PromQL that does not parse',
    file: 'workloads/base/app/api/slo.yaml',
    edit: replaceOnce(/expr: (.*)sum\(/, 'expr: $1sum(('),
    rule: 'prometheus-rule-parses',
  },
  {
    name: 'signature policy for another registry',
    file: 'platform/policies/kyverno-policies.yaml',
    edit: replaceOnce(/acrprod123\.azurecr\.io\/\*/, 'acrdev999.azurecr.io/*'),
    rule: 'image-signature-policy',
    at: 'clusters/aks-dev/aksfleet/kustomization.yaml',
  },
  {
    name: 'HTTPRoute weights all zero',
    file: 'workloads/base/shop/shop/httproute.yaml',
    edit: (t) => replaceOnce(/weight: \d+/g, 'weight: 0')(t),
    rule: 'httproute-weights-valid',
  },
  {
    name: 'PDB that blocks drains',
    file: 'workloads/base/app/api/pdb.yaml',
    edit: replaceOnce(/^  maxUnavailable: .*/m, '  maxUnavailable: 0'),
    rule: 'pdb-allows-drain',
  },
  {
    name: 'missing manifest',
    file: 'workloads/base/app/api/kustomization.yaml',
    edit: replaceOnce('- service.yaml', '- services.yaml'),
    rule: 'kustomization-builds',
  },
  {
    name: 'public API server on prod (infra edited)',
    file: 'infra/clusters/aks-prod/main.bicepparam',
    edit: replaceOnce('enablePrivateCluster: true', 'enablePrivateCluster: false'),
    rule: 'prod-cluster-private',
  },
  // #22: the supply chain off the public internet, each regression at the generated file that carries it.
  {
    name: 'public access of the shared resources re-enabled (infra edited)',
    file: 'infra/shared/main.bicepparam',
    edit: replaceOnce("param publicNetworkAccess = 'Disabled'", "param publicNetworkAccess = 'Enabled'"),
    rule: 'prod-shared-resources-private',
  },
  {
    name: 'DNS zone link of the registry endpoint removed (infra edited)',
    file: 'infra/clusters/aks-prod/private-endpoints.bicep',
    edit: replaceOnce(/resource registryZoneLink [\s\S]*?\n\}\n/, ''),
    rule: 'prod-private-endpoints',
  },
  {
    name: 'Key Vault private endpoint removed (infra edited)',
    file: 'infra/clusters/aks-prod/private-endpoints.bicep',
    edit: (t) =>
      replaceOnce(
        /resource keyVaultEndpointDns [\s\S]*?\n\}\n/,
        '',
      )(replaceOnce(/resource keyVaultEndpoint [\s\S]*?\n\}\n/, '')(t)),
    rule: 'prod-private-endpoints',
  },
  {
    name: 'prod egress through the load balancer (infra edited)',
    file: 'infra/clusters/aks-prod/main.bicepparam',
    edit: replaceOnce("outboundType: 'userAssignedNATGateway'", "outboundType: 'loadBalancer'"),
    rule: 'prod-egress-pinned',
  },
  {
    name: 'pool count outside autoscaler bounds (infra edited)',
    file: 'infra/clusters/aks-dev/main.bicepparam',
    edit: replaceOnce(/(name: 'userpool'[\s\S]*?count: )\d+/, '$125'),
    rule: 'autoscaler-bounds',
  },
  {
    name: 'unsupported Kubernetes version (infra edited)',
    file: 'infra/clusters/aks-qa/main.bicepparam',
    edit: replaceOnce(/param kubernetesVersion = '[^']+'/, "param kubernetesVersion = '1.29.7'"),
    rule: 'kubernetes-version-supported',
  },
  {
    name: 'federated credential for another service account (infra edited)',
    file: 'infra/clusters/aks-dev/main.bicep',
    edit: replaceOnce("serviceAccount: 'sa-blob'", "serviceAccount: 'sa-blob-old'"),
    rule: 'federated-credential-has-service-account',
  },
  {
    name: 'cluster in infra without a Flux path',
    file: 'infra/clusters/aks-old/main.bicep',
    edit: () => '// a cluster nobody syncs\n',
    rule: 'clusters-match-infra',
  },
  {
    name: 'SecretProviderClass naming another vault',
    file: 'tenants/base/app/secret-provider-classes.yaml',
    edit: replaceOnce('keyvaultName: ${KEY_VAULT_NAME}', 'keyvaultName: kv-legacy'),
    rule: 'secret-provider-class-matches-infra',
  },
  {
    name: 'SecretProviderClass with an unknown client ID',
    file: 'tenants/base/app/secret-provider-classes.yaml',
    edit: replaceOnce('clientID: ${IDENTITY_CLIENT_ID_ID_APP_BLOB}', 'clientID: 11111111-2222-3333-4444-555555555555'),
    rule: 'secret-provider-class-matches-infra',
  },
  {
    name: 'object that does not match its schema',
    file: 'workloads/base/app/api/deployment.yaml',
    edit: replaceOnce(/replicas: \d+/, 'replicas: three'),
    rule: 'object-schema',
  },
  {
    name: 'stray cluster directory',
    file: 'clusters/aks-old/aksfleet/kustomization.yaml',
    edit: () => 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
    rule: 'clusters-match-infra',
  },
];

for (const d of defects) {
  test(`planted defect fails the gate: ${d.name} (${d.rule})`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'aksfleet-defect-'));
    try {
      cpSync(base, root, { recursive: true });
      const p = join(root, d.file);
      mkdirSync(dirname(p), { recursive: true });
      let text = '';
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        /* new file */
      }
      writeFileSync(p, d.edit(text));
      for (const [f, c] of Object.entries(d.extra ?? {})) writeFileSync(join(root, f), c);
      if (d.listIn) {
        const k = join(root, d.listIn);
        writeFileSync(
          k,
          readFileSync(k, 'utf8').replace(/^resources:\n/m, `resources:\n- ${d.file.split('/').at(-1)}\n`),
        );
      }
      const r = await runCli(['check', root, '--format', 'json', ...(d.failOn ? ['--fail-on', d.failOn] : [])]);
      assert.equal(r.code, 1, `${r.err}${r.out.slice(0, 2000)}`);
      const j = JSON.parse(r.out) as Json;
      const hits = j.findings.filter((f) => f.rule === d.rule);
      assert.ok(
        hits.length > 0,
        `no ${d.rule} finding; got: ${j.findings.map((f) => `${f.rule} ${f.file}`).join('; ')}`,
      );
      assert.ok(
        hits.some((f) => f.file === (d.at ?? d.file)),
        `${d.rule} names ${hits.map((f) => f.file).join(', ')}, expected ${d.at ?? d.file}`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
