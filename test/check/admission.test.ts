/**
 * `aksfleet check` admits every object through the repository's own policies (#17 items 4-5), end
 * to end on the generated example fleet (examples/fleet.yaml through the generators, as
 * `aksfleet generate` writes it): the planted costCenter removal, Audit, a ValidatingAdmissionPolicy
 * Deny, a bad policy, a rule that is not evaluable offline, `--policies DIR`, suppressions and
 * severities, and SARIF relatedLocations validated against the SARIF 2.1.0 schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from './helpers.js';

const require = createRequire(import.meta.url);
const fleetText = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8');
const base = mkdtempSync(join(tmpdir(), 'aksfleet-admission-'));
writeFileSync(join(base, 'fleet.yaml'), fleetText);
for (const f of generateAll(parseFleet(fleetText))) {
  mkdirSync(dirname(join(base, f.path)), { recursive: true });
  writeFileSync(join(base, f.path), f.content);
}
const scratch: string[] = [];
process.on('exit', () => {
  for (const d of [base, ...scratch]) rmSync(d, { recursive: true, force: true });
});

interface Related {
  file: string;
  line: number | null;
  message: string;
  resource: string | null;
}
interface F {
  rule: string;
  severity: string;
  file: string | null;
  line: number | null;
  cluster: string | null;
  resource: string | null;
  message: string;
  related?: Related[];
}

/** A copy of the example fleet with `edits` (path -> new text, or a function of the old text). */
function fleetWith(edits: Record<string, string | ((t: string) => string)>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-admission-'));
  scratch.push(root);
  cpSync(base, root, { recursive: true });
  for (const [p, e] of Object.entries(edits)) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    let old = '';
    try {
      old = readFileSync(abs, 'utf8');
    } catch {
      /* new file */
    }
    const text = typeof e === 'string' ? e : e(old);
    assert.notEqual(text, old, `edit of ${p} changed nothing`);
    writeFileSync(abs, text);
  }
  return root;
}
const noCostCenter = (t: string) => t.replace(/\n\s+costCenter: .*/, '');
const listIn = (file: string) => (t: string) => t.replace(/^resources:\n/m, `resources:\n- ${file}\n`);
/** 1-based line of the document whose `metadata.name` is `name` in a generated multi-document file. */
function docLine(text: string, name: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === `name: ${name}`);
  for (let i = at; i >= 0; i--) if (lines[i]!.startsWith('apiVersion:')) return i + 1;
  throw new Error(`no document ${name}`);
}
async function check(root: string, ...args: string[]): Promise<{ code: number; findings: F[]; err: string }> {
  const r = await runCli(['check', root, '--format', 'json', ...args]);
  return { code: r.code, findings: (JSON.parse(r.out) as { findings: F[] }).findings, err: r.err };
}
const POLICY_FILE = 'platform/policies/kyverno-policies.yaml';
const NS_RULE = 'policy:require-namespace-labels/require-owner-and-cost-center';
const NS_MESSAGE =
  'validation error: Namespaces need the labels owner and costCenter. rule require-owner-and-cost-center ' +
  'failed at path /metadata/labels/costCenter/';

test("planted regression: costCenter removed from a platform Namespace fails check (exit 1) with the policy's message at the Namespace's file and line", async () => {
  const root = fleetWith({ 'platform/controllers/velero/namespace.yaml': noCostCenter });
  const r = await check(root, '--cluster', 'aks-dev');
  assert.equal(r.code, 1, r.err);
  const hits = r.findings.filter((f) => f.rule === NS_RULE);
  assert.equal(hits.length, 1, JSON.stringify(r.findings));
  const f = hits[0]!;
  assert.equal(f.severity, 'error');
  assert.equal(f.message, NS_MESSAGE);
  assert.equal(f.resource, 'Namespace/velero');
  const nsText = readFileSync(join(root, 'platform/controllers/velero/namespace.yaml'), 'utf8');
  assert.equal(`${f.file}:${f.line}`, `platform/controllers/velero/namespace.yaml:${docLine(nsText, 'velero')}`);
  const policyText = readFileSync(join(root, POLICY_FILE), 'utf8');
  assert.deepEqual(f.related, [
    {
      file: POLICY_FILE,
      line: docLine(policyText, 'require-namespace-labels'),
      message: 'policy require-namespace-labels, rule require-owner-and-cost-center',
      resource: null,
    },
  ]);
  // The text report names the policy as related too.
  const text = await runCli(['check', root, '--cluster', 'aks-dev']);
  assert.equal(text.code, 1);
  assert.match(
    text.out,
    new RegExp(
      `related: ${POLICY_FILE}:${docLine(policyText, 'require-namespace-labels')}: policy require-namespace-labels`,
    ),
  );
});

