/**
 * One policy on one resource: match/exclude (namespaces, namespaceSelector from the values file,
 * operations, subjects), preconditions, mutation before validation, failure actions, and the caps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionContext } from '../../types.js';
import { namespacesOf } from '../../apply.js';
import { evaluatePolicy } from './evaluate.js';
import { compilePolicies } from './policy.js';

const pod = (
  name: string,
  ns: string,
  image = 'nginx:1.25',
  labels: Record<string, string> = {},
): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image }] },
});

function compile(spec: Record<string, unknown>, name = 'p'): ReturnType<typeof compilePolicies>['policies'][number] {
  const { policies, errors } = compilePolicies([
    {
      object: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec },
      file: 'p.yaml',
      line: 1,
    },
  ]);
  assert.deepEqual(errors, []);
  return policies[0]!;
}

function ctxWith(resources: Record<string, unknown>[], values?: Record<string, unknown>): AdmissionContext {
  return { namespaces: namespacesOf(resources, values), resources, values };
}

const noLatest = { message: 'no latest', pattern: { spec: { containers: [{ image: '!*:latest' }] } } };

test('match namespaces and namespaceSelector (labels from the values file); exclude wins', () => {
  const p = compile({
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { tier: 'prod' } } } }] },
        exclude: { any: [{ resources: { names: ['skip-*'] } }] },
        validate: noLatest,
      },
    ],
  });
  const values = { namespaceSelector: [{ name: 'shop', labels: { tier: 'prod' } }] };
  const prod = pod('web', 'shop', 'nginx:latest');
  const r = evaluatePolicy(p, prod, ctxWith([prod], values)).results;
  assert.deepEqual(
    r.map((x) => [x.rule, x.result, x.enforcing]),
    [['r', 'fail', true]],
  );
  assert.equal(
    evaluatePolicy(p, pod('web', 'dev', 'nginx:latest'), ctxWith([], values)).results.length,
    0,
    'namespace not selected',
  );
  assert.equal(
    evaluatePolicy(p, pod('skip-me', 'shop', 'nginx:latest'), ctxWith([], values)).results.length,
    0,
    'excluded by name',
  );
});

test('operations and the request.operation value; subjects are ignored by match without user info', () => {
  const p = compile({
    background: false,
    rules: [
      {
        name: 'on-update',
        match: {
          any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] }, subjects: [{ kind: 'User', name: 'alice' }] }],
        },
        validate: {
          deny: { conditions: { all: [{ key: '{{ request.operation }}', operator: 'Equals', value: 'UPDATE' }] } },
        },
      },
    ],
  });
  const r = pod('a', 'x');
  assert.equal(evaluatePolicy(p, r, ctxWith([r])).results.length, 0);
  const values = { policies: [{ name: 'p', resources: [{ name: 'a', values: { 'request.operation': 'UPDATE' } }] }] };
  const out = evaluatePolicy(p, r, ctxWith([r], values)).results;
  assert.deepEqual(
    out.map((x) => [x.result, x.enforcing]),
    [['fail', undefined]],
    'Audit: a failure that does not enforce',
  );
});

test('preconditions skip; mutation runs before the rules after it', () => {
  const p = compile({
    rules: [
      {
        name: 'add-team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { '+(team)': 'platform' } } } },
      },
      {
        name: 'needs-team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        preconditions: {
          all: [{ key: "{{ request.object.metadata.labels.skip || '' }}", operator: 'NotEquals', value: 'yes' }],
        },
        validate: { pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });
  const r = pod('a', 'x');
  const out = evaluatePolicy(p, r, ctxWith([r]));
  assert.deepEqual(
    out.results.map((x) => [x.rule, x.result]),
    [
      ['add-team', 'pass'],
      ['needs-team', 'pass'],
    ],
  );
  assert.equal((out.resource.metadata as { labels: Record<string, string> }).labels.team, 'platform');
  const skipped = pod('b', 'x', 'nginx:1', { skip: 'yes' });
  assert.deepEqual(
    evaluatePolicy(p, skipped, ctxWith([skipped])).results.map((x) => x.result),
    ['pass', 'skip'],
  );
});

test('verifyImages and imageRegistry context are errors that say why; the time cap is an error too', () => {
  const p = compile({
    rules: [
      {
        name: 'sig',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        verifyImages: [{ imageReferences: ['*'], mutateDigest: false }],
      },
      {
        name: 'size',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        context: [{ name: 'img', imageRegistry: { reference: '{{ request.object.spec.containers[0].image }}' } }],
        validate: {
          deny: { conditions: { any: [{ key: '{{ img.manifest.size }}', operator: 'GreaterThan', value: 1 }] } },
        },
      },
    ],
  });
  const r = pod('a', 'x');
  const out = evaluatePolicy(p, r, ctxWith([r])).results;
  assert.deepEqual(
    out.map((x) => x.result),
    ['error', 'error'],
  );
  assert.match(out[0]!.message!, /not evaluable offline/);
  assert.match(out[1]!.message!, /imageRegistry.*not evaluable offline/);
  const late = evaluatePolicy(
    compile({ rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: noLatest }] }),
    r,
    { ...ctxWith([r]), timeoutMs: -1 },
  ).results;
  assert.deepEqual(
    late.map((x) => x.result),
    ['error'],
  );
  assert.match(late[0]!.message!, /exceeded/);
});

test('a policy with an unknown operator or a bad {{ }} expression does not compile; the error names the rule', () => {
  const bad = compilePolicies([
    {
      object: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'b' },
        spec: {
          rules: [
            {
              name: 'r',
              match: { any: [{ resources: { kinds: ['Pod'] } }] },
              validate: {
                message: '{{ a[ }}',
                deny: { conditions: { any: [{ key: 1, operator: 'Bigger', value: 2 }] } },
              },
            },
          ],
        },
      },
      file: 'b.yaml',
      line: 3,
    },
  ]);
  assert.equal(bad.policies.length, 0);
  assert.deepEqual(
    bad.errors.map((e) => [e.file, e.line, e.policy, e.rule]),
    [
      ['b.yaml', 3, 'b', 'r'],
      ['b.yaml', 3, 'b', 'r'],
    ],
  );
  assert.match(
    bad.errors.map((e) => e.message).join('\n'),
    /unknown condition operator 'Bigger'[\s\S]*invalid variable/,
  );
});

test('label selector operators (Exists, DoesNotExist, In, NotIn) in match namespaceSelector are not condition operators', () => {
  const sel = {
    matchExpressions: [
      { key: 'aksfleet.dev/tenant', operator: 'Exists' },
      { key: 'x', operator: 'DoesNotExist' },
    ],
  };
  const ok = compilePolicies([
    {
      object: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'n' },
        spec: {
          rules: [
            {
              name: 'r',
              match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: sel } }] },
              validate: { pattern: { spec: { containers: [{ image: 'acr.io/*' }] } } },
            },
          ],
        },
      },
      file: 'n.yaml',
      line: 1,
    },
  ]);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.policies.length, 1);
});

test('values subresources: a Scale object is matched as Deployment/scale', () => {
  const p = compile({
    rules: [
      {
        name: 'max-replicas',
        match: { any: [{ resources: { kinds: ['Deployment/scale'] } }] },
        validate: { pattern: { spec: { replicas: '<=3' } } },
      },
    ],
  });
  const scale = {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 5 },
  };
  assert.equal(
    evaluatePolicy(p, scale, ctxWith([scale])).results.length,
    0,
    'not declared: a Scale is not a Deployment',
  );
  const values = {
    subresources: [
      {
        subresource: { name: 'deployments/scale', kind: 'Scale', group: 'autoscaling', version: 'v1' },
        parentResource: { name: 'deployments', kind: 'Deployment', group: 'apps', version: 'v1' },
      },
    ],
  };
  assert.deepEqual(
    evaluatePolicy(p, scale, ctxWith([scale], values)).results.map((r) => r.result),
    ['fail'],
  );
});

test('an invalid validate pattern does not compile: +() anchors, an existence anchor without a list', () => {
  const withPattern = (pattern: unknown): string[] =>
    compilePolicies([
      {
        object: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'x' },
          spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { pattern } }] },
        },
        file: 'x.yaml',
      },
    ]).errors.map((e) => e.message);
  assert.deepEqual(withPattern({ metadata: { labels: { '+(team)': 'a' } } }), [
    '.validate.pattern.metadata.labels.+(team): unsupported anchor +(team) in a validate pattern',
  ]);
  assert.deepEqual(withPattern({ spec: { '^(containers)': { name: 'a' } } }), [
    '.validate.pattern.spec.^(containers): existence anchor should have a non-empty list value',
  ]);
  assert.deepEqual(withPattern({ spec: { '^(containers)': [{ name: 'a' }] } }), []);
});

test('policies kyverno 1.19 refuses do not compile: a selector Exists with values, In without values; context with validate.cel (found by the differential test)', () => {
  const errorsOf = (rule: Record<string, unknown>): string[] =>
    compilePolicies([
      {
        object: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'x' },
          spec: { rules: [{ name: 'r', validate: { pattern: { metadata: { name: '?*' } } }, ...rule }] },
        },
        file: 'x.yaml',
      },
    ]).errors.map((e) => e.message);
  const withSelector = (e: Record<string, unknown>): string[] =>
    errorsOf({ match: { any: [{ resources: { kinds: ['Pod'], selector: { matchExpressions: [e] } } }] } });
  assert.deepEqual(withSelector({ key: 'app', operator: 'Exists', values: ['web'] }), [
    '.match.any[0].resources.selector.matchExpressions[0].values: values set must be empty for Exists and DoesNotExist',
  ]);
  assert.deepEqual(withSelector({ key: 'app', operator: 'In' }), [
    '.match.any[0].resources.selector.matchExpressions[0].values: values set must be non-empty for In and NotIn',
  ]);
  assert.deepEqual(withSelector({ key: 'app', operator: 'Bigger', values: ['a'] }), [
    ".match.any[0].resources.selector.matchExpressions[0].operator: not a valid selector operator 'Bigger' " +
      '(In, NotIn, Exists, DoesNotExist)',
  ]);
  assert.deepEqual(withSelector({ key: 'app', operator: 'DoesNotExist' }), []);
  assert.deepEqual(
    errorsOf({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      context: [{ name: 'a', variable: { value: 1 } }],
      validate: { cel: { expressions: [{ expression: 'true' }] } },
    }),
    ['context variables are not supported for CEL expressions in validate rules'],
  );
});

test('kyverno 1.19 refuses, and so do we: a condition without a value (null), a validate or foreach with two checks (found by the differential test)', () => {
  const errorsOf = (rule: Record<string, unknown>): string[] =>
    compilePolicies([
      {
        object: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'x' },
          spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
        },
        file: 'x.yaml',
      },
    ]).errors.map((e) => e.message);
  assert.deepEqual(
    errorsOf({
      validate: {
        deny: {
          conditions: { any: [{ key: '{{ request.object.metadata.labels }}', operator: 'Equals', value: null }] },
        },
      },
    }),
    ['.validate.deny.conditions.any[0]: entered value of `key`, `value` or `operator` is missing or misspelled'],
  );
  assert.deepEqual(errorsOf({ preconditions: [{ key: 'a', operator: 'Equals' }], validate: { deny: {} } }), [
    '.preconditions[0]: entered value of `key`, `value` or `operator` is missing or misspelled',
  ]);
  assert.deepEqual(
    errorsOf({
      validate: { foreach: [{ list: 'request.object.spec.containers', pattern: { image: '*' }, deny: {} }] },
    }),
    ['.validate.foreach[0]: only one of pattern, anyPattern, deny, or a nested foreach can be specified'],
  );
  assert.deepEqual(errorsOf({ validate: { message: 'm' } }), [
    '.validate: one of pattern, anyPattern, deny, foreach, cel must be specified',
  ]);
  assert.deepEqual(errorsOf({ validate: { pattern: { metadata: {} }, deny: {} } }), [
    '.validate: only one of pattern, anyPattern, deny, foreach, cel can be specified',
  ]);
  assert.deepEqual(
    errorsOf({
      validate: {
        foreach: [{ list: 'request.object.spec.containers', foreach: [{ list: 'element.ports', deny: {} }] }],
      },
    }),
    [],
  );
});

test('messages as kyverno 1.19 writes them (found by the differential test): a validate.cel pass names the rule; an anyPattern message that does not resolve is replaced by a note', () => {
  const cel = compile({
    rules: [
      {
        name: 'small',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { cel: { expressions: [{ expression: 'size(object.spec.containers) < 3' }] } },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(cel, pod('a', 'x'), ctxWith([])).results.map((r) => [r.result, r.message]),
    [['pass', "Validation rule 'small' passed."]],
  );
  const missing = compile({
    rules: [
      {
        name: 'tpl',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { cel: { expressions: [{ expression: 'size(object.spec.template.spec.containers) <= 2' }] } },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(missing, pod('a', 'x'), ctxWith([])).results.map((r) => [r.result, r.message]),
    [['fail', "expression 'size(object.spec.template.spec.containers) <= 2' resulted in error: no such key: template"]],
  );
  const trimmed = compile({
    rules: [
      {
        name: 't',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { cel: { expressions: [{ expression: 'false', message: ' too many ' }] } },
      },
      {
        name: 'u',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { cel: { expressions: [{ expression: 'false', messageExpression: "'a\\nb'", message: 'static' }] } },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(trimmed, pod('a', 'x'), ctxWith([])).results.map((r) => [r.result, r.message]),
    [
      ['fail', 'too many'],
      ['fail', 'static'],
    ],
  );
  const any = compile({
    rules: [
      {
        name: 'either',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: {
          message: 'owner {{ request.object.metadata.labels.owner }}',
          anyPattern: [{ metadata: { labels: { a: '?*' } } }, { metadata: { labels: { b: '?*' } } }],
        },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(any, pod('a', 'x'), ctxWith([])).results.map((r) => [r.result, r.message]),
    [
      [
        'fail',
        'validation error: variables substitution error in rule either execution error: rule either[0] ' +
          'failed at path /metadata/labels/a/ rule either[1] failed at path /metadata/labels/b/',
      ],
    ],
  );
});

test('a namespaced Policy cannot filter by namespaces in match or exclude (found by the differential test)', () => {
  const errorsOf = (kind: string, match: Record<string, unknown>): string[] =>
    compilePolicies([
      {
        object: {
          apiVersion: 'kyverno.io/v1',
          kind,
          metadata: { name: 'x', namespace: 'team-a' },
          spec: { rules: [{ name: 'r', match, validate: { pattern: { metadata: { name: '?*' } } } }] },
        },
        file: 'x.yaml',
      },
    ]).errors.map((e) => e.message);
  const match = { all: [{ resources: { kinds: ['Pod'], namespaces: ['team-*'] } }] };
  assert.deepEqual(errorsOf('Policy', match), [
    '.match.all[0].resources.namespaces: Filtering namespaces not allowed in namespaced policies',
  ]);
  assert.deepEqual(errorsOf('ClusterPolicy', match), []);
});

test('a mutate rule that applies names the object, as kyverno 1.19 reports it (checked with kyverno apply)', () => {
  const p = compile({
    rules: [
      {
        name: 'add-team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { team: 'a' } } } },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(p, pod('a', 'x'), ctxWith([])).results.map((r) => [r.result, r.message]),
    [['pass', 'mutated Pod/a in namespace x']],
  );
});

test('a mutate rule whose patch changes nothing is a skip, "no patches applied", as kyverno 1.19 reports it (differential)', () => {
  const p = compile({
    rules: [
      {
        name: 'add-team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { team: 'a' } } } },
      },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(p, pod('a', 'x', 'nginx:1.25', { team: 'a' }), ctxWith([])).results.map((r) => [
      r.result,
      r.message,
    ]),
    [['skip', 'no patches applied']],
  );
});

test("every policy validates the object as all mutate rules left it, a later policy's included (as kyverno apply 1.19; differential with AKSFLEET_KYVERNO_MUTATE=1)", async () => {
  const { kyvernoEngine } = await import('../index.js');
  const doc = (name: string, rule: Record<string, unknown>) => ({
    object: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name },
      spec: { rules: [{ match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
    },
    file: 'p.yaml',
  });
  const engine = kyvernoEngine();
  const { compiled } = engine.compile([
    doc('b-validate', {
      name: 'need-team',
      validate: { message: 'need team', pattern: { metadata: { labels: { team: 'a' } } } },
    }),
    doc('a-mutate', { name: 'add-team', mutate: { patchStrategicMerge: { metadata: { labels: { team: 'a' } } } } }),
  ]);
  const r = pod('a', 'x');
  assert.deepEqual(
    engine.evaluate(compiled, r, ctxWith([r])).map((x) => [x.policy, x.rule, x.result, x.message]),
    [
      ['b-validate', 'need-team', 'pass', "validation rule 'need-team' passed."],
      ['a-mutate', 'add-team', 'pass', 'mutated Pod/a in namespace x'],
    ],
  );
});

test('shapes kyverno 1.19 refuses (found by the shape differential, test/kyverno): user filters or user variables in background mode, a podSecurity version outside the CRD enum, exclude images against the control level, mutateDigest under Audit, keyless without Rekor or roots', () => {
  const refused = (spec: Record<string, unknown>): string[] =>
    compilePolicies([
      {
        object: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec },
        file: 'p.yaml',
        line: 1,
      },
    ]).errors.map((e) => e.message);
  const m = { any: [{ resources: { kinds: ['Pod'] } }] };
  const deny = (key: string) => ({ deny: { conditions: { any: [{ key, operator: 'Equals', value: 'x' }] } } });
  assert.match(
    refused({
      rules: [
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'a' }] }] },
          validate: deny('a'),
        },
      ],
    })[0]!,
    /background mode.*match\/any\[0\]\/subjects/,
  );
  assert.match(
    refused({ rules: [{ name: 'r', match: m, validate: deny('{{ request.userInfo.username }}') }] })[0]!,
    /variable \{\{ request.userInfo.username \}\} is not allowed/,
  );
  assert.deepEqual(
    refused({ background: false, rules: [{ name: 'r', match: m, validate: deny('{{ serviceAccountName }}') }] }),
    [],
  );
  const pss = (ps: Record<string, unknown>) =>
    refused({ rules: [{ name: 'r', match: m, validate: { podSecurity: ps } }] });
  assert.match(pss({ level: 'baseline', version: 'v1.33' })[0]!, /version: Unsupported value: "v1.33"/);
  assert.deepEqual(pss({ level: 'baseline', version: 'v1.32' }), []);
  assert.match(
    pss({ level: 'restricted', exclude: [{ controlName: 'Sysctls', images: ['*'] }] })[0]!,
    /must not be specified for the pod level control/,
  );
  assert.match(
    pss({ level: 'restricted', exclude: [{ controlName: 'Capabilities' }] })[0]!,
    /must be specified for the container level control/,
  );
  assert.match(
    pss({ level: 'baseline', exclude: [{ controlName: 'Volume Types' }] })[0]!,
    /Invalid control name defined at the given level/,
  );
  assert.deepEqual(pss({ level: 'baseline', exclude: [{ controlName: 'Seccomp' }] }), []);
  const vi = (spec: Record<string, unknown>, entry: Record<string, unknown>) =>
    refused({
      ...spec,
      background: false,
      rules: [{ name: 'r', match: m, verifyImages: [{ imageReferences: ['*'], ...entry }] }],
    });
  assert.match(vi({}, {})[0]!, /mutateDigest must be set to false/);
  assert.deepEqual(vi({ validationFailureAction: 'Enforce' }, {}), []);
  assert.match(
    vi({}, { mutateDigest: false, attestors: [{ entries: [{ keyless: { subject: 's', issuer: 'i' } }] }] })[0]!,
    /Either Rekor URL or roots are required/,
  );
});

test('a verifyImages rule gives no result for a resource without an image it names (as Kyverno), an error otherwise; images as Kyverno prints them (docker.io/nginx:latest)', () => {
  const p = compile({
    background: false,
    rules: [
      {
        name: 'sig',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        verifyImages: [{ imageReferences: ['docker.io/nginx:*', 'ghcr.io/*'], mutateDigest: false }],
      },
    ],
  });
  const other = pod('a', 'x', 'registry.k8s.io/pause:3.9');
  assert.deepEqual(evaluatePolicy(p, other, ctxWith([other])).results, []);
  const nginx = pod('b', 'x', 'nginx');
  const out = evaluatePolicy(p, nginx, ctxWith([nginx])).results;
  assert.deepEqual(
    out.map((x) => x.result),
    ['error'],
  );
  assert.match(out[0]!.message!, /not evaluable offline \(docker.io\/nginx:latest\)/);
});

test('request info as Kyverno builds it: empty roles and clusterRoles are unknown keys (omitempty), so reading them is an error (kyverno apply 1.19)', () => {
  const p = compile({
    background: false,
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: {
          deny: { conditions: { any: [{ key: '{{ request.clusterRoles }}', operator: 'AnyIn', value: ['admin'] }] } },
        },
      },
    ],
  });
  const r = pod('a', 'x');
  assert.deepEqual(
    evaluatePolicy(p, r, ctxWith([r]), { requestInfo: { userInfo: { username: 'carol' } } }).results.map(
      (x) => x.result,
    ),
    ['error'],
  );
  assert.deepEqual(
    evaluatePolicy(p, r, ctxWith([r]), {
      requestInfo: { userInfo: { username: 'bob' }, clusterRoles: ['admin'] },
    }).results.map((x) => x.result),
    ['fail'],
  );
});

const denyWhen = (name: string, key: string, value: unknown, message = 'm'): Record<string, unknown> => ({
  name,
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  validate: { message, deny: { conditions: { any: [{ key, operator: 'Equals', value }] } } },
});

test('serviceAccountName/serviceAccountNamespace exist only with user info, as kyverno apply 1.19 sets them (found by the shape differential, seeds 2411, 2418)', () => {
  const p = compile({
    background: false,
    rules: [
      denyWhen('name-empty', '{{ serviceAccountName }}', ''),
      denyWhen('ns-empty', '{{ serviceAccountNamespace }}', '', 'ns [{{ serviceAccountNamespace }}]'),
      denyWhen('name-default', "{{ serviceAccountName || 'none' }}", 'none', 'plain'),
      denyWhen('show', 'x', 'x', 'sa [{{ serviceAccountName }}] in [{{ serviceAccountNamespace }}]'),
    ],
  });
  const r = pod('web-1', 'a');
  const run = (username?: string): string[] =>
    evaluatePolicy(
      p,
      r,
      ctxWith([r]),
      username === undefined ? {} : { requestInfo: { userInfo: { username } } },
    ).results.map((x) => `${x.rule} ${x.result}${x.result === 'fail' || x.result === 'pass' ? ` ${x.message}` : ''}`);
  // Without --userinfo: unknown keys (kyverno: error "... Unknown key ..."); a `||` default applies.
  // A message that does not resolve is empty (kyverno: fail with message "").
  assert.deepEqual(run(), ['name-empty error', 'ns-empty error', 'name-default fail plain', 'show fail ']);
  // A user that is not a service account: both '' (kyverno apply --userinfo, username alice).
  assert.deepEqual(run('alice'), [
    'name-empty fail m',
    'ns-empty fail ns []',
    'name-default fail plain', // '' is false to JMESPath's ||
    'show fail sa [] in []',
  ]);
  assert.deepEqual(run('system:serviceaccount:flux-system:kustomize-controller'), [
    "name-empty pass validation rule 'name-empty' passed.",
    "ns-empty pass validation rule 'ns-empty' passed.",
    "name-default pass validation rule 'name-default' passed.",
    'show fail sa [kustomize-controller] in [flux-system]',
  ]);
});

test('a configMap context entry whose ConfigMap is not given stays unset, as kyverno apply 1.19 leaves it; each result that read it says why (found by the shape differential, seed 2418)', () => {
  const cfg = [{ name: 'cfg', configMap: { name: 'settings', namespace: 'default' } }];
  const withCfg = (rule: Record<string, unknown>): Record<string, unknown> => ({ ...rule, context: cfg });
  const p = compile({
    rules: [
      withCfg({
        ...denyWhen('pre-skip', '{{ cfg.data.registry }}', 'x'),
        preconditions: { all: [{ key: "{{ cfg.data.env || 'none' }}", operator: 'Equals', value: 'prod' }] },
      }),
      withCfg(denyWhen('deny-error', '{{ cfg.data.registry }}', 'x')),
      withCfg(
        denyWhen(
          'deny-default-fail',
          "{{ cfg.data.registry || 'none' }}",
          'none',
          "r {{ cfg.data.registry || 'unset' }}",
        ),
      ),
      withCfg(denyWhen('unused', '{{ request.object.metadata.name }}', 'web-1', 'unused')),
    ],
  });
  const r = pod('web-1', 'a');
  const out = evaluatePolicy(p, r, ctxWith([r])).results;
  // kyverno apply: skip, error, fail "r unset", fail "unused".
  assert.deepEqual(
    out.map((x) => [x.rule, x.result]),
    [
      ['pre-skip', 'skip'],
      ['deny-error', 'error'],
      ['deny-default-fail', 'fail'],
      ['unused', 'fail'],
    ],
  );
  const note = "(context entry 'cfg' left unset: ConfigMap default/settings is not among the resources given)";
  for (const x of out.slice(0, 3)) assert.ok(x.message!.endsWith(note), x.message);
  assert.match(out[1]!.message!, /Unknown key "cfg"/);
  assert.equal(out[2]!.message, `r unset ${note}`);
  assert.equal(out[3]!.message, 'unused', 'a rule that does not read the entry has no note');
  // Given among the resources, the ConfigMap is read (kyverno apply reads none: not compared).
  const settings = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'default' },
    data: { env: 'prod', registry: 'x' },
  };
  assert.deepEqual(
    evaluatePolicy(p, r, ctxWith([r, settings])).results.map((x) => x.result),
    ['fail', 'fail', 'pass', 'fail'],
  );
});

// The caps: a step budget that stops runaway input the same way on any machine, and a time
// backstop that counts running time, so that a process paused for an hour reports what it
// reports unpaused (issue: one more resource-filters finding on an overloaded CI runner).

/** A clock paused for an hour between any two readings: wall time flies, no CPU time is spent. */
const pausedClock = (): { wallMs: () => number; cpuMs: () => number } => {
  let wall = 0;
  return { wallMs: () => (wall += 3_600_000), cpuMs: () => 0 };
};

