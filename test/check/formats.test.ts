/**
 * The CLI contract of `aksfleet check` on a small Flux repository written to a temp dir:
 * exit codes, --fail-on, --list-rules, .aksfleet.yaml, ignore annotations, and every format
 * (SARIF validated against the OASIS SARIF 2.1.0 schema with ajv; JUnit parsed by Python's
 * XML parser when python3 is installed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { runCli } from './helpers.js';
import { rulesMarkdown } from '../../src/checks/docs.js';
import { rules } from '../../src/checks/registry.js';

const require = createRequire(import.meta.url);

const SYNC = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { interval: 1m, url: https://github.com/org/repo, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: flux-system, namespace: flux-system }
spec: { interval: 10m, path: ./clusters/dev, prune: true, sourceRef: { kind: GitRepository, name: flux-system } }
`;
const APPS_KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: flux-system } }
`;
const NS = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { owner: team-shop, costCenter: cc-7 } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [ { ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ] } ]
`;
const DEPLOY = (image: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
${annotations}spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          resources: { requests: { cpu: 10m, memory: 32Mi }, limits: { memory: 64Mi } }
          readinessProbe: { tcpSocket: { port: 80 } }
          livenessProbe: { tcpSocket: { port: 80 } }
`;

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-check-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}
const base = (deploy: string) => ({
  'clusters/dev/flux-system/gotk-sync.yaml': SYNC,
  'clusters/dev/apps.yaml': APPS_KS,
  'apps/kustomization.yaml': 'resources: [namespace.yaml, deploy.yaml]\n',
  'apps/namespace.yaml': NS,
  'apps/deploy.yaml': deploy,
});

test('clean repository: exit 0, no findings', async () => {
  const root = repo(base(DEPLOY('nginx:1.27.3')));
  try {
    const r = await runCli(['check', root, '--format', 'json']);
    assert.equal(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.findings, []);
    assert.deepEqual(j.clusters, [{ name: 'dev', path: 'clusters/dev', objects: 7 }]);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('a defect: exit 1, the finding names the file and line; --fail-on and severities', async () => {
  const root = repo(base(DEPLOY('nginx:latest')));
  try {
    const r = await runCli(['check', root]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /apps\/deploy\.yaml\n\s+1\s+error\s+container web image 'nginx:latest' uses the 'latest' tag\s+\[Deployment\/shop\/web\]\s+image-tag-pinned/,
    );
    assert.ok(!r.out.includes('\x1b['), 'no colour when not a TTY');
    const colour = await runCli(['check', root], { color: true });
    assert.ok(colour.out.includes('\x1b[31merror'), 'colour on a TTY');
    // Severity lowered in .aksfleet.yaml: below the default --fail-on error.
    writeFileSync(join(root, '.aksfleet.yaml'), 'rules:\n  image-tag-pinned: warning\n');
    assert.equal((await runCli(['check', root])).code, 0);
    assert.equal((await runCli(['check', root, '--fail-on', 'warning'])).code, 1);
    writeFileSync(join(root, '.aksfleet.yaml'), 'rules:\n  image-tag-pinned: off\n');
    assert.equal((await runCli(['check', root, '--fail-on', 'info'])).code, 0);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('aksfleet.dev/ignore suppresses one rule for one object; without a reason it is flagged', async () => {
  const withReason =
    '  annotations: { aksfleet.dev/ignore: image-tag-pinned, aksfleet.dev/ignore-reason: "vendor image ' +
    'without tags" }\n';
  const root = repo(base(DEPLOY('nginx:latest', withReason)));
  try {
    const r = await runCli(['check', root, '--format', 'json', '--fail-on', 'info']);
    assert.equal(r.code, 0, r.out);
    writeFileSync(
      join(root, 'apps/deploy.yaml'),
      DEPLOY('nginx:latest', '  annotations: { aksfleet.dev/ignore: image-tag-pinned }\n'),
    );
    const j = JSON.parse((await runCli(['check', root, '--format', 'json'])).out);
    assert.deepEqual(
      j.findings.map((f: { rule: string }) => f.rule),
      ['ignore-has-reason'],
    );
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('usage and input errors exit 2 with file:line, nothing on stdout', async () => {
  const root = repo(base(DEPLOY('nginx:1.27.3')));
  try {
    for (const args of [
      ['--format', 'xml'],
      ['--fail-on', 'fatal'],
      ['--path', 'x', '--cluster', 'y'],
      ['--cluster', 'nope'],
      ['--path', 'missing'],
    ]) {
      const r = await runCli(['check', root, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '');
      assert.doesNotMatch(r.err, /\n\s+at /);
    }
    writeFileSync(
      join(root, '.aksfleet.yaml'),
      'rules:\n  image-tag-pined: off\nallowedRegistries: [acr.azurecr.io]\n',
    );
    const r = await runCli(['check', root]);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.aksfleet\.yaml:2:3: rules\.image-tag-pined: unknown rule 'image-tag-pined'/);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('an invalid fleet.yaml is an input error (exit 2) naming file, line and field', async () => {
  const root = repo({
    ...base(DEPLOY('nginx:1.27.3')),
    'fleet.yaml': 'apiVersion: aksfleet.dev/v1alpha1\nkind: Fleet\nmetadata: { name: Bad_Name }\nspec: {}\n',
  });
  try {
    const r = await runCli(['check', root]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /fleet\.yaml:3:\d+: metadata\.name: /);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('--list-rules lists every registered rule', async () => {
  const r = await runCli(['check', '--list-rules']);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim().split('\n').length, rules.length);
  for (const rule of rules) assert.match(r.out, new RegExp(`^${rule.id} `, 'm'));
});

test('docs/rules.md is generated from the registry and up to date', () => {
  const page = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  assert.equal(page, rulesMarkdown(), 'run: node --import tsx test/check/gen-rules-doc.mjs');
});

test('SARIF output validates against the SARIF 2.1.0 schema and has what code scanning needs', async () => {
  const root = repo(base(DEPLOY('nginx:latest')));
  try {
    const r = await runCli(['check', root, '--format', 'sarif']);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.out);
    const Ajv04 = require('ajv-draft-04');
    const addFormats = (() => {
      try {
        return require('ajv-formats');
      } catch {
        return undefined;
      }
    })();
    const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: addFormats !== undefined });
    if (addFormats) addFormats(ajv);
    const schema = JSON.parse(readFileSync(new URL('./data/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
    const validate = ajv.compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
    // Mutation check: the validator does reject a broken log.
    assert.equal(validate({ ...sarif, version: '2.0.0' }), false);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'aksfleet');
    // A plain repository (no fleet.yaml) runs the generic profile: every rule but the opinions.
    assert.equal(run.tool.driver.rules.length, rules.filter((x) => x.profile === undefined).length);
    assert.ok(rules.some((x) => x.profile === 'aks-baseline'));
    for (const d of run.tool.driver.rules) assert.ok(d.id && d.help?.text && d.shortDescription?.text);
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'image-tag-pinned');
    assert.equal(res.level, 'error');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'image-tag-pinned');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'apps/deploy.yaml');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 1);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('JUnit output is well-formed XML with a failing test case per failing rule', async (t) => {
  const root = repo(base(DEPLOY('nginx:latest')));
  try {
    const r = await runCli(['check', root, '--format', 'junit']);
    assert.equal(r.code, 1);
    assert.match(r.out, /<testsuite name="aksfleet check: cluster dev" tests="\d+" failures="1"/);
    assert.match(
      r.out,
      /<testcase classname="aksfleet.dev" name="image-tag-pinned">\n\s+<failure message="1 finding\(s\): container web image 'nginx:latest' uses the 'latest' tag" type="error">/,
    );
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as E; r = E.fromstring(sys.stdin.read()); print(r.tag, ' +
          'len(r.findall("testsuite")), len(r.findall(".//failure")))',
      ],
      { input: r.out, encoding: 'utf8' },
    );
    if (py.error) {
      t.skip('python3 not installed');
      return;
    }
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), 'testsuites 2 1');
  } finally {
    rmSync(root, { recursive: true });
  }
});

test('Markdown output: a PR comment with a summary table and the findings', async () => {
  const root = repo(base(DEPLOY('nginx:latest')));
  try {
    const r = await runCli(['check', root, '--format', 'markdown']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^<!-- aksfleet-check -->\n## aksfleet check: :x: failed/);
    assert.match(r.out, /\| dev \| `clusters\/dev` \| 7 \| 1 \| 0 \| 0 \|/);
    assert.match(r.out, /\| :x: \| `image-tag-pinned` \| `Deployment\/shop\/web` \| `apps\/deploy.yaml:1` \|/);
  } finally {
    rmSync(root, { recursive: true });
  }
});
