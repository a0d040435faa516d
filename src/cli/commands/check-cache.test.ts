/**
 * `check` keeps chart renders and compiled validators between runs (src/content-store.ts) in the
 * git directory, else the user cache: on a synthetic fleet with the add-on charts of
 * ../shared/charts, a cold run, a warm run and a `--no-cache` run give byte-identical reports,
 * plain and `--changed-since` alike; a corrupt entry is said on stderr and not trusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sharedChartSourceArgs, syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { toYaml } from '../../yaml/emit.js';
import { runCli } from '../testing/run-cli.js';
import { gitCommitAll } from '../testing/fixture-repos.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'charts', 'charts');
const CHARTS = sharedChartSourceArgs(SHARED_CHARTS);

function fleetRepo(git: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-check-cache-'));
  const fleet = syntheticFleet({ clusters: 3, tenants: 2, appsPerTenant: 1, seed: 7, sharedChartVersions: true });
  for (const f of [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }]) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  if (git) {
    gitCommitAll(root, 'fleet');
  }
  return root;
}

const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => !n.endsWith('.tmp')) : []);

test('check: cold, warm and --no-cache runs give the same report; the stores fill, then serve', async () => {
  const root = fleetRepo(true);
  try {
    const store = join(root, '.git', 'aksfleet', 'store');
    const run = (...extra: string[]) => runCli(['check', root, '--format', 'json', ...CHARTS, ...extra]);
    // First in this process: validators compiled once stay in the process's own memo after it.
    const cold = await run();
    assert.ok(entries(join(store, 'renders')).length > 0, 'chart renders kept');
    assert.ok(entries(join(store, 'validators')).length > 0, 'compiled validators kept');
    rmSync(store, { recursive: true });
    const none = await run('--no-cache');
    assert.ok(!existsSync(store), '--no-cache writes nothing');
    await run();
    const before = new Map(entries(join(store, 'renders')).map((n) => [n, readFileSync(join(store, 'renders', n))]));
    const warm = await run();
    assert.deepEqual(
      entries(join(store, 'renders')).filter((n) => !before.has(n)),
      [],
      'a warm run makes no render again',
    );
    for (const r of [cold, warm]) {
      assert.equal(r.code, none.code);
      assert.equal(r.out, none.out);
      assert.doesNotMatch(r.err, /corrupt/);
    }
    assert.match(none.out, /"clusters"/);

    // Damaged render entries: said, made again, same report.
    for (const n of entries(join(store, 'renders'))) {
      const f = join(store, 'renders', n);
      writeFileSync(f, `${readFileSync(f, 'utf8').slice(0, -10)}0123456789`);
    }
    const damaged = await run();
    assert.equal(damaged.out, none.out);
    assert.match(
      damaged.err,
      /note: .*renders\/[0-9a-f]{40}: a corrupt entry \(its digest does not match its content\)/,
    );
    assert.doesNotMatch((await run()).err, /corrupt/, 'made again, whole');

    // A one-file change: --changed-since with and without the caches.
    const platform = join(
      root,
      'clusters',
      readdirSync(join(root, 'clusters')).sort()[0]!,
      'aksfleet',
      'platform.yaml',
    );
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('retryInterval: 2m', 'retryInterval: 3m'));
    const since = await run('--changed-since', 'HEAD');
    const sinceNone = await run('--changed-since', 'HEAD', '--no-cache');
    assert.match(since.err, /1 cluster\(s\) to check/);
    assert.equal(since.out, sinceNone.out);
    assert.equal(since.code, sinceNone.code);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check outside a git repository keeps its stores in $XDG_CACHE_HOME/aksfleet/store', async () => {
  const root = fleetRepo(false);
  const xdg = mkdtempSync(join(tmpdir(), 'aksfleet-xdg-'));
  try {
    const args = ['check', root, '--format', 'json', '--cluster', 'aks-dev-0000', ...CHARTS];
    const cold = await runCli(args, { env: { XDG_CACHE_HOME: xdg } });
    assert.ok(entries(join(xdg, 'aksfleet', 'store', 'renders')).length > 0);
    const warm = await runCli(args, { env: { XDG_CACHE_HOME: xdg } });
    const none = await runCli([...args, '--no-cache'], { env: { XDG_CACHE_HOME: xdg } });
    assert.equal(cold.out, none.out);
    assert.equal(warm.out, none.out);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(xdg, { recursive: true, force: true });
  }
});
