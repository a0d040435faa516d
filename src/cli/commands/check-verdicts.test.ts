/**
 * `check` keeps admission verdicts between runs (src/admission/verdict-cache.ts, the content
 * store's `verdicts/`): on a two-cluster repository with Kyverno policies (one selecting by
 * Namespace labels, one verifying images: never kept) and a ValidatingAdmissionPolicy with its
 * binding, a warm run prints the `--no-cache` report byte for byte (JSON, text, SARIF) and reads
 * its verdicts from the store; after a change of a policy, a binding, a Namespace's labels or the
 * object, the warm run (whose store holds the verdicts of before) still prints what `--no-cache`
 * prints, and that report differs from the one before the change: a key that left the changed
 * input out would give the old verdict and fail here. Damaged entries are said and made again;
 * two processes filling one empty store at once leave whole entries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { runCli } from '../testing/run-cli.js';
import { gitCommitAll, tempDir, twoClusterRepo, writeTree } from '../testing/fixture-repos.js';

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: require-team }
spec:
  validationFailureAction: Enforce
  rules:
  - name: team-label
    match:
      any:
      - resources:
          kinds: [Deployment]
          namespaceSelector: { matchLabels: { enforce: "yes" } }
    validate:
      message: a Deployment needs a team label
      pattern: { metadata: { labels: { team: "?*" } } }
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: signed }
spec:
  validationFailureAction: Audit
  webhookTimeoutSeconds: 30
  rules:
  - name: cosign
    match: { any: [ { resources: { kinds: [Pod] } } ] }
    verifyImages:
    - imageReferences: ["*"]
      mutateDigest: false
      attestors:
      - entries:
        - keys:
            publicKeys: |-
              -----BEGIN PUBLIC KEY-----
              MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra/N9sbqOPZrfM
              5/KAQN0/KjHcorm/J5yctVd7iEcnessRQjU917hmKO6JWVGHpDguIyakZA==
              -----END PUBLIC KEY-----
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-latest }
spec:
  matchConstraints:
    resourceRules:
    - { apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments] }
  validations:
  - { expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))", message: no latest tag }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: no-latest }
spec: { policyName: no-latest, validationActions: [Deny] }
`;

function repo(): string {
  const root = tempDir('aksfleet-check-verdicts-');
  const files = twoClusterRepo();
  writeTree(root, {
    ...files,
    'apps/base/kustomization.yaml': 'resources:\n- namespace.yaml\n- deploy.yaml\n- policies.yaml\n',
    'apps/base/namespace.yaml':
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    enforce: "yes"\n',
    'apps/base/policies.yaml': POLICIES,
  });
  gitCommitAll(root);
  return root;
}

const ENV = { AKSFLEET_TODAY: '2026-11-25' };
const storeOf = (root: string) => join(root, '.git', 'aksfleet', 'store', 'verdicts');
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
const check = (root: string, ...extra: string[]) => runCli(['check', root, ...extra], { env: ENV });

/** The results kept in the store, as `policy/rule` (entry file: header line, then the JSON body). */
function keptRules(dir: string): Set<string> {
  const out = new Set<string>();
  for (const n of entries(dir)) {
    const body = readFileSync(join(dir, n), 'utf8').split('\n').slice(1).join('\n');
    for (const r of JSON.parse(body) as { policy: string; rule: string }[]) out.add(`${r.policy}/${r.rule}`);
  }
  return out;
}

