/** The cluster as it will be: what the render, the platform and the render's controllers provide, and what the model cannot know. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextFromYaml } from '../testing.js';
import { parseCheckConfig } from '../config.js';
import { buildClusterModel, platformOf } from './model.js';
import { egressAllows, networkPolicies, selectNamespaces } from './network-policy.js';
import { dnsUnreachable } from '../rules/references-network.js';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { team: a } }\n';

test('platform: aks with a fleet spec or platform: aks; generic Kubernetes otherwise', () => {
  assert.equal(platformOf(contextFromYaml('')), 'kubernetes');
  assert.equal(platformOf(contextFromYaml('', { config: { platform: 'aks' } })), 'aks');
  const m = buildClusterModel(contextFromYaml('', { config: { platform: 'aks' } }));
  assert.ok(m.find('storage.k8s.io', 'StorageClass', undefined, 'managed-csi'));
  assert.equal(
    buildClusterModel(contextFromYaml('')).find('storage.k8s.io', 'StorageClass', undefined, 'managed-csi'),
    undefined,
  );
  assert.equal(
    buildClusterModel(contextFromYaml('')).facts.storageClasses,
    undefined,
    "a generic cluster's storage classes are not known",
  );
});

test('.aksfleet.yaml platform: aks | kubernetes, anything else is an input error with its line', () => {
  assert.equal(parseCheckConfig('platform: aks\n', []).platform, 'aks');
  assert.equal(parseCheckConfig('rules: {}\n', []).platform, undefined);
  assert.throws(
    () => parseCheckConfig('rules: {}\nplatform: eks\n', []),
    (e: Error & { pos?: { file: string; line: number } }) => {
      assert.match(e.message, /"eks" is not allowed; must be one of: aks, kubernetes/);
      assert.deepEqual([e.pos?.file, e.pos?.line], ['.aksfleet.yaml', 2]);
      return true;
    },
  );
});

test(
  'built-ins: initial namespaces with their name label, default ServiceAccount and kube-root-ca.crt ' +
    'everywhere, built-in PriorityClasses, CoreDNS pods',
  () => {
    const m = buildClusterModel(contextFromYaml(NS));
    assert.deepEqual(m.namespaces.get('kube-system')?.labels, { 'kubernetes.io/metadata.name': 'kube-system' });
    assert.deepEqual(m.namespaces.get('app')?.labels, { team: 'a', 'kubernetes.io/metadata.name': 'app' });
    assert.ok(m.find('', 'ServiceAccount', 'app', 'default'));
    assert.ok(m.find('', 'ConfigMap', 'kube-system', 'kube-root-ca.crt'));
    assert.equal(m.find('', 'ServiceAccount', 'app', 'api'), undefined);
    const noNs = buildClusterModel(contextFromYaml('apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n'));
    assert.ok(noNs.find('', 'Secret', 'default', 's'), 'an object without a namespace is applied to default');
    assert.equal(noNs.find('', 'Secret', 'app', 's'), undefined);
    assert.ok(m.find('scheduling.k8s.io', 'PriorityClass', undefined, 'system-cluster-critical'));
    const dns = m.pods.filter((p) => p.namespace === 'kube-system');
    assert.deepEqual(
      dns.map((p) => [p.labels, p.containers[0]!.ports.map((x) => `${x.name}:${x.port}/${x.protocol}`)]),
      [[{ 'k8s-app': 'kube-dns' }, ['dns:53/UDP', 'dns-tcp:53/TCP']]],
    );
  },
);

test(
  'controllers of the render: Secrets of ExternalSecret (target.name; not with creationPolicy None), ' +
    'SealedSecret, Certificate, SecretProviderClass secretObjects',
  () => {
    const yaml = [
      'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: { name: es, namespace: app ' +
        '}\nspec: { target: { name: es-target } }',
      'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: { name: es-none, namespace: ' +
        'app }\nspec: { target: { creationPolicy: None } }',
      'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: { name: sealed, namespace: app }\nspec: {}',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: cert, namespace: app }\nspec: { ' +
        'secretName: tls }',
      'apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: { name: kv, namespace: ' +
        'app }\nspec: { secretObjects: [ { secretName: kv-sync, type: Opaque } ] }',
    ].join('\n---\n');
    const m = buildClusterModel(contextFromYaml(yaml));
    for (const name of ['es-target', 'sealed', 'tls', 'kv-sync'])
      assert.match(m.find('', 'Secret', 'app', name)?.how ?? 'missing', /^created by /, name);
    for (const name of ['es', 'es-none', 'cert']) assert.equal(m.find('', 'Secret', 'app', name), undefined, name);
  },
);

test(
  "what the model cannot see is opaque: an unrendered HelmRelease (its target namespace), an operator's " +
    'object, a namespace without workloads, kube-system; createNamespace adds the namespace',
  () => {
    const yaml = [
      NS,
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: redis, namespace: ' +
        'flux-system }\nspec: { targetNamespace: cache, install: { createNamespace: true }, chart: { spec: { ' +
        'chart: redis } } }',
      'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: { name: db, namespace: app }\nspec: { ' +
        'instances: 1 }',
    ].join('\n---\n');
    const m = buildClusterModel(contextFromYaml(yaml));
    assert.match(m.opaque('cache') ?? '', /HelmRelease\/flux-system\/redis is not rendered/);
    assert.match(m.opaque('app') ?? '', /Cluster\/app\/db \(postgresql.cnpg.io\) may create objects/);
    assert.match(m.opaque('flux-system') ?? '', /no workload of namespace flux-system is in the render/);
    assert.match(m.opaque('kube-system') ?? '', /system pods besides CoreDNS/);
    assert.match(m.clusterOpaque ?? '', /HelmRelease/);
    assert.deepEqual(m.namespaces.get('cache')?.labels, { 'kubernetes.io/metadata.name': 'cache' });
    const withWorkload = buildClusterModel(
      contextFromYaml(
        `${NS}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: app }\nspec: { ` +
          'selector: { matchLabels: { app: api } }, template: { metadata: { labels: { app: api } }, spec: { ' +
          'containers: [ { name: api, image: a } ] } } }\n',
      ),
    );
    assert.equal(withWorkload.opaque('app'), undefined, 'a namespace whose workloads are rendered is known');
  },
);

test(
  'namespaceSelector: a namespace used but declared nowhere is taken to carry only its name label, and the ' +
    'selection says so',
  () => {
    const m = buildClusterModel(
      contextFromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: orphan }\n'),
    );
    const s = selectNamespaces(m, { matchLabels: { team: 'a' } });
    assert.equal(s.matches.length, 0);
    assert.match(
      s.note ?? '',
      /namespace orphan, declared nowhere in the render, taken to carry only kubernetes.io\/metadata.name/,
    );
    assert.deepEqual(
      selectNamespaces(m, { matchLabels: { 'kubernetes.io/metadata.name': 'orphan' } }).matches.map((n) => n.name),
      ['orphan'],
    );
  },
);

const deny =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: app }\nspec: { ' +
  'podSelector: {}, policyTypes: [Egress] }';
const allow = (to: string, ports: string) =>
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: dns, namespace: app }\nspec:\n  ' +
  `podSelector: {}\n  policyTypes: [Egress]\n  egress: [ { to: [ ${to} ], ports: [ ${ports} ] } ]`;
const KS = '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }';
const dnsCase = (to: string, ports: string) =>
  dnsUnreachable(contextFromYaml([NS, deny, allow(to, ports)].join('\n---\n')), 'app')?.missing ?? [];

test('DNS reach: the real question, peer and port by port', () => {
  assert.deepEqual(dnsCase(KS, '{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }'), []);
  assert.deepEqual(dnsCase(KS, '{ port: 53, protocol: UDP }'), ['53/TCP'], 'UDP only: TCP fallback is lost');
  assert.deepEqual(
    dnsCase(KS, '{ port: dns, protocol: UDP }, { port: dns-tcp, protocol: TCP }'),
    [],
    'CoreDNS named ports',
  );
  assert.deepEqual(
    dnsCase(KS, '{ port: 50, endPort: 60, protocol: UDP }, { port: 53 }'),
    [],
    'a range, and TCP by default',
  );
  assert.deepEqual(
    dnsCase(
      '{ namespaceSelector: { matchLabels: { kube-system: "true" } } }',
      '{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }',
    ),
    ['53/UDP', '53/TCP'],
  );
  assert.deepEqual(
    dnsCase(
      '{ podSelector: { matchLabels: { k8s-app: kube-dns } } }',
      '{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }',
    ),
    ['53/UDP', '53/TCP'],
    "a podSelector alone selects pods of the policy's own namespace",
  );
  assert.deepEqual(
    dnsCase(
      `{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }`,
      '{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }',
    ),
    [],
  );
  assert.deepEqual(
    dnsCase(
      `{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: coredns } } }`,
      '{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }',
    ),
    ['53/UDP', '53/TCP'],
  );
});

test('egress: a pod no Egress policy selects is not isolated', () => {
  const ctx = contextFromYaml(
    [NS, allow(KS, '{ port: 53 }').replace('podSelector: {}', 'podSelector: { matchLabels: { app: other } }')].join(
      '\n---\n',
    ),
  );
  const m = buildClusterModel(ctx);
  const pod = { namespace: 'app', labels: { app: 'api' }, annotations: {}, containers: [], how: 't' };
  assert.equal(
    egressAllows(m, networkPolicies(ctx.resources), pod, m.pods[0]!, { port: 53, protocol: 'UDP' }),
    undefined,
  );
});

test(
  'platform webhooks as data with their source: on AKS the Workload Identity webhook mutates pods labelled ' +
    'azure.workload.identity/use and adds no label or annotation',
  () => {
    const pod =
      `${NS}---\napiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: app, labels: { ` +
      'azure.workload.identity/use: "true" } }\nspec: { serviceAccountName: default, containers: [ { name: c, ' +
      'image: a } ] }\n';
    const aks = buildClusterModel(contextFromYaml(pod, { config: { platform: 'aks' } }));
    const wi = aks.facts.webhooks.find((w) => w.name === 'Azure Workload Identity webhook');
    assert.match(
      wi?.source ?? '',
      /^https:\/\/azure\.github\.io\/azure-workload-identity\/docs\/installation\/mutating-admission-webhook\.html/,
    );
    const p = aks.pods.find((x) => x.namespace === 'app')!;
    assert.equal(p.how, 'rendered, mutated by Azure Workload Identity webhook');
    assert.deepEqual(p.annotations, {}, 'the client-id annotation stays on the ServiceAccount');
    assert.deepEqual(
      buildClusterModel(contextFromYaml(pod)).facts.webhooks,
      [],
      'a generic cluster runs no known webhook',
    );
    assert.equal(
      buildClusterModel(contextFromYaml(pod.replace('"true"', '"false"'), { config: { platform: 'aks' } })).pods.find(
        (x) => x.namespace === 'app',
      )!.how,
      'rendered',
    );
  },
);
