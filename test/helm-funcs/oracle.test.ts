/**
 * The recordings the function-library tests compare with (src/helm/funcs/cases.expected.json,
 * charts.expected.json) are what Helm 4.2 renders: every case is rendered again by the helm-engine
 * oracle (Helm's own pkg/engine) and must give the recorded result.
 * Re-record with: npx tsx test/helm-funcs/record.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CASES, CHART_CASES, INCLUDE_LOOP } from '../../src/helm/funcs/cases.js';
import { runOracle } from '../../src/helm/funcs/testing.js';
import { oracle } from '../oracles/index.js';
import { recordActions, recordCharts } from './oracle-cases.js';

const read = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../src/helm/funcs/${file}`, import.meta.url), 'utf8'));
const helm = oracle('helm-engine');

test('cases.expected.json is what the helm-engine oracle renders', { skip: helm.skip }, () => {
  // Random and time-dependent actions are recorded through a property (len, typeOf), so they are stable.
  assert.deepEqual(recordActions(helm.path, CASES), read('cases.expected.json'));
});

test('charts.expected.json is what the helm-engine oracle renders', { skip: helm.skip }, () => {
  assert.deepEqual(recordCharts(helm.path, CHART_CASES), read('charts.expected.json'));
});

test("Helm's include cap: the 1001st nested include of a name fails with Helm's message", { skip: helm.skip }, () => {
  const [r] = runOracle(helm.path, [{ templates: { ...INCLUDE_LOOP.templates } }]);
  assert.ok(r && 'error' in r);
  assert.ok(
    r.error.endsWith(
      'error calling include: rendering template has a nested reference name: loop: unable to execute template',
    ),
  );
  // One include from the file, then 1001 nested ones; the last is refused.
  assert.equal(r.error.split('error calling include: ').length - 1, 1002);
});
