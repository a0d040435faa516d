import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromToml } from './toml.js';
import { GoError, type GoInt, type GoMap } from '../../gotemplate/value.js';

test('fromToml: inline tables nested past the depth limit are a GoError, as arrays are (not a stack overflow)', () => {
  const n = 20_000;
  for (const text of ['a = ' + '{b = '.repeat(n) + '1' + '}'.repeat(n), 'a = ' + '['.repeat(n) + ']'.repeat(n)]) {
    assert.throws(
      () => fromToml(text),
      (e) => e instanceof GoError && /nested too deeply/.test((e as Error).message),
    );
  }
  const c = ((fromToml('a = {b = {c = 1}}').a as GoMap).b as GoMap).c as GoInt;
  assert.equal(c.value, 1n);
});
