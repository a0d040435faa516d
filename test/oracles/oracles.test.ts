/**
 * Smoke tests of the oracles in manifest.json: each runs, is the version pinned, and does a trivial
 * case right. Test-tier oracles are built on first use (in CI a missing one fails); extra-tier ones
 * (no test compares against them yet) run when built: test/oracles/build.sh NAME, or
 * `.ci/run --all-oracles`, or AKSFLEET_ALL_ORACLES=1 (builds them on first use).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oracle, oracleManifest, type Oracle } from './index.js';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the oracle in a fresh temp dir holding `files`; HOME is that dir (no user config is read). */
function run(o: Oracle, args: readonly string[], files: Record<string, string> = {}, input?: string): Run {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-smoke-'));
  try {
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    const r = spawnSync(o.path, args, {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n';

/** A kustomization whose targeted patch is a blank document: v5.5.0 refuses it, v5.7.1 ignores it. */
const EMPTY_PATCH = {
  'kustomization.yaml':
    'namePrefix: p-\nresources: [cm.yaml]\npatches:\n- path: empty.yaml\n  target: {kind: ConfigMap}\n',
  'cm.yaml': CONFIGMAP,
  'empty.yaml': '\n',
};
const PREFIXED = 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: p-cm\n';

/** The main module and its version that a Go binary was built from (`go version -m`). */
function goModule(o: Oracle): string {
  const r = spawnSync('go', ['version', '-m', o.path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `go version -m ${o.path}: ${r.stderr || r.error?.message}`);
  const m = /^\tmod\t(\S+)\t(\S+)/m.exec(r.stdout);
  return m ? `${m[1]}@${m[2]}` : '';
}

const GATEKEEPER = {
  'template.yaml': `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8srequiredlabels
      violation[{"msg": msg}] {
        not input.review.object.metadata.labels.owner
        msg := "owner label missing"
      }
`,
  'constraint.yaml':
    'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata:\n  name: need-owner\n' +
    'spec:\n  match:\n    kinds:\n    - apiGroups: [""]\n      kinds: [ConfigMap]\n',
  'cm.yaml': CONFIGMAP,
};

const KYVERNO_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-owner
spec:
  validationFailureAction: Enforce
  rules:
  - name: owner
    match:
      any:
      - resources:
          kinds: [ConfigMap]
    validate:
      message: owner label missing
      pattern:
        metadata:
          labels:
            owner: "?*"
`;

/** name -> the smoke test of that oracle. */
const SMOKE: Readonly<Record<string, (o: Oracle) => void>> = {
  'helm-4.1'(o) {
    assert.equal(run(o, ['version', '--template', '{{.Version}}']).stdout, 'v4.1.3');
  },
  'kubectl-1.35'(o) {
    const v = JSON.parse(run(o, ['version', '--client', '-o', 'json']).stdout) as {
      clientVersion: { gitVersion: string };
    };
    assert.equal(v.clientVersion.gitVersion, 'v1.35.2');
  },
  'kustomize-5.5'(o) {
    const ok = run(o, ['build', '.'], {
      'kustomization.yaml': 'namePrefix: p-\nresources: [cm.yaml]\n',
      'cm.yaml': CONFIGMAP,
    });
    assert.deepEqual([ok.status, ok.stdout], [0, PREFIXED]);
    const empty = run(o, ['build', '.'], EMPTY_PATCH);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /illegally qualifies as both an SM and JSON patch/);
    assert.equal(goModule(o), 'sigs.k8s.io/kustomize/kustomize/v5@v5.5.0');
  },
  'kustomize-5.7'(o) {
    const empty = run(o, ['build', '.'], EMPTY_PATCH);
    assert.deepEqual([empty.status, empty.stdout], [0, PREFIXED]);
    assert.equal(goModule(o), 'sigs.k8s.io/kustomize/kustomize/v5@v5.7.1');
  },
  'kustomize-5.8'(o) {
    // v5.8 selects replacement targets by regex (kubernetes-sigs/kustomize#5863): v5.7.1 left t-1 alone
    const r = run(o, ['build', '.'], {
      'kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n- sourceValue: new\n  targets:\n' +
        '  - select: {kind: ConfigMap, name: "t-.*"}\n    fieldPaths: [data.k]\n',
      'cm.yaml': CONFIGMAP.replace('name: cm', 'name: t-1'),
    });
    assert.deepEqual(
      [r.status, r.stdout],
      [0, 'apiVersion: v1\ndata:\n  k: new\nkind: ConfigMap\nmetadata:\n  name: t-1\n'],
    );
    assert.equal(goModule(o), 'sigs.k8s.io/kustomize/kustomize/v5@v5.8.1');
  },
  'flux-2.9'(o) {
    assert.equal(run(o, ['--version']).stdout, 'flux version 2.9.5\n');
    assert.equal(run(o, ['envsubst'], {}, 'a: ${A:=x}\nb: ${B}\n').stdout, 'a: x\nb: \n');
  },
  'opa-1'(o) {
    assert.match(run(o, ['version']).stdout, /^Version: 1\.22\.4$/m);
    assert.equal(run(o, ['eval', '--format', 'raw', 'sum([1, 2, 3])']).stdout, '6\n');
  },
  'kubeconform-0.8'(o) {
    const r = run(o, ['-schema-location', '{{ .ResourceKind }}.json', '-summary', 'in.yaml'], {
      'configmap.json':
        '{"type":"object","properties":{"data":{"type":"object","additionalProperties":{"type":"string"}}}}',
      'in.yaml': `${CONFIGMAP}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: 1}\n`,
    });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /ConfigMap bad is invalid: .* at '\/data\/a': got number, want string/);
    assert.match(r.stdout, /Summary: 2 resources found in 1 file - Valid: 1, Invalid: 1, Errors: 0, Skipped: 0/);
    assert.equal(goModule(o), 'github.com/yannh/kubeconform@v0.8.0');
  },
  'gator-3.23'(o) {
    assert.match(run(o, ['--version']).stdout, /^gator version /);
    assert.equal(goModule(o), 'github.com/open-policy-agent/gatekeeper/v3@v3.23.1');
    const r = run(o, ['test', '-f', '.'], GATEKEEPER);
    assert.deepEqual([r.status, r.stdout], [1, 'v1/ConfigMap cm: ["need-owner"] Message: "owner label missing"\n']);
  },
  'kyverno-1.19'(o) {
    // Built inside the module (go-mod-build), the binary reports version (devel): only the manifest pins v1.19.1.
    const r = run(o, ['apply', 'policy.yaml', '--resource', 'cm.yaml'], {
      'policy.yaml': KYVERNO_POLICY,
      'cm.yaml': CONFIGMAP,
    });
    assert.match(r.stdout, /pass: 0, fail: 1, warn: 0, error: 0, skip: 0/);
    assert.match(r.stdout, /owner label missing/);
  },
  'check-jsonschema'(o) {
    assert.equal(run(o, ['--version']).stdout, 'python -m check_jsonschema, version 0.39.0\n');
    const args = ['--builtin-schema', 'vendor.azure-pipelines', '--data-transform', 'azure-pipelines'];
    assert.equal(run(o, [...args, 'ok.yml'], { 'ok.yml': 'steps:\n  - bash: echo hi\n' }).status, 0);
    const bad = run(o, [...args, 'bad.yml'], { 'bad.yml': 'steps:\n  - bash: echo hi\n    displayNam: typo\n' });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /Schema validation errors were encountered/);
  },
  'flate-0.6'(o) {
    assert.match(run(o, ['--version']).stdout, /v0\.6\.5/);
    assert.equal(goModule(o), 'github.com/home-operations/flate@v0.6.5');
  },
  'flux-operator-0.59'(o) {
    // go install stamps no version into the CLI (it says 0.0.0-dev): the module in its build info is the pin.
    assert.equal(goModule(o), 'github.com/controlplaneio-fluxcd/flux-operator@v0.59.0');
    const rs =
      'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata: {name: rs, namespace: apps}\n' +
      'spec:\n  inputs: [{t: a}, {t: b}]\n  resources:\n  - {apiVersion: v1, kind: ConfigMap, metadata: ' +
      '{name: "cm-<< inputs.t >>", namespace: apps}}\n';
    const r = run(o, ['build', 'resourceset', '-f', 'rs.yaml'], { 'rs.yaml': rs });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      [...r.stdout.matchAll(/name: (cm-\w+)/g)].map((m) => m[1]),
      ['cm-a', 'cm-b'],
    );
    assert.match(r.stdout, /resourceset\.fluxcd\.controlplane\.io\/name: rs/);
  },
};

const allExtras = process.env.AKSFLEET_ALL_ORACLES === '1';

for (const spec of oracleManifest()) {
  const smoke = SMOKE[spec.name];
  if (!smoke) continue;
  const o = oracle(spec.name);
  const extra = (spec.tier ?? 'test') === 'extra';
  const skip =
    extra && !allExtras && !o.built
      ? `extra oracle ${spec.name} is not built (test/oracles/build.sh ${spec.name}, or .ci/run --all-oracles)`
      : o.skip;
  test(
    `oracle ${spec.name} ${spec.version ?? ''}: runs, is the pinned version, does a trivial case right`,
    { skip },
    () => smoke(o),
  );
}

test('every oracle of manifest.json has a smoke test here or is used by a test of its own', (t) => {
  const without = oracleManifest()
    .filter((s) => !SMOKE[s.name])
    .map((s) => s.name);
  // go-program oracles are programs of ours, exercised by the tests of the engine they judge.
  const unexpected = oracleManifest()
    .filter((s) => !SMOKE[s.name] && s.kind !== 'go-program' && (s.tier ?? 'test') === 'extra')
    .map((s) => s.name);
  if (without.length) t.diagnostic(`no smoke test here (their own tests use them): ${without.join(', ')}`);
  assert.deepEqual(unexpected, []);
});
