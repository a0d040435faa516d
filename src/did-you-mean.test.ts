import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestWithin, editDistance } from './did-you-mean.js';

test('editDistance: insert, delete, substitute, adjacent swap', () => {
  assert.equal(editDistance('build', 'build'), 0);
  assert.equal(editDistance('buld', 'build'), 1);
  assert.equal(editDistance('buidl', 'build'), 1);
  assert.equal(editDistance('bxild', 'build'), 1);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closestWithin: the closest below the limit, without case, ties to the earlier name', () => {
  assert.equal(closestWithin('replcas', ['replicas', 'selector'], 3), 'replicas');
  assert.equal(closestWithin('REPLICAS', ['replicas'], 1), 'replicas');
  assert.equal(closestWithin('abcd', ['abxy', 'abyx'], 3), 'abxy');
  assert.equal(closestWithin('abcd', ['wxyz'], 3), undefined);
  assert.equal(closestWithin('ab', ['abc'], 1), undefined, 'a distance equal to the limit is not close');
});
