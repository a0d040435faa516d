/**
 * `build` and `diff` keep chart renders in the content stores as `check` does
 * (check-cache.test.ts): on a synthetic fleet with the add-on charts of ../shared/charts, cold,
 * warm and `--no-cache` runs print byte-identical output; the stores fill on the first run and
 * serve the next (a damaged entry is read, said on stderr and made again). `check --watch` fills
 * them too and prints the `--no-cache` report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedChartSourceArgs } from '../../bench/synthetic-fleet.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import { runCli } from '../testing/run-cli.js';
import { chartFleetRepo } from '../testing/fixture-repos.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'charts', 'charts');
const CHARTS = sharedChartSourceArgs(SHARED_CHARTS);

const fleetRepo = () => chartFleetRepo('aksfleet-render-stores-', 2);

const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => !n.endsWith('.tmp')) : []);

/** Cold, --no-cache, warm and damaged runs of `args`: the same output; the stores used. */
async function sameWithAndWithoutStores(root: string, args: readonly string[]): Promise<string> {
  const renders = join(root, '.git', 'aksfleet', 'store', 'renders');
  rmSync(join(root, '.git', 'aksfleet'), { recursive: true, force: true });
  const run = (...extra: string[]) => runCli([...args, ...CHARTS, ...extra]);
  const none = await run('--no-cache');
  assert.ok(!existsSync(renders), '--no-cache writes nothing');
  const cold = await run();
  const kept = entries(renders);
  assert.ok(kept.length > 0, 'chart renders kept');
  const warm = await run();
  assert.deepEqual(entries(renders), kept, 'a warm run makes no render again');
  // Damaged entries: the warm run reads them (said, not trusted), makes them again, same output.
  for (const n of kept) {
    const f = join(renders, n);
    writeFileSync(f, `${readFileSync(f, 'utf8').slice(0, -10)}0123456789`);
  }
  const damaged = await run();
  assert.match(damaged.err, /note: .*renders\/[0-9a-f]{40}: a corrupt entry \(its digest does not match its content\)/);
  const again = await run();
  assert.doesNotMatch(again.err, /corrupt/, 'made again, whole');
  for (const r of [cold, warm, damaged, again]) {
    assert.equal(r.code, none.code);
    assert.equal(r.out, none.out);
  }
  for (const r of [none, cold, warm, again]) assert.doesNotMatch(r.err, /corrupt/);
  return none.out;
}

test('build: cold, warm, damaged and --no-cache runs print the same objects; the stores serve', async () => {
  const root = fleetRepo();
  try {
    const out = await sameWithAndWithoutStores(root, [
      'build',
      root,
      '--cluster',
      'aks-dev-0000',
      '--allow-missing-vars',
    ]);
    assert.match(out, /kind: Deployment/);
    const json = await sameWithAndWithoutStores(root, [
      'build',
      root,
      '--cluster',
      'aks-dev-0000',
      '--allow-missing-vars',
      '-o',
      'json',
    ]);
    assert.match(json, /"helmReleases"/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('diff: cold, warm, damaged and --no-cache runs print the same diff; the stores serve', async () => {
  const root = fleetRepo();
  try {
    const platform = join(root, 'clusters', 'aks-dev-0000', 'aksfleet', 'platform.yaml');
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('retryInterval: 2m', 'retryInterval: 3m'));
    const out = await sameWithAndWithoutStores(root, ['diff', root, '--base', 'HEAD', '--format', 'json']);
    assert.match(out, /retryInterval/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check --watch: opens the stores once for the process; its report is the --no-cache one', async () => {
  const root = fleetRepo();
  const renders = join(root, '.git', 'aksfleet', 'store', 'renders');
  try {
    const args = ['check', root, '--cluster', 'aks-dev-0000', ...CHARTS];
    const main = JSON.stringify(join(PACKAGE_ROOT, 'src/cli/main.ts'));
    const entry = `import { main } from ${main}; main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args, '--watch'], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 240_000;
    while (!/\] watch: /.test(err) || !out.endsWith('\n')) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`no run: ${err}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    await exited;
    assert.ok(entries(renders).length > 0, 'chart renders kept by the watch');
    const none = await runCli([...args, '--no-cache'], { env: { NO_COLOR: '1' } });
    assert.equal(out, none.out);
    assert.doesNotMatch(err, /corrupt/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
