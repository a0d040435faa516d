// assignable's fast path for strings, booleans, floats and integers gives the answer of the
// general comparison of type names (assignableByTypeName) for every kind of value and parameter type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REFLECT_VALUE, assignable, assignableByTypeName } from './types.js';
import { GoInt, type GoIntKind, type GoValue, goFunc, typedMap, typedSlice } from './value.js';

const KINDS: GoIntKind[] = ['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32'];
const VALUES: GoValue[] = [
  null,
  undefined,
  '',
  'x',
  true,
  false,
  0,
  1.5,
  ...KINDS.map((k) => new GoInt(1n, k)),
  new GoInt(2n, 'uint64'),
  new GoInt(3n, 'uintptr'),
  new Uint8Array([1]),
  [],
  typedSlice(['a'], 'string'),
  {},
  typedMap({ a: 'b' }, 'string'),
  goFunc([], ['string'], () => ''),
];
const TYPES = [
  ...['string', 'bool', 'float64', 'float32', 'byte', 'rune', 'error', 'fmt.Stringer', 'any', 'interface{}'],
  ...['interface {}', REFLECT_VALUE, '[]byte', '[]uint8', '[]string', '[]interface{}', 'map[string]string'],
  ...['map[string]interface{}', '*chart.Metadata', 'func() string', ...KINDS, 'uint64', 'uintptr'],
];

test('assignable equals the comparison of type names for every value and parameter type', () => {
  let n = 0;
  for (const v of VALUES) {
    for (const t of TYPES) {
      assert.equal(assignable(v, t), assignableByTypeName(v, t), `${String(v)} as ${t}`);
      n++;
    }
  }
  assert.equal(n, VALUES.length * TYPES.length);
});
