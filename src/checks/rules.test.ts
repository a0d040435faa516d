/**
 * Every rule in the registry, with a passing and a failing fixture (inline YAML). The last
 * test makes sure no rule is registered without both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from './registry.js';
import { checkCluster, runChecks } from './run.js';
import { contextFromYaml, type TestContextOptions } from './testing.js';
import type { Finding, InfraClusterNetwork, InfraInfo, RepoContext } from './types.js';
import { DEFAULT_CONFIG } from './config.js';
import { referenceFixtures } from './rules/testing/references-fixtures.js';

interface Case {
  readonly yaml?: string;
  readonly opts?: TestContextOptions;
  /** For repository rules. */
  readonly repo?: Partial<RepoContext>;
}
interface Fixture {
  readonly pass: Case;
  readonly fail: Case;
  /** Part of the failing finding's message. */
  readonly expect: RegExp;
  /** Expected file:line of the failing finding, when the rule points at one. */
  readonly at?: string;
}

const GIT = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { url: https://github.com/org/repo, interval: 1m, ref: { branch: main } }
`;
const ks = (name: string, extra = '', path = './apps') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name}, namespace: flux-system }
spec:
  interval: 10m
  prune: true
  path: ${path}
  sourceRef: { kind: GitRepository, name: flux-system }
${extra}`;
const ROOT = ks('flux-system', '', './clusters/test');
const helmRepo = `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: { name: bitnami, namespace: flux-system }
spec: { url: https://charts.bitnami.com/bitnami, interval: 1h }
`;
const hr = (version: string | undefined, source = 'bitnami') => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: redis, namespace: flux-system }
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
${version === undefined ? '' : `      version: "${version}"\n`}      sourceRef: { kind: HelmRepository, name: ${source} }
`;
const ns = (name: string, labels = '{ owner: team-a, costCenter: cc-1 }') => `---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
const DENY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: app }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;
const DNS = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: app }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [ { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } } ]
      ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ]
`;
const NS_LABEL_POLICY = `---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: ns-labels }
spec:
  validationFailureAction: Enforce
  rules:
    - name: need-labels
      match: { any: [ { resources: { kinds: [Namespace] } } ] }
      validate:
        message: Namespaces need owner and costCenter.
        pattern: { metadata: { labels: { owner: '?*', costCenter: '?*' } } }
`;
const deploy = (
  o: {
    image?: string;
    replicas?: number;
    sa?: string;
    labels?: string;
    resources?: boolean;
    probes?: boolean;
    ns?: string;
  } = {},
) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: ${o.ns ?? 'app'} }
spec:
  replicas: ${o.replicas ?? 1}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api${o.labels ?? ''} } }
    spec:
      serviceAccountName: ${o.sa ?? 'default'}
      containers:
        - name: api
          image: ${o.image ?? 'acrprod123.azurecr.io/api:1.2.3'}
${o.resources === false ? '' : '          resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } }\n'}${o.probes === false ? '' : '          readinessProbe: { httpGet: { path: /ready, port: 8080 } }\n          livenessProbe: { httpGet: { path: /live, port: 8080 } }\n'}`;
const wiSa = `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-blob
  namespace: app
  annotations: { azure.workload.identity/client-id: "\${IDENTITY_CLIENT_ID_ID_APP_BLOB}" }
`;
const pdb = (spec: string) => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: api, namespace: app }
spec: { selector: { matchLabels: { app: api } }, ${spec} }
`;
const kyverno = (pattern: string) => `---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: verify-signed-images }
spec:
  rules:
    - name: require-cosign
      match: { any: [ { resources: { kinds: [Pod] } } ] }
      verifyImages:
        - imageReferences: ["${pattern}"]
          attestors: [ { entries: [ { keyless: { issuer: "https://token.actions.githubusercontent.com", subject: "repo:org/*" } } ] } ]
`;
const promRule = (expr: string, labels = '{ severity: page }') => `---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: slo-api, namespace: monitoring }
spec:
  groups:
    - name: api
      rules:
        - alert: APIHighErrorRate
          expr: '${expr}'
          for: 10m
          labels: ${labels}
`;
const route = (w1: number, w2: number) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: app }
spec:
  parentRefs: [ { name: public-gw } ]
  rules:
    - backendRefs: [ { name: shop-blue, port: 80, weight: ${w1} }, { name: shop-green, port: 80, weight: ${w2} } ]
`;
const pvc = `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: app }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;
const schedule = (nsList: string) => `---
apiVersion: velero.io/v1
kind: Schedule
metadata: { name: app-daily, namespace: velero }
spec: { schedule: "0 2 * * *", template: { includedNamespaces: [${nsList}], ttl: 720h0m0s } }
`;
const spc = (kv: string, client: string) => `---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: { name: kv-secrets, namespace: app }
spec:
  provider: azure
  parameters: { useWorkloadIdentity: "true", clientID: "${client}", keyvaultName: ${kv}, tenantId: "\${AZURE_TENANT_ID}" }
