/**
 * The fleet upgrade planner: a pure function of (state, fleet, target, version data, rules,
 * date, rendered objects) to a plan. No I/O, no clock.
 *
 * AKS rules applied (facts from data/aks-upgrade-rules.json, versions from data/aks-versions.json):
 * - rings in environment order, each closed by a soak (the environment's soak time) and a gate;
 * - per cluster the control plane first, one minor at a time (never a skipped minor);
 * - node pools never newer than the control plane and never more minors behind it than the skew
 *   limit at any point: a pool that would fall too far behind is upgraded to the control plane's
 *   version between control plane hops; every pool ends on the target;
 * - node images last (pools whose Kubernetes version was upgraded got the latest image with it);
 * - a cluster auto-upgrade channel that makes `--control-plane-only` fail is set to `none` first
 *   and restored after the cluster's last step;
 * - versions outside AKS support (N-2; N-3 is platform support) are flagged, and planned anyway;
 * - surge capacity per pool; PodDisruptionBudgets that would block drains are blockers.
 */
import { InputError } from '../../errors.js';
import type { AksVersionsData } from '../../facts/aks-versions.js';
import type { Resource } from '../../resources/resource.js';
import type { Fleet } from '../../spec/schema.js';
import { shq } from '../shell.js';
import { drainBlockers } from './pdb.js';
import { surgeNodes } from './surge.js';
import type { ClusterState, Finding, Plan, PoolState, Step, SurgeRow, UpgradeRules } from './types.js';
import {
  cmpVersion,
  describeStatus,
  isVersion,
  latestPatchOf,
  maxSkew,
  minorNum,
  minorStr,
  supportStatus,
} from './versions.js';

export interface PlanInput {
  readonly fleet: Fleet;
  /** Cluster state (from a state file, the live API, or the spec). Matched to the fleet by name. */
  readonly states: readonly ClusterState[];
  /** `1.30` (newest known patch) or `1.30.4`; undefined: each cluster's spec kubernetesVersion. */
  readonly target?: string;
  readonly versions: AksVersionsData;
  readonly rules: UpgradeRules;
  /** The day support is judged on (YYYY-MM-DD). */
  readonly date: string;
  /** Rendered objects per cluster (for the PodDisruptionBudget check). */
  readonly workloads?: Readonly<Record<string, readonly Resource[]>>;
}

type Draft = Omit<Step, 'n'>;

/** Resolves `--to`: an exact patch, or a minor (its newest known patch). */
export function resolveTarget(target: string, versions: AksVersionsData): { version: string; finding?: Finding } {
  if (!isVersion(target))
    throw new InputError(
      `${JSON.stringify(target)} is not a Kubernetes version; use a minor like 1.30 or a patch like 1.30.4`,
      { fieldPath: '--to' },
    );
  const t = target.replace(/^v/, '');
  // A minor AKS does not offer (not in the version data) is refused, not planned through invented versions.
  if (!versions.versions.some((v) => minorNum(v.minor) === minorNum(t))) {
    throw new InputError(
      `AKS does not offer Kubernetes ${minorStr(t)} (the AKS version data, as of ${versions.asOf}, ` +
        `lists ${versions.versions.map((v) => v.minor).join(', ')}); pick one of those minors or one of their ` +
        `patches`,
      { fieldPath: '--to' },
    );
  }
  if (t.split('.').length === 3) {
    const info = versions.versions.find((v) => minorNum(v.minor) === minorNum(t));
    if (info && !info.patches.includes(t))
      return {
        version: t,
        finding: {
          rule: 'target-patch-unknown',
          severity: 'warning',
          message:
            `${t} is not a patch listed in the AKS version data (known ${minorStr(t)} patches: ` +
            `${info.patches.join(', ') || 'none'})`,
          hint: "check 'az aks get-versions -l <region>' before running the plan",
        },
      };
    return { version: t };
  }
  const latest = latestPatchOf(versions, minorNum(t));
  if (latest) return { version: latest };
  return {
    version: t,
    finding: {
      rule: 'target-patch-unknown',
      severity: 'warning',
      message:
        `no ${t} patch is listed in the AKS version data; ` +
        `the plan upgrades to the minor alias ${t} (AKS picks its newest GA patch)`,
    },
  };
}

function poolOrder(pools: readonly PoolState[]): PoolState[] {
  return [...pools].sort((a, b) => (a.mode === b.mode ? 0 : a.mode === 'System' ? -1 : 1));
}

