import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterValues, labelsSatisfying, matches, seriesName, valueFor } from './series.js';
import { parseMatchers } from './promql.js';

test('counter notation continues across segments and gaps', () => {
  assert.equal(counterValues([{ steps: 3, increment: 10 }]), '0+10x3');
  // 0,10,20,30 then 35,40 then 2 missing samples
  assert.equal(
    counterValues([
      { steps: 3, increment: 10 },
      { steps: 2, increment: 5 },
      { steps: 2, missing: true },
    ]),
    '0+10x3 35+5x1 _x2',
  );
  assert.equal(
    counterValues([
      { steps: 2, increment: 0.1 },
      { steps: 1, increment: 0.2 },
    ]),
    '0+0.1x2 0.4',
  );
});

test('label values for matchers', () => {
  const ms = parseMatchers('job="api",code=~"5..",method!="POST",path!~"/health.*"');
  assert.ok(Array.isArray(ms));
  const labels = labelsSatisfying(ms);
  assert.deepEqual(labels, { job: 'api', code: '500' });
  assert.equal(valueFor({ name: 'code', op: '=~', value: '5..' }, true), '200');
  assert.equal(valueFor({ name: 'code', op: '=~', value: '5..|429' }), '500');
  assert.equal(matches({ name: 'code', op: '=~', value: '5..' }, '5000'), false, 'regexes are anchored');
  assert.equal(valueFor({ name: 'handler', op: '=~', value: '/api/v[0-9]+/.*' }), '/api/v0/0');
  assert.equal(valueFor({ name: 'x', op: '=~', value: 'a[bc]+d' }), 'abd');
  assert.equal(valueFor({ name: 'x', op: '=~', value: '(?!x)' }), undefined, 'unsatisfiable guesses give up');
  assert.equal(seriesName('m', { job: 'api', code: '500' }), 'm{code="500",job="api"}');
});
