/**
 * The Gatekeeper variant of the example fleet (`policy: { engine: gatekeeper }`) in the gate
 * (issue #18, 4): its own ConstraintTemplates and Constraints, rendered with the cluster, admit
 * every object in `check`, so a platform Namespace without `costCenter` fails with the
 * constraint's own message at the Namespace's file and line, the constraint related.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from './helpers.js';

const fleetText = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8').replace(
  /policy: \{ engine: kyverno, version: [^}]+\}/,
  'policy: { engine: gatekeeper, version: 3.18.2 }',
);

function gatekeeperFleet(edit?: (path: string, text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-gatekeeper-'));
  writeFileSync(join(root, 'fleet.yaml'), fleetText);
  for (const f of generateAll(parseFleet(fleetText))) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), edit ? edit(f.path, f.content) : f.content);
  }
  return root;
}

interface F {
  rule: string;
  severity: string;
  file: string | null;
  line: number | null;
  cluster: string | null;
  message: string;
  related?: { file: string }[];
}

test('the Gatekeeper fleet: a Namespace without costCenter fails check with the constraint message at its file and line', async () => {
  assert.match(fleetText, /engine: gatekeeper/);
  const clean = gatekeeperFleet();
  const planted = gatekeeperFleet((p, t) =>
    p === 'platform/controllers/velero/namespace.yaml' ? t.replace(/\n\s+costCenter: .*/, '') : t,
  );
  try {
    const ok = await runCli(['check', clean, '--cluster', 'aks-dev', '--format', 'json']);
    const okFindings = (JSON.parse(ok.out) as { findings: F[] }).findings;
    assert.deepEqual(
      okFindings.filter((f) => f.rule.startsWith('policy:K8sRequiredLabels')),
      [],
      'the clean fleet passes its own constraint',
    );

    const r = await runCli(['check', planted, '--cluster', 'aks-dev', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const findings = (JSON.parse(r.out) as { findings: F[] }).findings.filter((f) =>
      f.rule.startsWith('policy:K8sRequiredLabels/'),
    );
    assert.equal(findings.length, 1, JSON.stringify(findings));
    const f = findings[0]!;
    assert.equal(f.severity, 'error');
    assert.equal(f.file, 'platform/controllers/velero/namespace.yaml');
    assert.equal(f.line, 2);
    assert.match(f.message, /you must provide labels: \{"costCenter"\}/);
    assert.ok(
      f.related?.some((x) => x.file === 'platform/policies/constraints/required-labels.yaml'),
      JSON.stringify(f.related),
    );
  } finally {
    rmSync(clean, { recursive: true, force: true });
    rmSync(planted, { recursive: true, force: true });
  }
});

test('the Gatekeeper fleet verifies signed images through Ratify: no image-signature-policy error, the Ratify verdict reported as not evaluable offline', async () => {
  const root = gatekeeperFleet();
  try {
    const r = await runCli(['check', root, '--format', 'json']);
    const findings = (JSON.parse(r.out) as { findings: F[] }).findings;
    assert.deepEqual(
      findings.filter((f) => f.rule === 'image-signature-policy'),
      [],
      'the RatifyVerification constraint covers the fleet registry',
    );
    // Ratify's answer comes through external data: offline it is said, never counted as a pass.
    const ratify = findings.filter((f) => f.rule.startsWith('policy:RatifyVerification'));
    assert.ok(ratify.length > 0, JSON.stringify(findings.map((f) => f.rule)));
    assert.ok(
      ratify.every((f) => /not evaluable offline|external_data/.test(f.message)),
      JSON.stringify(ratify),
    );
    // The identity Ratify reads signatures with: a federated credential for its service account
    // (no finding from the IaC<->GitOps rules) and AcrPull on the registry in the plan.
    assert.deepEqual(
      findings.filter((f) => /federated-credential|service-account-has/.test(f.rule)),
      [],
    );
    const release = readFileSync(join(root, 'platform/controllers/ratify/release.yaml'), 'utf8');
    assert.match(release, /chart: ratify/);
    assert.match(release, /clientId: \$\{IDENTITY_CLIENT_ID_RATIFY\}/);
    assert.match(release, /certificateIdentityRegExp: /);
    const roles = readFileSync(join(root, 'infra/clusters/aks-dev/roles-0.bicep'), 'utf8');
    assert.match(roles, /Ratify reads image signatures/);
    assert.match(
      readFileSync(join(root, 'infra/clusters/aks-dev/main.bicep'), 'utf8'),
      /system:serviceaccount:gatekeeper-system:ratify-admin/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