`;

const INFRA: InfraInfo = {
  file: 'fleet.yaml',
  registryLoginServer: 'acrprod123.azurecr.io',
  keyVaultName: 'kv-fleet',
  tenantId: '00000000-0000-0000-0000-000000000000',
  clusters: [
    {
      name: 'test',
      production: true,
      private: true,
      kubernetesVersion: '1.35.6',
      oidcIssuer: 'oidc-issuer(test)',
      pools: [{ name: 'system', count: 3, min: 3, max: 10 }],
      file: 'fleet.yaml',
      line: 40,
    },
  ],
  identities: [
    {
      name: 'id-app-blob',
      clientIdRefs: ['${IDENTITY_CLIENT_ID_ID_APP_BLOB}'],
      federatedCredentials: [
        { cluster: 'test', issuer: 'oidc-issuer(test)', subject: 'system:serviceaccount:app:sa-blob' },
      ],
      file: 'fleet.yaml',
      line: 80,
    },
  ],
};
const withInfra = (over: Partial<InfraInfo>): InfraInfo => ({ ...INFRA, ...over });
const cluster0 = INFRA.clusters[0]!;
const NET: InfraClusterNetwork = {
  privateLink: true,
  endpoints: [
    { groupId: 'registry', linked: true, file: 'pe.bicep' },
    { groupId: 'vault', linked: true, file: 'pe.bicep' },
  ],
  endpointsFile: 'pe.bicep',
  egressType: 'userAssignedNATGateway',
  firewall: false,
  egressFile: 'fleet.yaml',
};
const NET_INFRA: InfraInfo = {
  ...INFRA,
  clusters: [{ ...cluster0, network: NET }],
  sharedAccess: { publicNetworkAccess: 'Disabled', file: 'fleet.yaml', line: 20 },
  privateLinkGroupIds: ['registry', 'vault'],
};
const withNet = (over: Partial<InfraClusterNetwork>): InfraInfo => ({
  ...NET_INFRA,
  clusters: [{ ...cluster0, network: { ...NET, ...over } }],
});
const ANY_443 =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: egress-web, namespace: app ' +
  '}\nspec: { podSelector: {}, policyTypes: [Egress], egress: [ { to: [ { ipBlock: { cidr: 0.0.0.0/0 } } ], ' +
  'ports: [ { port: 443 } ] } ] }\n';
const FIREWALL_IMAGES = (image: string) =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: app }\nspec: { selector: { ' +
  'matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [ { ' +
  `name: web, image: '${image}' } ] } } }\n`;
const REG = { config: { allowedRegistries: ['acrprod123.azurecr.io'] } };
const repoFiles = {
  'apps/kustomization.yaml': 'resources: [app.yaml]\n',
  'apps/app.yaml': 'x: 1\n',
  'clusters/test/sync.yaml': 'x: 1\n',
};

const fixtures: Record<string, Fixture> = {
  'kustomization-builds': {
    pass: { yaml: ROOT },
    fail: {
      yaml: ROOT,
      opts: {
        files: { 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n' },
        kustomizations: [
          {
            id: 'flux-system/apps',
            path: 'apps',
            resources: [],
            errors: [
              { message: "accumulating resources: 'apps/b.yaml' not found", file: 'apps/kustomization.yaml', line: 3 },
            ],
          },
        ],
      },
    },
    expect: /does not build: accumulating resources/,
    at: 'apps/kustomization.yaml:3',
  },
  'helmrelease-renders': {
    pass: { yaml: ROOT, opts: { kustomizations: [{ id: 'flux-system/apps', path: 'apps', resources: [] }] } },
    fail: {
      yaml: ROOT,
      opts: {
        kustomizations: [
          {
            id: 'flux-system/apps',
            path: 'apps',
            resources: [],
            unrenderedHelmReleases: [
              {
                status: 'failed',
                message: 'chart demo@1.2.3: execution error at (demo/templates/fail.yaml:1:20): boom requested',
                file: 'apps/release.yaml',
                line: 4,
                object: 'HelmRelease/apps/web',
              },
            ],
          },
        ],
      },
    },
    expect: /HelmRelease\/apps\/web does not render: chart demo@1\.2\.3: .*boom requested/,
    at: 'apps/release.yaml:4',
  },
  'kustomization-fields-known': {
    pass: { yaml: ROOT, opts: { kustomizations: [{ id: 'flux-system/apps', path: 'apps', resources: [] }] } },
    fail: {
      yaml: ROOT,
      opts: {
        files: { 'apps/kustomization.yaml': 'resources: [app.yaml]\nnamePrefixx: oops-\n' },
        kustomizations: [
          {
            id: 'flux-system/apps',
            path: 'apps',
            resources: [],
            ignoredFields: [
              {
                message: 'unknown kustomization fields ignored by Flux (kustomize would reject them): namePrefixx',
                file: 'apps/kustomization.yaml',
              },
            ],
          },
        ],
      },
    },
    expect: /Kustomization flux-system\/apps: unknown kustomization fields ignored by Flux .*namePrefixx/,
    at: 'apps/kustomization.yaml:2',
  },
  'postbuild-variables-defined': {
    pass: { yaml: ROOT, opts: { kustomizations: [{ id: 'flux-system/apps', resources: [] }] } },
    fail: {
      yaml: ROOT,
      opts: {
        kustomizations: [
          {
            id: 'flux-system/apps',
            resources: [],
            undefinedVariables: [
              {
                message: 'variable ${CLUSTER_DOMAIN} is not set',
                file: 'apps/ingress.yaml',
                line: 7,
                object: 'Ingress/app/web',
              },
            ],
          },
        ],
      },
    },
    expect: /CLUSTER_DOMAIN/,
    at: 'apps/ingress.yaml:7',
  },
  'object-schema': {
    pass: { yaml: ns('app') },
    fail: { yaml: `${ns('app')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: Bad_Name, namespace: app }\n` },
    expect: /not a DNS subdomain/,
    at: 'fixture.yaml:6',
  },
  'ignore-has-reason': {
    pass: {
      yaml:
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: app, annotations: { ' +
        'aksfleet.dev/ignore: container-probes, aksfleet.dev/ignore-reason: "batch sidecar" } }\n',
    },
    fail: {
      yaml:
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: app, annotations: { ' +
        'aksfleet.dev/ignore: container-probes } }\n',
    },
    expect: /has no aksfleet.dev\/ignore-reason/,
  },
  'source-ref-exists': {
    pass: { yaml: GIT + ROOT + ks('apps') },
    fail: { yaml: GIT + ROOT + ks('apps').replace('name: flux-system }\n', 'name: missing }\n') },
    expect: /GitRepository\/flux-system\/missing is not defined/,
  },
  'depends-on-exists': {
    pass: { yaml: GIT + ks('infra') + ks('apps', '  dependsOn: [ { name: infra } ]\n') },
    fail: { yaml: GIT + ks('infra') + ks('apps', '  dependsOn: [ { name: infrastructure } ]\n') },
    expect: /dependsOn Kustomization flux-system\/infrastructure does not exist/,
  },
  'depends-on-acyclic': {
    pass: {
      yaml: GIT + ks('a', '  dependsOn: [ { name: b } ]\n') + ks('b', '  dependsOn: [ { name: c } ]\n') + ks('c'),
    },
    fail: {
      yaml:
        GIT +
        ks('a', '  dependsOn: [ { name: b } ]\n') +
        ks('b', '  dependsOn: [ { name: c } ]\n') +
        ks('c', '  dependsOn: [ { name: a } ]\n'),
    },
    expect: /cycle: flux-system\/a -> flux-system\/b -> flux-system\/c -> flux-system\/a/,
  },
  'kustomization-path-exists': {
    pass: { yaml: GIT + ROOT + ks('apps'), opts: { files: repoFiles } },
    fail: { yaml: GIT + ROOT + ks('apps', '', './app'), opts: { files: repoFiles } },
    expect: /spec.path '.\/app' does not exist/,
  },
  'kustomization-name-unique': {
    pass: { yaml: GIT + ks('apps') + ks('infra') },
    fail: { yaml: GIT + ks('apps') + ks('apps', '', './other') },
    expect: /Kustomization flux-system\/apps is also defined in fixture.yaml:6/,
  },
  'helm-chart-source-exists': {
    pass: { yaml: helmRepo + hr('18.1.0') },
    fail: { yaml: helmRepo + hr('18.1.0', 'bitnamii') },
    expect: /HelmRepository\/flux-system\/bitnamii is not defined/,
  },
  'helm-chart-version-pinned': {
    pass: { yaml: helmRepo + hr('18.1.0') },
    fail: { yaml: helmRepo + hr('>=18.0.0') },
    expect: /chart version '>=18.0.0' is a range/,
  },
  'kustomization-prune-enabled': {
    pass: { yaml: GIT + ks('apps') },
    fail: { yaml: GIT + ks('apps').replace('prune: true', 'prune: false') },
    expect: /spec.prune is false/,
  },
  'no-suspend-in-prod': {
    pass: { yaml: GIT + ks('apps', '  suspend: true\n'), opts: { production: false } },
    fail: { yaml: GIT + ks('apps', '  suspend: true\n'), opts: { production: true } },
    expect: /spec.suspend is true on production cluster test/,
  },
  'no-remote-bases': {
    pass: { yaml: GIT + ROOT + ks('apps'), opts: { files: repoFiles } },
    fail: {
      yaml: GIT + ROOT + ks('apps'),
      opts: {
        files: {
          ...repoFiles,
          'apps/kustomization.yaml': 'resources:\n  - app.yaml\n  - https://github.com/org/base//deploy?ref=main\n',
        },
      },
    },
    expect: /resources\[1\] 'https:\/\/github.com\/org\/base\/\/deploy\?ref=main' is a remote base/,
    at: 'apps/kustomization.yaml:3',
  },
  'namespace-has-default-deny': {
    pass: { yaml: ns('app') + DENY + DNS },
    fail: { yaml: ns('app') + DENY.replace('[Ingress, Egress]', '[Ingress]') },
    expect: /namespace app has no default-deny NetworkPolicy for Egress/,
  },
  'namespace-allows-dns': {
    pass: { yaml: ns('app') + DENY + DNS },
    fail: { yaml: ns('app') + DENY },
    expect: /namespace app denies egress but no NetworkPolicy allows DNS/,
  },
  'namespace-has-owner-labels': {
    pass: { yaml: ns('app') + ns('flux-system', '{}') },
    fail: { yaml: ns('app', '{ owner: team-a }') },
    expect: /namespace app has no costCenter label/,
  },
  'image-from-fleet-registry': {
    pass: { yaml: deploy(), opts: REG },
    fail: { yaml: deploy({ image: 'docker.io/library/nginx:1.27' }), opts: REG },
    expect: /image 'docker.io\/library\/nginx:1.27' is not from acrprod123.azurecr.io/,
  },
  'image-tag-pinned': {
    pass: { yaml: deploy() },
    fail: { yaml: deploy({ image: 'acrprod123.azurecr.io/api:latest' }) },
    expect: /uses the 'latest' tag/,
  },
  'image-digest-in-prod': {
    pass: {
      yaml: deploy({
        image:
          'acrprod123.azurecr.io/api:1.2.3@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      }),
      opts: { production: true },
    },
    fail: { yaml: deploy(), opts: { production: true } },
    expect: /is not pinned by digest on production cluster test/,
  },
  'image-signature-policy': {
    pass: { yaml: kyverno('acrprod123.azurecr.io/*'), opts: { infra: INFRA } },
    fail: { yaml: kyverno('ghcr.io/org/*'), opts: { infra: INFRA } },
    expect: /no admission policy verifies signatures of images from acrprod123.azurecr.io/,
  },
  'workload-identity-pod-label': {
    pass: { yaml: wiSa + deploy({ sa: 'sa-blob', labels: ', azure.workload.identity/use: "true"' }) },
    fail: { yaml: wiSa + deploy({ sa: 'sa-blob' }) },
    expect: /lack the label azure.workload.identity\/use: "true"/,
  },
  'container-resources': {
    pass: { yaml: deploy() },
    fail: { yaml: deploy({ resources: false }) },
    expect: /container api sets no requests.cpu, requests.memory, limits.memory/,
  },
  'container-probes': {
    pass: { yaml: deploy() },
    fail: { yaml: deploy({ probes: false }) },
    expect: /container api has no readinessProbe or livenessProbe/,
  },
  'replicated-workload-has-pdb': {
    pass: { yaml: deploy({ replicas: 3 }) + pdb('maxUnavailable: 1') },
    fail: { yaml: deploy({ replicas: 3 }) },
    expect: /Deployment has 3 replicas and no PodDisruptionBudget/,
  },
  'pdb-allows-drain': {
    pass: { yaml: deploy({ replicas: 3 }) + pdb('minAvailable: 2') },
    fail: { yaml: deploy({ replicas: 3 }) + pdb('minAvailable: 3') },
    expect: /allows 0 disruptions for Deployment api \(3 replicas\)/,
  },
  'no-plain-secret': {
    pass: {
      yaml:
        'apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: app }\ndata: { password: ' +
        '"ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]" }\nsops: { version: 3.9.0 }\n',
    },
    fail: {
      yaml: `apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: app }\ndata: { password: aHVudGVyMg== }\n`,
    },
    expect: /Secret holds 1 unencrypted value\(s\) in Git \(keys: password\)/,
  },
  'httproute-weights-valid': {
    pass: { yaml: route(90, 10) },
    fail: { yaml: route(0, 0) },
    expect: /every backend has weight 0/,
  },
  'pvc-namespace-has-backup': {
    pass: { yaml: pvc + schedule('app') },
    fail: { yaml: pvc + schedule('other') },
    expect: /namespace app holds persistent volumes but no Velero Schedule/,
  },
  'prometheus-rule-parses': {
    pass: {
      yaml: promRule('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05'),
    },
    fail: { yaml: promRule('sum(rate(http_requests_total{code=~"5.."}[5m]) > 0.05') },
    expect: /\(APIHighErrorRate\): expr does not parse/,
  },
  'alert-has-severity': {
    pass: { yaml: promRule('up == 0') },
    fail: { yaml: promRule('up == 0', '{ team: api }') },
    expect: /alert APIHighErrorRate has no severity label/,
  },
  'service-account-has-federated-credential': {
    pass: { yaml: wiSa, opts: { infra: INFRA } },
    fail: { yaml: wiSa.replace('name: sa-blob', 'name: sa-other'), opts: { infra: INFRA } },
    expect: /identity id-app-blob has no federated credential for system:serviceaccount:app:sa-other/,
  },
  'federated-credential-has-service-account': {
    pass: { yaml: wiSa, opts: { infra: INFRA } },
    fail: { yaml: ns('app'), opts: { infra: INFRA } },
    expect: /federated credential for system:serviceaccount:app:sa-blob on cluster test has no ServiceAccount/,
    at: 'fleet.yaml:80',
  },
  'secret-provider-class-matches-infra': {
    pass: { yaml: spc('kv-fleet', '${IDENTITY_CLIENT_ID_ID_APP_BLOB}'), opts: { infra: INFRA } },
    fail: { yaml: spc('my-kv', '${IDENTITY_CLIENT_ID_ID_APP_BLOB}'), opts: { infra: INFRA } },
    expect: /keyvaultName 'my-kv' is not the fleet Key Vault 'kv-fleet'/,
  },
  'signature-policy-uses-fleet-registry': {
    pass: { yaml: kyverno('acrprod123.azurecr.io/*'), opts: { infra: INFRA } },
    fail: {
      yaml:
        kyverno('acrprod123.azurecr.io/*') +
        kyverno('acrdev.azurecr.io/*').replace('verify-signed-images', 'verify-dev'),
      opts: { infra: INFRA },
    },
    expect: /verifyImages pattern 'acrdev.azurecr.io\/\*' does not cover the fleet registry/,
  },
  'prod-cluster-private': {
    pass: { repo: { infra: INFRA } },
    fail: { repo: { infra: withInfra({ clusters: [{ ...cluster0, private: false }] }) } },
    expect: /production cluster test has a public API server/,
    at: 'fleet.yaml:40',
  },
  'kubernetes-version-supported': {
    pass: { repo: { infra: INFRA, today: '2026-11-25' } },
    fail: {
      repo: { infra: withInfra({ clusters: [{ ...cluster0, kubernetesVersion: '1.29.7' }] }), today: '2026-11-25' },
    },
    expect: /Kubernetes 1.29 left AKS community support/,
  },
  'autoscaler-bounds': {
    pass: { repo: { infra: INFRA } },
    fail: {
      repo: {
        infra: withInfra({ clusters: [{ ...cluster0, pools: [{ name: 'userpool', count: 2, min: 3, max: 20 }] }] }),
      },
    },
    expect: /pool userpool: count 2, min 3, max 20 break min <= count <= max/,
  },
  admission: {
    pass: { yaml: ns('app') + NS_LABEL_POLICY },
    fail: { yaml: ns('app', '{ owner: team-a }') + NS_LABEL_POLICY },
    expect:
      /validation error: Namespaces need owner and costCenter\. rule need-labels failed at path \/metadata\/labels\/costCenter\//,
    at: 'fixture.yaml:2',
  },
  'clusters-match-infra': {
    pass: { repo: { infra: INFRA, clusters: [{ name: 'test', path: 'clusters/test' }] } },
    fail: {
      repo: {
        infra: INFRA,
        clusters: [
          { name: 'test', path: 'clusters/test' },
          { name: 'old', path: 'clusters/old' },
        ],
      },
    },
    expect: /clusters\/old\/ is not a cluster in fleet.yaml/,
  },
  // #22 network rules (more in src/checks/rules/network.test.ts, on the generated example).
  'prod-shared-resources-private': {
    pass: { repo: { infra: NET_INFRA } },
    fail: {
      repo: {
        infra: {
          ...NET_INFRA,
          sharedAccess: { publicNetworkAccess: 'Enabled', file: 'infra/shared/main.bicepparam', line: 9 },
        },
      },
    },
    expect: /reachable from the internet \(publicNetworkAccess 'Enabled'\) while production cluster test uses them/,
    at: 'infra/shared/main.bicepparam:9',
  },
  'prod-private-endpoints': {
    pass: { repo: { infra: NET_INFRA } },
    fail: {
      repo: {
        infra: withNet({
          endpoints: [
            { groupId: 'registry', linked: false, zone: 'privatelink.azurecr.io', file: 'pe.bicep', line: 20 },
            { groupId: 'vault', linked: true, file: 'pe.bicep', line: 50 },
          ],
        }),
      },
    },
    expect:
      /private DNS zone privatelink\.azurecr\.io of test's endpoint to the registry is not linked to the cluster's VNet/,
    at: 'pe.bicep:20',
  },
  'prod-egress-pinned': {
    pass: { repo: { infra: NET_INFRA } },
    fail: { repo: { infra: withNet({ egressType: 'loadBalancer', egressLine: 44 }) } },
    expect: /production cluster test egresses through the load balancer/,
    at: 'fleet.yaml:44',
  },
  'egress-any-behind-firewall': {
    pass: { yaml: ANY_443, opts: { infra: NET_INFRA } },
    fail: { yaml: ANY_443, opts: { infra: withNet({ egressType: 'userDefinedRouting', firewall: true }) } },
    expect:
      /NetworkPolicy app\/egress-web allows egress to 0\.0\.0\.0\/0 on 443 while cluster test routes egress through a firewall/,
    at: 'fixture.yaml:1',
  },
  'egress-image-hosts': {
    pass: {
      yaml: FIREWALL_IMAGES('quay.io/jetstack/cert-manager-controller:v1.16.2'),
      opts: {
        infra: withNet({
          egressType: 'userDefinedRouting',
          firewall: true,
          firewallFqdns: { fqdns: ['*.quay.io', 'quay.io'], file: 'infra/clusters/test/network.bicep' },
        }),
      },
    },
    fail: {
      yaml: FIREWALL_IMAGES('gcr.io/distroless/static:nonroot'),
      opts: {
        infra: withNet({
          egressType: 'userDefinedRouting',
          firewall: true,
          firewallFqdns: { fqdns: ['*.quay.io', 'quay.io'], file: 'infra/clusters/test/network.bicep' },
        }),
      },
    },
    expect:
      /image 'gcr\.io\/distroless\/static:nonroot' is pulled from gcr\.io, which the firewall of cluster test does not allow/,
    at: 'fixture.yaml:1',
  },
  ...referenceFixtures,
};

function findingsFor(id: string, c: Case): Finding[] {
  const rule = rules.find((r) => r.id === id)!;
  if (rule.scope === 'repo') {
    const repo: RepoContext = {
      clusters: [{ name: 'test', path: 'clusters/test' }],
      config: DEFAULT_CONFIG,
      contexts: [],
      today: '2026-11-25',
      ...c.repo,
    };
    return runChecks(repo, { rules: [rule] });
  }
  return checkCluster(contextFromYaml(c.yaml ?? '', c.opts), { rules: [rule] });
}

for (const [id, fx] of Object.entries(fixtures)) {
  test(`${id}: passing fixture has no finding`, () => {
    assert.deepEqual(findingsFor(id, fx.pass), []);
  });
  test(`${id}: failing fixture is reported`, () => {
    const fs = findingsFor(id, fx.fail);
    assert.ok(fs.length > 0, `expected a finding from ${id}`);
    // The admission rule reports under the policy's own id, policy:<policy>/<rule>.
    assert.ok(
      fs.every((f) => f.rule === id || (id === 'admission' && f.rule.startsWith('policy:'))),
      fs.map((f) => f.rule).join(', '),
    );
    assert.ok(
      fs.some((f) => fx.expect.test(f.message)),
      `messages: ${fs.map((f) => f.message).join(' | ')}`,
    );
    if (fx.at)
      assert.ok(
        fs.some((f) => `${f.file}:${f.line}` === fx.at),
        `locations: ${fs.map((f) => `${f.file}:${f.line}`).join(', ')}`,
      );
    for (const f of fs) assert.ok(f.hint && f.hint.length > 0, 'every finding has a hint');
  });
}

test('every registered rule has a passing and a failing fixture', () => {
  assert.deepEqual(Object.keys(fixtures).sort(), rules.map((r) => r.id).sort());
});

test('rule ids are unique kebab-case and every rule has a doc line and a hint', () => {
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.doc.length > 20 && !r.doc.includes('\n'), r.id);
    assert.ok(r.hint.length > 5, r.id);
  }
});

test('object-schema: objects are checked against their Kubernetes schema (src/schemas)', () => {
  const bad =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: app }\nspec:\n  replicas: ' +
    'three\n  selector: { matchLabels: { app: api } }\n  template: { metadata: { labels: { app: api } }, spec: ' +
    '{ containers: [ { name: api, image: "a:1" } ] } }\n';
  const rule = rules.find((r) => r.id === 'object-schema')!;
  const fs = checkCluster(contextFromYaml(bad), { rules: [rule] });
  assert.equal(fs.length, 1);
  assert.match(fs[0]!.message, /^\/spec\/replicas: .*integer/);
  // A Flux variable in a typed field is left for the cluster to fill in.
  assert.deepEqual(checkCluster(contextFromYaml(bad.replace('three', '"${REPLICAS}"')), { rules: [rule] }), []);
  assert.deepEqual(checkCluster(contextFromYaml(bad.replace('three', '3')), { rules: [rule] }), []);
});

test(
  'tenant namespace rules: names with ${VARIABLES} are not judged; unrendered objects from another repository ' +
    'soften the finding',
  () => {
    const rule = rules.find((r) => r.id === 'namespace-has-default-deny')!;
    assert.deepEqual(checkCluster(contextFromYaml(ns('"${CLUSTER_NAME}"')), { rules: [rule] }), []);
    const tenantKs = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'dev-team', namespace: 'app' },
      spec: { sourceRef: { kind: 'GitRepository', name: 'dev-team' } },
    };
    const ctx = contextFromYaml(ns('app'), {
      kustomizations: [{ id: 'app/dev-team', object: tenantKs, resources: [], skipped: 'not-buildable' }],
    });
    const fs = checkCluster(ctx, { rules: [rule] });
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.severity, 'warning');
    assert.match(
      fs[0]!.message,
      /Kustomization app\/dev-team applies objects from another repository that were not checked/,
    );
  },
);

test('image-signature-policy: a Kyverno ImageValidatingPolicy (Kyverno 1.14+) counts too', () => {
  const rule = rules.find((r) => r.id === 'image-signature-policy')!;
  const ivp = (glob: string) =>
    'apiVersion: policies.kyverno.io/v1alpha1\nkind: ImageValidatingPolicy\nmetadata: { name: verify ' +
    `}\nspec:\n  matchImageReferences: [ { glob: "${glob}" } ]\n`;
  assert.deepEqual(
    checkCluster(contextFromYaml(ivp('acrprod123.azurecr.io/*'), { infra: INFRA }), { rules: [rule] }),
    [],
  );
  assert.equal(checkCluster(contextFromYaml(ivp('ghcr.io/*'), { infra: INFRA }), { rules: [rule] }).length, 1);
});

test(
  'pvc-namespace-has-backup: another backup operator in the namespace counts; the default namespace is not ' + 'exempt',
  () => {
    const rule = rules.find((r) => r.id === 'pvc-namespace-has-backup')!;
    const pvcDefault = pvc.replace('namespace: app', 'namespace: default');
    assert.equal(checkCluster(contextFromYaml(pvcDefault), { rules: [rule] }).length, 1);
    const volsync =
      '---\napiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata: { name: data, namespace: ' +
      'default }\nspec: { sourcePVC: data }\n';
    assert.deepEqual(checkCluster(contextFromYaml(pvcDefault + volsync), { rules: [rule] }), []);
  },
);

test('namespace default deny and DNS: CiliumNetworkPolicies count', () => {
  const deny = rules.find((r) => r.id === 'namespace-has-default-deny')!;
  const dns = rules.find((r) => r.id === 'namespace-allows-dns')!;
  const cnp = (egressPort: number) =>
    '---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: isolate, namespace: app ' +
    '}\nspec:\n  endpointSelector: {}\n  ingress: [ { fromEndpoints: [ { matchLabels: { app: web } } ] } ]\n ' +
    ' egress: [ { toEndpoints: [ { matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system } } ], ' +
    `toPorts: [ { ports: [ { port: "${egressPort}", protocol: ANY } ] } ] } ]\n`;
  assert.deepEqual(checkCluster(contextFromYaml(ns('app') + cnp(53)), { rules: [deny, dns] }), []);
  const fs = checkCluster(contextFromYaml(ns('app') + cnp(443)), { rules: [deny, dns] });
  assert.deepEqual(
    fs.map((f) => f.rule),
    ['namespace-allows-dns'],
  );
});

test(
  'namespace-has-default-deny: an allow-all policy is the cause: the finding is at it, the Namespace and the ' +
    'isolating policy related',
  () => {
    const rule = rules.find((r) => r.id === 'namespace-has-default-deny')!;
    const allowAll =
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-all, namespace: app ' +
      '}\nspec: { podSelector: {}, policyTypes: [Ingress], ingress: [ {} ] }\n';
    const fs = checkCluster(contextFromYaml(ns('app') + DENY + DNS + allowAll), { rules: [rule] });
    assert.equal(fs.length, 1, JSON.stringify(fs));
    const f = fs[0]!;
    assert.equal(f.resource, 'NetworkPolicy/app/allow-all');
    assert.equal(`${f.file}:${f.line}`, 'fixture.yaml:21');
    assert.match(
      f.message,
      /NetworkPolicy allow-all allows all Ingress traffic for every pod, so namespace app has no default deny for Ingress/,
    );
    assert.deepEqual(
      f.related?.map((r) => `${r.file}:${r.line} ${r.resource}`),
      ['fixture.yaml:2 Namespace/app', 'fixture.yaml:6 NetworkPolicy/app/default-deny'],
    );
    // A suppression on the Namespace still covers the finding now placed at the NetworkPolicy.
    const ignored = ns(
      'app',
      '{ owner: team-a, costCenter: cc-1 }\n  annotations: { aksfleet.dev/ignore: namespace-has-default-deny, ' +
        'aksfleet.dev/ignore-reason: test }',
    ).replace(
      'metadata: { name: app, labels: { owner: team-a, costCenter: cc-1 }\n  annotations: { ' +
        'aksfleet.dev/ignore: namespace-has-default-deny, aksfleet.dev/ignore-reason: test } }',
      'metadata:\n  name: app\n  labels: { owner: team-a, costCenter: cc-1 }\n  annotations: { ' +
        'aksfleet.dev/ignore: namespace-has-default-deny, aksfleet.dev/ignore-reason: test }',
    );
    assert.deepEqual(checkCluster(contextFromYaml(ignored + DENY + DNS + allowAll), { rules: [rule] }), []);
  },
);

test(
  'namespace-allows-dns: the finding is at the egress rule meant for DNS that misses it, the default deny and ' +
    'the Namespace related',
  () => {
    const rule = rules.find((r) => r.id === 'namespace-allows-dns')!;
    const fs = checkCluster(contextFromYaml(ns('app') + DENY + DNS.replace(/port: 53/g, 'port: 54')), {
      rules: [rule],
    });
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.resource, 'NetworkPolicy/app/allow-dns');
    assert.match(
      fs[0]!.message,
      /: NetworkPolicy allow-dns spec.egress\[0\] reaches the DNS pods on 54\/UDP, 54\/TCP, none of 53\/UDP and 53\/TCP$/,
    );
    assert.deepEqual(
      fs[0]!.related?.map((r) => r.resource),
      ['NetworkPolicy/app/default-deny', 'Namespace/app'],
    );
    // Only the default deny: it is the cause.
    assert.equal(
      checkCluster(contextFromYaml(ns('app') + DENY), { rules: [rule] })[0]!.resource,
      'NetworkPolicy/app/default-deny',
    );
    // 53/UDP only: the rule says which port it leaves out, at its own line.
    const udpYaml = ns('app') + DENY + DNS.replace(', { port: 53, protocol: TCP }', '');
    const udp = checkCluster(contextFromYaml(udpYaml, { files: { 'fixture.yaml': udpYaml } }), { rules: [rule] });
    assert.deepEqual(
      udp.map((f) => `${f.line} ${f.message.replace(/.*\): /, '')}`),
      ['18 NetworkPolicy allow-dns spec.egress[0] reaches the DNS pods on 53/UDP only, not 53/TCP'],
    );
    // A podSelector beside the right namespaceSelector that misses CoreDNS's labels.
    const pod = checkCluster(
      contextFromYaml(
        ns('app') +
          DENY +
          DNS.replace('kube-system } } }', 'kube-system } }, podSelector: { matchLabels: { k8s-app: coredns } } }'),
      ),
      { rules: [rule] },
    );
    assert.deepEqual(
      pod.map((f) => f.message.replace(/.*\): /, '')),
      [
        'NetworkPolicy allow-dns spec.egress[0] opens 53/UDP and 53/TCP, but to[0].podSelector k8s-app=coredns ' +
          'does not select the DNS pods (k8s-app=kube-dns)',
      ],
    );
  },
);
