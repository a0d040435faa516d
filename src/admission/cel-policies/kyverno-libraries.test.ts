/**
 * ValidatingPolicies that use Kyverno's CEL libraries: fed from what is known offline (a Kyverno
 * CLI context), they give results; what needs the live cluster or a registry and is not given is
 * an `error` "not evaluable offline" (which `check` reports as such), never a pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isNotEvaluable } from '../../checks/rules/admission.js';
import { runTestFile } from '../kyverno-test.js';
import type { AdmissionContext, PolicyDocument } from '../types.js';
import { compileValidatingPolicies, evaluateValidatingPolicies } from './vpol.js';

const HPA_POLICY = {
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'check-hpa-exists' },
  spec: {
    validationActions: ['Deny'],
    matchConstraints: {
      resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] },
      ],
    },
    variables: [
      {
        name: 'hpaList',
        expression: "resource.List('autoscaling/v1', 'horizontalpodautoscalers', object.metadata.namespace).items",
      },
    ],
    validations: [
      {
        expression: 'variables.hpaList.exists(hpa, hpa.spec.scaleTargetRef.name == object.metadata.name)',
        message: 'no HPA',
      },
    ],
  },
};

const IMAGE_POLICY = {
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'amd64-only' },
  spec: {
    validationActions: ['Warn'],
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    },
    validations: [
      {
        expression: "object.spec.containers.all(c, image.GetMetadata(c.image).config.architecture == 'amd64')",
        message: 'not amd64',
      },
    ],
  },
};

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {},
});
const HPA = {
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'h', namespace: 'default' },
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'with-hpa' } },
};
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.28' }] },
};
const ctx: AdmissionContext = { namespaces: new Map(), resources: [] };

function compiled(policy: Record<string, unknown>) {
  const docs: PolicyDocument[] = [{ object: policy, file: 'policy.yaml', line: 1 }];
  const c = compileValidatingPolicies(docs);
  assert.deepEqual(c.errors, []);
  return c.compiled;
}

test('resource.List with the cluster state given: pass and fail as in the cluster', () => {
  const c = compiled(HPA_POLICY);
  const kyverno = { now: new Date(0), resources: [HPA] };
  assert.equal(evaluateValidatingPolicies(c, deployment('with-hpa'), ctx, { kyverno })[0]!.result, 'pass');
  const r = evaluateValidatingPolicies(c, deployment('without-hpa'), ctx, { kyverno })[0]!;
  assert.equal(r.result, 'fail');
  assert.equal(r.message, 'no HPA');
  assert.equal(r.enforcing, true);
});

test('resource.List without cluster state: not evaluable offline, never a pass (check reports it so)', () => {
  const c = compiled(HPA_POLICY);
  for (const name of ['with-hpa', 'without-hpa']) {
    const [r] = evaluateValidatingPolicies(c, deployment(name), ctx, { kyverno: { now: new Date(0) } });
    assert.equal(r!.result, 'error');
    assert.match(
      r!.message!,
      /resource\.List\("autoscaling\/v1", "horizontalpodautoscalers", \.\.\.\): not evaluable offline/,
    );
    assert.ok(isNotEvaluable(r!), 'check turns it into a "not evaluable offline" finding');
  }
  // No options at all (the default engine): the same.
  assert.ok(isNotEvaluable(evaluateValidatingPolicies(c, deployment('with-hpa'), ctx)[0]!));
});

test('image.GetMetadata without image data: not evaluable offline; with it, a ValidatingPolicy failure is `fail` even under Warn (as kyverno apply 1.19)', () => {
  const c = compiled(IMAGE_POLICY);
  const none = evaluateValidatingPolicies(c, POD, ctx, { kyverno: { now: new Date(0), resources: [] } })[0]!;
  assert.ok(isNotEvaluable(none), none.message);
  const arm = { now: new Date(0), images: [{ image: 'busybox:1.28', config: { architecture: 'arm64' } }] };
  const r = evaluateValidatingPolicies(c, POD, ctx, { kyverno: arm })[0]!;
  assert.equal(r.result, 'fail');
  assert.equal(r.enforcing, undefined, 'Warn does not enforce');
  const amd = { now: new Date(0), images: [{ image: 'busybox:1.28', config: { architecture: 'amd64' } }] };
  assert.equal(evaluateValidatingPolicies(c, POD, ctx, { kyverno: amd })[0]!.result, 'pass');
});

test("policy test: the test's context file feeds the libraries; without one, the expectation is not met", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aksfleet-vpol-ctx-'));
  try {
    const json = (o: unknown): string => JSON.stringify(o);
    writeFileSync(path.join(dir, 'policy.yaml'), json(HPA_POLICY));
    writeFileSync(
      path.join(dir, 'resource.yaml'),
      [deployment('with-hpa'), deployment('without-hpa')].map(json).join('\n---\n'),
    );
    writeFileSync(
      path.join(dir, 'context.yaml'),
      json({
        apiVersion: 'cli.kyverno.io/v1alpha1',
        kind: 'Context',
        metadata: { name: 'c' },
        spec: { resources: [HPA] },
      }),
    );
    const results = [
      {
        kind: 'Deployment',
        policy: 'check-hpa-exists',
        rule: 'ignored-for-rule-less-policies',
        resources: ['with-hpa'],
        result: 'pass',
        isValidatingPolicy: true,
      },
      {
        kind: 'Deployment',
        policy: 'check-hpa-exists',
        resources: ['without-hpa'],
        result: 'fail',
        isValidatingPolicy: true,
      },
      { kind: 'Deployment', policy: 'not-in-this-test', resources: ['with-hpa'], result: 'pass' },
    ];
    const testDoc = {
      apiVersion: 'cli.kyverno.io/v1alpha1',
      kind: 'Test',
      metadata: { name: 't' },
      policies: ['policy.yaml'],
      resources: ['resource.yaml'],
      results,
    };
    writeFileSync(path.join(dir, 'kyverno-test.yaml'), json({ ...testDoc, context: 'context.yaml' }));
    const withContext = runTestFile(path.join(dir, 'kyverno-test.yaml'), dir).rows.map(
      (r) => `${r.policy} ${r.resource} ${r.actual} ${r.ok}`,
    );
    assert.deepEqual(withContext, [
      'check-hpa-exists with-hpa pass true',
      'check-hpa-exists without-hpa fail true',
      'not-in-this-test with-hpa not found false',
    ]);
    writeFileSync(path.join(dir, 'kyverno-test.yaml'), json(testDoc));
    const rows = runTestFile(path.join(dir, 'kyverno-test.yaml'), dir).rows;
    assert.deepEqual(
      rows.map((r) => `${r.resource} ${r.actual} ${r.ok}`),
      ['with-hpa error false', 'without-hpa error false', 'with-hpa not found false'],
    );
    assert.match(rows[0]!.message!, /not evaluable offline/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a ValidatingPolicy that calls random() says its verdict is not deterministic; one that does not, does not', () => {
  const policy = (name: string, expression: string) => ({
    object: {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name },
      spec: {
        validationActions: ['Deny'],
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        validations: [{ expression, message: 'm' }],
      },
    },
    file: 'p.yaml',
  });
  const { compiled, errors } = compileValidatingPolicies([
    policy('rnd', "random('[a-z]{4}').size() == 4"),
    policy('plain', "sha256('a').size() == 64"),
    policy('rnd-fail', 'random().size() == 3'),
  ]);
  assert.deepEqual(errors, []);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: {} };
  const rs = evaluateValidatingPolicies(compiled, pod, { namespaces: new Map(), resources: [pod] });
  const by = new Map(rs.map((r) => [r.policy, r]));
  assert.equal(by.get('rnd')?.result, 'pass');
  assert.match(by.get('rnd')?.message ?? '', /depends on randomness: not deterministic/);
  assert.equal(by.get('plain')?.result, 'pass');
  assert.equal(by.get('plain')?.message, undefined);
  assert.equal(by.get('rnd-fail')?.result, 'fail');
  assert.match(by.get('rnd-fail')?.message ?? '', /^m \(depends on randomness: not deterministic\)$/);
});
