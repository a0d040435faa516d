/**
 * The other tests run the TypeScript sources; users run `bin/aksfleet`: the CLI bundle
 * (dist/bundle/) and the precompiled CRD validators that `npm ci` builds. This runs it as a
 * child process for each kind of work and compares stdout, stderr and exit code with the
 * in-process CLI on the same input, so a difference between the bundle and src/ (a path computed
 * from the module's location, a lazily loaded command, a precompiled validator) shows here.
 * Skipped when the bundle has not been built (npm run build).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import { generateAll } from '../../src/generators/index.js';
import { toYaml } from '../../src/yaml/emit.js';
import { makeRepo } from '../../src/git/testing.js';
import { runCli } from '../check/helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'aksfleet');
const built = existsSync(join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js'));
const CORPUS = join(PACKAGE_ROOT, '..', 'shared', 'corpus');

function compiled(args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, AKSFLEET_TODAY: '2026-11-25', NO_COLOR: '1' },
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

async function same(
  args: string[],
  cwd: string,
  opts: { stderr?: boolean } = {},
): Promise<{ code: number; out: string }> {
  const a = await runCli(args, { cwd });
  const b = compiled(args, cwd);
  assert.equal(b.code, a.code, `${args.join(' ')}: exit code (${b.err})`);
  assert.equal(b.out, a.out, `${args.join(' ')}: stdout`);
  if (opts.stderr !== false) assert.equal(b.err, a.err, `${args.join(' ')}: stderr`);
  return a;
}

test('compiled CLI (bin/aksfleet) gives what the sources give', {
  skip: built ? false : 'dist/ not built (npm run build)',
  timeout: 240_000,
}, async () => {
  const fleet = syntheticFleet({ clusters: 4, tenants: 2, appsPerTenant: 1, seed: 21 });
  const dir = makeRepo(
    Object.fromEntries(
      [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }].map((f) => [f.path, f.content]),
    ),
  );
  const cluster = fleet.spec.clusters[0]!.name;

  assert.match((await same(['--version'], dir)).out, /^\d+\.\d+\.\d+\n$/);
  await same(['--help'], dir);
  await same(['build', '--help'], dir);
  // check's options and its rule list load without the check itself (check.ts, check-run.ts).
  await same(['check', '--help'], dir);
  await same(['check', '--list-rules'], dir);
  await same(['nope'], dir);
  await same(['schema'], dir);
  assert.ok(
    (await same(['build', '.', '--cluster', cluster, '--allow-missing-vars'], dir)).out.includes('kind: Kustomization'),
  );
  await same(['build', '.', '--cluster', cluster, '--allow-missing-vars', '-o', 'json'], dir);
  // check: the schema rule runs the precompiled CRD validators in dist/, ajv-compiled ones in src/.
  assert.ok((await same(['check', '.', '--format', 'json'], dir)).out.includes('"findings"'));
  await same(['check', '.', '--format', 'json', '--jobs', '2'], dir);
  // --changed-since: the recorded inputs and the build cache (engine digest of the running code).
  // The first of the two runs records the inputs, the second reads them: stderr says which.
  await same(['check', '.', '--changed-since', 'HEAD', '--format', 'json'], dir, { stderr: false });
  appendFileSync(join(dir, 'clusters', cluster, 'aksfleet', 'workloads.yaml'), '# touched\n');
  assert.match(
    (await same(['check', '.', '--changed-since', 'HEAD', '--format', 'json'], dir)).out,
    new RegExp(`"name": "${cluster}"`),
  );
  await same(['upgrade', 'plan', '--repo', '.', '--format', 'json', '--date', '2026-11-25'], dir);
  await same(['backup', 'plan', '.'], dir);
  const home = join(CORPUS, 'onedr0p+home-ops');
  if (existsSync(home)) {
    await same(['build', home, '--path', 'kubernetes/flux/cluster', '--allow-missing-vars', '--summary'], dir);
    await same(['kustomize', join(home, 'kubernetes', 'apps', 'default')], dir);
  }
  const out = mkdtempSync(join(tmpdir(), 'aksfleet-compiled-'));
  const a = compiled(['init', join(out, 'a')], out);
  assert.equal(a.code, 0, a.err);
  const g = compiled(['generate', '-f', join(out, 'a', 'fleet.yaml'), '-o', join(out, 'a')], out);
  assert.equal(g.code, 0, g.err);
});