const manyContainers = (n: number): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'big', namespace: 'kyverno' },
  spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: `ghcr.io/kyverno/k:${i}` })) },
});

const eachContainer = (inner?: Record<string, unknown>): Record<string, unknown> => ({
  name: 'each',
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  validate: {
    message: 'no latest',
    foreach: [
      inner
        ? { list: 'request.object.spec.containers', foreach: [inner] }
        : { list: 'request.object.spec.containers', pattern: { image: '!*:latest' } },
    ],
  },
});

test('a runaway policy stops at the step budget, with the same message every time', () => {
  const r = manyContainers(2000);
  const inner = { list: 'request.object.spec.containers', pattern: { image: '!*:latest' } };
  const p = compile({ rules: [eachContainer(inner)] });
  const run = () => evaluatePolicy(p, r, ctxWith([r]), { maxSteps: 10_000 }).results;
  const first = run();
  assert.deepEqual(
    first.map((x) => [x.rule, x.result, x.message]),
    [['each', 'error', 'evaluation exceeded 10000 steps (a resource limit, not a policy verdict)']],
  );
  assert.deepEqual(run(), first);
});

test('a healthy policy paused for hours is not stopped, and a rule with no result still gives none', () => {
  // As in the report: a verifyImages rule for the fleet's registry gives no result on Kyverno's own
  // Deployment; a cap that fired at the rule's start made it an error (then a resource-filters finding).
  const r = manyContainers(300);
  const p = compile({
    rules: [
      eachContainer(),
      {
        name: 'require-cosign',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        verifyImages: [{ imageReferences: ['acrprod123.azurecr.io/*'], mutateDigest: false }],
      },
    ],
  });
  const out = evaluatePolicy(p, r, { ...ctxWith([r]), timeoutMs: 1, clock: pausedClock() }).results;
  assert.deepEqual(
    out.map((x) => [x.rule, x.result]),
    [['each', 'pass']],
  );
});