test("a tenant Namespace without costCenter: one finding (the policy's), the duplicate built-in rule says so instead of a second finding", async () => {
  const r = await check(fleetWith({ 'tenants/base/app/namespaces.yaml': noCostCenter }), '--cluster', 'aks-dev');
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.findings.filter((f) => f.rule === 'namespace-has-owner-labels'),
    [],
  );
  const hits = r.findings.filter((f) => f.rule === NS_RULE);
  assert.equal(hits.length, 1);
  assert.equal(
    hits[0]!.message,
    `${NS_MESSAGE} (built-in rule namespace-has-owner-labels reports the same; shown once)`,
  );
  assert.equal(hits[0]!.file, 'tenants/base/app/namespaces.yaml');
  // With the admission rule off, the built-in rule reports it again (a warning).
  const off = await check(
    fleetWith({ 'tenants/base/app/namespaces.yaml': noCostCenter, '.aksfleet.yaml': 'rules:\n  admission: off\n' }),
    '--cluster',
    'aks-dev',
  );
  assert.equal(off.code, 0);
  assert.deepEqual(
    off.findings.filter((f) => f.severity !== 'info').map((f) => f.rule),
    ['namespace-has-owner-labels'],
  );
});

test('Audit policies give warnings: exit 0 at --fail-on error, 1 at --fail-on warning', async () => {
  const root = fleetWith({
    'platform/controllers/velero/namespace.yaml': noCostCenter,
    [POLICY_FILE]: (t) =>
      t
        .replace(/validationFailureAction: Enforce/g, 'validationFailureAction: Audit')
        .replace(/mutateDigest: true/g, 'mutateDigest: false'),
  }); // as generated with imagePolicy.enforce: false (Kyverno refuses mutateDigest under Audit)
  const r = await check(root, '--cluster', 'aks-dev');
  assert.equal(r.code, 0);
  assert.deepEqual(
    r.findings.filter((f) => f.rule === NS_RULE).map((f) => [f.severity, f.message]),
    [['warning', NS_MESSAGE]],
  );
  assert.equal((await check(root, '--cluster', 'aks-dev', '--fail-on', 'warning')).code, 1);
});

const VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: "!has(object.spec.replicas) || object.spec.replicas <= 2"
    message: Deployments run at most two replicas here.
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas
spec:
  policyName: max-replicas
  validationActions: [ACTIONS]
`;

test('a ValidatingAdmissionPolicy from the render: Deny is an error at the Deployment, Warn a warning; the policy is the related location', async () => {
  const edits = (actions: string) => ({
    'platform/policies/vap.yaml': VAP.replace('ACTIONS', actions),
    'platform/policies/kustomization.yaml': listIn('vap.yaml'),
  });
  const deny = await check(fleetWith(edits('Deny')), '--cluster', 'aks-prod');
  assert.equal(deny.code, 1);
  const hits = deny.findings.filter((f) => f.rule === 'policy:max-replicas/max-replicas');
  // aks-prod runs api with 3 replicas (the shop deployments with 2: admitted).
  assert.deepEqual(
    hits.map((f) => `${f.severity} ${f.resource} ${f.file}`),
    ['error Deployment/app/api workloads/base/app/api/deployment.yaml'],
  );
  for (const f of hits) {
    assert.equal(f.message, 'Deployments run at most two replicas here.');
    assert.deepEqual(
      f.related?.map((x) => `${x.file}:${x.line}`),
      ['platform/policies/vap.yaml:1'],
    );
  }
  // aks-dev runs one replica: the same policy admits it.
  assert.deepEqual(
    (await check(fleetWith(edits('Deny')), '--cluster', 'aks-dev')).findings.filter((f) =>
      f.rule.startsWith('policy:max-replicas'),
    ),
    [],
  );
  const warn = await check(fleetWith(edits('Warn')), '--cluster', 'aks-prod');
  assert.equal(warn.code, 0);
  assert.deepEqual(
    [...new Set(warn.findings.filter((f) => f.rule === 'policy:max-replicas/max-replicas').map((f) => f.severity))],
    ['warning'],
  );
});

const BAD_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: broken
spec:
  validationFailureAction: Enforce
  rules:
  - name: bad-operator
    match: { any: [ { resources: { kinds: [ConfigMap] } } ] }
    validate:
      message: never
      deny:
        conditions:
          any:
          - key: "{{ request.object.metadata.name }}"
            operator: SortOfEquals
            value: x
`;

