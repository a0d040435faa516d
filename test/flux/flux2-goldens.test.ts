/**
 * Cases of fluxcd/flux2 cmd/flux/build_kustomization_test.go, re-expressed: the expected objects
 * are those of flux2's golden files (produced by the real `flux build kustomization`), with
 * `{{ .fluxns }}` = flux-system.
 *  - "build with recursive" (--recursive --local-sources): podinfo-with-my-app-result.yaml
 *  - "build deployment and configmap with var substitution": podinfo-with-var-substitution-result.yaml
 *    (the Deployment's labels, namespace and string-typed values; the dashboard ConfigMap keeps
 *    its ${DS_PROMETHEUS} because generatorOptions label it substitute: disabled)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allErrors, formatIssue } from '../../src/flux/index.js';

const podinfoKs = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m0s
  path: ${path}
  force: true
  prune: true
  sourceRef:
    kind: GitRepository
    name: podinfo
  targetNamespace: default
  postBuild:
    substitute:
      cluster_env: "prod"
      cluster_region: "eu-central-1"
`;

test('flux2 golden: build with recursive and local sources (podinfo-with-my-app)', () => {
  const fs = new MemoryRepoFs({
    'cluster/podinfo.yaml': podinfoKs('./podinfo-with-my-app'),
    'podinfo-with-my-app/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ./my-app.yaml\n',
    'podinfo-with-my-app/my-app.yaml':
      '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: my-app\n' +
      'spec:\n  interval: 5m0s\n  path: ./my-app\n  force: true\n  prune: true\n  sourceRef:\n' +
      '    kind: GitRepository\n    name: podinfo\n  targetNamespace: default\n',
    'my-app/configmap.yaml': 'apiVersion: v1\ndata:\n  var: test\nkind: ConfigMap\nmetadata:\n  name: my-app\n',
  });
  const b = buildCluster(fs, {
    path: 'cluster',
    sources: { 'GitRepository/flux-system/podinfo': '.', 'GitRepository/default/podinfo': '.' },
  });
  assert.deepEqual(allErrors(b).map(formatIssue), []);
  // deepEqual ignores key order (flux's output is key-sorted by the go-yaml emitter)
  const objects = b.kustomizations.flatMap((k) => k.resources.map((r) => r.object));
  assert.deepEqual(
    b.kustomizations.map((k) => k.id),
    ['flux-system/podinfo', 'default/my-app'],
  );
  assert.deepEqual(objects, [
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'podinfo',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
        name: 'my-app',
        namespace: 'default',
      },
      spec: {
        force: true,
        interval: '5m0s',
        path: './my-app',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'podinfo' },
        targetNamespace: 'default',
      },
    },
    {
      apiVersion: 'v1',
      data: { var: 'test' },
      kind: 'ConfigMap',
      metadata: {
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'my-app', 'kustomize.toolkit.fluxcd.io/namespace': 'default' },
        name: 'my-app',
        namespace: 'default',
      },
    },
  ]);
});

test('flux2 golden: var substitution with targetNamespace, owner labels, substitute: disabled generator output', () => {
  const fs = new MemoryRepoFs({
    'cluster/podinfo.yaml': podinfoKs('./var-substitution'),
    'var-substitution/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ./deployment.yaml',
      'generatorOptions:',
      '  labels:',
      '    kustomize.toolkit.fluxcd.io/substitute: disabled',
      'configMapGenerator:',
      '  - name: flux-grafana-dashboards',
      '    files:',
      '      - cluster.json',
      '',
    ].join('\n'),
    'var-substitution/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  labels:',
      '    environment: ${cluster_env:=dev}',
      '    region: ${cluster_region}',
      '  name: podinfo',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: podinfo',
      '  template:',
      '    metadata:',
      '      annotations:',
      '        prometheus.io/scrape: "true"',
      '        prometheus.io/port: "9797"',
      '      labels:',
      '        app: podinfo',
      '    spec:',
      '      containers:',
      '      - name: podinfod',
      '        image: ghcr.io/stefanprodan/podinfo:6.0.10',
      '        ports:',
      '        - name: http',
      '          containerPort: 9898',
      '          protocol: TCP',
      '        env:',
      '        - name: PODINFO_UI_COLOR',
      '          value: "#34577c"',
      '',
    ].join('\n'),
    'var-substitution/cluster.json': '{\n  "panels": [{"datasource": "${DS_PROMETHEUS}"}]\n}\n',
  });
  const b = buildCluster(fs, { path: 'cluster', sources: { 'GitRepository/flux-system/podinfo': '.' } });
  assert.deepEqual(allErrors(b).map(formatIssue), []);
  const [deploy, cm] = b.kustomizations[0]!.resources.map((r) => r.object as any);
  assert.deepEqual(deploy.metadata, {
    labels: {
      environment: 'prod',
      'kustomize.toolkit.fluxcd.io/name': 'podinfo',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      region: 'eu-central-1',
    },
    name: 'podinfo',
    namespace: 'default',
  });
  assert.deepEqual(deploy.spec.template.metadata.annotations, {
    'prometheus.io/port': '9797',
    'prometheus.io/scrape': 'true',
  });
  assert.deepEqual(deploy.spec.template.spec.containers[0].env, [{ name: 'PODINFO_UI_COLOR', value: '#34577c' }]);
  assert.equal(cm.kind, 'ConfigMap');
  assert.equal(cm.metadata.namespace, 'default');
  assert.deepEqual(cm.metadata.labels, {
    'kustomize.toolkit.fluxcd.io/name': 'podinfo',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    'kustomize.toolkit.fluxcd.io/substitute': 'disabled',
  });
  assert.match(cm.data['cluster.json'], /"datasource": "\$\{DS_PROMETHEUS\}"/);
  assert.match(cm.metadata.name, /^flux-grafana-dashboards-[a-z0-9]{10}$/);
});
