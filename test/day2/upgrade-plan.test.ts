/**
 * `aksfleet upgrade plan` end to end: the example fleet with a recorded-shape state file,
 * every format; the az script checked by shellcheck; the Fleet Manager output checked against
 * the REST specification's examples; PodDisruptionBudgets found through the Flux build.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadUpgradeRules, parseStateFile, simulate, type Plan } from '../../src/day2/upgrade/index.js';
import { latestPatch } from '../../src/facts/aks-versions.js';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const fleet = join(root, 'examples/fleet.yaml');
const state = join(root, 'test/day2/fixtures/state-mixed.json');
// The newest patches the version data knows (the expectations follow the data file).
const P30 = latestPatch('1.30')!;
const P29 = latestPatch('1.29')!;
const P28 = latestPatch('1.28') ?? '1.28'; // not in the data: the minor alias
const esc = (v: string) => v.replace(/\./g, '\\.');
const base = ['upgrade', 'plan', '-f', fleet, '--state', state, '--to', '1.30', '--date', '2026-11-25'];

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

test('json: mixed fleet to 1.30, every rule holds at every step (simulator over the recorded-shape state)', async () => {
  const r = await run([...base, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out) as Plan;
  assert.equal(plan.target, P30);
  const states = parseStateFile(readFileSync(state, 'utf8'), state);
  const targets = new Map(states.map((s) => [s.name, plan.target!]));
  assert.deepEqual(simulate(plan, states, loadUpgradeRules(), targets), []);
  // Every step has cluster, kind, from, to, ring; pool steps a pool.
  for (const s of plan.steps) {
    assert.ok('cluster' in s && s.kind && s.ring);
    if (s.kind === 'node-pool' || s.kind === 'node-image') assert.ok(s.pool);
    if (s.kind !== 'soak' && s.kind !== 'gate') assert.ok(s.from !== undefined && s.to !== undefined);
  }
  // The prod user pool on 1.26 is upgraded between the control plane's 1.29 and 1.30 hops.
  const prod = plan.steps.filter((s) => s.cluster === 'aks-prod').map((s) => `${s.kind}:${s.pool ?? ''}:${s.to}`);
  assert.deepEqual(prod, [
    'channel::none',
    `control-plane::${P28}`,
    `control-plane::${P29}`,
    `node-pool:userpool:${P29}`,
    `control-plane::${P30}`,
    `node-pool:system:${P30}`,
    `node-pool:userpool:${P30}`,
    'channel::stable',
  ]);
  // Rings in order: dev steps, then qa, then prod.
  const rings = plan.steps.map((s) => s.ring).filter((x, i, a) => a.indexOf(x) === i);
  assert.deepEqual(rings, ['dev', 'qa', 'prod']);
  assert.ok(
    plan.findings.some(
      (f) => f.rule === 'version-outside-support' && f.cluster === 'aks-prod' && f.pool === 'userpool',
    ),
  );
});

test('same input, byte-identical output (every format)', async () => {
  for (const format of ['json', 'markdown', 'az', 'fleet']) {
    const a = await run([...base, '--format', format]);
    const b = await run([...base, '--format', format]);
    assert.equal(a.out, b.out, format);
  }
});

test('az: a bash script with set -euo pipefail that shellcheck accepts', async (t) => {
  const r = await run([...base, '--format', 'az']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^#!\/usr\/bin\/env bash\n/);
  assert.match(r.out, /\nset -euo pipefail\n/);
  assert.match(
    r.out,
    new RegExp(
      `az aks upgrade --resource-group rg-aks-prod --subscription 11111111-2222-3333-4444-555555555555 ` +
        `--name aks-prod --control-plane-only --kubernetes-version ${esc(P29)} --yes`,
    ),
  );
  assert.match(
    r.out,
    new RegExp(
      `az aks nodepool upgrade --resource-group rg-aks-prod .* ` +
        `--cluster-name aks-prod --name userpool --kubernetes-version ${esc(P29)} --yes`,
    ),
  );
  assert.match(r.out, /az aks update --resource-group rg-aks-qa .* --name aks-qa --auto-upgrade-channel none/);
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-az-'));
  const file = join(dir, 'plan.sh');
  writeFileSync(file, r.out);
  assert.equal(spawnSync('bash', ['-n', file]).status, 0, 'bash -n');
  if (!has('shellcheck')) return t.skip('shellcheck not installed');
  const sc = spawnSync('shellcheck', ['--severity=style', file], { encoding: 'utf8' });
  assert.equal(sc.status, 0, sc.stdout);
});

test('az: the script stops at the first soak and resumes with AKSFLEET_FROM_STEP (az stubbed)', async (t) => {
  const r = await run([...base, '--format', 'az']);
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-az-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/az'), '#!/bin/sh\necho "az $*" >> "$AZ_LOG"\n', { mode: 0o755 });
  writeFileSync(join(dir, 'plan.sh'), r.out);
  const env = { ...process.env, PATH: `${dir}/bin:${process.env.PATH}`, AZ_LOG: join(dir, 'log') };
  const first = spawnSync('bash', [join(dir, 'plan.sh')], { env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const log1 = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
  assert.equal(log1.length, 4, 'dev: two control plane hops and two pools, then the soak stops the script');
  assert.match(first.stderr, /Resume with AKSFLEET_FROM_STEP=6/);
  const second = spawnSync('bash', [join(dir, 'plan.sh')], {
    env: { ...env, AKSFLEET_FROM_STEP: '7' },
    encoding: 'utf8',
  });
  assert.equal(second.status, 0);
  const log2 = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').slice(4);
  assert.match(log2[0]!, /^az aks update .* --name aks-qa --auto-upgrade-channel none$/);
  void t;
});

/** Every key of `actual` must exist at the same place in `example` (arrays: against the first element). */
function shapeProblems(actual: unknown, example: unknown, path = ''): string[] {
  if (Array.isArray(actual)) {
    if (!Array.isArray(example)) return [`${path}: array where the example has ${typeof example}`];
    return actual.flatMap((a, i) => shapeProblems(a, example[0], `${path}[${i}]`));
  }
  if (actual && typeof actual === 'object') {
    if (!example || typeof example !== 'object' || Array.isArray(example))
      return [`${path}: object where the example has ${JSON.stringify(example)}`];
    return Object.entries(actual).flatMap(([k, v]) =>
      k in example
        ? shapeProblems(v, (example as Record<string, unknown>)[k], `${path}.${k}`)
        : [`${path}.${k}: not in the example`],
    );
  }
  if (typeof actual !== typeof example) return [`${path}: ${typeof actual} where the example has ${typeof example}`];
  return [];
}

