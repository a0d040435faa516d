/**
 * The SLO objects against the prometheus-operator schema (its PrometheusRule CRD, data/ecosystem-crds)
 * and the Kubernetes ConfigMap
 * schema, through src/schemas validateObject; plus the generated tree of the whole fleet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFleet } from '../../src/spec/load.js';
import { exampleFile } from '../../src/package-root.js';
import { sloObjects } from '../../src/generators/slo/index.js';
import { generateAll } from '../../src/generators/index.js';
import { schemaSource, validateObject } from '../../src/schemas/validate.js';

const fleet = parseFleet(readFileSync(exampleFile('fleet.yaml'), 'utf8'), 'fleet.yaml');
const objects = fleet.spec.tenants.flatMap((t) => t.apps.flatMap((a) => sloObjects(fleet, t, a)));

test('PrometheusRules and dashboard ConfigMaps match their schemas', () => {
  assert.match(schemaSource('monitoring.coreos.com/v1', 'PrometheusRule')!.from, /prometheus-operator/);
  assert.equal(objects.length, 3);
  for (const o of objects) assert.deepEqual(validateObject(o), [], `${o.kind}/${o.metadata?.name}`);
});

test('the schema check can fail: a rule without expr, a bad group', () => {
  const bad = structuredClone(objects[0]!);
  const groups = (bad.spec as { groups: { rules: Record<string, unknown>[]; interval?: unknown }[] }).groups;
  delete groups[0]!.rules[0]!.expr;
  groups[1]!.interval = 'five minutes';
  const problems = validateObject(bad).map((p) => p.path);
  assert.ok(
    problems.some((p) => p.includes('/spec/groups/0/rules/0')),
    JSON.stringify(problems),
  );
  assert.ok(
    problems.some((p) => p.includes('/spec/groups/1/interval')),
    JSON.stringify(problems),
  );
});

test('generateAll places the SLO tests under tests/slo without clashing with other generators', () => {
  const paths = generateAll(fleet).map((f) => f.path);
  for (const p of [
    'tests/slo/README.md',
    'tests/slo/app/api/api-availability/rules.yaml',
    'tests/slo/app/api/api-latency/tests-3d.yaml',
  ])
    assert.ok(paths.includes(p), p);
  const sloYaml = generateAll(fleet).filter((f) => f.path.endsWith('/slo.yaml'));
  assert.ok(sloYaml.length >= 1, 'the Flux repo generator writes the app base slo.yaml');
  assert.match(sloYaml[0]!.content, /kind: PrometheusRule/);
});
