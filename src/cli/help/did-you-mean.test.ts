import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean } from './did-you-mean.js';

test('didYouMean: the closest word when close enough, a unique prefix, else nothing', () => {
  assert.equal(didYouMean('--outptu', ['--path', '--output', '--summary']), '--output');
  assert.equal(didYouMean('--sumary', ['--path', '--output', '--summary']), '--summary');
  assert.equal(didYouMean('--allow-missing', ['--allow-missing-vars', '--allow-unbuildable']), '--allow-missing-vars');
  assert.equal(didYouMean('--zzz', ['--path', '--output']), undefined);
  assert.equal(didYouMean('upgrade plna', ['upgrade plan', 'upgrade bluegreen']), 'upgrade plan');
  assert.equal(didYouMean('CHECK', ['build', 'check']), 'check');
  assert.equal(
    didYouMean('--allow', ['--allow-missing-vars', '--allow-unbuildable']),
    undefined,
    'an ambiguous prefix suggests nothing',
  );
});
