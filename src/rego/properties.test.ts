/**
 * Property tests (fast-check): unification and comprehensions against their definitions
 * (PL "Unification", PL "Comprehensions").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRego } from './index.js';

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ maxLength: 5 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.string({ maxLength: 3 }).filter((k) => k !== '__proto__'),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

test('unification: [x, y] = [a, b] binds x to a and y to b; a = b holds exactly for equal JSON', () => {
  const prog = compileRego([
    {
      file: 'u.rego',
      text:
        'package u\npair := [x, y] if [x, y] = [input.a, input.b]\nsame if input.a = input.b\n' +
        'swap := [y, x] if [x, {"k": y}] = [input.a, {"k": input.b}]',
    },
  ]);
  fc.assert(
    fc.property(json, json, (a0, b0) => {
      // Plain JSON (fast-check's dictionaries have a null prototype).
      const a = JSON.parse(JSON.stringify(a0)) as unknown;
      const b = JSON.parse(JSON.stringify(b0)) as unknown;
      assert.deepEqual(prog.evaluate('data.u.pair', { input: { a, b } }), [a, b]);
      assert.deepEqual(prog.evaluate('data.u.swap', { input: { a, b } }), [b, a]);
      const equalJson = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
      assert.equal(prog.evaluate('data.u.same', { input: { a, b } }), equalJson ? true : undefined);
    }),
    { numRuns: 200 },
  );
});

test('comprehensions: array = map/filter in order, set = sorted unique, object = keyed', () => {
  const prog = compileRego([
    {
      file: 'c.rego',
      text:
        'package c\narr := [(x * 2) | some x in input; x > 0]\nset := {(x % 7) | some x in input}\n' +
        'obj := {sprintf("%d", [i]): x | some i, x in input; x < 0}',
    },
  ]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }), (xs) => {
      assert.deepEqual(
        prog.evaluate('data.c.arr', { input: xs }),
        xs.filter((x) => x > 0).map((x) => x * 2),
      );
      const mods = [...new Set(xs.map((x) => (x % 7) + 0))].sort((a, b) => a - b);
      assert.deepEqual(prog.evaluate('data.c.set', { input: xs }), mods);
      const obj: Record<string, number> = {};
      xs.forEach((x, i) => {
        if (x < 0) obj[String(i)] = x;
      });
      assert.deepEqual(
        prog.evaluate('data.c.obj', { input: xs }),
        Object.fromEntries(Object.entries(obj).sort(([p], [q]) => (p < q ? -1 : 1))),
      );
    }),
    { numRuns: 200 },
  );
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}
