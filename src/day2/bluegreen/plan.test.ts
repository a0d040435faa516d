import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextPoolName } from './plan.js';

test('nextPoolName: a number suffix counts up, names stay within the length limit, taken names are skipped', () => {
  assert.equal(nextPoolName('userpool', new Set(['userpool'])), 'userpool2');
  assert.equal(nextPoolName('userpool2', new Set(['userpool2'])), 'userpool3');
  assert.equal(nextPoolName('abcdefghijkl', new Set()), 'abcdefghijk2');
  assert.equal(nextPoolName('pool9', new Set(['pool10'])), 'pool11');
  assert.equal(nextPoolName('win22', new Set(['win22']), 6), 'win23');
  assert.equal(nextPoolName('winabc', new Set(['winabc']), 6), 'winab2');
});
