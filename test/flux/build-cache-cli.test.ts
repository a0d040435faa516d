/**
 * `check --changed-since` keeps the folders it built in `.git/aksfleet/build-cache/`: a later run
 * (a new process: a new session here) reads them instead of building, and its
 * report equals the one a run without any cache gives, also after a change that makes findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import { generateAll } from '../../src/generators/index.js';
import { toYaml } from '../../src/yaml/emit.js';
import { makeRepo } from '../../src/git/testing.js';
import { createSession } from '../../src/session/session.js';
import { runCli } from '../check/helpers.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 2, appsPerTenant: 1, seed: 9 });
const files = Object.fromEntries(
  [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }].map((f) => [f.path, f.content]),
);

/** A run as a new process would make it (a new session: nothing in its memo); the build cache's counts. */
async function coldRun(argv: string[]): Promise<{ code: number; out: string; err: string; read: number }> {
  const session = createSession();
  const r = await runCli(argv, { session });
  const counts = session.diagnostics
    .filter((d) => d.code === 'build-cache')
    .map((d) => /(\d+) folder\(s\) read/.exec(d.message));
  return { ...r, read: counts.reduce((n, m) => n + Number(m?.[1] ?? 0), 0) };
}

test('check --changed-since reads the build cache in a later run; same report as without a cache', async () => {
  const dir = makeRepo(files);
  const cacheDir = join(dir, '.git', 'aksfleet', 'build-cache');
  await coldRun(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.ok(existsSync(cacheDir) && readdirSync(cacheDir).length > 0, 'the recording run filled the cache');

  // Change the prod overlay so that its clusters' findings change.
  const overlay = 'workloads/prod/kustomization.yaml';
  writeFileSync(
    join(dir, overlay),
    readFileSync(join(dir, overlay), 'utf8').replace(/resources:\n/, 'resources: []\nx:\n'),
  );
  const cached = await coldRun(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.ok(cached.read > 0, `folders came from the cache (${cached.read})`);

  rmSync(cacheDir, { recursive: true, force: true });
  const cold = await coldRun(['check', dir, '--changed-since', 'HEAD', '--format', 'json']);
  assert.equal(cached.code, cold.code);
  assert.equal(cached.out, cold.out, 'the same report with and without the cache');
  const full = await coldRun(['check', dir, '--format', 'json']);
  const prod = fleet.spec.clusters.filter((c) => c.environment === 'prod').map((c) => c.name);
  const f = (o: string) => (JSON.parse(o) as { findings: { cluster?: string }[] }).findings;
  assert.deepEqual(
    f(cached.out),
    f(full.out).filter((x) => x.cluster === undefined || prod.includes(x.cluster)),
  );
  assert.notDeepEqual(f(cached.out), [], 'the change made findings to compare');
});
