/**
 * The passing and failing fixtures of the reference rules (rules/references-*.ts), merged into
 * the registry's fixture table by src/checks/rules.test.ts. Each failing fixture's finding is
 * checked for its message and its file:line (fixture.yaml, the line of the referencing object).
 */
import type { TestContextOptions } from '../../testing.js';

interface Case {
  readonly yaml: string;
  readonly opts?: TestContextOptions;
}
export interface ReferenceFixture {
  readonly pass: Case;
  readonly fail: Case;
  readonly expect: RegExp;
  readonly at?: string;
}

const ns = `apiVersion: v1
kind: Namespace
metadata: { name: app, labels: { owner: team-a, costCenter: cc-1 } }
`;
/** A Deployment whose pod template is labelled app: api, with a port named http. */
export const api = (o: { env?: string; volumes?: string; probe?: string; sa?: string; priority?: string } = {}) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: app }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api }, annotations: { team: a } }
    spec:
      serviceAccountName: ${o.sa ?? 'default'}
${o.priority ? `      priorityClassName: ${o.priority}\n` : ''}      containers:
        - name: api
          image: acrprod123.azurecr.io/api:1.2.3
          ports: [ { name: http, containerPort: 8080 } ]
${o.probe ? `          readinessProbe: { httpGet: { path: /ready, port: ${o.probe} } }\n` : ''}${o.env ? `          env:\n${o.env}` : ''}${o.volumes ? `      volumes:\n${o.volumes}` : ''}`;
// Lines: the Namespace is lines 1-3; the Deployment's document starts at line 5.
const DEPLOY_AT = 'fixture.yaml:5';
const base = ns + api();
const AFTER = 19; // first line of a document appended to `base` after its `---` (base is 17 lines)

const svc = (selector: string, targetPort: string | number = 'http') => `---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: app }
spec:
  selector: { ${selector} }
  ports: [ { name: web, port: 80, targetPort: ${targetPort} } ]
`;
const netpol = (egressTo: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: app }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress, Egress]
  ingress: [ { from: [ { podSelector: { matchLabels: { app: api } } } ] } ]
  egress:
    - to: [ ${egressTo} ]
      ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ]
`;
const gateway = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: app }
spec:
  gatewayClassName: eg
  listeners: [ { name: http, port: 80, protocol: HTTP } ]
`;
const route = (parent: string, backendPort: number) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: app }
spec:
  parentRefs: [ ${parent} ]
  rules: [ { backendRefs: [ { name: api, port: ${backendPort} } ] } ]
`;
const externalSecret = `---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: db, namespace: app }
spec:
  secretStoreRef: { kind: ClusterSecretStore, name: vault }
  target: { name: db-creds }
  data: [ { secretKey: password, remoteRef: { key: db-password } } ]
`;
const envSecret = (name: string, optional = false) =>
  `            - name: DB_PASSWORD\n              valueFrom: { secretKeyRef: { name: ${name}, key: password${optional ? ', optional: true' : ''} } }\n`;
const pvc = (sc: string) => `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: app }
spec: { storageClassName: ${sc}, accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;
const AKS: TestContextOptions = { config: { platform: 'aks' } };

/** A Gatekeeper Constraint of kind K8sRequiredLabels, and the ConstraintTemplate that defines the kind. */
const constraint = `---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: { name: ns-owner }
spec: { match: { kinds: [ { apiGroups: [""], kinds: [Namespace] } ] }, parameters: { labels: [owner] } }
`;
export const constraintTemplate = (kind: string) => `---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: { name: ${kind.toLowerCase()} }
spec:
  crd: { spec: { names: { kind: ${kind} } } }
  targets: [ { target: admission.k8s.gatekeeper.sh, rego: "package k\\nviolation[{\\"msg\\": \\"x\\"}] { false }" } ]
`;
/** The CRDs of Gatekeeper's own kinds (as its chart renders them). */
export const gatekeeperCrd = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: constrainttemplates.templates.gatekeeper.sh }
spec: { group: templates.gatekeeper.sh, names: { kind: ConstraintTemplate, plural: constrainttemplates }, scope: Cluster, versions: [ { name: v1, served: true, storage: true } ] }
`;

