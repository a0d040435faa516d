/**
 * `aksfleet check --changed-since REF` in a real git repository of a generated fleet: it checks
 * exactly the clusters whose inputs differ from REF's, and their findings are the ones a full
 * check reports for them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import { generateAll } from '../../src/generators/index.js';
import { toYaml } from '../../src/yaml/emit.js';
import { makeRepo } from '../../src/git/testing.js';
import { git } from '../../src/git/git.js';
import { runCli } from '../check/helpers.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 2, appsPerTenant: 1, seed: 5 });
const files = Object.fromEntries(
  [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }].map((f) => [f.path, f.content]),
);
const prod = fleet.spec.clusters.filter((c) => c.environment === 'prod').map((c) => c.name);

interface Finding {
  cluster?: string;
  rule: string;
}
interface Run {
  code: number;
  clusters: string[];
  findings: Finding[];
  err: string;
}

async function check(dir: string, extra: string[]): Promise<Run> {
  const r = await runCli(['check', dir, '--format', 'json', ...extra]);
  const j = r.out
    ? (JSON.parse(r.out) as { clusters: { name: string }[]; findings: Finding[] })
    : { clusters: [], findings: [] };
  return { code: r.code, clusters: j.clusters.map((c) => c.name).sort(), findings: j.findings, err: r.err };
}

test('check --changed-since: only changed clusters, with the findings a full check gives them', async () => {
  const dir = makeRepo(files);
  const full = await check(dir, []);
  assert.equal(full.clusters.length, 6);
  assert.ok(
    full.findings.some((f) => f.cluster !== undefined && prod.includes(f.cluster)),
    'prod clusters have findings to compare',
  );

  const first = await check(dir, ['--changed-since', 'HEAD']);
  assert.deepEqual(first.clusters, []);
  assert.match(first.err, /inputs recorded/);
  const again = await check(dir, ['--changed-since', 'HEAD']);
  assert.deepEqual(again.clusters, []);
  assert.doesNotMatch(again.err, /inputs recorded/, 'second run reads the recorded inputs');

  // One cluster's own file.
  const one = prod[0]!;
  appendFileSync(join(dir, `clusters/${one}/aksfleet/workloads.yaml`), '# touched\n');
  const single = await check(dir, ['--changed-since', 'HEAD']);
  assert.deepEqual(single.clusters, [one]);
  const keep = (r: Run, names: string[]) =>
    r.findings.filter((f) => f.cluster === undefined || names.includes(f.cluster));
  assert.deepEqual(single.findings, keep(full, [one]));
  git(dir, ['checkout', '-q', '--', '.']);

  // An environment overlay: that environment's clusters, and only them.
  const overlay = 'workloads/prod/kustomization.yaml';
  writeFileSync(join(dir, overlay), readFileSync(join(dir, overlay), 'utf8') + '# touched\n');
  const env = await check(dir, ['--changed-since', 'HEAD']);
  assert.deepEqual(env.clusters, [...prod].sort());
  assert.deepEqual(env.findings, keep(full, prod));
  git(dir, ['checkout', '-q', '--', '.']);

  // A repository-wide input: every cluster.
  appendFileSync(join(dir, 'fleet.yaml'), '# touched\n');
  const all = await check(dir, ['--changed-since', 'HEAD']);
  assert.equal(all.clusters.length, 6);
  assert.match(all.err, /repository-wide inputs changed/);
  assert.deepEqual(all.findings, full.findings);
});

test('check --changed-since: a real change shows up in the findings (not only in the cluster list)', async () => {
  const dir = makeRepo(files);
  const before = await check(dir, []);
  await check(dir, ['--changed-since', 'HEAD']);
  // Drop the digest-less image finding's subject: replace the prod overlay by one without workloads.
  const overlay = 'workloads/prod/kustomization.yaml';
  writeFileSync(
    join(dir, overlay),
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
  );
  const inc = await check(dir, ['--changed-since', 'HEAD']);
  const full = await check(dir, []);
  assert.deepEqual(inc.clusters, [...prod].sort());
  const keep = full.findings.filter((f) => f.cluster === undefined || prod.includes(f.cluster));
  assert.deepEqual(inc.findings, keep);
  const prodFindings = (r: Run) => r.findings.filter((f) => f.cluster !== undefined && prod.includes(f.cluster)).length;
  assert.ok(
    prodFindings(full) < prodFindings(before),
    `the change removed findings (${prodFindings(before)} -> ${prodFindings(full)})`,
  );
});

test('check --changed-since outside a git repository: usage error, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-nogit-'));
  for (const [p, c] of Object.entries(files)) {
    const abs = join(dir, p);
    (await import('node:fs')).mkdirSync(join(abs, '..'), { recursive: true });
    writeFileSync(abs, c);
  }
  const r = await runCli(['check', dir, '--changed-since', 'HEAD']);
  assert.equal(r.code, 2);
  assert.match(r.err, /needs a git repository/);
});

test('check --changed-since: the stat record changes what is read, never the report', async () => {
  const dir = makeRepo(files);
  // Stamps of files changed in the second a run began are racy (never kept): begin a second later.
  await new Promise((r) => setTimeout(r, 1100));
  await runCli(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  const aksfleet = git(dir, ['rev-parse', '--git-path', 'aksfleet']).trim();
  const records = () => readdirSync(join(dir, aksfleet)).filter((n) => n.endsWith('.stat.json'));
  assert.equal(records().length, 1, 'the first run keeps the stamps of the answers it compared');
  const record = join(dir, aksfleet, records()[0]!);
  const kept = (JSON.parse(readFileSync(record, 'utf8')) as { same: unknown[] }).same.length;
  assert.ok(kept > 100, `stamps kept: ${kept}`);
  appendFileSync(join(dir, `clusters/${prod[0]}/aksfleet/workloads.yaml`), '# touched\n');
  const withRecord = await runCli(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.match(withRecord.err, /1 cluster\(s\) to check/);
  rmSync(record);
  const withoutRecord = await runCli(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.equal(withRecord.out, withoutRecord.out);
  assert.equal(withRecord.code, withoutRecord.code);
  // A record that is not one (damaged) is no record: the same report again.
  writeFileSync(record, '{"version":1,"key":');
  const damaged = await runCli(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.equal(damaged.out, withRecord.out);
});
