/**
 * Kyverno's resourceFilters in `check` (#17 leftover): the cluster's Kyverno lets requests that its
 * ConfigMap's filters match through unevaluated (Kyverno 1.19's defaults: kube-system, kube-public,
 * kube-node-lease, kyverno, Events, ReplicaSets, ...), so `check` does not admit them through Kyverno
 * policies either and says so in one info finding; `policy apply` judges them, as `kyverno apply` does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from './helpers.js';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: reviewed-configmaps
spec:
  validationFailureAction: Enforce
  rules:
  - name: reviewed
    match:
      any:
      - resources:
          kinds: [ConfigMap]
    validate:
      message: ConfigMaps carry reviewed=true.
      pattern:
        metadata:
          labels:
            reviewed: "true"
`;
const configMap = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: planted
  namespace: ${ns}
data:
  k: v
`;

function fleet(): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-resource-filters-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  for (const f of generateAll(
    parseFleet(readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8')),
  )) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  writeFileSync(join(root, 'platform/policies/reviewed.yaml'), POLICY);
  writeFileSync(join(root, 'platform/policies/cm-kube-system.yaml'), configMap('kube-system'));
  writeFileSync(join(root, 'platform/policies/cm-velero.yaml'), configMap('velero'));
  const k = join(root, 'platform/policies/kustomization.yaml');
  writeFileSync(
    k,
    readFileSync(k, 'utf8').replace(
      /^resources:\n/m,
      'resources:\n- reviewed.yaml\n- cm-kube-system.yaml\n- cm-velero.yaml\n',
    ),
  );
  return root;
}

interface F {
  rule: string;
  severity: string;
  resource: string | null;
  message: string;
  related?: { file: string; resource: string | null; message: string }[];
}

test("check: a ConfigMap in kube-system is let through by Kyverno's default resourceFilters (one info finding says so); the same ConfigMap elsewhere fails", async () => {
  const root = fleet();
  const r = await runCli(['check', root, '--cluster', 'aks-dev', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const findings = (JSON.parse(r.out) as { findings: F[] }).findings;
  const hits = findings.filter(
    (f) => f.rule === 'policy:reviewed-configmaps/reviewed' && f.resource?.endsWith('/planted'),
  );
  assert.deepEqual(
    hits.map((f) => `${f.severity} ${f.resource}`),
    ['error ConfigMap/velero/planted'],
  );
  const info = findings.filter((f) => f.rule === 'policy:kyverno/resource-filters');
  assert.equal(info.length, 1, JSON.stringify(findings.map((f) => f.rule)));
  assert.equal(info[0]!.severity, 'info');
  assert.match(
    info[0]!.message,
    /would refuse or report are let through unevaluated by Kyverno's resourceFilters \(the defaults of Kyverno 1\.19\)/,
  );
  assert.ok(
    info[0]!.related?.some(
      (x) =>
        x.resource === 'ConfigMap/kube-system/planted' &&
        x.file === 'platform/policies/cm-kube-system.yaml' &&
        x.message.endsWith('(policy:reviewed-configmaps/reviewed)'),
    ),
    JSON.stringify(info[0]!.related),
  );
});

test('policy apply judges the same ConfigMap in kube-system (kyverno apply applies no resourceFilters)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-resource-filters-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'p.yaml'), POLICY);
  writeFileSync(join(dir, 'r.yaml'), configMap('kube-system'));
  const r = await runCli([
    'policy',
    'apply',
    join(dir, 'p.yaml'),
    '--resource',
    join(dir, 'r.yaml'),
    '--format',
    'json',
  ]);
  assert.equal(r.code, 1);
  assert.deepEqual(
    (JSON.parse(r.out) as { results: { result: string }[] }).results.map((x) => x.result),
    ['fail'],
  );
});
