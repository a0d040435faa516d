/**
 * Day-2 commands over the Flux repo the generator writes for the example fleet (built offline by
 * the Flux build engine): its PodDisruptionBudgets let drains through; a PDB edited to
 * maxUnavailable: 0 is a blocker naming its file; its tenant schedules cover the namespaces.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { generateAll } from '../../src/generators/index.js';
import { parseFleet } from '../../src/spec/load.js';
import type { Plan } from '../../src/day2/upgrade/index.js';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const fleetFile = join(root, 'examples/fleet.yaml');

function writeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-gen-'));
  for (const f of generateAll(parseFleet(readFileSync(fleetFile, 'utf8'), fleetFile))) {
    mkdirSync(join(dir, dirname(f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

test('upgrade plan --repo on the generated repo: every cluster built, no PDB blocks a drain; an edited PDB does', async () => {
  const repo = writeRepo();
  const args = ['upgrade', 'plan', '-f', fleetFile, '--repo', repo, '--date', '2026-11-25', '--format', 'json'];
  const ok = await run(args);
  assert.equal(ok.code, 0, ok.err);
  const plan = JSON.parse(ok.out) as Plan;
  assert.deepEqual(
    plan.findings.filter((f) => f.rule.startsWith('pdb')),
    [],
  );
  const pdb = join(repo, 'workloads/base/app/api/pdb.yaml');
  const text = readFileSync(pdb, 'utf8');
  assert.match(text, /^ {2}maxUnavailable: 1$/m);
  writeFileSync(pdb, text.replace(/^ {2}maxUnavailable: 1$/m, '  maxUnavailable: 0'));
  const bad = await run(args);
  assert.equal(bad.code, 1);
  const blocked = (JSON.parse(bad.out) as Plan).findings.filter((f) => f.rule === 'pdb-blocks-drain');
  // The app tenant runs on all three clusters.
  assert.deepEqual(
    blocked.map((f) => f.cluster),
    ['aks-dev', 'aks-qa', 'aks-prod'],
  );
  assert.ok(
    blocked.every((f) => f.resource === 'PodDisruptionBudget/app/api' && f.file === 'workloads/base/app/api/pdb.yaml'),
    JSON.stringify(blocked[0]),
  );
});

test('backup plan on the generated repo: the tenant schedules cover the tenant namespaces, exit 0', async () => {
  const repo = writeRepo();
  const r = await run(['backup', 'plan', repo, '-f', fleetFile]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\| aks-prod \| shop \| - \| velero\/tenant-shop \|/);
  assert.doesNotMatch(r.out, /\| aks-dev \| shop \|/);
  assert.match(r.out, /#### Namespace shop \(Schedule velero\/tenant-shop\)/);
});
