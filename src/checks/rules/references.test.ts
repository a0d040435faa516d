/** Edge cases of the reference rules beyond their passing and failing fixtures (testing/references-fixtures.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../registry.js';
import { checkCluster } from '../run.js';
import { contextFromYaml, type TestContextOptions } from '../testing.js';
import { constraintTemplate } from './testing/references-fixtures.js';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n';
const run = (id: string, yaml: string, opts?: TestContextOptions) =>
  checkCluster(contextFromYaml(yaml, opts), { rules: [rules.find((r) => r.id === id)!] }).map((f) => f.message);

const sts = (claim: string) => `${NS}---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: app }
spec:
  selector: { matchLabels: { app: db } }
  serviceName: db
  template:
    metadata: { labels: { app: db } }
    spec:
      priorityClassName: system-cluster-critical
      imagePullSecrets: [ { name: acr-pull } ]
      containers: [ { name: db, image: a, volumeMounts: [ { name: data, mountPath: /d } ] } ]
      volumes: [ { name: extra, persistentVolumeClaim: { claimName: ${claim} } } ]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { storageClassName: fast, accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

test(
  'pod-references-exist: a StatefulSet volumeClaimTemplate provides its claim; imagePullSecrets are ' +
    'references; built-in PriorityClasses exist',
  () => {
    const msgs = run('pod-references-exist', sts('data'));
    assert.deepEqual(msgs, [
      'StatefulSet app/db: imagePullSecrets[0] names Secret app/acr-pull, which nothing in the cluster ' +
        'provides (not rendered, not created by a controller of the render, not a Kubernetes built-in)',
    ]);
    assert.equal(
      run('pod-references-exist', sts('other')).filter((m) => /PersistentVolumeClaim app\/other/.test(m)).length,
      1,
    );
  },
);

test(
  'pod-references-exist: nothing is concluded in a namespace an unrendered HelmRelease installs into, nor for ' +
    'names holding ${VARIABLES}',
  () => {
    const hr =
      '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: db, namespace: app ' +
      '}\nspec: { chart: { spec: { chart: postgres } } }\n';
    assert.deepEqual(run('pod-references-exist', sts('data') + hr), []);
    assert.deepEqual(run('pod-references-exist', sts('data').replace('acr-pull', '"${PULL_SECRET}"')), []);
  },
);

test(
  "storage-class-exists: judged on AKS only (a generic platform's classes are unknown), volumeClaimTemplates " +
    'too, not while a HelmRelease is unrendered',
  () => {
    assert.deepEqual(run('storage-class-exists', sts('data')), []);
    assert.deepEqual(
      run('storage-class-exists', sts('data'), { config: { platform: 'aks' } }).map((m) => m.replace(/ \(known.*/, '')),
      ['StatefulSet app/db volumeClaimTemplates[0]: storageClassName fast names no StorageClass of the cluster'],
    );
    const sc =
      '---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: ' +
      'disk.csi.azure.com\n';
    assert.deepEqual(run('storage-class-exists', sts('data') + sc, { config: { platform: 'aks' } }), []);
    const hr =
      '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: rook, namespace: app ' +
      '}\nspec: { chart: { spec: { chart: rook } } }\n';
    assert.deepEqual(run('storage-class-exists', sts('data') + hr, { config: { platform: 'aks' } }), []);
  },
);

const cron = (fieldPath: string) => `${NS}---
apiVersion: batch/v1
kind: CronJob
metadata: { name: job, namespace: app }
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: job } }
        spec:
          restartPolicy: Never
          containers: [ { name: job, image: a, env: [ { name: X, valueFrom: { fieldRef: { fieldPath: "${fieldPath}" } } } ] } ]
          volumes:
            - name: info
              downwardAPI: { items: [ { path: labels, fieldRef: { fieldPath: "metadata.labels['tier']" } } ] }
`;

test('downward-api-fields-set: CronJob templates, downwardAPI volumes, labels set by controllers count as set', () => {
  assert.deepEqual(run('downward-api-fields-set', cron("metadata.labels['batch.kubernetes.io/job-name']")), [
    "CronJob app/job: volume info downwardAPI labels reads metadata.labels['tier'], which the pod template " +
      'does not set (the value will be empty)',
  ]);
  assert.equal(run('downward-api-fields-set', cron("metadata.labels['app']")).length, 1);
  assert.deepEqual(
    run('downward-api-fields-set', cron('metadata.name')).length,
    1,
    'other fieldPaths are not label or annotation references',
  );
});

