/**
 * The simulator: replays a plan over the state it was made from and checks the AKS rules after
 * every step, independently of how the planner reasoned. A violation names the step.
 *
 * Checked per step: the step starts from the version the cluster is at; no control plane step
 * skips a minor or goes down; no control plane step while an auto-upgrade channel that blocks
 * `--control-plane-only` is on; no pool newer than the control plane; no pool further behind than
 * the skew limit (a step may not create a violation that was not there before it); rings run in
 * environment order, each closed by a soak and a gate before the next starts. At the end: every
 * planned cluster and pool is on its target and every channel is back to what it was.
 */
import type { ClusterState, Plan, Step, UpgradeRules } from './types.js';
import { cmpVersion, maxSkew, minorNum } from './versions.js';

export interface Violation {
  readonly step: number | null;
  readonly cluster: string | null;
  readonly rule: string;
  readonly message: string;
}

interface Sim {
  cp: string;
  channel: string;
  pools: Map<string, string>;
}

function invariantViolations(name: string, s: Sim, rules: UpgradeRules): string[] {
  const out: string[] = [];
  const limit = maxSkew(rules, s.cp);
  for (const [pool, v] of s.pools) {
    if (!rules.nodePools.mayBeNewerThanControlPlane && cmpVersion(v, s.cp) > 0)
      out.push(`pool-newer:${pool}:node pool ${pool} (${v}) is newer than the control plane (${s.cp}) of ${name}`);
    if (minorNum(s.cp) - minorNum(v) > limit)
      out.push(
        `pool-skew:${pool}:node pool ${pool} (${v}) is ${minorNum(s.cp) - minorNum(v)} ` +
          `minors behind the control plane (${s.cp}) of ${name}; the limit is ${limit}`,
      );
  }
  return out;
}

/**
 * Replays `plan` over `states`. `targets` gives the expected end version per cluster (planned
 * clusters only); omit it to skip the end-state check.
 */
export function simulate(
  plan: Plan,
  states: readonly ClusterState[],
  rules: UpgradeRules,
  targets?: ReadonlyMap<string, string>,
): Violation[] {
  const v: Violation[] = [];
  const sims = new Map<string, Sim>(
    states.map((s) => [
      s.name,
      { cp: s.controlPlane, channel: s.channel, pools: new Map(s.pools.map((p) => [p.name, p.version])) },
    ]),
  );
  const ringOrder = plan.rings.map((r) => r.name);
  let ringIdx = 0;
  let soaked = false;
  let gated = false;
  let ringHadSteps = false;
  const add = (step: Step | null, rule: string, message: string) =>
    v.push({ step: step?.n ?? null, cluster: step?.cluster ?? null, rule, message });

  plan.steps.forEach((step, i) => {
    if (step.n !== i + 1) add(step, 'step-numbering', `step ${i + 1} is numbered ${step.n}`);
    const r = ringOrder.indexOf(step.ring);
    if (r < 0) add(step, 'unknown-ring', `ring ${step.ring} is not an environment of the plan`);
    else if (r < ringIdx) add(step, 'ring-order', `step of ring ${step.ring} after ring ${ringOrder[ringIdx]} started`);
    else if (r > ringIdx) {
      if (ringHadSteps && (!soaked || !gated))
        add(step, 'gate-missing', `ring ${step.ring} starts before ring ${ringOrder[ringIdx]} was soaked and gated`);
      ringIdx = r;
      soaked = false;
      gated = false;
      ringHadSteps = false;
    }
    if (step.kind === 'soak') {
      soaked = true;
      return;
    }
    if (step.kind === 'gate') {
      if (!soaked) add(step, 'gate-before-soak', `the gate of ring ${step.ring} comes before its soak`);
      gated = true;
      return;
    }
    ringHadSteps = true;
    if (soaked || gated)
      add(step, 'step-after-gate', `a ${step.kind} step of ring ${step.ring} comes after the ring was soaked or gated`);
    const name = step.cluster;
    const sim = name ? sims.get(name) : undefined;
    if (!name || !sim) {
      add(step, 'unknown-cluster', `step on unknown cluster ${String(name)}`);
      return;
    }
    const before = new Set(invariantViolations(name, sim, rules));
    switch (step.kind) {
      case 'channel':
        if (step.from !== sim.channel)
          add(step, 'stale-from', `channel step from '${step.from}' but ${name} is on '${sim.channel}'`);
        sim.channel = step.to ?? sim.channel;
        break;
      case 'control-plane': {
        const to = step.to!;
        if (step.from !== sim.cp)
          add(step, 'stale-from', `control plane step from ${step.from} but ${name} runs ${sim.cp}`);
        if (rules.autoUpgrade.channelsBlockingControlPlaneOnly.includes(sim.channel))
          add(
            step,
            'channel-conflict',
            `control-plane-only upgrade of ${name} while auto-upgrade ` +
              `channel '${sim.channel}' is on (${rules.autoUpgrade.errorCode})`,
          );
        if (cmpVersion(to, sim.cp) < 0) add(step, 'downgrade', `control plane of ${name} from ${sim.cp} down to ${to}`);
        if (minorNum(to) - minorNum(sim.cp) > rules.controlPlane.maxMinorsPerUpgrade)
          add(step, 'minor-skipped', `control plane of ${name} from ${sim.cp} to ${to} skips a minor`);
        sim.cp = to;
        break;
      }
      case 'node-pool': {
        const cur = sim.pools.get(step.pool ?? '');
        if (cur === undefined) {
          add(step, 'unknown-pool', `${name} has no node pool ${String(step.pool)}`);
          break;
        }
        if (step.from !== cur)
          add(step, 'stale-from', `pool step from ${step.from} but ${name}/${step.pool} runs ${cur}`);
        if (cmpVersion(step.to!, cur) < 0)
          add(step, 'downgrade', `node pool ${name}/${step.pool} from ${cur} down to ${step.to}`);
        if (!rules.nodePools.maySkipMinorsUpToControlPlane && minorNum(step.to!) - minorNum(cur) > 1)
          add(step, 'minor-skipped', `node pool ${name}/${step.pool} skips a minor`);
        sim.pools.set(step.pool!, step.to!);
        break;
      }
      case 'node-image':
        if (!sim.pools.has(step.pool ?? '')) add(step, 'unknown-pool', `${name} has no node pool ${String(step.pool)}`);
        break;
    }
    for (const inv of invariantViolations(name, sim, rules)) {
      if (before.has(inv)) continue;
      const [rule, , ...msg] = inv.split(':');
      add(step, rule!, `after step ${step.n}: ${msg.join(':')}`);
    }
  });

  const original = new Map(states.map((s) => [s.name, s.channel]));
  for (const [name, sim] of sims) {
    if (sim.channel !== original.get(name))
      add(
        null,
        'channel-not-restored',
        `${name} ends on auto-upgrade channel '${sim.channel}', not '${original.get(name)}'`,
      );
    const t = targets?.get(name);
    if (t === undefined) continue;
    for (const inv of invariantViolations(name, sim, rules))
      add(null, inv.split(':')[0]!, `end state: ${inv.split(':').slice(2).join(':')}`);
    if (cmpVersion(sim.cp, t) !== 0) add(null, 'target-missed', `${name} control plane ends on ${sim.cp}, not ${t}`);
    for (const [pool, pv] of sim.pools)
      if (cmpVersion(pv, t) !== 0) add(null, 'target-missed', `${name}/${pool} ends on ${pv}, not ${t}`);
  }
  return v;
}
