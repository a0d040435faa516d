/**
 * `check --jobs N` workers read and fill the persistent stores (the build cache and the content
 * stores of chart renders and validators) as one thread does: on a synthetic fleet with the
 * add-on charts of ../shared/charts, cold, warm, damaged and `--no-cache` runs print the same
 * report, byte for byte, and the one `check` without `--jobs` prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedChartSourceArgs } from '../../bench/synthetic-fleet.js';
import { runCli } from '../testing/run-cli.js';
import { chartFleetRepo } from '../testing/fixture-repos.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'charts', 'charts');
const CHARTS = sharedChartSourceArgs(SHARED_CHARTS);

const fleetRepo = () => chartFleetRepo('aksfleet-jobs-stores-', 4);

const entries = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => !n.endsWith('.tmp'))
        .sort()
    : [];

test('check --jobs 2: the workers use the stores; cold, warm, damaged, --no-cache: the same report', async () => {
  const root = fleetRepo();
  try {
    const store = join(root, '.git', 'aksfleet', 'store');
    const renders = join(store, 'renders');
    const validators = join(store, 'validators');
    const verdicts = join(store, 'verdicts');
    const buildCache = join(root, '.git', 'aksfleet', 'build-cache');
    const run = (...extra: string[]) => runCli(['check', root, '--format', 'json', ...CHARTS, ...extra]);
    const none = await run('--jobs', '2', '--no-cache');
    assert.ok(!existsSync(store) && !existsSync(buildCache), '--no-cache writes nothing');
    const oneThread = await run('--no-cache');
    assert.equal(none.out, oneThread.out);
    const cold = await run('--jobs', '2');
    const kept = { renders: entries(renders), validators: entries(validators), verdicts: entries(verdicts) };
    assert.ok(kept.renders.length > 0, 'the workers kept chart renders');
    assert.ok(kept.validators.length > 0, 'the workers kept validators and the fleet spec');
    assert.ok(kept.verdicts.length > 0, 'the workers kept admission verdicts');
    assert.ok(entries(buildCache).length > 0, 'the workers kept their builds');
    const warm = await run('--jobs', '2');
    // A warm run makes nothing again, but for V8's code cache of each validator it loaded from the
    // store for the first time (src/schemas/stored-validator.ts): base64, beside the validators.
    const warmValidators = entries(validators);
    assert.deepEqual(
      { renders: entries(renders), validators: warmValidators.filter((n) => kept.validators.includes(n)) },
      { renders: kept.renders, validators: kept.validators },
      'a warm run makes nothing again',
    );
    assert.deepEqual(entries(verdicts), kept.verdicts);
    const caches = warmValidators.filter((n) => !kept.validators.includes(n));
    assert.ok(caches.length > 0, 'code caches kept');
    for (const n of caches) {
      const body = readFileSync(join(validators, n), 'utf8').split('\n').slice(1).join('\n');
      assert.match(body, /^[A-Za-z0-9+/]+=*$/, `${n} is a code cache`);
    }
    for (const n of kept.renders) {
      const f = join(renders, n);
      writeFileSync(f, `${readFileSync(f, 'utf8').slice(0, -10)}0123456789`);
    }
    const damaged = await run('--jobs', '2');
    assert.match(damaged.err, /note: .*renders\/[0-9a-f]{40}: a corrupt entry/);
    const again = await run('--jobs', '2');
    assert.deepEqual(entries(validators), warmValidators, 'the code caches are used, not made again');
    for (const r of [cold, warm, damaged, again]) {
      assert.equal(r.code, none.code);
      assert.equal(r.out, none.out);
    }
    for (const r of [none, cold, warm, again]) assert.doesNotMatch(r.err, /corrupt/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