const ingress = (port: string) => `${NS}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: app }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [ { name: web, image: a, ports: [ { name: http, containerPort: 8080 } ] } ] } } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: app }
spec: { selector: { app: web }, ports: [ { name: http, port: 80, targetPort: http } ] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: app }
spec:
  rules: [ { http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web, port: ${port} } } } ] } } ]
`;

test('route-backends-exist: Ingress backends by port name and number; a missing Service', () => {
  assert.deepEqual(run('route-backends-exist', ingress('{ name: http }')), []);
  assert.deepEqual(run('route-backends-exist', ingress('{ number: 80 }')), []);
  assert.match(
    run('route-backends-exist', ingress('{ name: https }'))[0] ?? '',
    /Ingress app\/web: rules\[0\].http.paths\[0\].backend asks Service app\/web for port 'https', which it does not expose \(ports: 80 \(http\); Service at fixture.yaml:\d+\)/,
  );
  assert.match(
    run(
      'route-backends-exist',
      ingress('{ number: 80 }').replace('service: { name: web', 'service: { name: webb'),
    )[0] ?? '',
    /names Service app\/webb, which nothing in the cluster provides/,
  );
});

test('network-policy-selectors-match: a peer selecting pods of other namespaces, an ipBlock is not judged', () => {
  const np = (peer: string) =>
    `${ingress('{ number: 80 }')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: app }\nspec:\n  podSelector: {}\n  ingress: [ { from: [ ${peer} ] } ]\n`;
  assert.deepEqual(run('network-policy-selectors-match', np('{ ipBlock: { cidr: 10.0.0.0/8 } }')), []);
  assert.deepEqual(
    run('network-policy-selectors-match', np('{ namespaceSelector: {}, podSelector: { matchLabels: { app: web } } }')),
    [],
  );
  assert.deepEqual(
    run(
      'network-policy-selectors-match',
      np(
        '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: app } }, podSelector: { ' +
          'matchLabels: { app: api } } }',
      ),
    ),
    ['NetworkPolicy app/p: spec.ingress[0].from[0].podSelector app=api selects no pod in namespace app'],
  );
  // kube-system holds more platform pods than CoreDNS: a selector there is not concluded.
  assert.deepEqual(
    run(
      'network-policy-selectors-match',
      np(
        '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { ' +
          'matchLabels: { k8s-app: metrics-server } } }',
      ),
    ),
    [],
  );
});

/** ingress-nginx's shape (corpus review with charts rendered, #26): the controller mounts the admission Secret its hook Job writes. */
const webhook = (rbac: string) => `${NS}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: controller, namespace: app }
spec:
  selector: { matchLabels: { app: controller } }
  template:
    metadata: { labels: { app: controller } }
    spec:
      containers: [ { name: c, image: a } ]
      volumes: [ { name: webhook-cert, secret: { secretName: admission } } ]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: admission, namespace: app }
---
apiVersion: batch/v1
kind: Job
metadata: { name: admission-create, namespace: app }
spec:
  template:
    spec:
      serviceAccountName: admission
      restartPolicy: OnFailure
      containers: [ { name: create, image: certgen, args: [create, --secret-name=admission] } ]
${rbac}`;
const role = (kind: string, verbs: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: admission${kind === 'Role' ? ', namespace: app' : ''} }
rules: [ { apiGroups: [""], resources: [secrets], verbs: [${verbs}] } ]
`;
const binding = (kind: string, roleKind: string, saNs = 'app') => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: admission${kind === 'RoleBinding' ? ', namespace: app' : ''} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: admission }
subjects: [ { kind: ServiceAccount, name: admission, namespace: ${saNs} } ]
`;

