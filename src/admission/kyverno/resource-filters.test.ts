import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KYVERNO_1_19_RESOURCE_FILTERS,
  clusterResourceFilters,
  isFilteredResource,
  parseKindSelector,
  parseResourceFilters,
  resourceFilterMatcher,
} from './resource-filters.js';

test('parseKindSelector: the table of pkg/utils/kube/kind_test.go (kyverno v1.19.1)', () => {
  const table: [string, string][] = [
    ['*', '*,*,*,'],
    ['*.*', '*,*,*,*'],
    ['*/*', '*,*,*,*'],
    ['Pod', '*,*,Pod,'],
    ['v1/Pod', '*,v1,Pod,'],
    ['batch/*/CronJob', 'batch,*,CronJob,'],
    ['storage.k8s.io/v1/CSIDriver', 'storage.k8s.io,v1,CSIDriver,'],
    ['tekton.dev/v1beta1/TaskRun/status', 'tekton.dev,v1beta1,TaskRun,status'],
    ['v1/Pod.status', '*,v1,Pod,status'],
    ['v1/Pod/status', '*,v1,Pod,status'],
    ['Pod.status', '*,*,Pod,status'],
    ['Pod/status', '*,*,Pod,status'],
    ['apps/v1/Deployment/scale', 'apps,v1,Deployment,scale'],
    ['v1/ReplicationController/scale', '*,v1,ReplicationController,scale'],
    ['*/ReplicationController/scale', '*,*,ReplicationController,scale'],
    ['*/Deployment/scale', '*,*,Deployment,scale'],
    ['*/Deployment.scale', '*,*,Deployment,scale'],
    ['apps/v1/Deployment.scale', 'apps,v1,Deployment,scale'],
    ['v1.demo/v1/Demo', 'v1.demo,v1,Demo,'],
    ['*/scale', '*,*,*,scale'],
    ['Pod/*', '*,*,Pod,*'],
    ['*/*/*', '*,*,*,*'],
    ['*/*/*/*', '*,*,*,*'],
    ['*/*/*/*/*', ',,,'],
  ];
  for (const [input, want] of table) assert.equal(parseKindSelector(input).join(','), want, input);
});

test('parseResourceFilters: the table of pkg/config/types_test.go Test_parseKinds (kyverno v1.19.1)', () => {
  const f = (s: string): string[] =>
    parseResourceFilters(s).map((x) => [x.group, x.version, x.kind, x.subresource, x.namespace, x.name].join(','));
  assert.deepEqual(f(''), []);
  assert.deepEqual(f('[]'), [',,,,,']);
  assert.deepEqual(f('[*]'), ['*,*,*,,,']);
  assert.deepEqual(f('[*/*]'), ['*,*,*,*,,']);
  assert.deepEqual(f('[Pod/*]'), ['*,*,Pod,*,,']);
  assert.deepEqual(f('[v1/Pod/*]'), ['*,v1,Pod,*,,']);
  assert.deepEqual(f('[v1/Pod]'), ['*,v1,Pod,,,']);
  assert.deepEqual(f('[Node,*,*]'), ['*,*,Node,,*,*']);
  assert.deepEqual(f('[Pod,*]'), ['*,*,Pod,,*,']);
  const two = ['*,*,Pod,,default,nginx', '*,*,Pod,,kube-system,api-server'];
  assert.deepEqual(f('[Pod,default,nginx][Pod,kube-system,api-server]'), two);
  assert.deepEqual(f('[Pod,default,nginx],[Pod,kube-system,api-server]'), two);
  assert.deepEqual(f('[Pod,default,nginx]Pod,kube-system,api-server[Pod,kube-system,api-server]'), two);
  assert.deepEqual(f('[Pod,default,nginx,unexpected]'), [',,,,,']);
});

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): Record<string, unknown> => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

test("Kyverno 1.19's default filters (ToFilter): kube-system, kyverno and Events are let through, the Namespace kube-system itself too; a team's Pod is not", () => {
  const defaults = parseResourceFilters(KYVERNO_1_19_RESOURCE_FILTERS.join(''));
  assert.equal(defaults.length, 104);
  const m = resourceFilterMatcher(defaults);
  assert.equal(m(obj('v1', 'Pod', 'coredns-1', 'kube-system')), true);
  assert.equal(m(obj('apps/v1', 'Deployment', 'x', 'kyverno')), true);
  assert.equal(m(obj('v1', 'Namespace', 'kube-system')), true, '[*/*,kube-system,*] also filters the Namespace');
  assert.equal(m(obj('v1', 'Namespace', 'team-a')), false);
  assert.equal(m(obj('events.k8s.io/v1', 'Event', 'e', 'team-a')), true);
  assert.equal(m(obj('apps/v1', 'ReplicaSet', 'rs', 'team-a')), true);
  assert.equal(m(obj('v1', 'Node', 'n1')), true);
  assert.equal(m(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'kyverno:admission-controller:core')), true);
  assert.equal(m(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'team-admin')), false);
  assert.equal(m(obj('v1', 'Pod', 'web', 'team-a')), false);
  assert.equal(m(obj('apps/v1', 'Deployment', 'web', 'default')), false);
  // A subresource filter does not filter the object itself.
  assert.equal(isFilteredResource(parseResourceFilters('[Pod/binding,*,*]'), obj('v1', 'Pod', 'web', 'team-a')), false);
  assert.equal(
    isFilteredResource(parseResourceFilters('[Pod/binding,*,*]'), obj('v1', 'Pod', 'web', 'team-a'), 'binding'),
    true,
  );
  // Group and version selectors.
  assert.equal(
    isFilteredResource(parseResourceFilters('[apps/v1/Deployment,*,*]'), obj('apps/v1', 'Deployment', 'd', 'x')),
    true,
  );
  assert.equal(
    isFilteredResource(
      parseResourceFilters('[apps/v1/Deployment,*,*]'),
      obj('extensions/v1beta1', 'Deployment', 'd', 'x'),
    ),
    false,
  );
});

test("the cluster's own filters come from Kyverno's ConfigMap in the render; else the 1.19 defaults", () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kyverno',
      namespace: 'kyverno',
      labels: { 'app.kubernetes.io/part-of': 'kyverno', 'app.kubernetes.io/component': 'config' },
    },
    data: { resourceFilters: '[Event,*,*] [*/*,legacy,*]' },
  };
  const own = clusterResourceFilters([cm]);
  assert.equal(own.from, 'ConfigMap kyverno/kyverno');
  assert.equal(own.filters.length, 2);
  assert.equal(
    resourceFilterMatcher(own.filters)(obj('v1', 'Pod', 'p', 'kube-system')),
    false,
    'this cluster does not filter kube-system',
  );
  assert.equal(resourceFilterMatcher(own.filters)(obj('v1', 'Pod', 'p', 'legacy')), true);
  assert.equal(
    clusterResourceFilters([{ ...cm, metadata: { name: 'other', namespace: 'x' } }]).from,
    'the defaults of Kyverno 1.19',
  );
});