test('check: warm runs read the admission verdicts kept by a cold run and print the --no-cache report', async () => {
  const root = repo();
  try {
    const dir = storeOf(root);
    for (const format of ['json', 'text', 'sarif']) {
      rmSync(join(root, '.git', 'aksfleet'), { recursive: true, force: true });
      const none = await check(root, '--format', format, '--no-cache');
      assert.ok(!existsSync(dir), '--no-cache writes nothing');
      const cold = await check(root, '--format', format);
      const kept = entries(dir);
      assert.ok(kept.length > 0, 'verdicts kept');
      // Every entry's time set back: the warm run's reads touch them (a hit), and it writes none.
      for (const n of kept) utimesSync(join(dir, n), 1e9, 1e9);
      const warm = await check(root, '--format', format);
      assert.deepEqual(entries(dir), kept, 'a warm run makes no verdict again');
      assert.ok(
        kept.every((n) => statSync(join(dir, n)).mtimeMs > 1.5e12),
        'every kept verdict read by the warm run',
      );
      for (const r of [cold, warm]) {
        assert.equal(r.code, none.code);
        assert.equal(r.out, none.out, `${format}: the same report`);
        assert.doesNotMatch(r.err, /corrupt/);
      }
      assert.match(none.out, /require-team/);
      assert.match(none.out, /no-latest/);
      // The image-verifying policy judged the Deployment (autogen): "not evaluable offline", every time.
      assert.match(none.out, /policy:signed\/autogen-cosign/);
    }
    // Kyverno policies are units of their own: the image-verifying one is never kept (it needs
    // the network), the others are.
    const rules = keptRules(dir);
    assert.ok(rules.has('require-team/team-label'), [...rules].join(', '));
    assert.ok(
      [...rules].some((r) => r.startsWith('no-latest/')),
      [...rules].join(', '),
    );
    assert.ok(![...rules].some((r) => r.startsWith('signed/')), [...rules].join(', '));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** Each change alters the report; the warm run (store of before) prints what --no-cache prints. */
const CHANGES: readonly (readonly [string, string, (t: string) => string])[] = [
  [
    'a policy',
    'apps/base/policies.yaml',
    (t) => t.replace('validationFailureAction: Enforce', 'validationFailureAction: Audit'),
  ],
  ['a binding', 'apps/base/policies.yaml', (t) => t.replace('validationActions: [Deny]', 'validationActions: [Warn]')],
  ["a Namespace's labels", 'apps/base/namespace.yaml', (t) => t.replace('enforce: "yes"', 'enforce: "no"')],
  [
    'the object',
    'apps/base/deploy.yaml',
    (t) => t.replace('  namespace: apps\n', '  namespace: apps\n  labels: {team: web}\n'),
  ],
];

test('check: a change of a policy, a binding, Namespace labels or the object is never answered from the store', async () => {
  const root = repo();
  try {
    const before = await check(root, '--format', 'json');
    assert.ok(entries(storeOf(root)).length > 0);
    for (const [what, file, change] of CHANGES) {
      const path = join(root, file);
      const text = readFileSync(path, 'utf8');
      const changed = change(text);
      assert.notEqual(changed, text, `${what}: the change applies`);
      writeFileSync(path, changed);
      const warm = await check(root, '--format', 'json');
      const none = await check(root, '--format', 'json', '--no-cache');
      assert.notEqual(none.out, before.out, `${what}: the change shows in the report`);
      assert.equal(warm.out, none.out, `${what}: the warm run gives the --no-cache report`);
      assert.equal(warm.code, none.code);
      writeFileSync(path, text);
    }
    assert.equal((await check(root, '--format', 'json')).out, before.out, 'back as before');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check: a damaged verdict is said on stderr, not trusted, and made again', async () => {
  const root = repo();
  try {
    const none = await check(root, '--format', 'json', '--no-cache');
    await check(root, '--format', 'json');
    const dir = storeOf(root);
    for (const n of entries(dir)) {
      const f = join(dir, n);
      writeFileSync(f, readFileSync(f, 'utf8').replace(/"result":"(fail|pass)"/, '"result":"skip"'));
    }
    const damaged = await check(root, '--format', 'json');
    assert.match(damaged.err, /note: .*verdicts\/[0-9a-f]{40}: a corrupt entry \(its digest does not match/);
    const again = await check(root, '--format', 'json');
    assert.doesNotMatch(again.err, /corrupt/, 'made again, whole');
    for (const r of [damaged, again]) assert.equal(r.out, none.out);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** `aksfleet check ARGS` as a child process (tsx), its stdout. */
function child(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const main = JSON.stringify(join(PACKAGE_ROOT, 'src/cli/main.ts'));
  const entry = `import { main } from ${main}; main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...ENV, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('check: two processes filling one empty verdict store at once leave whole entries', async () => {
  const root = repo();
  try {
    const none = await check(root, '--format', 'json', '--no-cache');
    const [a, b] = await Promise.all([
      child(['check', root, '--format', 'json']),
      child(['check', root, '--format', 'json']),
    ]);
    for (const r of [a, b]) {
      assert.equal(r.out, none.out, r.err);
      assert.equal(r.code, none.code);
    }
    const dir = storeOf(root);
    const kept = entries(dir);
    assert.ok(kept.length > 0);
    assert.deepEqual(
      kept.filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    const warm = await check(root, '--format', 'json');
    assert.doesNotMatch(warm.err, /corrupt/);
    assert.equal(warm.out, none.out);
    assert.deepEqual(entries(dir), kept, 'every entry whole: read, none made again');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