test(
  'pod-references-exist: a Secret a workload of the render may create (its ServiceAccount may create secrets ' +
    'there) is not concluded missing',
  () => {
    const missing = /volume webhook-cert secret names Secret app\/admission, which nothing in the cluster provides/;
    assert.match(run('pod-references-exist', webhook(''))[0] ?? '', missing, 'without RBAC nobody writes it');
    assert.deepEqual(
      run('pod-references-exist', webhook(role('Role', 'get, create') + binding('RoleBinding', 'Role'))),
      [],
    );
    assert.deepEqual(
      run('pod-references-exist', webhook(role('ClusterRole', '"*"') + binding('ClusterRoleBinding', 'ClusterRole'))),
      [],
      "a cluster-wide grant counts in the workload's own namespace",
    );
    assert.match(
      run('pod-references-exist', webhook(role('Role', 'get, list') + binding('RoleBinding', 'Role')))[0] ?? '',
      missing,
      'reading is not creating',
    );
    assert.match(
      run('pod-references-exist', webhook(role('Role', 'create') + binding('RoleBinding', 'Role', 'other')))[0] ?? '',
      missing,
      "the grant is to another namespace's ServiceAccount",
    );
  },
);

test(
  'model: a HelmRelease whose chart rendered (its objects carry origin.helm) leaves its namespace known; an ' +
    'unrendered one does not',
  () => {
    const hr =
      '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: db, namespace: app ' +
      '}\nspec: { chart: { spec: { chart: postgres } } }\n';
    const ctx = contextFromYaml(sts('data') + hr);
    assert.deepEqual(run('pod-references-exist', sts('data') + hr), []);
    // The same StatefulSet as the release's output: the namespace is judged.
    const rendered = {
      ...ctx,
      resources: ctx.resources.map((r) =>
        r.object.kind === 'StatefulSet'
          ? {
              ...r,
              origin: {
                ...r.origin!,
                helm: {
                  release: 'HelmRelease/app/db',
                  chart: 'postgres@1.0.0',
                  template: 'postgres/templates/sts.yaml',
                },
              },
            }
          : r,
      ),
    };
    assert.deepEqual(
      checkCluster(rendered, { rules: [rules.find((r) => r.id === 'pod-references-exist')!] }).map((f) =>
        f.message.replace(/,.*/, ''),
      ),
      ['StatefulSet app/db: imagePullSecrets[0] names Secret app/acr-pull'],
    );
  },
);

test(
  "policy-kind-defined: Kyverno policies need the Kyverno CRDs, ConstraintTemplates Gatekeeper's, bindings " +
    'their policy, paramKind its CRD; nothing concluded while a release is unrendered',
  () => {
    const cpol =
      '---\napiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: require-owner }\nspec: { rules: ' +
      '[ { name: r, match: { any: [ { resources: { kinds: [Namespace] } } ] }, validate: { pattern: { ' +
      'metadata: { labels: { owner: "?*" } } } } } ] }\n';
    const crd = (group: string, kind: string) =>
      '---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: ' +
      `${kind.toLowerCase()}s.${group} }\nspec: { group: ${group}, names: { kind: ${kind}, plural: ` +
      `${kind.toLowerCase()}s }, scope: Cluster, versions: [ { name: v1, served: true, storage: true } ] }\n`;
    assert.deepEqual(run('policy-kind-defined', NS + cpol), [
      'not evaluable: ClusterPolicy require-owner: ClusterPolicy (kyverno.io) has no CRD in the cluster (not ' +
        'rendered, not in a rendered chart, not a Kubernetes built-in); the API server refuses it, so nothing ' +
        'enforces it',
    ]);
    assert.deepEqual(run('policy-kind-defined', NS + cpol + crd('kyverno.io', 'ClusterPolicy')), []);
    const hr =
      '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: kyverno, namespace: ' +
      'kyverno }\nspec: { chart: { spec: { chart: kyverno } } }\n';
    assert.deepEqual(
      run('policy-kind-defined', NS + cpol + hr),
      [],
      'the unrendered kyverno release may bring the CRD',
    );
    assert.match(
      run('policy-kind-defined', NS + constraintTemplate('K8sX'))[0] ?? '',
      /ConstraintTemplate k8sx: ConstraintTemplate \(templates.gatekeeper.sh\) has no CRD in the cluster/,
    );
    const vap = (param: string) =>
      '---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: { name: ' +
      `replicas }\nspec:\n  failurePolicy: Fail\n${param}  matchConstraints: { resourceRules: [ { apiGroups: ` +
      '[apps], apiVersions: [v1], operations: [CREATE], resources: [deployments] } ] }\n  validations: [ { ' +
      'expression: "object.spec.replicas <= 5" } ]\n';
    const binding = (policy: string) =>
      '---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: { ' +
      `name: replicas }\nspec: { policyName: ${policy}, validationActions: [Deny] }\n`;
    assert.deepEqual(run('policy-kind-defined', NS + vap('') + binding('replicas')), []);
    assert.deepEqual(run('policy-kind-defined', NS + vap('') + binding('replica')), [
      'not evaluable: ValidatingAdmissionPolicyBinding replicas binds ValidatingAdmissionPolicy replica, which ' +
        'nothing in the cluster defines; the binding enforces nothing',
    ]);
    assert.deepEqual(
      run('policy-kind-defined', NS + vap('  paramKind: { apiVersion: v1, kind: ConfigMap }\n') + binding('replicas')),
      [],
      'a built-in paramKind',
    );
    assert.deepEqual(
      run(
        'policy-kind-defined',
        NS + vap('  paramKind: { apiVersion: rules.example.com/v1, kind: ReplicaLimit }\n') + binding('replicas'),
      ),
      [
        'not evaluable: ValidatingAdmissionPolicy replicas takes its parameters from kind ReplicaLimit ' +
          "(rules.example.com), which has no CRD in the cluster; its bindings' paramRefs find nothing",
      ],
    );
    assert.deepEqual(
      run(
        'policy-kind-defined',
        NS +
          vap('  paramKind: { apiVersion: rules.example.com/v1, kind: ReplicaLimit }\n') +
          binding('replicas') +
          crd('rules.example.com', 'ReplicaLimit'),
      ),
      [],
    );
  },
);

