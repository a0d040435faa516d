import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPromQLError, parseMatchers, parsePromQL, parsePromQLAll } from './promql.js';

test('valid PromQL parses', () => {
  for (const e of [
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
    'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05',
    '(sum(rate(x{a="b"}[30d])) or vector(0)) / sum(rate(x[30d]))',
    'absent(x{job="api"})',
    'a > (14.4 * 0.001) and b >= 0.1 or c',
  ])
    assert.equal(parsePromQL(e), null, e);
});

test('syntax errors come with a position', () => {
  assert.deepEqual(parsePromQL('foo{job=api}'), { message: "unexpected 'api' at 1:9", offset: 8, line: 1, column: 9 });
  assert.match(parsePromQL('sum(rate(x[5m])')!.message, /unexpected end of expression at 1:16/);
  assert.match(parsePromQL('rate(x[5m]) >')!.message, /end of expression/);
  assert.match(parsePromQL('a\n  + ) b')!.message, /at 2:5/);
  assert.match(parsePromQL('  ')!.message, /empty/);
  assert.notEqual(parsePromQL('nosuchfunction(x)'), null);
  assert.match(parsePromQL('sum({a=~".*"})')!.message, /at least one non-empty matcher at 1:5/);
  assert.equal(parsePromQL('{a=~".+"}'), null);
});

test('selectors parse into matchers', () => {
  assert.deepEqual(parseMatchers('job="api",code=~"5.."'), [
    { name: 'job', op: '=', value: 'api' },
    { name: 'code', op: '=~', value: '5..' },
  ]);
  assert.deepEqual(parseMatchers(''), []);
  assert.deepEqual(parseMatchers("a!='x',b!~`c\\d`"), [
    { name: 'a', op: '!=', value: 'x' },
    { name: 'b', op: '!~', value: 'c\\d' },
  ]);
  assert.ok(isPromQLError(parseMatchers('job=api')));
  assert.ok(isPromQLError(parseMatchers('a="b"} or {c="d"')));
});

test('parsePromQLAll keeps the verdicts of a set of expressions by their texts', () => {
  const entries = new Map<string, string>();
  const store = { get: (k: string) => entries.get(k), put: (k: string, t: string) => void entries.set(k, t) };
  const set = ['sum(rate(x[5m]))', 'foo{job=api}', 'sum(rate(x[5m]))'];
  const fresh = new Map(set.map((e) => [e, parsePromQL(e)]));
  assert.deepEqual(parsePromQLAll(set, store), fresh);
  assert.equal(entries.size, 1);
  const [key] = [...entries.keys()];
  assert.deepEqual(parsePromQLAll([...set].reverse(), store), fresh, 'the same set in another order');
  // What is kept is what a later run answers (the entry is read, not parsed again)...
  const kept = { message: 'kept', offset: 0, line: 1, column: 1 };
  entries.set(key!, JSON.stringify([null, kept]));
  assert.deepEqual(parsePromQLAll(set, store).get('sum(rate(x[5m]))'), kept);
  // ...and another set (one expression changed) is parsed, never answered from that entry.
  const changed = ['sum(rate(x[5m]))', 'foo{job="api"}'];
  assert.deepEqual(parsePromQLAll(changed, store), new Map(changed.map((e) => [e, parsePromQL(e)])));
  assert.equal(parsePromQLAll(changed, store).get('foo{job="api"}'), null);
  // An entry of another shape is not trusted.
  for (const bad of ['{', '[null]', '[null, {"message": 1}]', '"x"']) {
    entries.set(key!, bad);
    assert.deepEqual(parsePromQLAll(set, store), fresh, bad);
  }
  assert.deepEqual(parsePromQLAll([], store), new Map());
});
