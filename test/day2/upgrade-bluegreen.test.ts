/**
 * `aksfleet upgrade bluegreen`: the steps on the example fleet. Oracles: GNU patch applies every
 * diff to the generator's files and gives the generator's output for the changed fleet;
 * shellcheck accepts the drain script; promtool parses the checks' PromQL.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { BlueGreenPlan } from '../../src/day2/bluegreen/index.js';
import { generateAll } from '../../src/generators/index.js';
import { parseFleet } from '../../src/spec/load.js';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const fleetFile = join(root, 'examples/fleet.yaml');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function zeroWeightFleet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bg-'));
  const text = readFileSync(fleetFile, 'utf8').replace('greenWeight: 10', 'greenWeight: 0');
  assert.ok(text.includes('greenWeight: 0'));
  writeFileSync(join(dir, 'fleet.yaml'), text);
  return join(dir, 'fleet.yaml');
}

test('steps in order: new pool, drain, weight commits 90/10 50/50 0/100 each with a check, removal', async () => {
  const f = zeroWeightFleet();
  const r = await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', f, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out) as BlueGreenPlan;
  assert.equal(plan.newPool, 'userpool2');
  assert.deepEqual(
    plan.steps.map((s) => s.kind),
    ['new-pool', 'drain', 'commit', 'check', 'commit', 'check', 'commit', 'check', 'remove-pool'],
  );
  assert.deepEqual(
    plan.steps.filter((s) => s.kind === 'commit').map((s) => s.title),
    ['shop: 90/10 blue/green', 'shop: 50/50 blue/green', 'shop: 0/100 blue/green'],
  );
  const np = plan.steps[0]!;
  assert.ok(
    np.kind === 'new-pool' &&
      /--node-taints workload=true:NoSchedule/.test(np.az) &&
      /--kubernetes-version 1\.\d+\.\d+/.test(np.az),
  );
  // The example fleet (greenWeight 10) starts at 50/50.
  const r2 = await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', fleetFile, '--format', 'json']);
  assert.deepEqual(
    (JSON.parse(r2.out) as BlueGreenPlan).steps.filter((s) => s.kind === 'commit').map((s) => s.title),
    ['shop: 50/50 blue/green', 'shop: 0/100 blue/green'],
  );
});

test('every diff applies with GNU patch to the generated repo and yields the generator output for the changed fleet', async (t) => {
  if (!has('patch')) return t.skip('patch not installed');
  const f = zeroWeightFleet();
  const plan = JSON.parse(
    (await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', f, '--format', 'json'])).out,
  ) as BlueGreenPlan;
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bg-repo-'));
  for (const file of generateAll(parseFleet(readFileSync(f, 'utf8'), f))) {
    mkdirSync(join(dir, dirname(file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  const apply = (diff: string) => {
    writeFileSync(join(dir, 'change.diff'), diff);
    const r = spawnSync('patch', ['-s', '-p1', '--no-backup-if-mismatch', '-i', 'change.diff'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  };
  let applied = 0;
  for (const s of plan.steps) {
    if (s.kind === 'new-pool' || s.kind === 'remove-pool') for (const d of s.diffs) apply(d), applied++;
    if (s.kind === 'commit') {
      apply(s.diff);
      applied++;
      assert.equal(readFileSync(join(dir, s.path), 'utf8'), s.content);
    }
  }
  assert.ok(applied >= 7, `only ${applied} diffs`);
  // After everything: the route is 0/100 and the bicepparam has userpool2 and no userpool.
  const route = readFileSync(join(dir, 'workloads/base/shop/shop/httproute.yaml'), 'utf8');
  assert.match(route, /name: shop-blue\n\s+port: 80\n\s+weight: 0\n/);
  assert.match(route, /name: shop-green\n\s+port: 80\n\s+weight: 100\n/);
  const param = readFileSync(join(dir, 'infra/clusters/aks-prod/main.bicepparam'), 'utf8');
  assert.match(param, /name: 'userpool2'/);
  assert.doesNotMatch(param, /name: 'userpool'\n/);
});

test('the drain script passes shellcheck; the checks parse with promtool', async (t) => {
  const plan = JSON.parse(
    (await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', zeroWeightFleet(), '--format', 'json'])).out,
  ) as BlueGreenPlan;
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bg-chk-'));
  const drain = plan.steps.find((s) => s.kind === 'drain')!;
  assert.ok(drain.kind === 'drain');
  assert.match(drain.script, /kubectl cordon -l "\$\{label\}=\$\{old\}"/);
  writeFileSync(join(dir, 'drain.sh'), drain.script);
  assert.equal(spawnSync('bash', ['-n', join(dir, 'drain.sh')]).status, 0);
  const checks = plan.steps.filter((s) => s.kind === 'check');
  assert.equal(checks.length, 3);
  let skipped = '';
  if (has('shellcheck')) {
    const sc = spawnSync('shellcheck', [join(dir, 'drain.sh')], { encoding: 'utf8' });
    assert.equal(sc.status, 0, sc.stdout);
  } else skipped += 'shellcheck ';
  if (has('promtool')) {
    const rules = {
      groups: [
        {
          name: 'bluegreen',
          rules: checks.map((c, i) => ({ alert: `GreenErrors${i}`, expr: c.kind === 'check' ? c.promql : '' })),
        },
      ],
    };
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
    const pt = spawnSync('promtool', ['check', 'rules', join(dir, 'rules.json')], { encoding: 'utf8' });
    assert.equal(pt.status, 0, `${pt.stdout}${pt.stderr}`);
  } else skipped += 'promtool';
  if (skipped) t.skip(`not installed: ${skipped}`);
});

test('the check uses the availability SLO budget when the app has one', async () => {
  const { greenErrorCheck } = await import('../../src/day2/bluegreen/index.js');
  const fleet = parseFleet(readFileSync(fleetFile, 'utf8'), fleetFile);
  const t = fleet.spec.tenants.find((x) => x.name === 'app')!;
  const c = greenErrorCheck(t, t.apps[0]!);
  assert.equal(c.threshold, 0.001);
  assert.equal(
    c.promql,
    '(sum(rate(http_requests_total{job="api", code=~"5..", service="api-green"}[5m])) ' +
      '/ sum(rate(http_requests_total{job="api", service="api-green"}[5m]))) > 0.001',
  );
});

test('--apply is refused (not supported yet); unknown cluster, unknown pool and the system pool are input errors', async () => {
  const a = await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', fleetFile, '--apply']);
  assert.equal(a.code, 2);
  assert.match(a.err, /--apply is not supported yet/);
  assert.equal(a.out, '');
  const c = await run(['upgrade', 'bluegreen', 'aks-nope', 'userpool', '-f', fleetFile]);
  assert.equal(c.code, 2);
  assert.match(c.err, /no cluster 'aks-nope' in the fleet \(clusters: aks-dev, aks-qa, aks-prod\)/);
  const p = await run(['upgrade', 'bluegreen', 'aks-prod', 'nopool', '-f', fleetFile]);
  assert.equal(p.code, 2);
  assert.match(p.err, /aks-prod has no user pool 'nopool' \(user pools: userpool\)/);
  const s = await run(['upgrade', 'bluegreen', 'aks-prod', 'system', '-f', fleetFile]);
  assert.equal(s.code, 2);
  assert.match(s.err, /is the system pool/);
  assert.equal((await run(['upgrade', 'bluegreen', 'aks-prod', '-f', fleetFile])).code, 2);
});

test('markdown dry run is deterministic and says nothing was changed', async () => {
  const a = await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', fleetFile]);
  const b = await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', fleetFile]);
  assert.equal(a.code, 0);
  assert.equal(a.out, b.out);
  assert.match(a.out, /Dry run: nothing was changed/);
  assert.match(a.out, /## 2\. Cordon and drain userpool/);
});
