/**
 * The plan as Azure Kubernetes Fleet Manager resources (Microsoft.ContainerService/fleets,
 * api-version 2025-03-01; shapes as in the REST API specification's examples
 * UpdateStrategies_CreateOrUpdate.json and UpdateRuns_CreateOrUpdate.json):
 * - one fleet member per cluster, in a group named after the cluster;
 * - an updateStrategy with one stage per ring (environment order), afterStageWaitInSeconds = soak;
 * - update runs per control plane hop (ControlPlaneOnly when pools wait, Full when every pool of
 *   the cluster follows right away), then NodeImageOnly (nodeImageSelection Latest); each run
 *   carries its own strategy limited to the clusters that take part.
 * Fleet Manager upgrades every pool of a member with Full; pools the plan upgrades separately
 * (to stay within the skew limit) are listed in `notes`.
 */
import type { Plan, Step } from './types.js';

export const FLEET_API_VERSION = '2025-03-01';

/** Go duration (`24h`, `1h30m`, `90s`) to seconds. */
export function durationSeconds(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h)/g))
    total += Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]!]!;
  return Math.round(total);
}

interface Stage {
  name: string;
  groups: { name: string }[];
  afterStageWaitInSeconds?: number;
}

function stagesFor(plan: Plan, clusters: ReadonlySet<string>): Stage[] {
  const stages: Stage[] = [];
  const withClusters = plan.rings.filter((r) => r.clusters.some((c) => clusters.has(c.name)));
  withClusters.forEach((r, i) => {
    const st: Stage = {
      name: r.name,
      groups: r.clusters.filter((c) => clusters.has(c.name)).map((c) => ({ name: c.name })),
    };
    if (i < withClusters.length - 1) st.afterStageWaitInSeconds = durationSeconds(r.soak);
    stages.push(st);
  });
  return stages;
}

type Op = { type: 'ControlPlaneOnly' | 'Full' | 'NodeImageOnly'; version?: string };

/** Per cluster: its update-run operations in order, and notes for what Fleet Manager cannot do. */
function clusterOps(cluster: string, steps: readonly Step[], notes: string[]): Op[] {
  const ops: Op[] = [];
  const pools = new Set(steps.filter((x) => x.pool).map((x) => x.pool));
  steps.forEach((s, i) => {
    if (s.kind !== 'control-plane') return;
    const next = steps.slice(i + 1).findIndex((x) => x.kind === 'control-plane');
    const until = next < 0 ? steps.slice(i + 1) : steps.slice(i + 1, i + 1 + next);
    const following = new Set(until.filter((x) => x.kind === 'node-pool' && x.to === s.to).map((x) => x.pool));
    const full = pools.size > 0 && [...pools].every((p) => following.has(p));
    ops.push({ type: full ? 'Full' : 'ControlPlaneOnly', version: s.to! });
    if (!/^\d+\.\d+\.\d+$/.test(s.to!))
      notes.push(
        `${cluster}: the hop to ${s.to} names a minor only; update runs need a full version (x.y.z): ` +
          `fill in the newest ${s.to} patch from 'az aks get-versions'`,
      );
    const prev = steps
      .slice(0, i)
      .map((x, j) => ({ x, j }))
      .reverse()
      .find(({ x }) => x.kind === 'control-plane');
    for (const e of steps.slice(prev ? prev.j + 1 : 0, i).filter((x) => x.kind === 'node-pool'))
      notes.push(
        `${cluster}/${e.pool}: ${e.from} -> ${e.to} before the hop to ${s.to} (az aks nodepool upgrade: ` +
          `update runs upgrade all pools of a member or none)`,
      );
  });
  if (steps.some((x) => x.kind === 'node-image')) ops.push({ type: 'NodeImageOnly' });
  return ops;
}

function run(name: string, op: Op, stages: Stage[]): Record<string, unknown> {
  const upgrade = op.version ? { type: op.type, kubernetesVersion: op.version } : { type: op.type };
  return {
    name,
    properties: { strategy: { stages }, managedClusterUpdate: { upgrade, nodeImageSelection: { type: 'Latest' } } },
  };
}

const opKey = (o: Op) => `${o.type}:${o.version ?? ''}`;
const runName = (i: number, o: Op) =>
  `${String(i).padStart(2, '0')}-${
    o.type === 'NodeImageOnly' ? 'node-image' : `${o.type === 'Full' ? 'full' : 'cp'}-${o.version!.replace(/\./g, '-')}`
  }`;

