import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockers, planUpgrade, resolveTarget } from './planner.js';
import { InputError } from '../../errors.js';
import { loadUpgradeRules } from './rules.js';
import { simulate } from './simulate.js';
import { stateFromSpec } from './state.js';
import { miniFleet, syntheticVersions } from './testing/fixtures.js';
import type { ClusterState, Plan } from './types.js';

const rules = loadUpgradeRules();
const versions = syntheticVersions();

function targets(plan: Plan): Map<string, string> {
  return new Map(plan.rings.flatMap((r) => r.clusters.map((c) => [c.name, c.to] as [string, string])));
}

test('mixed fleet (prod 1.27 with a 1.26 user pool, dev 1.28) to 1.30: every rule holds at every step', () => {
  const fleet = miniFleet(
    [{ name: 'dev', soak: '24h' }, { name: 'qa', soak: '48h' }, { name: 'prod' }],
    [
      {
        name: 'aks-prod',
        env: 'prod',
        version: '1.27.3',
        channel: 'stable',
        userPools: [{ name: 'userpool', version: '1.26.2' }],
      },
      { name: 'aks-dev', env: 'dev', version: '1.28.1', userPools: [{ name: 'userpool' }] },
      { name: 'aks-qa', env: 'qa', version: '1.28.2' },
    ],
  );
  const states = stateFromSpec(fleet);
  const plan = planUpgrade({ fleet, states, target: '1.30', versions, rules, date: '2025-01-01' });
  assert.equal(plan.target, '1.30.3');
  assert.deepEqual(simulate(plan, states, rules, targets(plan)), []);
  // Rings in environment order with soak and gate between them.
  const kinds = plan.steps.map(
    (s) =>
      `${s.ring}:${s.kind}${s.cluster ? `:${s.cluster}` : ''}` +
      `${s.pool ? `/${s.pool}` : ''}:${s.from ?? ''}->${s.to ?? ''}`,
  );
  assert.deepEqual(kinds, [
    'dev:control-plane:aks-dev:1.28.1->1.29.3',
    'dev:control-plane:aks-dev:1.29.3->1.30.3',
    'dev:node-pool:aks-dev/system:1.28.1->1.30.3',
    'dev:node-pool:aks-dev/userpool:1.28.1->1.30.3',
    'dev:soak:->',
    'dev:gate:->',
    'qa:control-plane:aks-qa:1.28.2->1.29.3',
    'qa:control-plane:aks-qa:1.29.3->1.30.3',
    'qa:node-pool:aks-qa/system:1.28.2->1.30.3',
    'qa:soak:->',
    'qa:gate:->',
    'prod:channel:aks-prod:stable->none',
    // 1.26 user pool: 1.27 -> 1.28 keeps it within the skew limit (2 minors before 1.28, 3 from 1.28).
    'prod:control-plane:aks-prod:1.27.3->1.28.3',
    'prod:control-plane:aks-prod:1.28.3->1.29.3',
    // Before the control plane reaches 1.30 the 1.26 pool would be 4 minors behind: upgraded to 1.29 first.
    'prod:node-pool:aks-prod/userpool:1.26.2->1.29.3',
    'prod:control-plane:aks-prod:1.29.3->1.30.3',
    'prod:node-pool:aks-prod/system:1.27.3->1.30.3',
    'prod:node-pool:aks-prod/userpool:1.29.3->1.30.3',
    'prod:channel:aks-prod:none->stable',
  ]);
  assert.equal(plan.steps.find((s) => s.kind === 'soak' && s.ring === 'qa')?.duration, '48h');
  // Out-of-support versions are flagged (as of 2025-01-01 with the synthetic calendar N=1.31).
  const flagged = plan.findings
    .filter((f) => f.rule === 'version-outside-support')
    .map((f) => `${f.cluster}:${f.message.split(' is ')[0]}`);
  assert.ok(flagged.includes('aks-prod:control plane 1.27.3'), flagged.join('\n'));
  assert.ok(flagged.includes('aks-prod:node pool userpool 1.26.2'), flagged.join('\n'));
  assert.ok(plan.findings.some((f) => f.rule === 'auto-upgrade-channel' && f.cluster === 'aks-prod'));
  assert.deepEqual(blockers(plan), []);
});