test('a bad policy is an error finding at its file and line; the other policies still run', async () => {
  const root = fleetWith({
    'platform/policies/broken.yaml': BAD_POLICY,
    'platform/policies/kustomization.yaml': listIn('broken.yaml'),
    'platform/controllers/velero/namespace.yaml': noCostCenter,
  });
  const r = await check(root, '--cluster', 'aks-dev');
  assert.equal(r.code, 1);
  const bad = r.findings.filter((f) => f.rule.startsWith('policy:broken/'));
  assert.ok(bad.length >= 1, JSON.stringify(r.findings.map((f) => f.rule)));
  for (const f of bad) {
    assert.equal(f.severity, 'error');
    assert.equal(f.file, 'platform/policies/broken.yaml');
    assert.equal(f.line, 1);
    assert.match(f.message, /^policy broken rule bad-operator could not be loaded: .*SortOfEquals/);
  }
  assert.ok(
    r.findings.some((f) => f.rule === NS_RULE && f.resource === 'Namespace/velero'),
    'the other policies still run',
  );
});

test('verifyImages is not evaluable offline: one info finding per policy rule and cluster at the policy, the objects related, never a pass', async () => {
  const r = await check(base, '--cluster', 'aks-prod');
  assert.equal(r.code, 0);
  const ne = r.findings.filter((f) => f.rule === 'policy:verify-signed-images/autogen-require-cosign');
  assert.equal(ne.length, 1);
  const f = ne[0]!;
  assert.equal(f.severity, 'info');
  assert.equal(
    `${f.file}:${f.line}`,
    `${POLICY_FILE}:${docLine(readFileSync(join(base, POLICY_FILE), 'utf8'), 'verify-signed-images')}`,
  );
  assert.equal(f.resource, 'ClusterPolicy/verify-signed-images');
  assert.match(
    f.message,
    /^not evaluable offline: policy verify-signed-images rule autogen-require-cosign on 3 object\(s\) \(verifyImages rules need an image registry and signatures/,
  );
  assert.deepEqual(
    f.related?.map((x) => x.resource),
    ['Deployment/app/api', 'Deployment/shop/shop-blue', 'Deployment/shop/shop-green'],
  );
});

const TEAM_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: Audit
  rules:
  - name: team
    match: { any: [ { resources: { kinds: [Deployment] } } ] }
    validate:
      message: "Deployment {{ request.object.metadata.name }} needs a team label."
      pattern: { metadata: { labels: { team: "?*" } } }
`;

test("--policies DIR: policies outside the repository join every cluster's own; outside paths are named absolutely, inside ones repository-relative", async () => {
  const outside = mkdtempSync(join(tmpdir(), 'aksfleet-policies-'));
  scratch.push(outside);
  mkdirSync(join(outside, 'sub'));
  writeFileSync(join(outside, 'sub', 'team.yaml'), TEAM_POLICY);
  const r = await check(base, '--cluster', 'aks-dev', '--policies', outside);
  assert.equal(r.code, 0);
  const hits = r.findings.filter((f) => f.rule === 'policy:require-team-label/team');
  assert.deepEqual(
    hits.map((f) => [f.severity, f.resource, f.message]),
    [
      [
        'warning',
        'Deployment/app/api',
        'validation error: Deployment api needs a team label. rule team failed at path /metadata/labels/team/',
      ],
    ],
  );
  assert.deepEqual(
    hits[0]!.related?.map((x) => `${x.file}:${x.line}`),
    [`${join(outside, 'sub', 'team.yaml')}:1`],
  );
  // A SARIF related location outside the repository is a file: URI.
  const sarif = JSON.parse(
    (await runCli(['check', base, '--cluster', 'aks-dev', '--policies', outside, '--format', 'sarif'])).out,
  );
  const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'policy:require-team-label/team');
  assert.equal(
    res.relatedLocations[0].physicalLocation.artifactLocation.uri,
    `file://${join(outside, 'sub', 'team.yaml')}`,
  );
  // Inside the repository: repository-relative, whatever the working directory.
  const root = fleetWith({ 'extra-policies/team.yaml': TEAM_POLICY });
  const inside = await check(root, '--cluster', 'aks-dev', '--policies', join(root, 'extra-policies'));
  assert.deepEqual(
    inside.findings.filter((f) => f.rule === 'policy:require-team-label/team').map((f) => f.related?.[0]?.file),
    ['extra-policies/team.yaml'],
  );
  // Bad YAML in --policies is an input error (exit 2) naming the file and line; a missing path a usage error.
  writeFileSync(join(outside, 'bad.yaml'), 'kind: [\n');
  const bad = await runCli(['check', base, '--cluster', 'aks-dev', '--policies', outside]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.yaml:\d+/);
  assert.doesNotMatch(bad.err, /\n\s+at /);
  assert.equal((await runCli(['check', base, '--policies', join(outside, 'nope')])).code, 2);
});