/**
 * Single hop per cluster: one run per (type, version) with a stage per ring, in ring order, and
 * the soak as afterStageWaitInSeconds. Several hops: rings must finish every hop before the next
 * ring starts, so each ring gets its own runs, the last of them waiting out the ring's soak.
 */
export function renderFleet(plan: Plan, fleetName = 'fleet'): Record<string, unknown> {
  const all = new Set(plan.rings.flatMap((r) => r.clusters.map((c) => c.name)));
  const byCluster = new Map<string, Step[]>();
  for (const s of plan.steps) if (s.cluster) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s]);
  const members = [...all].map((name) => {
    const s = byCluster.get(name)?.[0];
    const id =
      `/subscriptions/${s?.subscriptionId ?? '<subscription-id>'}/resourceGroups/` +
      `${s?.resourceGroup ?? '<resource-group>'}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    return { name, properties: { clusterResourceId: id, group: name } };
  });
  const notes: string[] = [];
  const ops = new Map<string, Op[]>();
  for (const [c, steps] of byCluster) ops.set(c, clusterOps(c, steps, notes));
  const runs: Record<string, unknown>[] = [];
  const singleHop = [...ops.values()].every((o) => o.filter((x) => x.type !== 'NodeImageOnly').length <= 1);
  if (singleHop) {
    const groups = new Map<string, { op: Op; clusters: Set<string> }>();
    for (const [c, list] of ops)
      for (const o of list) {
        const g = groups.get(opKey(o)) ?? { op: o, clusters: new Set<string>() };
        g.clusters.add(c);
        groups.set(opKey(o), g);
      }
    const ordered = [...groups.values()].sort(
      (a, b) =>
        (a.op.type === 'NodeImageOnly' ? 1 : 0) - (b.op.type === 'NodeImageOnly' ? 1 : 0) ||
        (a.op.version ?? '').localeCompare(b.op.version ?? '', 'en', { numeric: true }) ||
        a.op.type.localeCompare(b.op.type),
    );
    ordered.forEach((g, i) => runs.push(run(runName(i + 1, g.op), g.op, stagesFor(plan, g.clusters))));
  } else {
    notes.push(
      'several control plane hops: each ring gets its own update runs (every hop of a ' +
        'ring finishes and soaks before the next ring starts); start them in the order listed',
    );
    let i = 0;
    for (const ring of plan.rings) {
      const inRing = ring.clusters.map((c) => c.name).filter((c) => (ops.get(c) ?? []).length > 0);
      if (inRing.length === 0) continue;
      const list: Op[] = [];
      for (const c of inRing) for (const o of ops.get(c)!) if (!list.some((x) => opKey(x) === opKey(o))) list.push(o);
      list.sort(
        (a, b) =>
          (a.type === 'NodeImageOnly' ? 1 : 0) - (b.type === 'NodeImageOnly' ? 1 : 0) ||
          (a.version ?? '').localeCompare(b.version ?? '', 'en', { numeric: true }) ||
          a.type.localeCompare(b.type),
      );
      const last = plan.rings.filter((r) => r.clusters.some((c) => (ops.get(c.name) ?? []).length > 0)).at(-1) === ring;
      list.forEach((o, j) => {
        const members = inRing.filter((c) => ops.get(c)!.some((x) => opKey(x) === opKey(o)));
        const stage: Stage = { name: ring.name, groups: members.map((name) => ({ name })) };
        if (j === list.length - 1 && !last) stage.afterStageWaitInSeconds = durationSeconds(ring.soak);
        runs.push(run(`${runName(++i, o)}-${ring.name}`, o, [stage]));
      });
    }
  }
  const cpOnly = new Set(
    [...ops].filter(([, list]) => list.some((o) => o.type === 'ControlPlaneOnly')).map(([c]) => c),
  );
  for (const s of plan.steps)
    if (s.kind === 'channel' && cpOnly.has(s.cluster!))
      notes.push(
        `${s.cluster}: set the auto-upgrade channel ${s.from} -> ${s.to} ` +
          `${s.to === 'none' ? 'before' : 'after'} its update runs (az aks update --auto-upgrade-channel)`,
      );
  return {
    apiVersion: FLEET_API_VERSION,
    fleet: fleetName,
    members,
    updateStrategy: { name: 'aksfleet-rings', properties: { strategy: { stages: stagesFor(plan, all) } } },
    updateRuns: runs,
    notes,
  };
}
