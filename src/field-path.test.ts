import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldPath, parseFieldPath, pointerSegments, unescapePointerToken } from './field-path.js';

test('formatFieldPath: dotted keys, bracketed indexes, (document) for the root', () => {
  assert.equal(formatFieldPath(['spec', 'clusters', 0, 'name']), 'spec.clusters[0].name');
  assert.equal(formatFieldPath([0, 'a']), '[0].a');
  assert.equal(formatFieldPath([]), '(document)');
});

test('parseFieldPath: the inverse of formatFieldPath', () => {
  const path = ['spec', 'tenants', 1, 'apps', 0, 'blueGreen'];
  assert.deepEqual(parseFieldPath(formatFieldPath(path)), path);
  assert.deepEqual(parseFieldPath('render'), ['render']);
});

test('pointerSegments: RFC 6901 tokens, ~1 before ~0', () => {
  assert.deepEqual(pointerSegments('/spec/a~1b/0'), ['spec', 'a/b', '0']);
  assert.deepEqual(pointerSegments(''), []);
  assert.equal(unescapePointerToken('~01'), '~1', '~01 is ~ then 1, not /');
  assert.equal(unescapePointerToken('a~0~1'), 'a~/');
});
