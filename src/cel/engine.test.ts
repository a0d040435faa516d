/**
 * The engine against the cel oracle on a table of core-language and Kubernetes-library
 * expressions: every case must agree (same tagged value, or both an error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCel, CelCompileError, CelEvalError } from './index.js';
import { agree, describe, loadOracle, runOracle, runOurs, type CelCase } from './testing/oracle.js';

const obj = {
  spec: {
    replicas: 3,
    ratio: 0.5,
    containers: [
      { name: 'a', image: 'nginx:1.2' },
      { name: 'b', image: 'x/y' },
    ],
  },
  metadata: { labels: { app: 'web' } },
};

const CASES: CelCase[] = [
  { expr: 'object.spec.replicas + 1', vars: { object: obj } },
  { expr: 'object.spec.ratio * 2.0', vars: { object: obj } },
  { expr: 'object.spec.replicas < 3.5', vars: { object: obj } },
  { expr: 'object.spec.containers.all(c, c.image.contains(":"))', vars: { object: obj } },
  { expr: 'object.spec.containers.exists_one(c, c.name == "a")', vars: { object: obj } },
  { expr: 'object.spec.containers.map(c, c.name)', vars: { object: obj } },
  { expr: 'object.spec.containers.filter(c, c.name != "a").size()', vars: { object: obj } },
  { expr: 'has(object.metadata.annotations)', vars: { object: obj } },
  { expr: 'object.metadata.?annotations.?foo.orValue("none")', vars: { object: obj } },
  { expr: 'object.metadata.labels.app', vars: { object: obj } },
  { expr: 'object.metadata.labels.missing', vars: { object: obj } },
  { expr: '1/0 == 1 || true', vars: {} },
  { expr: 'true && 1/0 == 1', vars: {} },
  { expr: '9223372036854775807 + 1', vars: {} },
  { expr: '1u - 2u', vars: {} },
  { expr: 'duration("1h") + duration("30m")', vars: {} },
  { expr: 'timestamp("2024-01-01T00:00:00Z") + duration("25h")', vars: {} },
  { expr: '[3, 1, 2].isSorted()', vars: {} },
  { expr: '[1, 2, 3].sum()', vars: {} },
  { expr: '[1.5, 2.5].max()', vars: {} },
  { expr: '[].min()', vars: {} },
  { expr: '["a", "b", "a"].lastIndexOf("a")', vars: {} },
  { expr: '"abc 123 def 456".find("[0-9]+")', vars: {} },
  { expr: '"abc 123 def 456".findAll("[0-9]+")', vars: {} },
  { expr: '"abc 123 def 456".findAll("[0-9]+", 1)', vars: {} },
  { expr: '"x".matches("(")', vars: {} },
  { expr: 'undeclared + 1', vars: {} },
  { expr: '1 +', vars: {} },
];

const cel = await loadOracle('cel');

test('core language and Kubernetes libraries agree with cel-go (k8s.io/apiserver environment)', {
  skip: cel.skip,
}, () => {
  const theirs = runOracle(cel.path, CASES);
  const differ = CASES.flatMap((c, i) => {
    const ours = runOurs(c);
    return agree(ours, theirs[i]) ? [] : [`${c.expr}\n  ours:   ${describe(ours)}\n  cel-go: ${describe(theirs[i])}`];
  });
  assert.deepEqual(differ, []);
});

test('compile errors carry the position', () => {
  assert.throws(
    () => compileCel('a + ', { variables: ['a'] }),
    (e: unknown) => e instanceof CelCompileError && e.position?.column === 5,
  );
  assert.throws(() => compileCel('b', { variables: ['a'] }), CelCompileError);
});

test('the cost limit and JSON-shaped results', () => {
  const p = compileCel('object.l.map(x, object.l.map(y, x * y)).size()', { variables: ['object'] });
  const l = Array.from({ length: 100 }, (_, i) => i);
  assert.equal(p.evaluate({ object: { l } }), 100);
  assert.throws(
    () => p.evaluate({ object: { l } }, { costLimit: 1000 }),
    (e: unknown) => e instanceof CelEvalError && e.kind === 'cost',
  );
  assert.deepEqual(compileCel('{"a": [dyn(1), dyn(2.5), dyn(3.0)]}').evaluate({}), { a: [1, 2.5, 3] });
});
