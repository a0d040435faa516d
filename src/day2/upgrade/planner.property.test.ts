/** Property tests: planner + simulator over random fleets, states and targets (fast-check). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { planUpgrade } from './planner.js';
import { loadUpgradeRules } from './rules.js';
import { simulate } from './simulate.js';
import { miniFleet, syntheticVersions, type MiniCluster } from './testing/fixtures.js';
import type { ClusterState } from './types.js';
import { cmpVersion, minorNum } from './versions.js';

const rules = loadUpgradeRules();
const versions = syntheticVersions(18, 36);
const ENVS = ['dev', 'qa', 'prod'];
const CHANNELS = ['none', 'patch', 'stable', 'rapid', 'node-image'] as const;

const clusterArb = (i: number) =>
  fc
    .record({
      env: fc.integer({ min: 0, max: 2 }),
      minor: fc.integer({ min: 20, max: 33 }),
      patch: fc.integer({ min: 1, max: 3 }),
      channel: fc.constantFrom(...CHANNELS),
      // Pool lag in minors behind the control plane; up to 2 beyond the limit (out-of-support states happen).
      pools: fc.array(
        fc.record({
          lag: fc.integer({ min: 0, max: 5 }),
          patch: fc.integer({ min: 1, max: 3 }),
          count: fc.integer({ min: 0, max: 50 }),
        }),
        { maxLength: 3 },
      ),
      systemLag: fc.integer({ min: 0, max: 4 }),
    })
    .map((r) => ({ ...r, name: `c${i}` }));

const scenario = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => clusterArb(i))),
      fc.integer({ min: 20, max: 36 }),
      fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(0)),
    ),
  );

test('planner + simulator: every rule holds after every step, every planned cluster ends on target', () => {
  let planned = 0;
  let steps = 0;
  fc.assert(
    fc.property(scenario, ([clusters, tMinor, tPatch]) => {
      const usedEnvs = ENVS;
      const mini: MiniCluster[] = clusters.map((c) => ({
        name: c.name,
        env: usedEnvs[c.env]!,
        version: `1.${c.minor}.${c.patch}`,
        channel: c.channel,
      }));
      const fleet = miniFleet(
        usedEnvs.map((name) => ({ name, soak: '1h' })),
        mini,
      );
      const states: ClusterState[] = clusters.map((c) => {
        const cp = `1.${c.minor}.${c.patch}`;
        const poolVersion = (lag: number, patch: number) => {
          const v = `1.${c.minor - lag}.${patch}`;
          return cmpVersion(v, cp) > 0 ? cp : v;
        };
        return {
          name: c.name,
          controlPlane: cp,
          channel: c.channel,
          pools: [
            { name: 'system', mode: 'System' as const, version: poolVersion(c.systemLag, c.patch), count: 3 },
            ...c.pools.map((p, j) => ({
              name: `user${j}`,
              mode: 'User' as const,
              version: poolVersion(p.lag, p.patch),
              count: p.count,
              maxSurge: '33%',
            })),
          ],
        };
      });
      const target = tPatch === 0 ? `1.${tMinor}` : `1.${tMinor}.${tPatch}`;
      const plan = planUpgrade({ fleet, states, target, versions, rules, date: '2025-06-01' });
      const blocked = new Set(plan.findings.filter((f) => f.severity === 'error').map((f) => f.cluster));
      const targets = new Map<string, string>();
      for (const s of states) if (!blocked.has(s.name)) targets.set(s.name, plan.target!);
      const violations = simulate(plan, states, rules, targets);
      assert.deepEqual(violations, [], JSON.stringify({ states, target, steps: plan.steps }, null, 1));
      // Blocked clusters are exactly the downgrades, and they get no steps.
      for (const s of states) {
        const down = cmpVersion(s.controlPlane, plan.target!) > 0;
        assert.equal(blocked.has(s.name), down);
        if (down) assert.ok(!plan.steps.some((x) => x.cluster === s.name));
      }
      // Control plane steps per cluster: exactly one per minor crossed (plus one for a patch-only change).
      for (const s of states) {
        if (blocked.has(s.name)) continue;
        const cps = plan.steps.filter((x) => x.cluster === s.name && x.kind === 'control-plane').length;
        const crossed = minorNum(plan.target!) - minorNum(s.controlPlane);
        assert.equal(cps, crossed > 0 ? crossed : cmpVersion(plan.target!, s.controlPlane) > 0 ? 1 : 0);
        // Pools are upgraded lazily: at most one early fix, one forced step per skew window, one final step.
        const poolSteps = plan.steps.filter((x) => x.cluster === s.name && x.kind === 'node-pool');
        const narrowest = Math.min(...rules.nodePools.maxMinorsBehindControlPlane.map((e) => e.minors));
        for (const p of s.pools) {
          const n = poolSteps.filter((x) => x.pool === p.name).length;
          assert.ok(
            n <= 2 + Math.ceil(Math.max(0, crossed) / narrowest),
            `${s.name}/${p.name}: ${n} pool steps for ${crossed} minors`,
          );
        }
      }
      planned += targets.size;
      steps += plan.steps.length;
    }),
    { numRuns: 400, seed: 20261125 },
  );
  assert.ok(
    planned > 400 && steps > 2000,
    `the generator produced too little work: ${planned} clusters, ${steps} steps`,
  );
});

test('planning is deterministic over random input', () => {
  fc.assert(
    fc.property(scenario, ([clusters, tMinor]) => {
      const fleet = miniFleet(
        ENVS.map((name) => ({ name })),
        clusters.map((c) => ({
          name: c.name,
          env: ENVS[c.env]!,
          version: `1.${c.minor}.${c.patch}`,
          channel: c.channel,
        })),
      );
      const states = clusters.map((c) => ({
        name: c.name,
        controlPlane: `1.${c.minor}.${c.patch}`,
        channel: c.channel,
        pools: [{ name: 'system', mode: 'System' as const, version: `1.${c.minor}.${c.patch}` }],
      }));
      const a = planUpgrade({ fleet, states, target: `1.${tMinor}`, versions, rules, date: '2025-06-01' });
      const b = planUpgrade({
        fleet,
        states: structuredClone(states),
        target: `1.${tMinor}`,
        versions,
        rules,
        date: '2025-06-01',
      });
      assert.equal(JSON.stringify(a), JSON.stringify(b));
    }),
    { numRuns: 100, seed: 7 },
  );
});