test('fleet: update strategy and update runs have the shapes of the REST specification examples (2025-03-01)', async () => {
  const strategyEx = JSON.parse(
    readFileSync(join(root, 'data/azure-examples/UpdateStrategies_CreateOrUpdate.2025-03-01.json'), 'utf8'),
  );
  const runEx = JSON.parse(
    readFileSync(join(root, 'data/azure-examples/UpdateRuns_CreateOrUpdate.2025-03-01.json'), 'utf8'),
  );
  const memberEx = JSON.parse(
    readFileSync(join(root, 'data/azure-examples/FleetMembers_Update.2025-03-01.json'), 'utf8'),
  );
  for (const args of [base, ['upgrade', 'plan', '-f', fleet, '--to', '1.36', '--date', '2026-11-25']]) {
    const r = await run([...args, '--format', 'fleet']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as {
      apiVersion: string;
      members: { name: string; properties: { group: string } }[];
      updateStrategy: { properties: unknown };
      updateRuns: {
        name: string;
        properties: {
          managedClusterUpdate: { upgrade: { type: string; kubernetesVersion?: string } };
          strategy: { stages: { name: string }[] };
        };
      }[];
    };
    assert.equal(out.apiVersion, strategyEx.parameters['api-version']);
    assert.deepEqual(shapeProblems(out.updateStrategy.properties, strategyEx.parameters.resource.properties), []);
    for (const m of out.members)
      assert.deepEqual(shapeProblems(m.properties, memberEx.responses['200'].body.properties), [], m.name);
    // Every group a stage names is the group of a member.
    const groups = new Set(out.members.map((m) => m.properties.group));
    for (const u of out.updateRuns)
      for (const st of u.properties.strategy.stages as unknown as { groups: { name: string }[] }[])
        for (const g of st.groups) assert.ok(groups.has(g.name), g.name);
    // Runs carry their own strategy (no updateStrategyId): everything else as in the example request.
    for (const u of out.updateRuns) {
      assert.deepEqual(shapeProblems(u.properties, runEx.parameters.resource.properties), [], u.name);
      assert.ok(['Full', 'ControlPlaneOnly', 'NodeImageOnly'].includes(u.properties.managedClusterUpdate.upgrade.type));
      assert.equal(
        u.properties.managedClusterUpdate.upgrade.type === 'NodeImageOnly',
        u.properties.managedClusterUpdate.upgrade.kubernetesVersion === undefined,
      );
    }
    const stages = out.updateRuns.map((u) => u.properties.strategy.stages.map((s) => s.name).join('>'));
    if (args === base) {
      // Several hops: per-ring runs, dev first, prod last.
      assert.deepEqual(stages, ['dev', 'dev', 'qa', 'prod', 'prod', 'prod']);
      assert.deepEqual(
        out.updateRuns.map((u) => u.properties.managedClusterUpdate.upgrade.type),
        ['ControlPlaneOnly', 'Full', 'Full', 'ControlPlaneOnly', 'ControlPlaneOnly', 'Full'],
      );
    } else {
      // One hop everywhere: one run through the rings in order, soaks as stage waits.
      assert.deepEqual(stages, ['dev>qa>prod']);
      const st = (out.updateRuns[0]!.properties.strategy.stages as { afterStageWaitInSeconds?: number }[]).map(
        (s) => s.afterStageWaitInSeconds,
      );
      assert.deepEqual(st, [86400, 172800, undefined]);
    }
  }
});

test('markdown: blockers and flags before the first step, surge table, commands', async () => {
  const r = await run(base);
  assert.equal(r.code, 0);
  const before = r.out.indexOf('## Before the first step');
  const steps = r.out.indexOf('## Steps');
  assert.ok(before > 0 && steps > before);
  assert.match(r.out.slice(before, steps), /version-outside-support/);
  assert.match(r.out, /\| aks-prod \| userpool \| 5 \| 33% \| state \| 2 \|/);
  assert.match(
    r.out,
    /6\. Gate: dev clusters .*\n\n {3}```sh\n {3}az aks show --resource-group rg-aks-dev --name aks-dev --query .*# expect .*, Succeeded\n {3}kubectl --context aks-dev get nodes/,
  );
  assert.match(r.out, /```promql\n {3}ALERTS\{alertstate="firing", severity="page"\}\n/);
  assert.match(r.out, new RegExp(`17\\. aks-prod/userpool: node pool 1\\.26\\.12 -> ${esc(P29)}`));
});

test('PodDisruptionBudgets in the rendered repo that block drains: exit 1, listed before the first step', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'aksfleet-repo-'));
  mkdirSync(join(repo, 'clusters/aks-dev'), { recursive: true });
  writeFileSync(
    join(repo, 'clusters/aks-dev/kustomization.yaml'),
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n',
  );
  writeFileSync(
    join(repo, 'clusters/aks-dev/app.yaml'),
    [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: app}\n' +
        'spec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n' +
        '    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: x}]}',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: app}\n' +
        'spec:\n  minAvailable: 2\n  selector: {matchLabels: {app: api}}',
    ].join('\n---\n'),
  );
  const r = await run([...base, '--repo', repo]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /1 blocker: pdb-blocks-drain \(aks-dev\)/);
  const md = r.out;
  assert.ok(md.indexOf('pdb-blocks-drain') < md.indexOf('## Steps'));
  assert.match(md, /PodDisruptionBudget\/app\/api has minAvailable: 2 .* run 2 replicas/);
  assert.match(md, /pdb-check-skipped.* aks-qa/);
});

