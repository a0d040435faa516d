/**
 * The Gatekeeper engine on small templates written for the purpose: which engine runs, the shape
 * of input.review / input.parameters / data.inventory a template sees, enforcement actions,
 * external_data, caps and bad templates (each a load error naming the template; the others run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGatekeeper, evaluateGatekeeper } from './engine.js';
import { blockScalarStart } from './template.js';
import type { AdmissionContext, PolicyDocument } from '../types.js';

const doc = (object: Record<string, unknown>, file = 'p.yaml', line = 1): PolicyDocument => ({ object, file, line });

function template(
  kind: string,
  code: { rego?: string; libs?: string[]; cel?: Record<string, unknown> },
  schema?: Record<string, unknown>,
): Record<string, unknown> {
  const targetCode: Record<string, unknown>[] = [];
  if (code.cel) targetCode.push({ engine: 'K8sNativeValidation', source: code.cel });
  if (code.rego && code.cel)
    targetCode.push({ engine: 'Rego', source: { rego: code.rego, ...(code.libs ? { libs: code.libs } : {}) } });
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: kind.toLowerCase() },
    spec: {
      crd: { spec: { names: { kind }, ...(schema ? { validation: { openAPIV3Schema: schema } } : {}) } },
      targets: [
        {
          target: 'admission.k8s.gatekeeper.sh',
          ...(code.rego && !code.cel ? { rego: code.rego, ...(code.libs ? { libs: code.libs } : {}) } : {}),
          ...(targetCode.length ? { code: targetCode } : {}),
        },
      ],
    },
  };
}

const constraint = (kind: string, name: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'constraints.gatekeeper.sh/v1beta1',
  kind,
  metadata: { name },
  spec,
});
const ctx = (resources: Record<string, unknown>[] = []): AdmissionContext => ({
  namespaces: new Map(
    resources.filter((r) => r.kind === 'Namespace').map((r) => [(r.metadata as { name: string }).name, r]),
  ),
  resources,
});
const pod = (name: string, ns = 'team-a', labels: Record<string, string> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

const ECHO = `package echo
violation[{"msg": msg}] {
  msg := json.marshal({"review": input.review, "parameters": input.parameters})
}`;

test('Rego sees input.review (kind, name, namespace, operation CREATE, object) and input.parameters ({} by default)', () => {
  const { compiled, errors } = compileGatekeeper([doc(template('Echo', { rego: ECHO })), doc(constraint('Echo', 'e'))]);
  assert.deepEqual(errors, []);
  const [r] = evaluateGatekeeper(compiled, pod('p1'), ctx());
  assert.equal(r!.result, 'fail');
  assert.equal(r!.enforcing, true);
  assert.equal(r!.policy, 'Echo/e');
  assert.equal(r!.rule, 'echo');
  const seen = JSON.parse(r!.message!);
  assert.deepEqual(seen.parameters, {});
  assert.deepEqual(seen.review.kind, { group: '', version: 'v1', kind: 'Pod' });
  assert.equal(seen.review.name, 'p1');
  assert.equal(seen.review.namespace, 'team-a');
  assert.equal(seen.review.operation, 'CREATE');
  assert.equal(seen.review.object.metadata.name, 'p1');
});

test('an AdmissionReview is reviewed as its request (operation UPDATE, oldObject); results name the object inside', () => {
  const { compiled } = compileGatekeeper([doc(template('Echo', { rego: ECHO })), doc(constraint('Echo', 'e'))]);
  const ar = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { operation: 'UPDATE', object: pod('new'), oldObject: pod('old') },
  };
  const [r] = evaluateGatekeeper(compiled, ar, ctx());
  assert.deepEqual(r!.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'new' });
  const seen = JSON.parse(r!.message!);
  assert.equal(seen.review.operation, 'UPDATE');
  assert.equal(seen.review.oldObject.metadata.name, 'old');
});

test('data.inventory holds the evaluated resources at Gatekeeper sync paths (cluster / namespace)', () => {
  const rego = `package inv
violation[{"msg": msg}] {
  other := data.inventory.namespace[ns][gv][kind][name]
  name != input.review.object.metadata.name
  msg := sprintf("%v %v %v/%v", [gv, kind, ns, name])
}
violation[{"msg": msg}] {
  data.inventory.cluster["v1"]["Namespace"][name]
  msg := sprintf("cluster Namespace %v", [name])
}`;
  const { compiled, errors } = compileGatekeeper([
    doc(template('Inv', { rego })),
    doc(constraint('Inv', 'i', { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } })),
  ]);
  assert.deepEqual(errors, []);
  const all = [
    pod('a'),
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'team-b' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
  ];
  const msgs = evaluateGatekeeper(compiled, all[0]!, ctx(all))
    .map((r) => r.message)
    .sort();
  assert.deepEqual(msgs, ['apps/v1 Deployment team-b/d', 'cluster Namespace team-a']);
});

test('enforcementAction: deny fails (enforcing), warn and dryrun warn, scoped takes the admission point, unknown is a load error', () => {
  const rego = 'package always\nviolation[{"msg": "no"}] { true }';
  const docs = [
    doc(template('Always', { rego })),
    doc(constraint('Always', 'deny')),
    doc(constraint('Always', 'warn', { enforcementAction: 'warn' })),
    doc(constraint('Always', 'dry', { enforcementAction: 'dryrun' })),
    doc(
      constraint('Always', 'scoped', {
        enforcementAction: 'scoped',
        scopedEnforcementActions: [
          { action: 'warn', enforcementPoints: [{ name: 'validation.gatekeeper.sh' }] },
          { action: 'deny', enforcementPoints: [{ name: 'audit.gatekeeper.sh' }] },
        ],
      }),
    ),
    doc(
      constraint('Always', 'audit-only', {
        enforcementAction: 'scoped',
        scopedEnforcementActions: [{ action: 'deny', enforcementPoints: [{ name: 'audit.gatekeeper.sh' }] }],
      }),
    ),
    doc(constraint('Always', 'bad', { enforcementAction: 'block' })),
  ];
  const { compiled, errors } = compileGatekeeper(docs);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /enforcementAction 'block' is not one of/);
  assert.equal(errors[0]!.policy, 'Always/bad');
  const got = evaluateGatekeeper(compiled, pod('p'), ctx()).map(
    (r) => `${r.policy} ${r.result}${r.enforcing ? ' enforcing' : ''}`,
  );
  assert.deepEqual(got, [
    'Always/deny fail enforcing',
    'Always/warn warn',
    'Always/dry warn',
    'Always/scoped warn',
    'Always/audit-only skip',
  ]);
});

test('a template with both CEL and Rego runs the CEL one (gator 3.23 default); variables.params and anyObject', () => {
  const cel = {
    variables: [{ name: 'want', expression: 'variables.params.label' }],
    validations: [
      {
        expression: 'has(variables.anyObject.metadata.labels) && variables.want in variables.anyObject.metadata.labels',
        messageExpression: '"cel: missing " + variables.want',
      },
    ],
  };
  const rego = 'package both\nviolation[{"msg": "rego ran"}] { true }';
  const { compiled, errors } = compileGatekeeper([
    doc(template('Both', { cel, rego })),
    doc(constraint('Both', 'b', { parameters: { label: 'owner' } })),
  ]);
  assert.deepEqual(errors, []);
  assert.equal(compiled.templates.get('Both')!.engine, 'cel');
  assert.deepEqual(
    evaluateGatekeeper(compiled, pod('p'), ctx()).map((r) => r.message),
    ['cel: missing owner'],
  );
  assert.deepEqual(
    evaluateGatekeeper(compiled, pod('q', 'team-a', { owner: 'x' }), ctx()).map((r) => r.result),
    ['pass'],
  );
});

test('CEL matchConditions false: no violation; a CEL runtime error is an error result, not a pass', () => {
  const cel = {
    matchConditions: [{ name: 'only-web', expression: 'object.metadata.name.startsWith("web")' }],
    validations: [{ expression: 'object.spec.replicas > 0', message: 'replicas' }],
  };
  const { compiled } = compileGatekeeper([doc(template('Cel', { cel })), doc(constraint('Cel', 'c'))]);
  assert.deepEqual(
    evaluateGatekeeper(compiled, pod('api'), ctx()).map((r) => r.result),
    ['pass'],
  );
  const [r] = evaluateGatekeeper(compiled, pod('web'), ctx());
  assert.equal(r!.result, 'error');
  assert.match(r!.message!, /template cel: .*validations\[0\]\.expression/);
});

test('external_data is reported as not evaluable offline', () => {
  const rego = `package ext
violation[{"msg": msg}] {
  response := external_data({"provider": "ratify", "keys": ["x"]})
  msg := sprintf("%v", [response])
}`;
  const { compiled, errors } = compileGatekeeper([doc(template('Ext', { rego })), doc(constraint('Ext', 'x'))]);
  assert.deepEqual(errors, []);
  const [r] = evaluateGatekeeper(compiled, pod('p'), ctx());
  assert.equal(r!.result, 'error');
  assert.match(r!.message!, /external_data .*not evaluable offline/);
});

test('bad templates and constraints are load errors naming them; the good ones still run', () => {
  const good = 'package good\nviolation[{"msg": "good ran"}] { true }';
  const docs = [
    doc(template('Broken', { rego: 'package broken\nviolation[{"msg": msg}] {\n  msg := \n}' }), 'broken.yaml', 3),
    doc(template('Good', { rego: good })),
    doc(
      { apiVersion: 'templates.gatekeeper.sh/v1', kind: 'ConstraintTemplate', metadata: { name: 'nokind' }, spec: {} },
      'nokind.yaml',
    ),
    doc(
      { ...template('Named', { rego: 'package n\nviolation[{"msg": "x"}] { true }' }), metadata: { name: 'other' } },
      'named.yaml',
    ),
    doc(
      template(
        'Params',
        { rego: 'package params\nviolation[{"msg": "x"}] { false }' },
        { type: 'object', properties: { n: { type: 'integer' } } },
      ),
    ),
    doc(constraint('Broken', 'b')),
    doc(constraint('Good', 'g')),
    doc(constraint('Missing', 'm'), 'm.yaml'),
    doc(constraint('Params', 'p', { parameters: { n: 'three' } }), 'params.yaml'),
  ];
  const { compiled, errors } = compileGatekeeper(docs);
  const text = errors.map(
    (e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''} ${e.policy ?? ''}: ${e.message}`,
  );
  assert.equal(errors.length, 5, text.join('\n'));
  assert.match(text[0]!, /^broken\.yaml:\d+ broken: Rego rego_parse_error/);
  assert.match(text[1]!, /^nokind\.yaml:1 nokind: .*names\.kind is required/);
  assert.match(text[2]!, /^named\.yaml:1 other: .*must be the lower-case/);
  assert.match(text[3]!, /^m\.yaml:1 Missing\/m: no ConstraintTemplate defines the constraint kind Missing/);
  assert.match(
    text[4]!,
    /^params\.yaml:1 Params\/p: parameters do not match the schema .*spec\.parameters\.n: must be of type integer, got string/,
  );
  assert.deepEqual(
    evaluateGatekeeper(compiled, pod('p'), ctx()).map((r) => `${r.policy} ${r.result} ${r.message}`),
    ['Good/g fail good ran'],
  );
});

test('a template that runs away hits the step cap: an error result naming the template', () => {
  const rego = `package runaway
violation[{"msg": msg}] {
  xs := input.review.object.spec.big
  pairs := [[a, b] | a := xs[_]; b := xs[_]]
  msg := sprintf("%v", [count(pairs)])
}`;
  const { compiled, errors } = compileGatekeeper([doc(template('Runaway', { rego })), doc(constraint('Runaway', 'r'))]);
  assert.deepEqual(errors, []);
  const big = { ...pod('p'), spec: { big: Array.from({ length: 3000 }, (_, i) => i) } };
  const [r] = evaluateGatekeeper(compiled, big, { ...ctx(), timeoutMs: 2000 }, { maxSteps: 100_000 });
  assert.equal(r!.result, 'error');
  assert.match(r!.message!, /template runaway: evaluation cancelled/);
});

test('blockScalarStart: the content of `rego: |` starts on the next line at its own indentation', () => {
  const src = 'a:\n  rego: |\n    package x\n    y := 1\n  other: 1\n';
  assert.deepEqual(blockScalarStart(src, { line: 2, column: 9 }), { line: 3, indent: 4 });
  assert.deepEqual(blockScalarStart('a:\n  rego: |2\n      package x\n', { line: 2, column: 9 }), {
    line: 3,
    indent: 4,
  });
  assert.deepEqual(blockScalarStart('rego: "package x"\n', { line: 1, column: 7 }), { line: 1, indent: 6 });
});
