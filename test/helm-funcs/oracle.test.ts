/**
 * src/helm/funcs/cases.expected.json is what Helm 4.2 renders: every recorded action is rendered
 * again by the helm-engine oracle (Helm's own pkg/engine) and must give the recorded result.
 * Re-record with: npx tsx test/helm-funcs/record.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CASES } from '../../src/helm/funcs/cases.js';
import { runOracle } from '../../src/helm/funcs/testing.js';
import { oracle } from '../oracles/index.js';

type Outcome = { output: string } | { error: string };
const expected = JSON.parse(readFileSync(new URL('../../src/helm/funcs/cases.expected.json', import.meta.url), 'utf8')) as Record<string, Record<string, Outcome>>;
const helm = oracle('helm-engine');

test('cases.expected.json is what the helm-engine oracle renders', { skip: helm.skip }, () => {
  const all = Object.entries(CASES).flatMap(([family, exprs]) => exprs.map((e) => ({ family, e })));
  // Random and time-dependent actions are recorded through a property (len, typeOf), so they are stable.
  const results = runOracle(helm.path, all.map(({ e }) => ({ templates: { 'templates/t.yaml': `{{ ${e} }}` } })));
  const drift: string[] = [];
  all.forEach(({ family, e }, i) => {
    const r = results[i]!;
    const now: Outcome = 'error' in r ? { error: r.error } : { output: r.output['oracle/templates/t.yaml']! };
    if (JSON.stringify(now) !== JSON.stringify(expected[family]?.[e])) drift.push(`${family}: ${e}: ${JSON.stringify(now)}`);
  });
  assert.equal(all.length, Object.values(expected).reduce((n, f) => n + Object.keys(f).length, 0), 'cases.ts and the recording have the same actions');
  assert.deepEqual(drift, []);
});