/** Steps and findings for one cluster (ring filled in by the caller). */
export function planCluster(
  state: ClusterState,
  target: string,
  ctx: {
    rules: UpgradeRules;
    versions: AksVersionsData;
    date: string;
    ring: string;
    rg?: string;
    sub?: string;
    targetFlaggedOnce?: boolean;
  },
): { steps: Draft[]; findings: Finding[] } {
  const { rules, versions, date, ring } = ctx;
  const findings: Finding[] = [];
  const steps: Draft[] = [];
  const cluster = state.name;
  const loc = { ...(ctx.rg ? { resourceGroup: ctx.rg } : {}), ...(ctx.sub ? { subscriptionId: ctx.sub } : {}) };

  // Support status of what runs now and of the target.
  const flagged = new Set<string>();
  const lts = state.supportPlan === 'AKSLongTermSupport';
  const flag = (version: string, what: string, pool?: string) => {
    const s = supportStatus(versions, rules, version, date);
    if (s === 'supported' || (s === 'lts' && lts)) return;
    const key = `${what}:${minorStr(version)}:${pool ?? ''}`;
    if (flagged.has(key)) return;
    flagged.add(key);
    findings.push({
      rule: 'version-outside-support',
      severity: 'warning',
      cluster,
      ...(pool ? { pool } : {}),
      message: `${what} ${version} is ${describeStatus(s)} on ${date}`,
    });
  };
  flag(state.controlPlane, 'control plane');
  for (const p of state.pools) flag(p.version, `node pool ${p.name}`, p.name);
  if (!ctx.targetFlaggedOnce) flag(target, 'target');

  if (cmpVersion(target, state.controlPlane) < 0) {
    findings.push({
      rule: 'downgrade',
      severity: 'error',
      cluster,
      message:
        `the control plane runs ${state.controlPlane}, ` +
        `newer than the target ${target}; AKS does not support downgrades`,
      hint: 'pick a target at or above the newest control plane',
    });
    return { steps, findings };
  }
  const newer = state.pools.filter((p) => cmpVersion(p.version, state.controlPlane) > 0);
  if (newer.length > 0) {
    for (const p of newer)
      findings.push({
        rule: 'pool-newer-than-control-plane',
        severity: 'error',
        cluster,
        pool: p.name,
        message:
          `node pool ${p.name} runs ${p.version}, newer than the control plane ${state.controlPlane}; ` +
          `the state is inconsistent, the cluster is not planned`,
      });
    return { steps, findings };
  }

  let cp = state.controlPlane;
  const pools = new Map(state.pools.map((p) => [p.name, p.version]));
  const upgraded = new Set<string>();
  const ordered = poolOrder(state.pools);

  // Pools already beyond the skew limit (possible on out-of-support clusters) are fixed first.
  for (const p of ordered) {
    const lag = minorNum(cp) - minorNum(pools.get(p.name)!);
    if (lag > maxSkew(rules, cp)) {
      findings.push({
        rule: 'pool-skew-exceeded',
        severity: 'warning',
        cluster,
        pool: p.name,
        message:
          `node pool ${p.name} runs ${p.version}, ${lag} minors behind the control ` +
          `plane ${cp} (limit ${maxSkew(rules, cp)}); it is upgraded to ${cp} first`,
      });
      steps.push({
        ring,
        cluster,
        kind: 'node-pool',
        pool: p.name,
        from: pools.get(p.name)!,
        to: cp,
        ...loc,
        reason: `back within ${maxSkew(rules, cp)} minors of the control plane`,
      });
      pools.set(p.name, cp);
      upgraded.add(p.name);
    }
  }

  // Control plane hops: every minor between, the target last.
  const hops: string[] = [];
  const tMinor = minorNum(target);
  for (let m = minorNum(cp) + 1; m <= tMinor; m++)
    hops.push(m === tMinor ? target : (latestPatchOf(versions, m) ?? `1.${m}`));
  if (hops.length === 0 && cmpVersion(target, cp) > 0) hops.push(target);
  for (const h of hops.slice(0, -1)) {
    if (!/^\d+\.\d+\.\d+$/.test(h))
      findings.push({
        rule: 'hop-patch-unknown',
        severity: 'info',
        cluster,
        message:
          `no ${h} patch is in the AKS version data; ` +
          `the intermediate hop uses the minor alias ${h} (AKS picks its newest GA patch)`,
      });
  }

  const channelOff = hops.length > 0 && rules.autoUpgrade.channelsBlockingControlPlaneOnly.includes(state.channel);
  if (channelOff) {
    findings.push({
      rule: 'auto-upgrade-channel',
      severity: 'info',
      cluster,
      message:
        `auto-upgrade channel '${state.channel}' makes 'az aks upgrade ` +
        `--control-plane-only' fail (${rules.autoUpgrade.errorCode}); ` +
        `the plan sets it to '${rules.autoUpgrade.disabledChannel}' first and restores ` +
        `'${state.channel}' after the cluster's last step`,
    });
    steps.push({
      ring,
      cluster,
      kind: 'channel',
      from: state.channel,
      to: rules.autoUpgrade.disabledChannel,
      ...loc,
      reason: 'cluster auto-upgrade blocks control-plane-only upgrades',
    });
  }

  for (const hop of hops) {
    const limit = maxSkew(rules, hop);
    for (const p of ordered) {
      const v = pools.get(p.name)!;
      if (minorNum(hop) - minorNum(v) > limit) {
        steps.push({
          ring,
          cluster,
          kind: 'node-pool',
          pool: p.name,
          from: v,
          to: cp,
          ...loc,
          reason: `would be more than ${limit} minors behind the control plane at ${hop}`,
        });
        pools.set(p.name, cp);
        upgraded.add(p.name);
      }
    }
    steps.push({
      ring,
      cluster,
      kind: 'control-plane',
      from: cp,
      to: hop,
      ...loc,
      reason: minorNum(hop) === minorNum(cp) ? 'patch upgrade' : `one minor (${minorStr(cp)} -> ${minorStr(hop)})`,
    });
    cp = hop;
  }
  for (const p of ordered) {
    const v = pools.get(p.name)!;
    if (cmpVersion(v, cp) < 0) {
      steps.push({ ring, cluster, kind: 'node-pool', pool: p.name, from: v, to: cp, ...loc, reason: 'to the target' });
      pools.set(p.name, cp);
      upgraded.add(p.name);
    }
  }
  for (const p of ordered) {
    if (upgraded.has(p.name)) continue;
    steps.push({
      ring,
      cluster,
      kind: 'node-image',
      pool: p.name,
      from: p.nodeImageVersion ?? 'current',
      to: 'latest',
      ...loc,
      reason: 'rotate the node image (pools upgraded above got the latest image with their upgrade)',
    });
  }
  if (channelOff)
    steps.push({
      ring,
      cluster,
      kind: 'channel',
      from: rules.autoUpgrade.disabledChannel,
      to: state.channel,
      ...loc,
      reason: 'restore the auto-upgrade channel',
    });
  return { steps, findings };
}

