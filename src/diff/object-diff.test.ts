import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjectSets, diffValues, REDACTED } from './object-diff.js';
import type { KObject, Resource } from '../resources/resource.js';

const r = (object: KObject): Resource => ({ object });
const deploy = (image: string, replicas = 3, selector = { app: 'api' }): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'app', labels: { 'kustomize.toolkit.fluxcd.io/name': 'workloads', team: 'a' } },
  spec: {
    replicas,
    selector: { matchLabels: selector },
    template: { metadata: { labels: selector }, spec: { containers: [{ name: 'sidecar', image: 'envoy:1' }, { name: 'api', image, ports: [{ containerPort: 8080 }] }] } },
  },
});

test('list items are matched by key, not by position', () => {
  const a = [{ name: 'a', image: '1' }, { name: 'b', image: '1' }];
  const b = [{ name: 'b', image: '2' }, { name: 'a', image: '1' }];
  assert.deepEqual(diffValues({ c: a }, { c: b }), [{ path: 'c[name=b].image', op: 'replace', from: '1', to: '2' }]);
  assert.deepEqual(diffValues({ p: [{ port: 80 }, { port: 443 }] }, { p: [{ port: 443 }] }), [{ path: 'p[port=80/TCP]', op: 'remove', from: { port: 80 } }]);
});

test('image changes are summarised; owner labels are noise', () => {
  const d = diffObjectSets([r(deploy('acr.io/api:1.2.3'))], [r({ ...deploy('acr.io/api:1.2.4'), metadata: { ...deploy('x').metadata, labels: { team: 'a' } } })]);
  assert.equal(d.changed.length, 1);
  assert.deepEqual(d.changed[0]!.changes, [{ path: 'spec.template.spec.containers[name=api].image', op: 'replace', from: 'acr.io/api:1.2.3', to: 'acr.io/api:1.2.4' }]);
  assert.deepEqual(d.images, [{ id: 'Deployment/app/api', container: 'api', from: 'acr.io/api:1.2.3', to: 'acr.io/api:1.2.4' }]);
  assert.deepEqual(d.dangers, []);
});

test('dangers: selector change, roleRef change, PVC shrink, namespace and CRD deletion', () => {
  const rb = (role: string): KObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'app' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [] });
  const pvc = (size: string): KObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'app' }, spec: { resources: { requests: { storage: size } } } });
  const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } };
  const crd: KObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'foos.example.com' } };
  const d = diffObjectSets(
    [r(deploy('x:1', 3, { app: 'api' })), r(rb('edit')), r(pvc('10Gi')), r(ns), r(crd)],
    [r(deploy('x:1', 3, { app: 'api2' })), r(rb('admin')), r(pvc('5Gi'))],
  );
  const reasons = d.dangers.map((x) => `${x.id}: ${x.reason}`);
  assert.equal(reasons.length, 5);
  assert.match(reasons.join('\n'), /Deployment\/app\/api: spec\.selector is immutable/);
  assert.match(reasons.join('\n'), /RoleBinding\/app\/rb: roleRef is immutable/);
  assert.match(reasons.join('\n'), /PersistentVolumeClaim\/app\/data: PVC size decrease 10Gi -> 5Gi/);
  assert.match(reasons.join('\n'), /Namespace\/app: namespace deletion/);
  assert.match(reasons.join('\n'), /CustomResourceDefinition\/foos\.example\.com: CRD deletion/);
  assert.equal(d.removed.length, 2);
});

test('Secret values never appear in a diff', () => {
  const s = (v: string): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'app' }, data: { password: Buffer.from(v).toString('base64') } });
  const d = diffObjectSets([r(s('hunter2'))], [r(s('correct-horse'))]);
  const text = JSON.stringify(d);
  assert.ok(!text.includes(Buffer.from('hunter2').toString('base64')) && !text.includes(Buffer.from('correct-horse').toString('base64')));
  assert.deepEqual(d.changed[0]!.changes, [{ path: 'data.password', op: 'replace', from: REDACTED, to: REDACTED }]);
  const added = diffObjectSets([], [r(s('hunter2'))]);
  assert.ok(!JSON.stringify(added).includes(Buffer.from('hunter2').toString('base64')));
  assert.deepEqual(Object.keys(added.added[0]!.object.data as object), ['password']);
});
