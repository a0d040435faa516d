/**
 * `aksfleet policy apply|test` through the in-process CLI: the documented example (docs/policy.md),
 * the JSON shape and its determinism, exit codes (0 audit-only failures, 1 enforcing failure,
 * 2 bad policies while the good ones still report), values files for context entries that need a
 * cluster, and `policy test` mismatches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import type { Io } from '../command.js';
import { main } from '../main.js';

async function run(args: string[], cwd = PACKAGE_ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

function withFiles<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: team-a
spec:
  containers:
    - name: app
      image: nginx:latest
`;

const policy = (name: string, action: string, operator = 'Equals'): string => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: ${action}
  rules:
    - name: no-latest
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: latest is not allowed
        deny:
          conditions:
            any:
              - key: "{{ request.object.spec.containers[0].image }}"
                operator: ${operator}
                value: "*:latest"
`;

test('the documented example: output and exit code as docs/policy.md shows', async () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'policy.md'), 'utf8');
  const block =
    /<!-- policy-apply-example -->\n```\n\$ aksfleet (.*)\n([\s\S]*?)```\n<!-- \/policy-apply-example -->/.exec(doc);
  assert.ok(block, 'the example block is in docs/policy.md');
  const r = await run(block[1]!.split(' '));
  assert.equal(r.out, block[2]);
  assert.equal(r.code, 1, 'an enforcing policy failed');
  const t = await run(['policy', 'test', 'examples/policy']);
  assert.equal(t.code, 0, t.out);
  assert.match(t.out, /Test Summary: 8 tests passed and 0 tests failed/);
});

test('--format json: the documented shape, deterministic, Deployments through autogen rules', async () => {
  const args = [
    'policy',
    'apply',
    'examples/policy/policy.yaml',
    '--resource',
    'examples/policy/resources.yaml',
    '--format',
    'json',
  ];
  const a = await run(args);
  const b = await run(args);
  assert.equal(a.out, b.out);
  const results = (JSON.parse(a.out) as { results: Record<string, unknown>[] }).results;
  assert.deepEqual(Object.keys(results[0]!), ['policy', 'rule', 'resource', 'result', 'message']);
  assert.deepEqual(
    results.map((r) => `${(r.resource as { kind: string }).kind} ${r.rule} ${r.result}`),
    [
      'Deployment autogen-require-team-label pass',
      'Deployment autogen-no-latest-tag pass',
      'Deployment autogen-memory-limit-at-most-2Gi pass',
      'Pod require-team-label fail',
      'Pod no-latest-tag fail',
      'Pod memory-limit-at-most-2Gi fail',
    ],
  );
  assert.deepEqual(results[3]!.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'debug' });
});

test('exit 0 when only audit policies fail, 1 when an enforcing one does', async () => {
  await withFiles(
    {
      'audit.yaml': policy('audit-latest', 'Audit'),
      'enforce.yaml': policy('enforce-latest', 'Enforce'),
      'pod.yaml': POD,
    },
    async (dir) => {
      const audit = await run(['policy', 'apply', 'audit.yaml', '--resource', 'pod.yaml', '--format', 'json'], dir);
      assert.equal(audit.code, 0);
      assert.equal((JSON.parse(audit.out) as { results: { result: string }[] }).results[0]!.result, 'fail');
      const enforce = await run(['policy', 'apply', 'enforce.yaml', '--resource', 'pod.yaml'], dir);
      assert.equal(enforce.code, 1);
    },
  );
});

test('a bad policy is exit 2 with file, line, policy and rule; the good policies still report', async () => {
  const files = {
    'good.yaml': policy('good', 'Audit'),
    'bad-operator.yaml': policy('bad-op', 'Enforce', 'Matches'),
    'broken.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: [\n',
    'pod.yaml': POD,
  };
  await withFiles(files, async (dir) => {
    const r = await run(
      [
        'policy',
        'apply',
        'good.yaml',
        'bad-operator.yaml',
        'broken.yaml',
        '--resource',
        'pod.yaml',
        '--format',
        'json',
      ],
      dir,
    );
    assert.equal(r.code, 2);
    assert.match(r.err, /bad-operator\.yaml:1: policy bad-op rule no-latest: .*unknown condition operator 'Matches'/);
    assert.match(r.err, /broken\.yaml:\d+/);
    const results = (JSON.parse(r.out) as { results: { policy: string; result: string }[] }).results;
    assert.deepEqual(
      results.map((x) => `${x.policy} ${x.result}`),
      ['good fail'],
    );
  });
});

const API_CALL_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: max-pods
spec:
  validationFailureAction: Enforce
  rules:
    - name: max-pods
      match:
        any:
          - resources:
              kinds: [Pod]
      context:
        - name: podcount
          apiCall:
            urlPath: "/api/v1/namespaces/{{ request.namespace }}/pods"
            jmesPath: "items | length(@)"
      validate:
        message: too many pods
        deny:
          conditions:
            any:
              - key: "{{ podcount }}"
                operator: GreaterThan
                value: 10
`;

const values = (count: number): string => `apiVersion: cli.kyverno.io/v1alpha1
kind: Values
policies:
  - name: max-pods
    rules:
      - name: max-pods
        values:
          podcount: ${count}
`;

test('apiCall context: an error result saying it is not evaluable offline, unless the values file supplies it', async () => {
  await withFiles(
    { 'p.yaml': API_CALL_POLICY, 'pod.yaml': POD, 'few.yaml': values(3), 'many.yaml': values(30) },
    async (dir) => {
      const offline = await run(['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml', '--format', 'json'], dir);
      const r0 = (JSON.parse(offline.out) as { results: { result: string; message: string }[] }).results[0]!;
      assert.equal(r0.result, 'error');
      assert.match(r0.message, /apiCall.*not evaluable offline/);
      assert.equal(offline.code, 0, 'an error is not a failure');
      const few = await run(
        ['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml', '--values-file', 'few.yaml', '--format', 'json'],
        dir,
      );
      assert.equal((JSON.parse(few.out) as { results: { result: string }[] }).results[0]!.result, 'pass');
      const many = await run(
        ['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml', '--values-file', 'many.yaml'],
        dir,
      );
      assert.equal(many.code, 1);
    },
  );
});

test('policy test: a wrong expectation is exit 1 and names want and got', async () => {
  const testFile = `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [p.yaml]
resources: [pod.yaml]
results:
  - policy: enforce-latest
    rule: no-latest
    kind: Pod
    resources: [app]
    result: pass
`;
  await withFiles(
    { 'p.yaml': policy('enforce-latest', 'Enforce'), 'pod.yaml': POD, 'kyverno-test.yaml': testFile },
    async (dir) => {
      const r = await run(['policy', 'test', '.'], dir);
      assert.equal(r.code, 1);
      assert.match(r.out, /enforce-latest \| no-latest \| Pod\/app \| Fail \| want pass, got fail/);
    },
  );
});

test('usage errors are exit 2', async () => {
  assert.equal((await run(['policy', 'apply', 'examples/policy/policy.yaml'])).code, 2);
  assert.equal((await run(['policy', 'apply', '--resource', 'x.yaml'])).code, 2);
  assert.equal((await run(['policy', 'apply', 'examples/policy/policy.yaml', '--resource', 'nope.yaml'])).code, 2);
  assert.equal((await run(['policy', 'test', 'nope'])).code, 2);
});

test('--userinfo: roles, clusterRoles and subjects of a Kyverno CLI UserInfo file count in match and exclude', async () => {
  // background: false, as Kyverno requires for a rule that looks at the requester (else refused)
  const p = policy('admins-may', 'Enforce')
    .replace(
      '      validate:',
      '      exclude:\n        any:\n          - clusterRoles: [cluster-admin]\n      validate:',
    )
    .replace('spec:\n', 'spec:\n  background: false\n');
  const admin =
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: UserInfo\nmetadata: {name: admin}\n' +
    'clusterRoles: [cluster-admin]\nuserInfo:\n  username: alice\n';
  await withFiles({ 'p.yaml': p, 'pod.yaml': POD, 'admin.yaml': admin }, async (dir) => {
    const anyone = await run(['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml', '--format', 'json'], dir);
    assert.deepEqual(
      (JSON.parse(anyone.out) as { results: { result: string }[] }).results.map((r) => r.result),
      ['fail'],
    );
    const asAdmin = await run(
      ['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml', '--userinfo', 'admin.yaml', '--format', 'json'],
      dir,
    );
    assert.deepEqual((JSON.parse(asAdmin.out) as { results: unknown[] }).results, [], 'excluded for cluster-admin');
    assert.equal(asAdmin.code, 0);
  });
  // In background mode (the default) Kyverno 1.19 refuses it (checked with kyverno apply): so do we, exit 2.
  await withFiles({ 'p.yaml': p.replace('  background: false\n', ''), 'pod.yaml': POD }, async (dir) => {
    const r = await run(['policy', 'apply', 'p.yaml', '--resource', 'pod.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /only select variables are allowed in background mode.*exclude\/any\[0\]\/clusterRoles/);
  });
});

test("--context-file: cluster objects and image data for a ValidatingPolicy's Kyverno libraries; without it, not evaluable offline", async () => {
  const vpol = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: {name: cm-allowed-registries}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  variables:
    - name: allowed
      expression: "resource.Get('v1', 'configmaps', 'default', 'registries').data.allowed.split(',')"
  validations:
    - expression: "object.spec.containers.all(c, variables.allowed.exists(r, c.image.startsWith(r)) && image.GetMetadata(c.image).config.architecture == 'amd64')"
      message: image not allowed
`;
  const context = `apiVersion: cli.kyverno.io/v1alpha1
kind: Context
metadata: {name: context}
spec:
  resources:
    - {apiVersion: v1, kind: ConfigMap, metadata: {name: registries, namespace: default}, data: {allowed: "ghcr.io/,nginx"}}
  images:
    - {image: "nginx:latest", config: {architecture: amd64}}
`;
  await withFiles({ 'p.yaml': vpol, 'pod.yaml': POD, 'context.yaml': context }, async (dir) => {
    const results = (out: string) => (JSON.parse(out) as { results: { result: string; message?: string }[] }).results;
    const given = await run(
      ['policy', 'apply', 'p.yaml', '-r', 'pod.yaml', '--context-file', 'context.yaml', '--format', 'json'],
      dir,
    );
    assert.deepEqual(
      results(given.out).map((r) => r.result),
      ['pass'],
    );
    assert.equal(given.code, 0);
    const without = await run(['policy', 'apply', 'p.yaml', '-r', 'pod.yaml', '--format', 'json'], dir);
    assert.deepEqual(
      results(without.out).map((r) => r.result),
      ['error'],
    );
    assert.match(
      results(without.out)[0]!.message!,
      /resource\.Get\("v1", "configmaps", \.\.\.\): not evaluable offline/,
    );
    const wrong = await run(['policy', 'apply', 'p.yaml', '-r', 'pod.yaml', '--context-file', 'pod.yaml'], dir);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /pod\.yaml: the context file holds no Context document/);
  });
});