/** A Kyverno mutate policy adding a label to pods (autogen'd onto their controllers) and to Namespaces (#26, 2). */
const mutate = `---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: add-labels }
spec:
  rules:
    - name: pod-tier
      match: { any: [ { resources: { kinds: [Pod] } } ] }
      mutate: { patchStrategicMerge: { metadata: { labels: { +(tier): backend }, annotations: { +(team): payments } } } }
    - name: ns-zone
      match: { any: [ { resources: { kinds: [Namespace] } } ] }
      mutate: { patchStrategicMerge: { metadata: { labels: { +(zone): internal } } } }
`;

test('labels and annotations added by Kyverno mutate policies count: no false "selects nothing" or empty fieldRef', () => {
  const np = `${ingress('{ number: 80 }')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: app }\nspec:\n  podSelector: {}\n  ingress: [ { from: [ { namespaceSelector: { matchLabels: { zone: internal } }, podSelector: { matchLabels: { tier: backend } } } ] } ]\n`;
  const before = run('network-policy-selectors-match', np);
  assert.deepEqual(before, [
    'NetworkPolicy app/p: spec.ingress[0].from[0].namespaceSelector zone=internal selects no namespace',
  ]);
  assert.deepEqual(run('network-policy-selectors-match', np + mutate), []);
  const svc = (sel: string) =>
    `${ingress('{ number: 80 }').replace('spec: { selector: { app: web }', `spec: { selector: { ${sel} }`)}`;
  assert.equal(run('service-selects-pods', svc('tier: backend')).length, 1);
  assert.deepEqual(run('service-selects-pods', svc('tier: backend') + mutate), []);
  const env = cron("metadata.annotations['team']").replace(/\n {10}volumes:[\s\S]*$/, '\n');
  assert.equal(run('downward-api-fields-set', env).length, 1);
  assert.deepEqual(run('downward-api-fields-set', env + mutate), []);
});

test('Gatekeeper AssignMetadata is not applied: the namespaces it matches are not concluded about', () => {
  const svc = ingress('{ number: 80 }').replace(
    'spec: { selector: { app: web }',
    'spec: { selector: { tier: backend }',
  );
  const am = (ns: string) =>
    '---\napiVersion: mutations.gatekeeper.sh/v1\nkind: AssignMetadata\nmetadata: { name: tier }\nspec:\n  ' +
    `match: { scope: Namespaced, namespaces: [${ns}] }\n  location: metadata.labels.tier\n  parameters: { ` +
    'assign: { value: backend } }\n';
  assert.deepEqual(run('service-selects-pods', svc + am('app')), []);
  assert.equal(run('service-selects-pods', svc + am('other')).length, 1);
});
