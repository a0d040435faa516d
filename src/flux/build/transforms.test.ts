/**
 * Unit tests of the post-build transforms: normalisation (fluxcd/pkg ssa/normalize),
 * commonMetadata, owner labels, and the dependsOn order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from './normalize.js';
import { commonMetadata } from './common-metadata.js';
import { ownerLabels } from './owner-labels.js';
import { dependencyOrder } from './dependency-order.js';

test('normalize: protocol TCP on containers of pod templates and Service ports only; initContainers untouched', () => {
  const cj = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'a', ports: [{ containerPort: 1 }, { containerPort: 2, protocol: 'UDP' }] }],
              initContainers: [{ name: 'i', ports: [{ containerPort: 3 }] }],
            },
          },
        },
      },
    },
  };
  const n = normalize(cj) as any;
  assert.deepEqual(n.spec.jobTemplate.spec.template.spec.containers[0].ports, [
    { containerPort: 1, protocol: 'TCP' },
    { containerPort: 2, protocol: 'UDP' },
  ]);
  assert.deepEqual(n.spec.jobTemplate.spec.template.spec.initContainers[0].ports, [{ containerPort: 3 }]);
  assert.equal(
    (cj.spec.jobTemplate.spec.template.spec.containers[0]!.ports[0] as any).protocol,
    undefined,
    'input not mutated',
  );
  const svc = normalize({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80 }] },
  }) as any;
  assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP' }]);
  const crdLike = {
    apiVersion: 'example.com/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { containers: [{ ports: [{ containerPort: 1 }] }] } } },
  };
  assert.equal(normalize(crdLike), crdLike, 'unknown API versions are not typed, so not normalised');
});

test('normalize: status dropped except on CRDs; Role and ClusterRole skipped; stringData merged over data', () => {
  assert.equal(
    (normalize({ apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' }, status: { a: 1 } }) as any).status,
    undefined,
  );
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'c' },
    status: { a: 1 },
  };
  assert.equal(normalize(crd), crd);
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, status: {} };
  assert.equal(normalize(role), role);
  const s = normalize({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: 'eA==', b: 'eQ==' },
    stringData: { b: 'z' },
  }) as any;
  assert.deepEqual(s.data, { a: 'eA==', b: Buffer.from('z').toString('base64') });
  assert.equal('stringData' in s, false);
});

test('commonMetadata: labels and annotations on metadata only; owner labels', () => {
  const o = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { a: '1', b: '2' } },
    spec: { selector: { matchLabels: { a: '1' } } },
  };
  const c = commonMetadata(o, { labels: { b: 'x', c: 'y' }, annotations: { n: 'note' } }) as any;
  assert.deepEqual(c.metadata, { name: 'd', labels: { a: '1', b: 'x', c: 'y' }, annotations: { n: 'note' } });
  assert.deepEqual(c.spec, o.spec);
  assert.equal(commonMetadata(o, undefined), o);
  assert.deepEqual(
    ownerLabels({ kind: 'X', metadata: { name: 'x' } }, { name: 'apps', namespace: 'flux-system' }).metadata?.labels,
    {
      'kustomize.toolkit.fluxcd.io/name': 'apps',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    },
  );
});

test('dependencyOrder: topological, ties by name, missing and cycles reported', () => {
  const r = dependencyOrder([
    { id: 'ns/c', dependsOn: ['ns/a'] },
    { id: 'ns/b', dependsOn: [] },
    { id: 'ns/a', dependsOn: ['ns/ghost'] },
    { id: 'ns/x', dependsOn: ['ns/y'] },
    { id: 'ns/y', dependsOn: ['ns/z'] },
    { id: 'ns/z', dependsOn: ['ns/x'] },
    { id: 'ns/w', dependsOn: ['ns/z'] },
  ]);
  assert.deepEqual(r.order, ['ns/a', 'ns/b', 'ns/c', 'ns/w', 'ns/x', 'ns/y', 'ns/z']);
  assert.deepEqual([...r.missing], [['ns/a', ['ns/ghost']]]);
  assert.deepEqual(r.cycles, [['ns/x', 'ns/y', 'ns/z', 'ns/x']]);
});