test('bad input: exit 2 with file:line:col and field path; unknown format; both --state and --live', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-state-'));
  const bad = join(dir, 'state.json');
  writeFileSync(
    bad,
    '[\n  {\n    "name": "aks-dev",\n    "currentKubernetesVersion": "latest",\n    "agentPoolProfiles": []\n  }\n]\n',
  );
  const r = await run(['upgrade', 'plan', '-f', fleet, '--state', bad]);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /state\.json:4:33: \[0\]\.currentKubernetesVersion: expected a Kubernetes version like 1\.30\.4, got "latest"/,
  );
  assert.doesNotMatch(r.err, /\n\s+at /);
  const missing = await run(['upgrade', 'plan', '-f', fleet, '--state', join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /state file not found/);
  assert.equal((await run(['upgrade', 'plan', '-f', fleet, '--format', 'yaml'])).code, 2);
  assert.equal((await run(['upgrade', 'plan', '-f', fleet, '--state', bad, '--live'])).code, 2);
  assert.equal((await run(['upgrade', 'plan', '-f', fleet, '--to', 'latest'])).code, 2);
});

test('--to a version AKS does not offer: exit 2 naming the minors it offers, no plan printed', async () => {
  const { aksVersions } = await import('../../src/facts/aks-versions.js');
  const offered = aksVersions().versions.map((v) => v.minor);
  for (const to of ['1.99', '1.99.0', '1.12']) {
    const r = await run(['upgrade', 'plan', '-f', fleet, '--to', to, '--date', '2026-11-25']);
    assert.equal(r.code, 2, to);
    assert.equal(r.out, '', `${to}: no plan`);
    assert.equal(
      r.err,
      `error: --to: AKS does not offer Kubernetes ${to.split('.').slice(0, 2).join('.')} (the AKS version data, ` +
        `as of ${aksVersions().asOf}, lists ${offered.join(', ')}); ` +
        `pick one of those minors or one of their patches\n`,
    );
  }
  const newest = offered.at(-1)!;
  assert.notEqual(
    (await run(['upgrade', 'plan', '-f', fleet, '--to', newest, '--date', '2026-11-25'])).code,
    2,
    `${newest} is offered`,
  );
});

