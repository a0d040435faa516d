/**
 * go-yaml v2 emitter details. Expected strings were produced by kubectl kustomize (v5.5.0) for
 * the same values (the full fixture with the oracle is test/conformance/yaml-edges.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, naturalCompare, toGoYaml } from './go-emit.js';

test('keys in go-yaml v2 natural order', () => {
  const keys = ['item10', 'ab', 'aB', '-a', 'Item1', 'item9', '_x', 'a.b', '1', 'a-b', 'item09'];
  assert.deepEqual(keys.sort(naturalCompare), [
    '-a',
    '_x',
    '1',
    'Item1',
    'a-b',
    'a.b',
    'aB',
    'ab',
    'item9',
    'item09',
    'item10',
  ]);
});

test('floats as Go prints them after the JSON round trip', () => {
  assert.deepEqual([1.5, 1e-7, 1.5e300, 1234567.5, 0.0001, 0.00001, 99999999999].map(formatNumber), [
    '1.5',
    '1e-07',
    '1.5e+300',
    '1.2345675e+06',
    '0.0001',
    '1e-05',
    '99999999999',
  ]);
});

test('strings YAML 1.1 would misread are quoted; multi-line strings are literal blocks', () => {
  assert.equal(
    toGoYaml({ on: 'on', n: 'null', oct: '0755', t: 'true', e: '', m: 'a\nb\n', c: 'a: b', s: '*x' }),
    'c: \'a: b\'\ne: ""\nm: |\n  a\n  b\n"n": "null"\noct: "0755"\n"on": "on"\ns: \'*x\'\nt: "true"\n',
  );
});

test('sequences are not indented under their key; empty collections are flow', () => {
  assert.equal(toGoYaml({ l: [[1, 2], {}, [], { a: 1 }, null] }), 'l:\n- - 1\n  - 2\n- {}\n- []\n- a: 1\n- null\n');
});

test('integers beyond 2^53 print with the digits that were read (kubectl prints them exactly)', async () => {
  const { parseGoYaml } = await import('./go-yaml.js');
  const v = parseGoYaml('a: 9223372036854775807\nb: 18446744073709551615\nc: 4294967295\n', 'big.yaml')[0]!.value;
  assert.equal(toGoYaml(v), 'a: 9223372036854775807\nb: 18446744073709551615\nc: 4294967295\n');
});
