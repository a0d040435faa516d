/**
 * The Gatekeeper templates aksfleet generates for a fleet (`policy: { engine: gatekeeper }`)
 * against the real `gator test` (oracle gator-3.23, v3.23.1): the required-labels template carries
 * Rego and a CEL (K8sNativeValidation) variant, and both give the violations and messages that
 * our engine gives, with Gatekeeper's CEL engine on (gator's default: CEL runs) and off (Rego runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from '../check/helpers.js';
import { inCi, oracle } from '../oracles/index.js';

const gator = oracle('gator-3.23');
const skip = !gator.built && !inCi() ? 'gator-3.23 is not built (test/oracles/build.sh gator-3.23)' : false;

const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata: { name: none }
---
apiVersion: v1
kind: Namespace
metadata: { name: owner-only, labels: { owner: a } }
---
apiVersion: v1
kind: Namespace
metadata: { name: cost-only, labels: { costCenter: b } }
---
apiVersion: v1
kind: Namespace
metadata: { name: both, labels: { owner: a, costCenter: b } }
`;

test('the generated required-labels template: Rego and CEL variants agree with gator test, CEL on and off', {
  skip,
}, async () => {
  const fleetText = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8').replace(
    /policy: \{ engine: kyverno, version: [^}]+\}/,
    'policy: { engine: gatekeeper, version: 3.18.2 }',
  );
  const files = new Map(generateAll(parseFleet(fleetText)).map((f) => [f.path, f.content]));
  const templates = files.get('platform/policies/constraint-templates.yaml')!;
  assert.match(templates, /engine: K8sNativeValidation/);
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-gk-templates-'));
  try {
    // The required-labels template alone (the Ratify one calls external data, which gator cannot answer).
    writeFileSync(join(dir, 'template.yaml'), templates.split(/^---$/m)[0]!);
    writeFileSync(join(dir, 'constraint.yaml'), files.get('platform/policies/constraints/required-labels.yaml')!);
    writeFileSync(join(dir, 'ns.yaml'), NAMESPACES);
    const inputs = [
      '-f',
      join(dir, 'template.yaml'),
      '-f',
      join(dir, 'constraint.yaml'),
      '-f',
      join(dir, 'ns.yaml'),
      '-o',
      'json',
    ];
    const verdicts = (out: string) =>
      (JSON.parse(out) as { msg: string; violatingObject: { metadata: { name: string } } }[])
        .map((x) => `${x.violatingObject.metadata.name}: ${x.msg}`)
        .sort();
    const cel = verdicts(spawnSync(gator.path, ['test', ...inputs], { encoding: 'utf8', timeout: 120_000 }).stdout);
    const rego = verdicts(
      spawnSync(gator.path, ['test', '--enable-k8s-native-validation=false', ...inputs], {
        encoding: 'utf8',
        timeout: 120_000,
      }).stdout,
    );
    assert.deepEqual(cel, [
      'cost-only: you must provide labels: {"owner"}',
      'none: you must provide labels: {"costCenter", "owner"}',
      'owner-only: you must provide labels: {"costCenter"}',
    ]);
    assert.deepEqual(rego, cel);
    const r = await runCli([
      'policy',
      'apply',
      join(dir, 'template.yaml'),
      join(dir, 'constraint.yaml'),
      '--resource',
      join(dir, 'ns.yaml'),
      '--format',
      'json',
    ]);
    const ours = (
      JSON.parse(r.out) as { results: { result: string; message?: string; resource: { name: string } }[] }
    ).results
      .filter((x) => x.result === 'fail')
      .map((x) => `${x.resource.name}: ${x.message}`)
      .sort();
    assert.deepEqual(ours, cel);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
