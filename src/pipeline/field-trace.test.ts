import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldTrace, leaves } from './field-trace.js';

const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  kind: 'ConfigMap',
  metadata: { name: 'a', ...extra },
  data,
});
const isA = (o: unknown) => (o as { metadata?: { name?: string } }).metadata?.name === 'a';

test('leaves: every scalar and empty container by path; keys that are not identifiers in brackets', () => {
  assert.deepEqual(
    [...leaves({ a: { 'x.y/z': 1, b: [true, { c: null }] }, e: {}, f: [] })],
    [
      ['a.b[0]', 'true'],
      ['a.b[1].c', 'null'],
      ['a[x.y/z]', '1'],
      ['e', '{}'],
      ['f', '[]'],
    ],
  );
});

test('trace: produced by the first stage holding the object; each field set by the last stage that changed it', () => {
  const t = new FieldTrace(isA);
  t.observe('run', 'generate', undefined);
  t.observe('run', 'build', [cm({ k: '${V}' }), { kind: 'ConfigMap', metadata: { name: 'other' } }]);
  t.observe('run', 'substitute', [cm({ k: 'v' })]);
  t.observe('run', 'labels', [cm({ k: 'v' }, { labels: { l: '1' } })]);
  t.observe('run', 'verify', [cm({ k: 'v' }, { labels: { l: '1' } })]);
  t.observe('other-run', 'build', [{ kind: 'Secret', metadata: { name: 'b' } }]);
  const [trace, ...rest] = t.traces();
  assert.equal(rest.length, 0, 'a run that never held the object is not traced');
  assert.equal(trace!.run, 'run');
  assert.equal(trace!.producedBy, 'build');
  assert.deepEqual(trace!.stages, [
    { stage: 'substitute', changed: 1 },
    { stage: 'labels', changed: 1 },
    { stage: 'verify', changed: 0 },
  ]);
  const by = Object.fromEntries(trace!.fields.map((f) => [f.path, f.changedBy]));
  assert.deepEqual(by, {
    'data.k': ['build', 'substitute'],
    kind: ['build'],
    'metadata.labels.l': ['labels'],
    'metadata.name': ['build'],
  });
  assert.deepEqual(trace!.fields.find((f) => f.path === 'data.k')!.setBy, 'substitute');
});

test('trace: a removed field is listed; an object a later stage drops is not traced; the final filter picks the namespace', () => {
  const t = new FieldTrace(isA, (o) => (o as { metadata: { namespace?: string } }).metadata.namespace === 'ns');
  t.observe('r1', 'build', [cm({ k: 'v', gone: 'x' })]);
  t.observe('r1', 'prune', [cm({ k: 'v' })]);
  t.observe('r1', 'namespace', [cm({ k: 'v' }, { namespace: 'other' }), cm({ k: 'w' }, { namespace: 'ns' })]);
  t.observe('r2', 'build', [cm({ k: 'v' }, { namespace: 'ns' })]);
  t.observe('r2', 'drop', []);
  const traces = t.traces();
  assert.deepEqual(
    traces.map((x) => x.run),
    ['r1'],
  );
  assert.deepEqual(traces[0]!.removed, [{ path: 'data.gone', removedBy: 'prune' }]);
  assert.deepEqual(
    traces[0]!.fields.find((f) => f.path === 'data.k')!.changedBy,
    ['build', 'namespace'],
    'the copy in namespace ns',
  );
});

test('trace: copies, so a stage that mutates the object in place later does not rewrite history', () => {
  const t = new FieldTrace(isA);
  const o = cm({ k: 'v' });
  t.observe('r', 'build', [o]);
  o.data.k = 'changed';
  t.observe('r', 'mutate', [o]);
  assert.deepEqual(t.traces()[0]!.fields.find((f) => f.path === 'data.k')!.changedBy, ['build', 'mutate']);
});
