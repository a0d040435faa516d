/**
 * Blue/green node pool replacement as reviewable steps (the reference architecture's "create a
 * parallel user pool with taints and drain workloads by label; at the traffic layer, use
 * Gateway API with weighted backends"). Pure: the fleet in, the steps out; nothing is applied.
 *
 * 1. the new (green) pool: the fleet.yaml change and the IaC files `aksfleet generate` changes
 *    with it (computed by the real generators), and the equivalent `az aks nodepool add`;
 * 2. the label-based cordon and drain script for the old (blue) pool;
 * 3. per blue/green app on the cluster, Git commits on the environment branch that move the
 *    HTTPRoute weights 90/10, 50/50, 0/100 (the files come from the real Flux generator), each
 *    followed by the check to run: the green backend's error ratio (PromQL, from the app's
 *    availability SLO) must stay under the SLO's error budget;
 * 4. the old pool's removal (fleet.yaml, generated files, `az aks nodepool delete`).
 */
import { InputError } from '../../errors.js';
import type { GeneratedFile } from '../../generators/index.js';
import { generateFluxRepo } from '../../generators/flux/index.js';
import { generateInfra } from '../../generators/infra/index.js';
import { appNamespace } from '../../model/fleet-model.js';
import { tenantPlacedOn } from '../../spec/placement.js';
import type { App, Cluster, Fleet, NodePool, Slo, Tenant } from '../../spec/schema.js';
import { unifiedDiff } from '../diff.js';
import { shCommentText, shq } from '../shell.js';

export const WEIGHT_STEPS = [10, 50, 100] as const;
/** The AKS node label naming a node's agent pool. */
export const POOL_LABEL = 'kubernetes.azure.com/agentpool';

export type BlueGreenStep =
  | { kind: 'new-pool'; title: string; fleetChange: string; diffs: string[]; az: string }
  | { kind: 'drain'; title: string; script: string }
  | {
      kind: 'commit';
      title: string;
      branch: string;
      path: string;
      message: string;
      diff: string;
      content: string;
      fleetChange: string;
      reaches: string[];
    }
  | { kind: 'check'; title: string; promql: string; threshold: number; window: string; source: string }
  | { kind: 'remove-pool'; title: string; fleetChange: string; diffs: string[]; az: string; precheck: string };

export interface BlueGreenPlan {
  cluster: string;
  oldPool: string;
  newPool: string;
  version: string;
  environment: string;
  branch: string;
  notes: string[];
  steps: BlueGreenStep[];
}

/**
 * userpool -> userpool2, userpool2 -> userpool3; names stay within AKS's limit (Linux pools 12
 * characters, Windows pools 6).
 */
export function nextPoolName(name: string, taken: ReadonlySet<string>, maxLength = 12): string {
  const m = /^(.*?)(\d*)$/.exec(name)!;
  let n = m[2] ? Number(m[2]) + 1 : 2;
  for (;;) {
    const suffix = String(n);
    const cand = `${m[1]!.slice(0, maxLength - suffix.length)}${suffix}`;
    if (!taken.has(cand)) return cand;
    n++;
  }
}

function withPools(fleet: Fleet, cluster: string, f: (pools: NodePool[]) => NodePool[]): Fleet {
  const copy = structuredClone(fleet);
  const c = copy.spec.clusters.find((x) => x.name === cluster)!;
  c.userPools = f(c.userPools);
  return copy;
}

function withWeight(fleet: Fleet, tenant: string, app: string, weight: number): Fleet {
  const copy = structuredClone(fleet);
  const a = copy.spec.tenants.find((t) => t.name === tenant)!.apps.find((x) => x.name === app)!;
  a.blueGreen = { ...a.blueGreen!, greenWeight: weight };
  return copy;
}