test('the time backstop still stops what runs: its message names the cap and its limit', () => {
  let cpu = 0;
  const spinning = { wallMs: () => (cpu += 10), cpuMs: () => cpu };
  const r = manyContainers(500);
  const p = compile({ rules: [eachContainer()] });
  const out = evaluatePolicy(p, r, { ...ctxWith([r]), timeoutMs: 1000, clock: spinning }).results;
  assert.deepEqual(
    out.map((x) => [x.result, x.message]),
    [['error', 'evaluation exceeded 1000 ms of CPU time (a resource limit, not a policy verdict)']],
  );
});

test('foreach: 1,000 elements fit the default step budget, 20,000 meet it (10 steps an element)', () => {
  // With a fork copying the request (the list included) per element, each element cost the list's
  // length: 1,000 x 1,000 steps went over MAX_STEPS and a healthy policy gave an error.
  const r = manyContainers(1000);
  const p = compile({ rules: [eachContainer()] });
  const out = evaluatePolicy(p, r, ctxWith([r])).results;
  assert.deepEqual(
    out.map((x) => [x.rule, x.result]),
    [['each', 'pass']],
  );
  const bad = structuredClone(r) as { spec: { containers: { image: string }[] } };
  bad.spec.containers[999]!.image = 'nginx:latest';
  assert.deepEqual(
    evaluatePolicy(p, bad, ctxWith([bad])).results.map((x) => x.result),
    ['fail'],
  );
  const huge = manyContainers(20_000);
  assert.deepEqual(
    evaluatePolicy(p, huge, ctxWith([huge])).results.map((x) => [x.result, x.message]),
    [['error', 'evaluation exceeded 100000 steps (a resource limit, not a policy verdict)']],
  );
});