test(
  'the simulator catches a skipped minor, a channel conflict, ' +
    'a pool ahead of the control plane and a missing gate',
  () => {
    const fleet = miniFleet(
      [{ name: 'dev' }, { name: 'prod' }],
      [
        { name: 'a', env: 'dev', version: '1.28.1', channel: 'patch' },
        { name: 'b', env: 'prod', version: '1.28.1' },
      ],
    );
    const states = stateFromSpec(fleet);
    const good = planUpgrade({ fleet, states, target: '1.29.3', versions, rules, date: '2025-01-01' });
    assert.deepEqual(simulate(good, states, rules, targets(good)), []);
    const renumber = (steps: Plan['steps']) => steps.map((s, i) => ({ ...s, n: i + 1 }));
    // Drop the channel step: the control-plane-only upgrade meets the auto-upgrade channel.
    const noChannel = { ...good, steps: renumber(good.steps.filter((s) => s.kind !== 'channel')) };
    assert.ok(simulate(noChannel, states, rules).some((v) => v.rule === 'channel-conflict'));
    // Skip a minor.
    const skip = planUpgrade({
      fleet,
      states: states.map((s) => ({ ...s, channel: 'none' })),
      target: '1.30.3',
      versions,
      rules,
      date: '2025-01-01',
    });
    const skipped = {
      ...skip,
      steps: renumber(
        skip.steps
          .filter((s) => !(s.kind === 'control-plane' && s.to === '1.29.3'))
          .map((s) => (s.kind === 'control-plane' ? { ...s, from: '1.28.1' } : s)),
      ),
    };
    assert.ok(
      simulate(
        skipped,
        states.map((s) => ({ ...s, channel: 'none' })),
        rules,
      ).some((v) => v.rule === 'minor-skipped'),
    );
    // Pool before control plane.
    const poolFirst = {
      ...good,
      steps: renumber(
        [...good.steps].sort((x, y) => (x.kind === 'node-pool' ? -1 : 0) - (y.kind === 'node-pool' ? -1 : 0)),
      ),
    };
    assert.ok(simulate(poolFirst, states, rules).some((v) => v.rule === 'pool-newer'));
    // No soak/gate between the rings.
    const noGate = { ...good, steps: renumber(good.steps.filter((s) => s.kind !== 'gate' && s.kind !== 'soak')) };
    assert.ok(simulate(noGate, states, rules).some((v) => v.rule === 'gate-missing'));
    // Target missed.
    const short = {
      ...good,
      steps: renumber(good.steps.filter((s) => !(s.cluster === 'b' && s.kind === 'control-plane'))),
    };
    assert.ok(simulate(short, states, rules, targets(good)).some((v) => v.rule === 'target-missed'));
  },
);

test('pools already beyond the skew limit are upgraded first and flagged', () => {
  const fleet = miniFleet(
    [{ name: 'dev' }],
    [{ name: 'old', env: 'dev', version: '1.29.1', userPools: [{ name: 'lag', version: '1.25.1' }] }],
  );
  const states = stateFromSpec(fleet);
  const plan = planUpgrade({ fleet, states, target: '1.30', versions, rules, date: '2025-01-01' });
  assert.ok(plan.findings.some((f) => f.rule === 'pool-skew-exceeded' && f.pool === 'lag'));
  assert.equal(plan.steps[0]!.kind, 'node-pool');
  assert.equal(plan.steps[0]!.pool, 'lag');
  assert.deepEqual(simulate(plan, states, rules, targets(plan)), []);
});