function diffFiles(before: GeneratedFile[], after: GeneratedFile[], filter: (path: string) => boolean): string[] {
  const a = new Map(before.map((f) => [f.path, f.content]));
  const b = new Map(after.map((f) => [f.path, f.content]));
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter(filter).sort();
  return paths.map((p) => unifiedDiff(p, a.get(p), b.get(p))).filter((d) => d !== '');
}

function poolYaml(p: NodePool): string {
  const parts = [`name: ${p.name}`, `vmSize: ${p.vmSize}`, `count: ${p.count}`];
  if (p.autoscale) parts.push(`autoscale: { min: ${p.autoscale.min}, max: ${p.autoscale.max} }`);
  if (p.zones.length) parts.push(`zones: [${p.zones.map((z) => JSON.stringify(z)).join(', ')}]`);
  if (p.taints.length) parts.push(`taints: [${p.taints.map((t) => JSON.stringify(t)).join(', ')}]`);
  if (Object.keys(p.labels).length)
    parts.push(
      `labels: { ${Object.entries(p.labels)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ')} }`,
    );
  parts.push(`maxSurge: ${JSON.stringify(p.maxSurge)}`);
  if (p.orchestratorVersion) parts.push(`orchestratorVersion: ${p.orchestratorVersion}`);
  return `- { ${parts.join(', ')} }`;
}

function availabilitySlo(app: App): Slo | undefined {
  return app.slos.find((s) => s.kind === 'availability');
}

/** The green backend's error ratio over `window`, and the ratio it must stay under. */
export function greenErrorCheck(
  t: Tenant,
  app: App,
  window = '5m',
): { promql: string; threshold: number; source: string } {
  const ns = appNamespace(t, app);
  const slo = availabilitySlo(app);
  const svc = `service="${app.name}-green"`;
  const join = (...xs: string[]) => xs.filter((x) => x.trim() !== '').join(', ');
  const metric = slo?.metric ?? 'http_requests_total';
  const sel = slo ? slo.selector : `namespace="${ns}"`;
  const err = slo ? slo.errorSelector : 'code=~"5.."';
  const threshold = slo ? Number((1 - slo.objective / 100).toPrecision(6)) : 0.01;
  const errors = `sum(rate(${metric}{${join(sel, err, svc)}}[${window}]))`;
  const ratio = `${errors} / sum(rate(${metric}{${join(sel, svc)}}[${window}]))`;
  return {
    promql: `(${ratio}) > ${threshold}`,
    threshold,
    source: slo
      ? `the error budget of SLO ${slo.name} (objective ${slo.objective}%: at most ${threshold} of requests may fail)`
      : `no availability SLO on ${app.name}: ` +
        `a default 1% error ratio on ${metric} (add an availability SLO to use its budget)`,
  };
}