export const referenceFixtures: Record<string, ReferenceFixture> = {
  'policy-kind-defined': {
    pass: { yaml: base + gatekeeperCrd + constraintTemplate('K8sRequiredLabels') + constraint },
    fail: { yaml: base + gatekeeperCrd + constraintTemplate('K8sRequiredLabel') + constraint },
    expect:
      /^not evaluable: K8sRequiredLabels ns-owner: no ConstraintTemplate in the cluster defines kind K8sRequiredLabels \(not rendered, not in a rendered chart, not a Kubernetes built-in\); the API server refuses it, so nothing enforces it$/,
  },
  'network-policy-selectors-match': {
    pass: {
      yaml:
        base +
        netpol(
          '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: ' +
            '{ matchLabels: { k8s-app: kube-dns } } }',
        ),
    },
    fail: { yaml: base + netpol('{ namespaceSelector: { matchLabels: { kube-system: "true" } } }') },
    expect:
      /NetworkPolicy app\/allow-dns: spec\.egress\[0\]\.to\[0\]\.namespaceSelector kube-system=true selects no namespace; namespace kube-system \(Kubernetes built-in\) is selected by kubernetes\.io\/metadata\.name: kube-system/,
    at: `fixture.yaml:${AFTER}`,
  },
  'pod-references-exist': {
    pass: {
      yaml:
        ns +
        api({
          env: envSecret('db-creds') + envSecret('maybe', true),
          volumes: '        - { name: ca, configMap: { name: kube-root-ca.crt } }\n',
        }) +
        externalSecret,
    },
    fail: { yaml: ns + api({ env: envSecret('db-credentials') }) + externalSecret },
    expect:
      /Deployment app\/api: container api env DB_PASSWORD secretKeyRef names Secret app\/db-credentials, which nothing in the cluster provides/,
    at: DEPLOY_AT,
  },
  'storage-class-exists': {
    pass: { yaml: ns + pvc('managed-csi-premium'), opts: AKS },
    fail: { yaml: ns + pvc('managed-premium-csi'), opts: AKS },
    expect:
      /PersistentVolumeClaim app\/data: storageClassName managed-premium-csi names no StorageClass of the cluster \(known: azurefile, .*managed-csi-premium/,
    at: 'fixture.yaml:5',
  },
  'downward-api-fields-set': {
    pass: {
      yaml:
        ns +
        api({
          env:
            '            - name: TEAM\n              valueFrom: { fieldRef: { fieldPath: ' +
            '"metadata.annotations[\'team\']" } }\n',
        }),
    },
    fail: {
      yaml:
        ns +
        api({
          env:
            '            - name: AZURE_CLIENT_ID\n              valueFrom: { fieldRef: { fieldPath: ' +
            '"metadata.annotations[\'azure.workload.identity/client-id\']" } }\n',
        }),
    },
    expect:
      /Deployment app\/api: container api env AZURE_CLIENT_ID reads metadata\.annotations\['azure\.workload\.identity\/client-id'\], which the pod template does not set/,
    at: DEPLOY_AT,
  },
  'probe-ports-declared': {
    pass: { yaml: ns + api({ probe: 'http' }) },
    fail: { yaml: ns + api({ probe: 'metrics' }) },
    expect:
      /container api readinessProbe\.httpGet\.port names port 'metrics', which the container does not declare \(declared: http\)/,
    at: DEPLOY_AT,
  },
  'service-selects-pods': {
    pass: { yaml: base + svc('app: api') },
    fail: { yaml: base + svc('app: apii') },
    expect: /Service app\/api: selector app=apii selects no pod of namespace app/,
    at: `fixture.yaml:${AFTER}`,
  },
  'service-target-port-declared': {
    pass: { yaml: base + svc('app: api', 'http') },
    fail: { yaml: base + svc('app: api', 'web') },
    expect: /Service app\/api: targetPort 'web' \(TCP\) is declared by no container of Deployment app\/api/,
    at: `fixture.yaml:${AFTER}`,
  },
  'route-backends-exist': {
    pass: { yaml: base + svc('app: api') + gateway + route('{ name: gw }', 80) },
    fail: { yaml: base + svc('app: api') + gateway + route('{ name: gw }', 8080) },
    expect:
      /HTTPRoute app\/api: rules\[0\]\.backendRefs\[0\] asks Service app\/api for port 8080, which it does not expose \(ports: 80 \(web\)/,
  },
  'route-parents-exist': {
    pass: { yaml: base + svc('app: api') + gateway + route('{ name: gw, sectionName: http }', 80) },
    fail: { yaml: base + svc('app: api') + gateway + route('{ name: gw, sectionName: https }', 80) },
    expect:
      /HTTPRoute app\/api: parentRefs\[0\] asks Gateway app\/gw for listener 'https', which it does not declare \(listeners: http:80\)/,
  },
  'scaling-targets-exist': {
    pass: {
      yaml:
        `${base}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api, ` +
        'namespace: app }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }, ' +
        'minReplicas: 2, maxReplicas: 5 }\n',
    },
    fail: {
      yaml:
        `${base}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api, ` +
        'namespace: app }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api-v2 }, ' +
        'minReplicas: 2, maxReplicas: 5 }\n',
    },
    expect:
      /HorizontalPodAutoscaler app\/api: scaleTargetRef names Deployment app\/api-v2 \(apps\/v1\), which nothing in the cluster provides/,
    at: `fixture.yaml:${AFTER}`,
  },
  'pdb-selects-pods': {
    pass: {
      yaml:
        `${base}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: api, namespace: app ` +
        '}\nspec: { minAvailable: 1, selector: { matchLabels: { app: api } } }\n',
    },
    fail: {
      yaml:
        `${base}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: api, namespace: app ` +
        '}\nspec: { minAvailable: 1, selector: { matchLabels: { app: web } } }\n',
    },
    expect: /PodDisruptionBudget app\/api: selector app=web selects no pod of namespace app/,
    at: `fixture.yaml:${AFTER}`,
  },
};