test('downgrades and pools newer than the control plane are blockers; clusters without state too', () => {
  const fleet = miniFleet(
    [{ name: 'dev' }],
    [
      { name: 'new', env: 'dev', version: '1.31.1' },
      { name: 'gone', env: 'dev', version: '1.29.1' },
    ],
  );
  const states: ClusterState[] = [
    stateFromSpec(fleet)[0]!,
    {
      name: 'stray',
      controlPlane: '1.29.1',
      channel: 'none',
      pools: [{ name: 'p', mode: 'System', version: '1.29.1' }],
    },
  ];
  const plan = planUpgrade({ fleet, states, target: '1.30.1', versions, rules, date: '2025-01-01' });
  assert.deepEqual(
    blockers(plan)
      .map((f) => `${f.rule}:${f.cluster}`)
      .sort(),
    ['downgrade:new', 'no-state:gone'],
  );
  assert.ok(plan.findings.some((f) => f.rule === 'not-in-fleet' && f.cluster === 'stray'));
  const inconsistent: ClusterState = {
    name: 'new',
    controlPlane: '1.29.1',
    channel: 'none',
    pools: [{ name: 'p', mode: 'System', version: '1.30.1' }],
  };
  const p2 = planUpgrade({
    fleet: miniFleet([{ name: 'dev' }], [{ name: 'new', env: 'dev', version: '1.29.1' }]),
    states: [inconsistent],
    target: '1.30.1',
    versions,
    rules,
    date: '2025-01-01',
  });
  assert.deepEqual(
    blockers(p2).map((f) => f.rule),
    ['pool-newer-than-control-plane'],
  );
});

test('surge nodes: percentage rounded up, counts as is; node image steps for pools not upgraded', () => {
  const fleet = miniFleet(
    [{ name: 'dev' }],
    [
      {
        name: 'c',
        env: 'dev',
        version: '1.30.1',
        userPools: [
          { name: 'big', count: 10, maxSurge: '33%' },
          { name: 'one', count: 4, maxSurge: '1' },
          { name: 'zero', count: 2, maxSurge: '0' },
        ],
      },
    ],
  );
  const plan = planUpgrade({ fleet, states: stateFromSpec(fleet), versions, rules, date: '2025-01-01' });
  const s = Object.fromEntries(plan.surge.map((r) => [r.pool, r.surgeNodes]));
  assert.deepEqual(s, { system: 1, big: 4, one: 1, zero: 0 });
  assert.ok(plan.findings.some((f) => f.rule === 'surge-zero' && f.pool === 'zero'));
  // Already on the spec version: only node images rotate.
  assert.deepEqual(
    plan.steps.map((x) => `${x.kind}:${x.pool}:${x.surgeNodes}`),
    ['node-image:system:1', 'node-image:big:4', 'node-image:one:1', 'node-image:zero:0'],
  );
});

test('PodDisruptionBudgets that block drains are blockers before the first step', () => {
  const fleet = miniFleet([{ name: 'dev' }], [{ name: 'c', env: 'dev', version: '1.29.1' }]);
  const dep = (name: string, replicas: number) => ({
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'app' },
      spec: { replicas, template: { metadata: { labels: { app: name } } } },
    },
  });
  const pdb = (name: string, spec: Record<string, unknown>) => ({
    object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'app' }, spec },
    origin: { file: `apps/${name}-pdb.yaml`, line: 1 },
  });
  const workloads = {
    c: [
      dep('api', 3),
      dep('web', 3),
      dep('db', 1),
      pdb('api', { maxUnavailable: 0, selector: { matchLabels: { app: 'api' } } }),
      pdb('web', { minAvailable: 3, selector: { matchLabels: { app: 'web' } } }),
      pdb('db', { minAvailable: '100%', selector: { matchLabels: { app: 'db' } } }),
      pdb('ok', { minAvailable: 2, selector: { matchLabels: { app: 'api' } } }),
      pdb('ok2', { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } }),
    ],
  };
  const plan = planUpgrade({
    fleet,
    states: stateFromSpec(fleet),
    target: '1.30.1',
    versions,
    rules,
    date: '2025-01-01',
    workloads,
  });
  const b = blockers(plan);
  assert.deepEqual(
    b.map((f) => f.resource),
    ['PodDisruptionBudget/app/api', 'PodDisruptionBudget/app/web', 'PodDisruptionBudget/app/db'],
  );
  assert.equal(b[0]!.file, 'apps/api-pdb.yaml');
});

