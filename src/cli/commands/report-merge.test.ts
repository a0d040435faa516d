/**
 * check --shard I/N and report merge, through the CLI on a generated fleet with findings in
 * several clusters and repository-wide ones: the merged parts are byte for byte the unsharded
 * report in every format; every cluster and finding is in exactly one part; parts that do not
 * make one whole are refused (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { toYaml } from '../../yaml/emit.js';
import { runCli } from '../testing/run-cli.js';

// A date past the pinned versions' support: repository-wide findings (kubernetes-version-supported) besides the
// clusters'.
const env = { AKSFLEET_TODAY: '2028-06-01' };

function fleetRepo(): string {
  const fleet = syntheticFleet({ clusters: 5, tenants: 2, appsPerTenant: 1, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-shard-'));
  const files = [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }];
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  // A planted defect in a dev cluster, so findings come from several clusters.
  const dev = fleet.spec.clusters.find((c) => c.environment === 'dev')!.name;
  writeFileSync(
    join(dir, `clusters/${dev}/aksfleet/extra.yaml`),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\n  namespace: default\nspec:\n  containers:\n' +
      '  - name: c\n    image: nginx:latest\n',
  );
  const k = join(dir, `clusters/${dev}/aksfleet/kustomization.yaml`);
  writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n- extra.yaml\n'));
  return dir;
}

const dir = fleetRepo();

async function parts(of: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= of; i++) {
    const r = await runCli(['check', '--shard', `${i}/${of}`, '--format', 'json'], { cwd: dir, env });
    assert.ok(r.code === 0 || r.code === 1, `shard ${i}/${of}: ${r.err}`);
    const file = join(dir, `part-${i}-of-${of}.json`);
    writeFileSync(file, r.out);
    files.push(file);
  }
  return files;
}

test('report merge of check --shard parts is byte for byte the unsharded check, in every format (2 and 3 shards)', async () => {
  const whole = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: dir, env })).out) as {
    clusters: unknown[];
    findings: { cluster: string | null }[];
  };
  assert.ok(new Set(whole.findings.map((f) => f.cluster)).size >= 3, 'findings in several clusters and about none');
  assert.ok(
    whole.findings.some((f) => f.cluster === null),
    'repository-wide findings too',
  );
  for (const of of [2, 3]) {
    const files = await parts(of);
    const docs = files.map(
      (f) =>
        JSON.parse(readFileSync(f, 'utf8')) as { clusters: { name: string }[]; findings: { cluster: string | null }[] },
    );
    // Each cluster in exactly one part; findings about no cluster only in part 1.
    assert.deepEqual(
      docs.flatMap((d) => d.clusters.map((c) => c.name)).sort(),
      whole.clusters.map((c) => (c as { name: string }).name).sort(),
    );
    assert.ok(
      docs.slice(1).every((d) => d.findings.every((f) => f.cluster !== null)),
      'repository findings only in shard 1',
    );
    assert.equal(
      docs.reduce((n, d) => n + d.findings.length, 0),
      whole.findings.length,
      'every finding in exactly one part',
    );
    for (const format of ['json', 'sarif', 'junit', 'markdown', 'text']) {
      const unsharded = await runCli(['check', '--format', format], { cwd: dir, env });
      const merged = await runCli(['report', 'merge', ...files.slice().reverse(), '--format', format], {
        cwd: dir,
        env,
      });
      assert.equal(merged.out, unsharded.out, `${of} shards, --format ${format}`);
      assert.equal(merged.code, unsharded.code, `${of} shards, --format ${format}: exit code`);
      assert.equal(merged.err, unsharded.err, `${of} shards, --format ${format}: summary line`);
    }
  }
});

test('more shards than clusters: the empty shards are empty parts, and the merge is still the whole', async () => {
  const files = await parts(7);
  const unsharded = await runCli(['check', '--format', 'sarif'], { cwd: dir, env });
  assert.equal(
    (await runCli(['report', 'merge', ...files, '--format', 'sarif'], { cwd: dir, env })).out,
    unsharded.out,
  );
});

test('report merge refuses parts that do not make one whole, and check --shard refuses bad values (exit 2)', async () => {
  const files = await parts(3);
  const missing = await runCli(['report', 'merge', files[0]!, files[2]!], { cwd: dir, env });
  assert.equal(missing.code, 2);
  assert.match(missing.err, /missing shard\(s\) 2\/3/);
  const twice = await runCli(['report', 'merge', files[0]!, files[1]!, files[1]!, files[2]!], { cwd: dir, env });
  assert.equal(twice.code, 2);
  assert.match(twice.err, /shard 2\/3 given twice/);
  const two = await parts(2);
  const mixed = await runCli(['report', 'merge', files[0]!, two[1]!, files[2]!], { cwd: dir, env });
  assert.equal(mixed.code, 2);
  assert.match(mixed.err, /a part of 2 shards among parts of 3/);
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, (await runCli(['check', '--format', 'json'], { cwd: dir, env })).out);
  const notPart = await runCli(['report', 'merge', plain], { cwd: dir, env });
  assert.equal(notPart.code, 2);
  assert.match(notPart.err, /not a shard: run each part with check --shard I\/N --format json/);
  for (const bad of ['0/2', '3/2', '2', 'a/b']) {
    const r = await runCli(['check', '--shard', bad], { cwd: dir, env });
    assert.equal(r.code, 2, bad);
    assert.match(r.err, /--shard must be I\/N/, bad);
  }
  assert.equal((await runCli(['check', '--shard', '1/2', '--jobs', '2'], { cwd: dir, env })).code, 2);
  for (const r of [missing, twice, mixed, notPart]) assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
});
