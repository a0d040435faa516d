/** Policy results and load errors as the one Diagnostic shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyLoadDiagnostic, policyResultDiagnostic } from './diagnostic.js';
import type { PolicyResult } from './types.js';

const base: PolicyResult = {
  policy: 'require-labels',
  rule: 'check-team',
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'app', name: 'p' },
  result: 'fail',
  message: 'label team is required',
  source: { file: 'policies/require-labels.yaml', line: 4 },
};
const at = { file: 'apps/pod.yaml', line: 12 };

test('pass and skip are not problems', () => {
  assert.equal(policyResultDiagnostic({ ...base, result: 'pass' }, at), undefined);
  assert.equal(policyResultDiagnostic({ ...base, result: 'skip' }, at), undefined);
});

test('fail: error when the policy enforces, warning when it audits; warn is a warning; the policy is related', () => {
  const enforced = policyResultDiagnostic({ ...base, enforcing: true }, at)!;
  assert.deepEqual(
    { ...enforced, hint: undefined },
    {
      severity: 'error',
      code: 'policy:require-labels/check-team',
      message: 'label team is required',
      location: at,
      related: [{ file: 'policies/require-labels.yaml', line: 4, message: 'policy require-labels, rule check-team' }],
      hint: undefined,
    },
  );
  assert.match(enforced.hint!, /would refuse this object \(policy require-labels enforces\)/);
  assert.equal(policyResultDiagnostic(base, at)!.severity, 'warning');
  assert.equal(policyResultDiagnostic({ ...base, result: 'warn' }, at)!.severity, 'warning');
  assert.equal(
    policyResultDiagnostic({ ...base, message: '' })!.message,
    'refused by policy require-labels rule check-team',
  );
  assert.equal(policyResultDiagnostic(base)!.location, undefined, 'no place given, none invented');
});

test('error: the policy could not decide; a rule-less result is named by its policy; no source, no related', () => {
  const d = policyResultDiagnostic({ ...base, result: 'error', rule: '', message: 'no such key', source: undefined })!;
  assert.equal(d.severity, 'error');
  assert.equal(d.code, 'policy:require-labels/require-labels');
  assert.equal(d.message, 'policy require-labels rule require-labels could not be evaluated: no such key');
  assert.equal(d.related, undefined);
});

test('a policy load error at its file, line and column', () => {
  assert.deepEqual(policyLoadDiagnostic({ file: 'p.yaml', line: 3, column: 7, policy: 'p', message: 'bad CEL' }), {
    severity: 'error',
    code: 'policy:p/load',
    message: 'bad CEL',
    location: { file: 'p.yaml', line: 3, column: 7 },
  });
});
