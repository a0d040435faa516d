/**
 * Conformance with the Kyverno policy corpus (../shared/policies, the policies' own `kyverno test`
 * files): every case folder of the `kyverno` and `kyverno-cel` groups runs through the in-process
 * CLI `aksfleet policy apply --format json` with the inputs its kyverno-test.yaml names (never its
 * expected results); each row of kyverno-cases.tsv is compared with our result for the policy,
 * rule (or its autogen variants), kind and resource. Prints `N/M agree` overall and per tier and
 * asserts the exact list of known exceptions, so any regression (or fix) changes the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { main } from '../../cli/main.js';
import type { Io } from '../../cli/command.js';
import { runConformance, summarize, type CaseOutcome } from '../testing/conformance.js';

const POLICIES = join(PACKAGE_ROOT, '..', 'shared', 'policies');
const present = existsSync(join(POLICIES, 'kyverno-cases.tsv'));
const skip = present ? false : process.env.CI ? false : `the policy corpus ${POLICIES} is not here`;

const key = (o: CaseOutcome): string =>
  `${o.dir} | ${o.rule} | ${o.kind}/${o.resource} | want ${o.expected}, got ${o.actual}`;

/** Known disagreements, each with its reason. */
const KYVERNO_EXCEPTIONS: Record<string, string> = {
  // The test names rule check-ambient-mode-enabled; the policy's rule is check-amblient-mode-enabled
  // (a typo upstream). `kyverno test` finds no rule response and counts the resource as excluded,
  // which it accepts; we give no result for a rule that does not exist.
  'enforce-ambient-mode-namespace | check-ambient-mode-enabled | Namespace/bad-istio-amb01 | want fail, got none':
    'rule name typo in the test',
  'enforce-ambient-mode-namespace | check-ambient-mode-enabled | Namespace/bad-istio-amb02 | want fail, got none':
    'rule name typo in the test',
  'enforce-ambient-mode-namespace | check-ambient-mode-enabled | Namespace/bad-istio-amb03 | want fail, got none':
    'rule name typo in the test',
  'enforce-ambient-mode-namespace | check-ambient-mode-enabled | Namespace/good-istio-amb01 | want pass, got none':
    'rule name typo in the test',
  'enforce-ambient-mode-namespace | check-ambient-mode-enabled | Namespace/good-istio-amb02 | want pass, got none':
    'rule name typo in the test',
};

const KYVERNO_CEL_EXCEPTIONS: Record<string, string> = {};

for (const [group, exceptions] of [
  ['kyverno', KYVERNO_EXCEPTIONS],
  ['kyverno-cel', KYVERNO_CEL_EXCEPTIONS],
] as const) {
  test(`${group}: every case of the corpus through aksfleet policy apply agrees with kyverno test, but the known exceptions`, {
    skip,
  }, async (t) => {
    const outcomes = await runConformance(POLICIES, group);
    for (const line of summarize(outcomes)) t.diagnostic(line);
    assert.ok(outcomes.length > 1000, `${group}: ${outcomes.length} cases read`);
    const disagreements = outcomes
      .filter((o) => !o.agree)
      .map(key)
      .sort();
    assert.deepEqual(disagreements, Object.keys(exceptions).sort());
  });
}

test('aksfleet policy test over the corpus folders, with kyverno test semantics: no failure', { skip }, async () => {
  for (const [group, count] of [
    ['kyverno', 1225],
    ['kyverno-cel', 1134],
  ] as const) {
    let out = '';
    const io: Io = { out: (t) => void (out += t), err: () => undefined, color: false, cwd: POLICIES, env: {} };
    const code = await main(['policy', 'test', group], io);
    assert.match(out, new RegExp(`Test Summary: ${count} tests passed and 0 tests failed`), group);
    assert.equal(code, 0, group);
  }
});