const HTTP_POLICY = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: check-http
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  variables:
  - name: r
    expression: http.Get("https://example.com/allowed")
  validations:
  - expression: variables.r.ok == true
`;

test("a ValidatingPolicy that calls Kyverno's http library is not evaluable offline (info), neither a pass nor a bad policy", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-policies-'));
  scratch.push(dir);
  writeFileSync(join(dir, 'http.yaml'), HTTP_POLICY);
  const r = await check(base, '--cluster', 'aks-dev', '--policies', dir);
  assert.equal(r.code, 0, JSON.stringify(r.findings.filter((f) => f.severity === 'error')));
  const hits = r.findings.filter((f) => f.rule.startsWith('policy:check-http/'));
  assert.ok(hits.length > 0, 'reported, not passed');
  for (const f of hits) {
    assert.equal(f.severity, 'info');
    // The policy loads (http.* type-checks, as in Kyverno); the call itself is what cannot be evaluated.
    assert.match(
      f.message,
      /^not evaluable offline: policy check-http rule check-http on 1 object\(s\) \(.*http\.Get\("https:\/\/example\.com\/allowed"\): not evaluable offline: it calls a server/,
    );
  }
});

test('suppressions and severities work on policy ids: aksfleet.dev/ignore on the object, .aksfleet.yaml per policy', async () => {
  const ignored = await check(
    fleetWith({
      'platform/controllers/velero/namespace.yaml': (t) =>
        noCostCenter(t).replace(
          '  labels:\n',
          '  annotations:\n    aksfleet.dev/ignore: policy:require-namespace-labels\n' +
            '    aksfleet.dev/ignore-reason: velero is billed centrally\n  labels:\n',
        ),
    }),
    '--cluster',
    'aks-dev',
  );
  assert.equal(ignored.code, 0, JSON.stringify(ignored.findings));
  assert.deepEqual(
    ignored.findings.filter((f) => f.rule === NS_RULE || f.rule === 'ignore-has-reason'),
    [],
  );
  const softened = await check(
    fleetWith({
      'platform/controllers/velero/namespace.yaml': noCostCenter,
      '.aksfleet.yaml': 'rules:\n  policy:require-namespace-labels: warning\n',
    }),
    '--cluster',
    'aks-dev',
  );
  assert.equal(softened.code, 0);
  assert.deepEqual(
    softened.findings.filter((f) => f.rule === NS_RULE).map((f) => f.severity),
    ['warning'],
  );
});

test('SARIF: policy findings carry relatedLocations and the log validates against the SARIF 2.1.0 schema', async () => {
  const root = fleetWith({
    'platform/controllers/velero/namespace.yaml': noCostCenter,
    'tenants/base/app/allow-all.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-all, namespace: app }\n' +
      'spec: { podSelector: {}, policyTypes: [Ingress], ingress: [ {} ] }\n',
    'tenants/base/app/kustomization.yaml': listIn('allow-all.yaml'),
  });
  const r = await runCli(['check', root, '--cluster', 'aks-dev', '--format', 'sarif']);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.out);
  const Ajv04 = require('ajv-draft-04');
  const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(
    JSON.parse(readFileSync(new URL('./data/sarif-schema-2.1.0.json', import.meta.url), 'utf8')),
  );
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
  const run = sarif.runs[0];
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === NS_RULE);
  assert.equal(res.level, 'error');
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'platform/controllers/velero/namespace.yaml');
  assert.equal(res.relatedLocations[0].physicalLocation.artifactLocation.uri, POLICY_FILE);
  assert.equal(res.relatedLocations[0].id, 1);
  assert.equal(
    res.relatedLocations[0].message.text,
    'policy require-namespace-labels, rule require-owner-and-cost-center',
  );
  assert.equal(run.tool.driver.rules[res.ruleIndex].id, NS_RULE);
  assert.equal(run.tool.driver.rules[res.ruleIndex].properties.category, 'policy');
  // Mutation check: the schema does judge related locations.
  const broken = structuredClone(sarif);
  broken.runs[0].results.find((x: { ruleId: string }) => x.ruleId === NS_RULE).relatedLocations[0].id = 'one';
  assert.equal(validate(broken), false);
  // #17 item 5: the allow-all NetworkPolicy is the location, the Namespace related.
  const dd = run.results.find((x: { ruleId: string }) => x.ruleId === 'namespace-has-default-deny');
  assert.equal(dd.locations[0].physicalLocation.artifactLocation.uri, 'tenants/base/app/allow-all.yaml');
  assert.equal(dd.relatedLocations[0].physicalLocation.artifactLocation.uri, 'tenants/base/app/namespaces.yaml');
});