test('recorded API examples parse as state: REST shape (properties) and the az CLI shape', () => {
  const rest = JSON.parse(readFileSync(join(root, 'data/azure-examples/ManagedClustersGet.2024-05-01.json'), 'utf8'))
    .responses['200'].body;
  const [c] = parseStateFile(JSON.stringify([rest]), 'ManagedClustersGet.json');
  assert.deepEqual(
    { name: c!.name, cp: c!.controlPlane, rg: c!.resourceGroup, pools: c!.pools },
    {
      name: 'clustername1',
      cp: '1.9.6',
      rg: 'rg1',
      pools: [
        {
          name: 'nodepool1',
          mode: 'User',
          version: '1.9.6',
          nodeImageVersion: 'AKSUbuntu:1604:2020.03.11',
          count: 3,
          maxSurge: '33%',
        },
      ],
    },
  );
  const cliText = readFileSync(join(root, 'data/azure-examples/az-aks-create-output.recordingbot.json'), 'utf8');
  const [d] = parseStateFile(cliText, 'az.json');
  // kubernetesVersion is the alias 1.28; currentKubernetesVersion the running patch.
  assert.equal(d!.controlPlane, '1.28.5');
  assert.equal(d!.channel, 'none');
  assert.equal(d!.nodeOsChannel, 'NodeImage');
  assert.equal(d!.resourceGroup, 'recordingbottutorial');
  assert.deepEqual(
    d!.pools.map((p) => [p.name, p.mode, p.version, p.maxSurge]),
    [['nodepool1', 'System', '1.28.5', '10%']],
  );
});