export function planBlueGreen(fleet: Fleet, clusterName: string, poolName: string): BlueGreenPlan {
  const cluster = fleet.spec.clusters.find((c) => c.name === clusterName);
  if (!cluster)
    throw new InputError(
      `no cluster '${clusterName}' in the fleet (clusters: ${fleet.spec.clusters.map((c) => c.name).join(', ')})`,
      { fieldPath: 'spec.clusters' },
    );
  const ci = fleet.spec.clusters.indexOf(cluster);
  if (cluster.systemPool.name === poolName)
    throw new InputError(
      `'${poolName}' is the system pool of ${clusterName}; ` +
        `blue/green replaces user pools (add a second System-mode pool by hand to replace a system pool)`,
      { fieldPath: `spec.clusters[${ci}].systemPool` },
    );
  const pool = cluster.userPools.find((p) => p.name === poolName);
  if (!pool)
    throw new InputError(
      `${clusterName} has no user pool '${poolName}' (user pools: ` +
        `${cluster.userPools.map((p) => p.name).join(', ') || 'none'})`,
      { fieldPath: `spec.clusters[${ci}].userPools` },
    );
  const env = fleet.spec.environments.find((e) => e.name === cluster.environment)!;
  const taken = new Set([cluster.systemPool.name, ...cluster.userPools.map((p) => p.name)]);
  const newName = nextPoolName(pool.name, taken, pool.osType === 'Windows' ? 6 : 12);
  const version = cluster.kubernetesVersion;
  const green: NodePool = { ...pool, name: newName, orchestratorVersion: undefined };
  delete (green as { orchestratorVersion?: string }).orchestratorVersion;
  const notes: string[] = [];
  const rg = shq(cluster.resourceGroup);
  const sub = cluster.subscriptionId ? ` --subscription ${shq(cluster.subscriptionId)}` : '';
  const steps: BlueGreenStep[] = [];

  const gen0 = generateInfra(fleet);
  const fleet1 = withPools(fleet, clusterName, (ps) => {
    const i = ps.findIndex((p) => p.name === poolName);
    return [...ps.slice(0, i + 1), green, ...ps.slice(i + 1)];
  });
  const gen1 = generateInfra(fleet1);
  const infra = (p: string) => p.startsWith('infra/');
  const azAdd = [
    `az aks nodepool add --resource-group ${rg}${sub} --cluster-name ${shq(clusterName)} --name ${shq(newName)}`,
    `  --mode User --os-type ${shq(green.osType)}${green.osSku ? ` --os-sku ${shq(green.osSku)}` : ''} ` +
      `--kubernetes-version ${shq(version)} --node-vm-size ${shq(green.vmSize)} ` +
      `--node-count ${shq(String(green.count))}`,
    ...(green.autoscale
      ? [
          `  --enable-cluster-autoscaler --min-count ${shq(String(green.autoscale.min))} ` +
            `--max-count ${shq(String(green.autoscale.max))}`,
        ]
      : []),
    ...(green.zones.length ? [`  --zones ${green.zones.map((z) => shq(String(z))).join(' ')}`] : []),
    ...(green.taints.length ? [`  --node-taints ${shq(green.taints.join(','))}`] : []),
    ...(Object.keys(green.labels).length
      ? [
          `  --labels ${Object.entries(green.labels)
            .map(([k, v]) => shq(`${k}=${v}`))
            .join(' ')}`,
        ]
      : []),
    `  --max-surge ${shq(green.maxSurge)}`,
  ].join(' \\\n');
  steps.push({
    kind: 'new-pool',
    title: `Add the green pool ${newName} (Kubernetes ${version}, the control plane's version) beside ${poolName}`,
    fleetChange: `spec.clusters[${ci}].userPools: add after ${poolName}\n${poolYaml(green)}`,
    diffs: diffFiles(gen0, gen1, infra),
    az: azAdd,
  });
  if (green.taints.length === 0)
    notes.push(
      `${poolName} has no taint, so the green pool has none either: any pod may land on it as soon as it is Ready`,
    );

  const ctx = `az aks get-credentials --resource-group ${rg}${sub} --name ${shq(clusterName)} --overwrite-existing`;
  const script = [
    '#!/usr/bin/env bash',
    `# Move the workloads of ${shCommentText(`${clusterName}/${poolName} to ${newName}`)}: ` +
      `wait for the green nodes, cordon`,
    '# every blue node, then drain them one at a time (PodDisruptionBudgets are honoured).',
    'set -euo pipefail',
    '',
    `old=${shq(poolName)}`,
    `new=${shq(newName)}`,
    `label=${shq(POOL_LABEL)}`,
    '',
    ctx,
    'kubectl wait --for=condition=Ready node -l "${label}=${new}" --timeout=20m',
    'kubectl cordon -l "${label}=${old}"',
    'kubectl get nodes -l "${label}=${old}" -o name | while read -r node; do',
    '  kubectl drain "${node}" --ignore-daemonsets --delete-emptydir-data --timeout=30m',
    'done',
    '# Nothing but DaemonSet pods may remain on the blue nodes:',
    'kubectl get pods -A --field-selector spec.nodeName!=,status.phase=Running ' +
      '-o wide | awk -v p="aks-${old}-" \'index($8, p) == 1\'',
    '',
  ].join('\n');
  steps.push({ kind: 'drain', title: `Cordon and drain ${poolName} by the ${POOL_LABEL} label`, script });

  // Traffic: apps with blue/green on this cluster.
  const apps: { t: Tenant; app: App; ti: number; ai: number }[] = [];
  fleet.spec.tenants.forEach((t, ti) => {
    if (!tenantPlacedOn(t, cluster)) return;
    t.apps.forEach((app, ai) => app.blueGreen && apps.push({ t, app, ti, ai }));
  });
  if (apps.length === 0)
    notes.push(`no app with blueGreen runs on ${clusterName}: no traffic shift, the drain moves the workloads`);
  const reaches = fleet.spec.clusters.filter((c: Cluster) => c.environment === cluster.environment).map((c) => c.name);
  if (reaches.length > 1 && apps.length > 0)
    notes.push(
      `the HTTPRoute commits go to ${env.branch}: ` +
        `they shift traffic on every cluster of ${env.name} that runs the app (${reaches.join(', ')})`,
    );
  for (const { t, app, ti, ai } of apps) {
    let cur = fleet;
    let weight = app.blueGreen!.greenWeight;
    const routePath = `workloads/base/${t.name}/${app.name}/httproute.yaml`;
    const reachesApp = fleet.spec.clusters
      .filter((c) => c.environment === cluster.environment && tenantPlacedOn(t, c))
      .map((c) => c.name);
    for (const w of WEIGHT_STEPS) {
      if (w <= weight) continue;
      const next = withWeight(cur, t.name, app.name, w);
      const before = generateFluxRepo(cur).find((f) => f.path === routePath);
      const after = generateFluxRepo(next).find((f) => f.path === routePath);
      if (!before || !after) throw new Error(`internal: the Flux generator wrote no ${routePath}`);
      steps.push({
        kind: 'commit',
        title: `${app.name}: ${100 - w}/${w} blue/green`,
        branch: env.branch,
        path: routePath,
        message:
          `${app.name}: shift traffic to ${app.name}-green (${100 - w}/${w}) ` +
          `during the ${clusterName} pool replacement`,
        diff: unifiedDiff(routePath, before.content, after.content),
        content: after.content,
        fleetChange:
          `spec.tenants[${ti}].apps[${ai}].blueGreen.greenWeight: ` +
          `${w}   (or the next 'aksfleet generate' puts ${weight} back)`,
        reaches: reachesApp,
      });
      const chk = greenErrorCheck(t, app);
      steps.push({
        kind: 'check',
        title: `Before going on: ${app.name}-green errors under budget for 10 minutes`,
        promql: chk.promql,
        threshold: chk.threshold,
        window: '10m',
        source: chk.source,
      });
      cur = next;
      weight = w;
    }
  }

  const fleet2 = withPools(fleet1, clusterName, (ps) => ps.filter((p) => p.name !== poolName));
  steps.push({
    kind: 'remove-pool',
    title: `Remove the blue pool ${poolName}`,
    fleetChange: `spec.clusters[${ci}].userPools: remove ${poolName}`,
    diffs: diffFiles(gen1, generateInfra(fleet2), infra),
    az:
      `az aks nodepool delete --resource-group ${rg}${sub} ` +
      `--cluster-name ${shq(clusterName)} --name ${shq(poolName)}`,
    precheck:
      `kubectl get pods -A -o wide --field-selector status.phase=Running | grep -cF ` +
      `-- ${shq(`aks-${poolName}-`)} || true   # DaemonSet pods only`,
  });
  return {
    cluster: clusterName,
    oldPool: poolName,
    newPool: newName,
    version,
    environment: env.name,
    branch: env.branch,
    notes,
    steps,
  };
}
