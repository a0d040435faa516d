/**
 * Kyverno's CEL libraries, function by function. The values are the ones `kyverno apply` 1.19.1
 * gives for the same calls and context (src/admission/cel-policies/kyverno-libraries-oracle.test.ts
 * runs them against it); what only we decide (not evaluable offline) is said so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CelCompileError, CelEvalError, compileCel } from '../index.js';
import { Duration } from '../values.js';
import { kyvernoActivation } from './kyverno.js';
import { getImageData, ImageDataContext, imageDataOf } from './kyverno-imagedata.js';
import { getResource, listResources, ResourceContext, resourceOfKind } from './kyverno-resource.js';
import { toCron, truncateTime } from './kyverno-time.js';
import { parseServiceAccount } from './kyverno-user.js';

const OBJECTS = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' }, data: { k: 'w' } },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } },
    data: { k: 'v' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' } },
];

function offline(fn: () => unknown): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof CelEvalError && e.kind === 'offline' && /not evaluable offline/.test(e.message),
  );
}

test('resourceOfKind: the resource name Kubernetes guesses for a kind', () => {
  assert.equal(resourceOfKind('ConfigMap'), 'configmaps');
  assert.equal(resourceOfKind('NetworkPolicy'), 'networkpolicies');
  assert.equal(resourceOfKind('Ingress'), 'ingresses');
  assert.equal(resourceOfKind('Endpoints'), 'endpoints');
  assert.equal(resourceOfKind('HorizontalPodAutoscaler'), 'horizontalpodautoscalers');
});

test('resource.Get: the object by apiVersion, resource, namespace and name; null when absent', () => {
  const ctx = new ResourceContext(OBJECTS);
  assert.deepEqual(getResource(ctx, 'v1', 'configmaps', 'default', 'a')?.data, { k: 'v' });
  assert.equal(getResource(ctx, 'v1', 'configmaps', 'default', 'nope'), null);
  assert.equal(getResource(ctx, 'v1', 'configmaps', 'other', 'a'), null);
  assert.equal(getResource(ctx, 'v1', 'secrets', 'default', 'a'), null, 'a type the context has none of: null too');
  assert.equal(
    getResource(ctx, 'v1', 'configmaps', '', 'c')?.kind,
    'ConfigMap',
    'an object without a namespace is found with ""',
  );
  assert.equal(getResource(ctx, 'networking.k8s.io/v1', 'networkpolicies', 'default', 'deny')?.kind, 'NetworkPolicy');
  assert.equal(
    getResource(ctx, 'networking.k8s.io/v2', 'networkpolicies', 'default', 'deny'),
    null,
    'the version counts',
  );
  assert.throws(() => getResource(ctx, 'a/b/c', 'x', '', 'y'), /unexpected GroupVersion string/);
});

test('resource.List: {items} of a namespace sorted by name, label selector applied; an unknown type is an error', () => {
  const ctx = new ResourceContext(OBJECTS);
  const names = (l: Record<string, unknown>): unknown[] =>
    (l.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
  assert.deepEqual(names(listResources(ctx, 'v1', 'configmaps', 'default')), ['a', 'b']);
  assert.deepEqual(names(listResources(ctx, 'v1', 'configmaps', '')), ['c']);
  assert.deepEqual(names(listResources(ctx, 'v1', 'configmaps', 'nowhere')), []);
  // The API server applies the selector; the Kyverno CLI's fake provider does not (a known difference).
  assert.deepEqual(names(listResources(ctx, 'v1', 'configmaps', 'default', new Map([['app', 'x']]))), ['a']);
  assert.throws(
    () => listResources(ctx, 'apps/v1', 'deployments', 'default'),
    /failed to list resource: deployments.apps resource not found/,
  );
});

test('resource.*: without any cluster state, not evaluable offline (never a value)', () => {
  const ctx = new ResourceContext(undefined);
  offline(() => getResource(ctx, 'v1', 'configmaps', 'default', 'a'));
  offline(() => listResources(ctx, 'v1', 'configmaps', 'default'));
  const act = kyvernoActivation({ now: new Date(0), resources: OBJECTS });
  offline(() =>
    compileCel("resource.Post('v1', 'configmaps', 'default', {'a': 1})", { libraries: 'kyverno' }).evaluate(act),
  );
});

test(
  "image.GetMetadata: the context entry with the CLI's ImageData fields; " +
    'unknown image an error; no image data not evaluable',
  () => {
    const entry = {
      image: 'busybox:1.28',
      registry: 'index.docker.io',
      tag: '1.28',
      config: { architecture: 'amd64' },
      digest: '',
    };
    assert.deepEqual(imageDataOf(entry), {
      image: 'busybox:1.28',
      resolvedImage: '',
      registry: 'index.docker.io',
      repository: '',
      tag: '1.28',
      config: { architecture: 'amd64' },
    });
    const ctx = new ImageDataContext(new Map([['busybox:1.28', imageDataOf(entry)]]));
    assert.equal((getImageData(ctx, 'busybox:1.28').config as Record<string, unknown>).architecture, 'amd64');
    assert.throws(() => getImageData(ctx, 'nginx:1'), /image data for nginx:1 not found in the context/);
    offline(() => getImageData(new ImageDataContext(undefined), 'busybox:1.28'));
    offline(() => getImageData(new ImageDataContext(new Map()), 'busybox:1.28'));
  },
);

test('time: now is the clock given, truncate as Go (since year 1), toCron in UTC', () => {
  const act = kyvernoActivation({ now: new Date('2026-12-01T10:00:00Z') });
  assert.equal(compileCel('time.now()', { libraries: 'kyverno' }).evaluate(act), '2026-12-01T10:00:00.000Z');
  assert.equal(compileCel("time.now() - duration('1h') < time.now()", { libraries: 'kyverno' }).evaluate(act), true);
  assert.equal(
    truncateTime(new Date('2026-03-04T05:06:07.5Z'), new Duration(420n, 0)).toISOString(),
    '2026-03-04T05:05:00.000Z',
  );
  assert.equal(
    truncateTime(new Date('2026-03-04T05:06:07Z'), new Duration(86400n, 0)).toISOString(),
    '2026-03-04T00:00:00.000Z',
  );
  assert.equal(
    truncateTime(new Date('2026-03-04T05:06:07Z'), new Duration(0n, 0)).toISOString(),
    '2026-03-04T05:06:07.000Z',
  );
  assert.equal(toCron(new Date('2026-03-04T05:06:07Z')), '6 5 4 3 3');
  assert.equal(toCron(new Date('2026-03-08T23:59:00Z')), '59 23 8 3 0');
});

test('parseServiceAccount: Namespace and Name of system:serviceaccount:<ns>:<name>, else empty', () => {
  assert.deepEqual({ ...parseServiceAccount('system:serviceaccount:ns1:sa1') }, { Name: 'sa1', Namespace: 'ns1' });
  assert.deepEqual({ ...parseServiceAccount('bob') }, { Name: '', Namespace: '' });
  assert.deepEqual({ ...parseServiceAccount('system:serviceaccount:nocolon') }, { Name: '', Namespace: '' });
  assert.deepEqual({ ...parseServiceAccount('system:serviceaccount:a:b:c') }, { Name: 'b:c', Namespace: 'a' });
  const p = compileCel("parseServiceAccount(u).Namespace + '/' + user.parseServiceAccount(u).Name", {
    variables: ['u'],
    libraries: 'kyverno',
  });
  assert.equal(
    p.evaluate({ u: 'system:serviceaccount:another-namespace:another-developer' }),
    'another-namespace/another-developer',
  );
});

test(
  "Kyverno's libraries exist only where asked: " + 'not in the Kubernetes environment (ValidatingAdmissionPolicy)',
  () => {
    assert.throws(
      () => compileCel("resource.Get('v1', 'configmaps', 'default', 'a')", { variables: ['object'] }),
      CelCompileError,
    );
    assert.throws(() => compileCel("parseServiceAccount('x').Name", { variables: ['object'] }), CelCompileError);
    assert.throws(() => compileCel('time.now()', { variables: ['object'] }), CelCompileError);
  },
);

test(
  'has() on a selection from any expression (cel-go accepts it; ' +
    'cel-js alone does not; values as the cel oracle gives them)',
  () => {
    const act = kyvernoActivation({
      now: new Date(0),
      images: [{ image: 'i', config: { created: '2020-01-01T00:00:00Z' } }],
    });
    assert.equal(
      compileCel("has(image.GetMetadata('i').config.created)", { libraries: 'kyverno' }).evaluate(act),
      true,
    );
    assert.equal(compileCel("has(image.GetMetadata('i').config.Env)", { libraries: 'kyverno' }).evaluate(act), false);
    assert.equal(compileCel("has({'a': {'b': 1}}.a.b) && !has({'a': {'b': 1}}.a.c)").evaluate({}), true);
    assert.equal(compileCel("has([{'a': 1}][0].a) && !has(dyn([{'a': 1}])[0].b)").evaluate({}), true);
    assert.throws(
      () => compileCel("has(dyn({'a': 1}).b.c)").evaluate({}),
      /No such key: b/,
      'the operand itself is evaluated: a missing b is an error',
    );
  },
);

test(
  'globalContext.Get: an entry given is its data (or a projection of it), ' +
    'an entry not given null; no entries at all: not evaluable offline',
  () => {
    const gc = new Map<string, unknown>([
      ['deployments', { count: 3, names: ['a'] }],
      ['list', [1, 2]],
    ]);
    const act = kyvernoActivation({ now: new Date(0), globalContext: gc });
    const ev = (e: string, a = act): unknown => compileCel(e, { libraries: 'kyverno' }).evaluate(a);
    assert.equal(ev("globalContext.Get('deployments', 'count')"), 3);
    assert.deepEqual(ev("globalContext.get('deployments')"), { count: 3, names: ['a'] });
    assert.equal(ev("dyn(globalContext.Get('nope')) == null"), true);
    assert.throws(
      () => ev("globalContext.Get('deployments', 'missing')"),
      /projection "missing" not found in global context entry "deployments"/,
    );
    assert.throws(() => ev("globalContext.Get('list', 'x')"), /stored value is not an object/);
    offline(() => ev("globalContext.Get('deployments')", kyvernoActivation({ now: new Date(0) })));
    assert.throws(
      () => ev("globalContext.Get('deployments')", kyvernoActivation({ now: new Date(0), globalContext: gc }, 'team')),
      /not allowed in namespaced policies/,
    );
  },
);

test('http.* and resource.ToGVR: type-check (the policy loads), never evaluated offline', () => {
  const act = kyvernoActivation({ now: new Date(0), resources: OBJECTS });
  for (const e of [
    "http.Get('https://example.test')",
    "http.get('https://x', {'a': 'b'})",
    "http.Client('ca').Post('https://x', {'a': 1})",
    "resource.ToGVR('apps/v1', 'Deployment')",
    "resource.List(resource.toGVR('apps/v1', 'Deployment'), 'default')",
  ]) {
    offline(() => compileCel(e, { libraries: 'kyverno' }).evaluate(act));
  }
});
