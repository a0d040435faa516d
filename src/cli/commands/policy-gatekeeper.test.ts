/**
 * `aksfleet policy apply|test` with Gatekeeper documents through the in-process CLI: a template
 * whose Rego does not parse is an error at its file, line and column (the block scalar's offset
 * counted) while the other template still reports; gator Suites run beside kyverno-test.yaml and
 * report each assertion as gator verify words it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { runCli } from '../testing/run-cli.js';

function withFiles<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-gk-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredcostcenter
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredCostCenter
      validation:
        openAPIV3Schema:
          type: object
          properties:
            label:
              type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredcostcenter

        violation[{"msg": msg}] {
          not input.review.object.metadata.labels[input.parameters.label]
          msg := sprintf("%v %v must have label %v", [input.review.kind.kind, input.review.name, input.parameters.label])
        }
`;

const BROKEN = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sbroken
spec:
  crd:
    spec:
      names:
        kind: K8sBroken
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sbroken

        violation[{"msg": msg}] {
          msg := sprintf("%v", [input.review.name)
        }
`;

const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredCostCenter
metadata:
  name: namespaces-need-cost-center
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Namespace"]
  parameters:
    label: costCenter
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sBroken
metadata:
  name: broken
`;

const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    costCenter: "1234"
---
apiVersion: v1
kind: Namespace
metadata:
  name: team-b
`;

test('policy apply: a Rego parse error names the template file, line and column; the other template still runs', async () => {
  await withFiles(
    { 'template.yaml': TEMPLATE, 'broken.yaml': BROKEN, 'constraint.yaml': CONSTRAINT, 'ns.yaml': NAMESPACES },
    async (dir) => {
      const r = await runCli(
        [
          'policy',
          'apply',
          'template.yaml',
          'broken.yaml',
          'constraint.yaml',
          '--resource',
          'ns.yaml',
          '--format',
          'json',
        ],
        { cwd: dir },
      );
      assert.equal(r.code, 2, r.err);
      // `msg := sprintf("%v", [input.review.name)` is line 16 of broken.yaml; `)` is at column 50.
      assert.match(r.err, /^error: broken\.yaml:16:50: policy k8sbroken: Rego rego_parse_error: /m);
      assert.doesNotMatch(r.err, /Error:|\n\s+at /, 'no stack trace');
      const results = JSON.parse(r.out).results as {
        policy: string;
        resource: { name: string };
        result: string;
        message?: string;
      }[];
      assert.deepEqual(
        results.map((x) => `${x.policy} ${x.resource.name} ${x.result} ${x.message ?? ''}`.trim()),
        [
          'K8sRequiredCostCenter/namespaces-need-cost-center team-a pass',
          'K8sRequiredCostCenter/namespaces-need-cost-center team-b fail Namespace team-b must have label costCenter',
        ],
      );
    },
  );
});

test('policy apply: a deny violation exits 1 with the constraint message in text output', async () => {
  await withFiles(
    { 'template.yaml': TEMPLATE, 'constraint.yaml': CONSTRAINT.split('---')[0]!, 'ns.yaml': NAMESPACES },
    async (dir) => {
      const r = await runCli(['policy', 'apply', 'template.yaml', 'constraint.yaml', '--resource', 'ns.yaml'], {
        cwd: dir,
      });
      assert.equal(r.code, 1, r.err);
      assert.match(
        r.out,
        /policy K8sRequiredCostCenter\/namespaces-need-cost-center -> resource Namespace\/team-b failed:\n1\. k8srequiredcostcenter \(fail, enforced\): Namespace team-b must have label costCenter/,
      );
      assert.match(r.out, /pass: 1, fail: 1, warn: 0, error: 0, skip: 0/);
    },
  );
});

const SUITE = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
metadata:
  name: costcenter
tests:
- name: cost-center
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: labelled
    object: samples/ok.yaml
    assertions:
    - violations: no
  - name: unlabelled
    object: samples/bad.yaml
    assertions:
    - violations: yes
    - violations: 1
      message: must have label costCenter
    - violations: 2
  - name: with-inventory
    object: samples/bad.yaml
    inventory: [samples/ok.yaml]
    assertions:
    - violations: "no"
      message: team-a
`;

test('policy test: gator Suites report each assertion; a wrong count fails with gator verify wording', async () => {
  const files = {
    'gk/template.yaml': TEMPLATE,
    'gk/constraint.yaml': CONSTRAINT.split('---')[0]!,
    'gk/samples/ok.yaml': NAMESPACES.split('---')[0]!,
    'gk/samples/bad.yaml': NAMESPACES.split('---')[1]!,
    'gk/suite.yaml': SUITE,
  };
  await withFiles(files, async (dir) => {
    const r = await runCli(['policy', 'test', 'gk'], { cwd: dir });
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /Loading suite \( gk\/suite\.yaml \) \.\.\./);
    assert.match(r.out, /1 \| cost-center \| labelled \| violations: no \| Pass/);
    assert.match(
      r.out,
      /3 \| cost-center \| unlabelled \| violations: 1, message: "must have label costCenter" \| Pass/,
    );
    assert.match(
      r.out,
      /4 \| cost-center \| unlabelled \| violations: 2 \| Fail: got 1 violations but want exactly 2: got messages \["Namespace team-b must have label costCenter"\]/,
    );
    assert.match(r.out, /5 \| cost-center \| with-inventory \| violations: no, message: "team-a" \| Pass/);
    assert.match(r.out, /FAIL\tgk\/suite\.yaml/);
    assert.match(r.out, /Test Summary: 4 tests passed and 1 tests failed/);
    const j = await runCli(['policy', 'test', 'gk', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(j.out);
    assert.equal(parsed.passed, 4);
    assert.equal(parsed.failed, 1);
    assert.equal(parsed.suites[0].results.length, 5);
  });
});

test('policy test: a suite whose template does not compile is an input error (exit 2)', async () => {
  const files = {
    'gk/template.yaml': BROKEN,
    'gk/constraint.yaml': CONSTRAINT.split('---')[1]!,
    'gk/samples/bad.yaml': NAMESPACES.split('---')[1]!,
    'gk/suite.yaml': SUITE.replace('constraint.yaml', 'constraint.yaml'),
  };
  await withFiles(files, async (dir) => {
    const r = await runCli(['policy', 'test', 'gk'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /error: gk\/suite\.yaml: test cost-center: gk\/template\.yaml:16:50: Rego rego_parse_error/);
  });
});

test('the documented Gatekeeper example: output and exit code as docs/policy.md shows', async () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'policy.md'), 'utf8');
  const block =
    /<!-- gatekeeper-apply-example -->\n```\n\$ aksfleet (.*)\n([\s\S]*?)```\n<!-- \/gatekeeper-apply-example -->/.exec(
      doc,
    );
  assert.ok(block, 'the example block is in docs/policy.md');
  const r = await runCli(block[1]!.split(' '), { cwd: PACKAGE_ROOT });
  assert.equal(r.err, '');
  assert.equal(r.out, block[2]);
  assert.equal(r.code, 1, 'the deny constraint failed the unlabelled Namespace');
  const t = await runCli(['policy', 'test', 'examples/policy/gatekeeper'], { cwd: PACKAGE_ROOT });
  assert.equal(t.code, 0, t.out);
  assert.match(t.out, /Test Summary: 3 tests passed and 0 tests failed/);
});