test('PDB selectors (policy/v1): none selects no pod, {} every pod of the namespace', () => {
  const fleet = miniFleet([{ name: 'dev' }], [{ name: 'c', env: 'dev', version: '1.29.1' }]);
  const object = (kind: string, name: string, spec: Record<string, unknown>) => ({
    object: {
      apiVersion: kind === 'Deployment' ? 'apps/v1' : 'policy/v1',
      kind,
      metadata: { name, namespace: 'app' },
      spec,
    },
  });
  const api = object('Deployment', 'api', { replicas: 2, template: { metadata: { labels: { app: 'api' } } } });
  const blocking = (pdb: Record<string, unknown>) =>
    blockers(
      planUpgrade({
        fleet,
        states: stateFromSpec(fleet),
        target: '1.30.1',
        versions,
        rules,
        date: '2025-01-01',
        workloads: { c: [api, object('PodDisruptionBudget', 'p', { minAvailable: 2, ...pdb })] },
      }),
    ).map((f) => f.resource);
  assert.deepEqual(blocking({}), [], 'no selector: no pod, nothing to block');
  assert.deepEqual(blocking({ selector: {} }), ['PodDisruptionBudget/app/p']);
  assert.deepEqual(blocking({ selector: { matchLabels: { app: 'api' } } }), ['PodDisruptionBudget/app/p']);
  assert.deepEqual(blocking({ selector: { matchLabels: { app: 'web' } } }), []);
});

test('resolveTarget: minor to newest known patch; unknown patch flagged; garbage refused', () => {
  assert.equal(resolveTarget('1.31', versions).version, '1.31.3');
  assert.equal(resolveTarget('1.31.9', versions).finding?.rule, 'target-patch-unknown');
  assert.throws(() => resolveTarget('latest', versions), /not a Kubernetes version/);
});

test('resolveTarget: a minor AKS does not offer (not in the version data) is refused, patch or minor', () => {
  const offered = versions.versions.map((v) => v.minor);
  for (const t of ['1.99', '1.99.1', 'v1.99', '1.2', '2.0']) {
    assert.throws(
      () => resolveTarget(t, versions),
      (e: Error) =>
        e instanceof InputError &&
        e.message ===
          `AKS does not offer Kubernetes ${t.replace(/^v/, '').split('.').slice(0, 2).join('.')} ` +
            `(the AKS version data, as of ${versions.asOf}, lists ${offered.join(', ')}); ` +
            `pick one of those minors or one of their patches`,
      t,
    );
  }
  for (const m of offered) assert.doesNotThrow(() => resolveTarget(m, versions), m);
});

test('the plan is deterministic', () => {
  const fleet = miniFleet(
    [{ name: 'dev' }, { name: 'prod' }],
    [
      { name: 'a', env: 'dev', version: '1.27.1', channel: 'rapid', userPools: [{ name: 'u', version: '1.25.1' }] },
      { name: 'b', env: 'prod', version: '1.26.1' },
    ],
  );
  const input = { fleet, states: stateFromSpec(fleet), target: '1.31', versions, rules, date: '2025-01-01' };
  assert.equal(JSON.stringify(planUpgrade(input)), JSON.stringify(planUpgrade(input)));
});