/** Builds the whole plan. */
export function planUpgrade(input: PlanInput): Plan {
  const { fleet, rules, versions, date } = input;
  const findings: Finding[] = [];
  let fixedTarget: string | undefined;
  if (input.target !== undefined) {
    const r = resolveTarget(input.target, versions);
    fixedTarget = r.version;
    if (r.finding) findings.push(r.finding);
    const st = supportStatus(versions, rules, r.version, date);
    if (st !== 'supported')
      findings.push({
        rule: 'version-outside-support',
        severity: 'warning',
        message: `target ${r.version} is ${describeStatus(st)} on ${date}`,
      });
  }
  const byName = new Map(input.states.map((s) => [s.name, s]));
  const fleetNames = new Set(fleet.spec.clusters.map((c) => c.name));
  for (const s of input.states)
    if (!fleetNames.has(s.name))
      findings.push({
        rule: 'not-in-fleet',
        severity: 'info',
        cluster: s.name,
        message: `cluster ${s.name} is in the state but not in the fleet spec; it is not planned`,
      });

  const drafts: Draft[] = [];
  const pdbUnchecked: string[] = [];
  const surge: SurgeRow[] = [];
  const rings: Plan['rings'][number][] = [];
  const envs = fleet.spec.environments;
  envs.forEach((env) => {
    const ringClusters: { name: string; from: string; to: string }[] = [];
    const ringSteps: Draft[] = [];
    for (const spec of fleet.spec.clusters.filter((c) => c.environment === env.name)) {
      const state = byName.get(spec.name);
      if (!state) {
        findings.push({
          rule: 'no-state',
          severity: 'error',
          cluster: spec.name,
          message: `no state for cluster ${spec.name}; it is not planned`,
          hint: 'add its `az aks show -o json` output to the state file',
        });
        continue;
      }
      const target = fixedTarget ?? spec.kubernetesVersion;
      ringClusters.push({ name: spec.name, from: state.controlPlane, to: target });
      const r = planCluster(state, target, {
        rules,
        versions,
        date,
        ring: env.name,
        rg: state.resourceGroup ?? spec.resourceGroup,
        sub: state.subscriptionId ?? spec.subscriptionId,
        targetFlaggedOnce: fixedTarget !== undefined,
      });
      findings.push(...r.findings);
      ringSteps.push(...r.steps);
      const specPools = new Map([spec.systemPool, ...spec.userPools].map((p) => [p.name, p]));
      for (const p of poolOrder(state.pools)) {
        const sp = specPools.get(p.name);
        const maxSurge = p.maxSurge ?? sp?.maxSurge ?? rules.surge.defaultMaxSurge;
        const from: SurgeRow['maxSurgeFrom'] = p.maxSurge ? 'state' : sp ? 'spec' : 'default';
        const count = p.count ?? sp?.count ?? 0;
        const n = surgeNodes(maxSurge, count, rules);
        surge.push({ cluster: spec.name, pool: p.name, count, maxSurge, maxSurgeFrom: from, surgeNodes: n });
        if (n === 0 && count > 0)
          findings.push({
            rule: 'surge-zero',
            severity: 'warning',
            cluster: spec.name,
            pool: p.name,
            message:
              `maxSurge ${maxSurge} of ${count} nodes adds no surge node; ` +
              `the upgrade needs maxUnavailable >= 1 and runs with reduced capacity`,
          });
      }
      const objs = input.workloads?.[spec.name];
      if (objs) findings.push(...drainBlockers(objs, spec.name));
      else pdbUnchecked.push(spec.name);
    }
    const surgeOf = new Map(surge.map((s) => [`${s.cluster}/${s.pool}`, s.surgeNodes]));
    for (const s of ringSteps)
      drafts.push(
        s.pool && (s.kind === 'node-pool' || s.kind === 'node-image')
          ? { ...s, surgeNodes: surgeOf.get(`${s.cluster}/${s.pool}`) ?? 0 }
          : s,
      );
    rings.push({ name: env.name, soak: env.soak, clusters: ringClusters });
    if (ringSteps.length > 0) {
      drafts.push({
        ring: env.name,
        cluster: null,
        kind: 'soak',
        duration: env.soak,
        reason: `let ${env.name} soak for ${env.soak} before the next ring`,
      });
      drafts.push({
        ring: env.name,
        cluster: null,
        kind: 'gate',
        clusters: ringClusters.map((c) => c.name),
        promql: 'ALERTS{alertstate="firing", severity="page"}',
        checks: gateChecks(
          ringClusters.map((c) => ({
            ...c,
            rg: byName.get(c.name)?.resourceGroup ?? fleet.spec.clusters.find((x) => x.name === c.name)!.resourceGroup,
          })),
        ),
        reason:
          `${env.name} clusters on their target, nodes Ready, ` +
          `Flux Kustomizations Ready, no SLO burn-rate alert firing`,
      });
    }
  });
  if (pdbUnchecked.length)
    findings.push({
      rule: 'pdb-not-checked',
      severity: 'info',
      message: `PodDisruptionBudgets were not checked for ${pdbUnchecked.join(', ')}: no rendered objects given`,
      hint: 'pass the rendered Flux repository (--repo DIR) to find PDBs that would block drains',
    });
  // The last ring needs no soak or gate: nothing follows it.
  while (drafts.length > 0 && (drafts.at(-1)!.kind === 'gate' || drafts.at(-1)!.kind === 'soak')) drafts.pop();

  const order: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => order[a.f.severity] - order[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
  return {
    target: fixedTarget ?? null,
    date,
    rings,
    findings: sorted,
    surge,
    steps: drafts.map((d, i) => ({ n: i + 1, ...d })),
  };
}

/** What a gate checks on each cluster of the ring before the next ring starts. */
function gateChecks(clusters: readonly { name: string; to: string; rg: string }[]): string[] {
  const out: string[] = [];
  for (const c of clusters) {
    out.push(
      `az aks show --resource-group ${shq(c.rg)} --name ${shq(c.name)} ` +
        `--query "{controlPlane: currentKubernetesVersion, state: provisioningState, pools: ` +
        `agentPoolProfiles[].[name, currentOrchestratorVersion, provisioningState]}"   # expect ${c.to}, Succeeded`,
      `kubectl --context ${shq(c.name)} get nodes   # every node Ready`,
      `flux --context ${shq(c.name)} get kustomizations --all-namespaces --status-selector ready=false   # expect none`,
    );
  }
  return out;
}

/** Blockers: findings of severity error. */
export function blockers(plan: Plan): Finding[] {
  return plan.findings.filter((f) => f.severity === 'error');
}
