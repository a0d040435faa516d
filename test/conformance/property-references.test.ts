/**
 * Property: random trees exercising name references and components — RoleBindings to Roles and
 * ServiceAccounts, Ingress -> Service, HPA -> Deployment, PVC and Secret volumes, a Component
 * with its own labels/patch/generator, secretGenerator, replacements, JSON patch removal and
 * SMP `$patch: delete` — across a base, an optional middle layer and an overlay. Our printed
 * output must equal `kubectl kustomize`'s, or both must refuse. Bounded to 30 runs; needs kubectl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, withTempTree } from '../../src/kustomize/testing/oracle.js';

const BASE_RESOURCES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      serviceAccountName: runner
      containers:
      - name: main
        image: ghcr.io/org/app:1.0
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: creds, key: password}
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: data}
      - name: tls
        secret: {secretName: tls}
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector: {app: app}
  ports:
  - port: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
spec:
  rules:
  - host: app.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: app, port: {number: 8080}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: app
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app}
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: runner}
- {kind: ServiceAccount, name: default}
`;

const arb = fc.record({
  baseNs: fc.option(fc.constantFrom('apps', 'default'), { nil: undefined }),
  basePrefix: fc.option(fc.constantFrom('b-'), { nil: undefined }),
  middle: fc.boolean(),
  midSuffix: fc.option(fc.constantFrom('-m'), { nil: undefined }),
  ovPrefix: fc.option(fc.constantFrom('o-', 'prod-'), { nil: undefined }),
  ovNs: fc.option(fc.constantFrom('prod', 'apps'), { nil: undefined }),
  component: fc.boolean(),
  compLabels: fc.boolean(),
  compGenerator: fc.boolean(),
  secretLiteral: fc.constantFrom('password=s3cret', "password='quoted value'", 'password=' + 'x'.repeat(60)),
  tlsFromGenerator: fc.boolean(),
  replacement: fc.boolean(),
  jsonRemove: fc.boolean(),
  deleteHpa: fc.boolean(),
  smpEnv: fc.boolean(),
  includeSelectors: fc.boolean(),
  fifo: fc.boolean(),
});

type T = typeof arb extends fc.Arbitrary<infer X> ? X : never;

function tree(t: T): { files: Record<string, string>; dir: string } {
  const f: Record<string, string> = { 'base/r.yaml': BASE_RESOURCES };
  let base = `resources: [r.yaml]\nsecretGenerator:\n- name: creds\n  literals: ["${t.secretLiteral}"]\n`;
  if (t.tlsFromGenerator)
    base += `- name: tls\n  type: kubernetes.io/tls\n  literals: ["tls.crt=CERT", "tls.key=KEY"]\n`;
  if (t.baseNs) base += `namespace: ${t.baseNs}\n`;
  if (t.basePrefix) base += `namePrefix: ${t.basePrefix}\n`;
  f['base/kustomization.yaml'] = base;
  let parent = '../base';
  if (t.middle) {
    let mid = 'resources: [../base]\n';
    if (t.midSuffix) mid += `nameSuffix: ${t.midSuffix}\n`;
    mid += 'commonAnnotations: {layer: middle}\n';
    f['mid/kustomization.yaml'] = mid;
    parent = '../mid';
  }
  let ov = `resources: [${parent}]\n`;
  if (t.ovPrefix) ov += `namePrefix: ${t.ovPrefix}\n`;
  if (t.ovNs) ov += `namespace: ${t.ovNs}\n`;
  ov += `labels:\n- pairs: {env: prod}\n  includeSelectors: ${t.includeSelectors}\n`;
  if (t.component) {
    ov += 'components: [../comp]\n';
    let comp = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
    if (t.compLabels) comp += 'commonLabels: {component: "on"}\n';
    if (t.compGenerator) comp += 'configMapGenerator:\n- name: extra\n  literals: [K=V]\n';
    comp +=
      'patches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n' +
      '      path: /spec/template/metadata/annotations\n      value: {from: component}\n';
    f['comp/kustomization.yaml'] = comp;
  }
  const patches: string[] = [];
  if (t.jsonRemove)
    patches.push('- target: {kind: Ingress}\n  patch: |-\n    - op: remove\n      path: /spec/rules/0/host');
  if (t.deleteHpa)
    patches.push(
      `- patch: |-\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata:\n` +
        `      name: ${(t.basePrefix ?? '') + 'app' + (t.middle && t.midSuffix ? t.midSuffix : '')}\n` +
        `    $patch: delete`,
    );
  if (t.smpEnv)
    patches.push(
      '- target: {kind: Deployment, name: ".*app.*"}\n  patch: |-\n    apiVersion: apps/v1\n' +
        '    kind: Deployment\n    metadata:\n      name: x\n    spec:\n      template:\n        spec:\n' +
        '          containers:\n          - name: main\n            env:\n            - name: EXTRA\n' +
        '              value: "1"',
    );
  if (patches.length) ov += `patches:\n${patches.join('\n')}\n`;
  if (t.replacement) {
    ov +=
      'replacements:\n- source: {kind: Service, fieldPath: metadata.name}\n  targets:\n' +
      '  - select: {kind: Deployment}\n    fieldPaths: [spec.template.metadata.labels.svc]\n' +
      '    options: {create: true}\n';
  }
  if (t.fifo) ov += 'sortOptions:\n  order: fifo\n';
  f['overlay/kustomization.yaml'] = ov;
  return { files: f, dir: 'overlay' };
}

function ours(f: Record<string, string>, dir: string): string {
  try {
    return toGoYamlStream(buildKustomization(new MemoryRepoFs(f), dir).map((r) => r.object));
  } catch {
    return '<error>';
  }
}

function kubectl(f: Record<string, string>, dir: string): string {
  return withTempTree(f, (root) => {
    try {
      return execFileSync(kustomizePath(), kustomizeArgv(join(root, dir)), {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch {
      return '<error>';
    }
  });
}

test('random trees with references and components build exactly like kubectl kustomize', {
  skip: kustomizeSkip(),
}, () => {
  let built = 0;
  fc.assert(
    fc.property(arb, (t) => {
      const { files, dir } = tree(t);
      const want = kubectl(files, dir);
      if (want !== '<error>') built++;
      assert.equal(ours(files, dir), want, `tree:\n${JSON.stringify(files, null, 1)}`);
    }),
    { numRuns: 30, seed: Number(process.env.AKSFLEET_PROP_SEED ?? 424242) },
  );
  assert.ok(built > 10, `only ${built} of 30 random trees built under kubectl`);
});
