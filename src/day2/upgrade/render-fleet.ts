/**
 * The plan as Azure Kubernetes Fleet Manager resources (Microsoft.ContainerService/fleets,
 * api-version 2025-03-01; shapes as in the REST API specification's examples
 * UpdateStrategies_CreateOrUpdate.json and UpdateRuns_CreateOrUpdate.json):
 * - one fleet member per cluster, in a group named after the cluster;
 * - an updateStrategy with one stage per ring (environment order), afterStageWaitInSeconds = soak;
 * - one updateRun per control plane hop (ControlPlaneOnly when pools wait, Full when every pool
 *   of the hop's clusters follows), then a NodeImageOnly run (nodeImageSelection Latest).
 * Each run carries its own strategy limited to the clusters that take part in that hop.
 * Fleet Manager upgrades every pool of a member with Full; pools the plan upgrades separately
 * (to stay within the skew limit) are listed in `notes`.
 */
import type { Plan, Step } from './types.js';

export const FLEET_API_VERSION = '2025-03-01';

/** Go duration (`24h`, `1h30m`, `90s`) to seconds. */
export function durationSeconds(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]!]!;
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
    const st: Stage = { name: r.name, groups: r.clusters.filter((c) => clusters.has(c.name)).map((c) => ({ name: c.name })) };
    if (i < withClusters.length - 1) st.afterStageWaitInSeconds = durationSeconds(r.soak);
    stages.push(st);
  });
  return stages;
}

export function renderFleet(plan: Plan, fleetName = 'fleet'): Record<string, unknown> {
  const all = new Set(plan.rings.flatMap((r) => r.clusters.map((c) => c.name)));
  const byCluster = new Map<string, Step[]>();
  for (const s of plan.steps) if (s.cluster) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s]);
  const first = new Map<string, Step>();
  for (const s of plan.steps) if (s.cluster && !first.has(s.cluster)) first.set(s.cluster, s);
  const members = [...all].map((name) => {
    const s = first.get(name);
    const id = `/subscriptions/${s?.subscriptionId ?? '<subscription-id>'}/resourceGroups/${s?.resourceGroup ?? '<resource-group>'}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    return { name, properties: { clusterResourceId: id, group: name } };
  });
  // Control plane hops by version, in plan order.
  const hops: { version: string; clusters: Set<string>; full: Set<string> }[] = [];
  const notes: string[] = [];
  for (const [cluster, steps] of byCluster) {
    steps.forEach((s, i) => {
      if (s.kind !== 'control-plane') return;
      let h = hops.find((x) => x.version === s.to);
      if (!h) hops.push((h = { version: s.to!, clusters: new Set(), full: new Set() }));
      h.clusters.add(cluster);
      // Full when every pool of the cluster moves to this version right after it (before the next hop).
      const next = steps.slice(i + 1).findIndex((x) => x.kind === 'control-plane');
      const until = next < 0 ? steps.slice(i + 1) : steps.slice(i + 1, i + 1 + next);
      const pools = new Set(steps.filter((x) => x.pool).map((x) => x.pool));
      const following = new Set(until.filter((x) => x.kind === 'node-pool' && x.to === s.to).map((x) => x.pool));
      if (pools.size > 0 && [...pools].every((p) => following.has(p))) h.full.add(cluster);
      const early = steps.slice(0, i).filter((x) => x.kind === 'node-pool');
      for (const e of early) notes.push(`${cluster}/${e.pool}: ${e.from} -> ${e.to} before the hop to ${s.to} (az aks nodepool upgrade; Fleet Manager has no per-pool upgrade)`);
    });
  }
  hops.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  const runs: Record<string, unknown>[] = [];
  hops.forEach((h, i) => {
    for (const type of ['ControlPlaneOnly', 'Full'] as const) {
      const cl = new Set([...h.clusters].filter((c) => (type === 'Full') === h.full.has(c)));
      if (cl.size === 0) continue;
      runs.push({
        name: `upgrade-${String(i + 1).padStart(2, '0')}-${h.version.replace(/\./g, '-')}-${type === 'Full' ? 'full' : 'cp'}`,
        properties: { strategy: { stages: stagesFor(plan, cl) }, managedClusterUpdate: { upgrade: { type, kubernetesVersion: h.version }, nodeImageSelection: { type: 'Latest' } } },
      });
    }
  });
  const imageClusters = new Set(plan.steps.filter((s) => s.kind === 'node-image' && s.cluster).map((s) => s.cluster!));
  if (imageClusters.size > 0)
    runs.push({ name: 'node-image-latest', properties: { strategy: { stages: stagesFor(plan, imageClusters) }, managedClusterUpdate: { upgrade: { type: 'NodeImageOnly' }, nodeImageSelection: { type: 'Latest' } } } });
  for (const s of plan.steps)
    if (s.kind === 'channel') notes.push(`${s.cluster}: set the auto-upgrade channel ${s.from} -> ${s.to} ${s.to === 'none' ? 'before' : 'after'} its update runs (az aks update --auto-upgrade-channel)`);
  return {
    apiVersion: FLEET_API_VERSION,
    fleet: fleetName,
    members,
    updateStrategy: { name: 'aksfleet-rings', properties: { strategy: { stages: stagesFor(plan, all) } } },
    updateRuns: runs,
    notes,
  };
}
