/**
 * gator Suite semantics beyond the CLI test: assertion counting in gator's words
 * (pkg/gator/verify/assertion.go), `invalid: true` tests (the constraint must fail the schema),
 * skipped tests and cases, and a case whose object file holds two objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertionFailure, findSuiteFiles, runSuiteFile } from './suite.js';

test('assertionFailure: yes, no, N, with and without a message, in gator verify wording', () => {
  assert.equal(assertionFailure('yes', undefined, 2), undefined);
  assert.equal(assertionFailure('yes', undefined, 0), 'got 0 violations but want at least 1');
  assert.equal(assertionFailure('no', 'x', 1), 'got 1 violations containing "x" but want none');
  assert.equal(assertionFailure('2', undefined, 2), undefined);
  assert.equal(assertionFailure('2', 'y', 3), 'got 3 violations containing "y" but want exactly 2');
  assert.match(assertionFailure('maybe', undefined, 0)!, /must be a nonnegative integer, "yes", or "no"/);
});

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8smaxreplicas
spec:
  crd:
    spec:
      names:
        kind: K8sMaxReplicas
      validation:
        openAPIV3Schema:
          type: object
          properties:
            max:
              type: integer
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8smaxreplicas
        violation[{"msg": msg}] {
          input.review.object.spec.replicas > input.parameters.max
          msg := sprintf("replicas %v > %v", [input.review.object.spec.replicas, input.parameters.max])
        }
`;
const constraint = (max: string): string => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sMaxReplicas
metadata:
  name: max
spec:
  parameters:
    max: ${max}
`;
const deploy = (n: number, name = 'web'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${n}
`;
const SUITE = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: good
  template: template.yaml
  constraint: c3.yaml
  cases:
  - name: five
    object: five.yaml
    assertions:
    - violations: 1
      message: "^replicas 5 > 3$"
    - message: "> [0-9]"
  - name: skipped
    skip: true
    object: missing.yaml
    assertions:
    - violations: yes
  - name: two-objects
    object: two.yaml
    assertions:
    - violations: no
- name: bad-parameters
  template: template.yaml
  constraint: cbad.yaml
  invalid: true
- name: not-invalid-after-all
  template: template.yaml
  constraint: c3.yaml
  invalid: true
- name: skipped-test
  skip: true
  template: nope.yaml
  constraint: nope.yaml
`;

test('runSuiteFile: counts, regex messages, invalid tests, skips, a two-object case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-suite-'));
  const files: Record<string, string> = {
    'suite.yaml': SUITE,
    'template.yaml': TEMPLATE,
    'c3.yaml': constraint('3'),
    'cbad.yaml': constraint('"three"'),
    'five.yaml': deploy(5),
    'two.yaml': `${deploy(1)}---\n${deploy(2, 'api')}`,
    'other/not-a-suite.yaml': 'kind: ConfigMap\napiVersion: v1\n',
  };
  try {
    for (const [n, t] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, n)), { recursive: true });
      writeFileSync(join(dir, n), t);
    }
    assert.deepEqual(findSuiteFiles(dir), [join(dir, 'suite.yaml')]);
    const o = runSuiteFile(join(dir, 'suite.yaml'), dir);
    assert.deepEqual(o.testErrors, []);
    const rows = o.rows.map(
      (r) =>
        `${r.test}/${r.case} ${r.assertion.violations}` +
        `${r.assertion.message ? ` ${r.assertion.message}` : ''} ${r.ok ? 'ok' : `FAIL ${r.error}`}`,
    );
    assert.deepEqual(rows, [
      'good/five 1 ^replicas 5 > 3$ ok',
      'good/five yes > [0-9] ok',
      'good/two-objects no FAIL two.yaml defines 2 objects',
      'bad-parameters/(constraint) invalid ok',
      'not-invalid-after-all/(constraint) invalid FAIL the constraint was expected to be invalid against the ' +
        'template schema, but it is not',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