test(
  'LTS: a minor past community support is flagged unless the cluster ' +
    'has the AKSLongTermSupport plan; a fixed target is flagged once',
  () => {
    const data = syntheticVersions();
    const withLts = {
      ...data,
      versions: data.versions.map((v) => (v.minor === '1.27' ? { ...v, lts: true, ltsEndOfLife: '2030-01-01' } : v)),
    };
    const fleet = miniFleet(
      [{ name: 'dev' }],
      [
        { name: 'a', env: 'dev', version: '1.27.1' },
        { name: 'b', env: 'dev', version: '1.27.1' },
      ],
    );
    const [a, b] = stateFromSpec(fleet);
    const states = [{ ...a!, supportPlan: 'AKSLongTermSupport' }, b!];
    const plan = planUpgrade({ fleet, states, target: '1.27.3', versions: withLts, rules, date: '2025-01-01' });
    const flagged = plan.findings.filter((f) => f.rule === 'version-outside-support');
    assert.deepEqual([...new Set(flagged.map((f) => f.cluster ?? '(plan)'))].sort(), ['(plan)', 'b']);
    assert.equal(flagged.filter((f) => f.message.startsWith('target')).length, 1);
    assert.match(flagged.find((f) => f.cluster === 'b')!.message, /Long Term Support/);
    assert.ok(plan.findings.some((f) => f.rule === 'pdb-not-checked'));
  },
);

test('az script: names with shell metacharacters are quoted; shellcheck accepts the script', async (t) => {
  const { renderAzScript, shq } = await import('./render-az.js');
  assert.equal(shq('rg-prod'), 'rg-prod');
  assert.equal(shq('rg(prod).x'), "'rg(prod).x'");
  assert.equal(shq("it's"), `'it'\\''s'`);
  const fleet = miniFleet(
    [{ name: 'dev' }, { name: 'prod' }],
    [
      { name: 'a_b', env: 'dev', version: '1.28.1', channel: 'rapid' },
      { name: 'c', env: 'prod', version: '1.29.1' },
    ],
  );
  const states = stateFromSpec(fleet).map((s) => ({ ...s, resourceGroup: "rg (it's).prod" }));
  const script = renderAzScript(planUpgrade({ fleet, states, target: '1.30', versions, rules, date: '2025-01-01' }));
  assert.match(script, /--resource-group 'rg \(it'\\''s\)\.prod'/);
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(mkdtempSync(join(tmpdir(), 'aksfleet-sh-')), 'plan.sh');
  writeFileSync(file, script);
  assert.equal(spawnSync('bash', ['-n', file]).status, 0);
  if (spawnSync('sh', ['-c', 'command -v shellcheck']).status !== 0) return t.skip('shellcheck not installed');
  const sc = spawnSync('shellcheck', [file], { encoding: 'utf8' });
  assert.equal(sc.status, 0, sc.stdout);
});

test('az script of a plan with blockers refuses to run unless AKSFLEET_IGNORE_BLOCKERS=1', async () => {
  const { renderAzScript } = await import('./render-az.js');
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const fleet = miniFleet(
    [{ name: 'dev' }],
    [
      { name: 'down', env: 'dev', version: '1.31.1' },
      { name: 'up', env: 'dev', version: '1.29.1' },
    ],
  );
  const script = renderAzScript(
    planUpgrade({ fleet, states: stateFromSpec(fleet), target: '1.30.1', versions, rules, date: '2025-01-01' }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-blk-'));
  writeFileSync(join(dir, 'az'), '#!/bin/sh\necho "$*" >> "$AZ_LOG"\n', { mode: 0o755 });
  writeFileSync(join(dir, 'plan.sh'), script);
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, AZ_LOG: join(dir, 'log') };
  const r = spawnSync('bash', [join(dir, 'plan.sh')], { env, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /this plan has 1 blocker/);
  assert.ok(!existsSync(join(dir, 'log')), 'no az command ran');
  const forced = spawnSync('bash', [join(dir, 'plan.sh')], {
    env: { ...env, AKSFLEET_IGNORE_BLOCKERS: '1' },
    encoding: 'utf8',
  });
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(existsSync(join(dir, 'log')));
});
