/**
 * ValidatingAdmissionPolicy + bindings on the scenarios of the Kubernetes documentation
 * (kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/, release 1.30+):
 * the expected outcomes are the ones the page states (a Deployment with too many replicas in a
 * `test` namespace is denied with `failed expression: ...`; parameters chosen per binding by
 * namespace label; the messageExpression text), plus the offline rules of docs/cel.md (no
 * binding: Deny; authorizer and missing parameters are errors, never passes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import type { AdmissionContext, PolicyDocument } from '../types.js';
import { validatingAdmissionPolicyEngine as engine } from './index.js';

function load(yaml: string): PolicyDocument[] {
  return parseAllDocuments(yaml).map((d, i) => ({
    object: d.toJS() as Record<string, unknown>,
    file: 'policies.yaml',
    line: i + 1,
  }));
}

const POLICY = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= 5
`;
const BINDING = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: demo-binding-test.example.com}
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {environment: test}
`;

function deployment(ns: string, replicas: number): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: ns }, spec: { replicas } };
}
const namespaces = new Map<string, Record<string, unknown>>([
  ['test-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test-ns', labels: { environment: 'test' } } }],
  ['prod-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod-ns', labels: { environment: 'prod' } } }],
]);
const ctx = (resources: Record<string, unknown>[] = []): AdmissionContext => ({ namespaces, resources });

test('a binding with a namespaceSelector: denied in a test namespace with the default message, not evaluated elsewhere', () => {
  const { compiled, errors } = engine.compile(load(POLICY + '---' + BINDING));
  assert.deepEqual(errors, []);
  const denied = engine.evaluate(compiled, deployment('test-ns', 6), ctx());
  assert.equal(denied.length, 1);
  assert.equal(denied[0].result, 'fail');
  assert.equal(denied[0].enforcing, true);
  assert.equal(denied[0].message, 'failed expression: object.spec.replicas <= 5');
  assert.equal(denied[0].rule, 'demo-binding-test.example.com');
  assert.equal(engine.evaluate(compiled, deployment('test-ns', 3), ctx())[0].result, 'pass');
  assert.deepEqual(engine.evaluate(compiled, deployment('prod-ns', 6), ctx()), []);
});

test('validationActions Warn and Audit do not enforce', () => {
  const warn = engine.compile(load(POLICY + '---' + BINDING.replace('[Deny]', '[Warn]'))).compiled;
  assert.equal(engine.evaluate(warn, deployment('test-ns', 6), ctx())[0].result, 'warn');
  const audit = engine.compile(load(POLICY + '---' + BINDING.replace('[Deny]', '[Audit]'))).compiled;
  const r = engine.evaluate(audit, deployment('test-ns', 6), ctx())[0];
  assert.equal(r.result, 'fail');
  assert.equal(r.enforcing, undefined);
});

test('a policy without a binding is evaluated as if bound with Deny', () => {
  const { compiled } = engine.compile(load(POLICY));
  const r = engine.evaluate(compiled, deployment('prod-ns', 6), ctx());
  assert.equal(r[0].result, 'fail');
  assert.equal(r[0].enforcing, true);
});

const PARAM_POLICY = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicalimit-policy.example.com}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: rules.example.com/v1, kind: ReplicaLimit}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= params.maxReplicas
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicalimit-binding-test.example.com}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef: {name: replica-limit-test.example.com, namespace: default}
  matchResources:
    namespaceSelector:
      matchLabels: {environment: test}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicalimit-binding-nontest}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef: {name: replica-limit-prod.example.com, namespace: default}
  matchResources:
    namespaceSelector:
      matchExpressions: [{key: environment, operator: NotIn, values: [test]}]
`;
const params = [
  {
    apiVersion: 'rules.example.com/v1',
    kind: 'ReplicaLimit',
    metadata: { name: 'replica-limit-test.example.com', namespace: 'default' },
    maxReplicas: 3,
  },
  {
    apiVersion: 'rules.example.com/v1',
    kind: 'ReplicaLimit',
    metadata: { name: 'replica-limit-prod.example.com', namespace: 'default' },
    maxReplicas: 100,
  },
];

test('paramRef: each binding takes its parameter object; messageExpression gives the message', () => {
  const { compiled, errors } = engine.compile(load(PARAM_POLICY));
  assert.deepEqual(errors, []);
  const inTest = engine.evaluate(compiled, deployment('test-ns', 4), ctx(params));
  assert.deepEqual(
    inTest.map((r) => [r.rule, r.result, r.message]),
    [['replicalimit-binding-test.example.com', 'fail', 'object.spec.replicas must be no greater than 3']],
  );
  const inProd = engine.evaluate(compiled, deployment('prod-ns', 4), ctx(params));
  assert.deepEqual(
    inProd.map((r) => [r.rule, r.result]),
    [['replicalimit-binding-nontest', 'pass']],
  );
});

test('a missing parameter object is an error (Deny) or a skip (Allow), never a pass', () => {
  const { compiled } = engine.compile(load(PARAM_POLICY));
  assert.equal(engine.evaluate(compiled, deployment('test-ns', 1), ctx([]))[0].result, 'error');
  const allow = engine.compile(
    load(
      PARAM_POLICY.replace(
        'namespace: default}\n  matchResources:\n    namespaceSelector:\n      matchLabels',
        'namespace: default, parameterNotFoundAction: Allow}\n  matchResources:\n    namespaceSelector:\n' +
          '      matchLabels',
      ),
    ),
  ).compiled;
  assert.equal(engine.evaluate(allow, deployment('test-ns', 1), ctx([]))[0].result, 'skip');
});

test('matchConditions, variables, authorizer and compile errors', () => {
  const policy = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: ['*'], resources: ['*']}
  matchConditions:
  - {name: not-system, expression: "!object.metadata.namespace.startsWith('kube-')"}
  variables:
  - {name: limit, expression: "5"}
  validations:
  - expression: object.spec.replicas <= variables.limit
`;
  const { compiled } = engine.compile(load(policy));
  assert.equal(engine.evaluate(compiled, deployment('kube-system', 9), ctx())[0].result, 'skip');
  assert.equal(engine.evaluate(compiled, deployment('prod-ns', 9), ctx())[0].result, 'fail');
  const authz = engine.compile(
    load(
      policy.replace('object.spec.replicas <= variables.limit', "authorizer.requestResource.check('create').allowed()"),
    ),
  );
  assert.equal(engine.evaluate(authz.compiled, deployment('prod-ns', 1), ctx())[0].result, 'error');
  const broken = engine.compile(
    load(policy.replace('object.spec.replicas <= variables.limit', 'object.spec.replicas <=')),
  );
  assert.equal(broken.errors.length, 1);
  assert.match(broken.errors[0].message, /spec\.validations\[0\]\.expression: CEL does not compile/);
  assert.equal(engine.evaluate(broken.compiled, deployment('prod-ns', 1), ctx())[0].result, 'error');
});
