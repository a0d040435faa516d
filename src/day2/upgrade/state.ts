/**
 * Reading cluster state. The state file is a JSON array of managed clusters exactly as
 * `az aks show -o json` prints them (properties flattened: `kubernetesVersion`,
 * `agentPoolProfiles`, ...). The ARM REST shape (the same fields under `properties`, as in the
 * REST API specification's examples) is accepted too. Without a state file the fleet spec is
 * taken as the state (what the clusters were created with).
 */
import { formatLocation } from '../../diagnostic.js';
import { formatFieldPath } from '../../field-path.js';
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import type { Cluster, Fleet, NodePool } from '../../spec/schema.js';
import { parseYamlDocuments, type ParsedDoc } from '../../yaml/parse.js';
import type { ClusterState, PoolState } from './types.js';
import { isVersion } from './versions.js';

type Json = Record<string, unknown>;

/** `/subscriptions/S/resourcegroups/RG/providers/...` -> {S, RG} */
export function parseArmId(id: unknown): { subscriptionId?: string; resourceGroup?: string } {
  if (typeof id !== 'string') return {};
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\//i.exec(id);
  return m ? { subscriptionId: m[1], resourceGroup: m[2] } : {};
}

/**
 * One managed cluster object (az CLI / SDK flattened shape, or REST shape) to ClusterState.
 * `fail(path, message)` reports a problem at a field path (relative to this object).
 */
export function clusterFromManagedCluster(
  obj: unknown,
  fail: (path: (string | number)[], msg: string) => never,
  origin?: string,
): ClusterState {
  if (!isPlainObject(obj)) fail([], 'expected a managed cluster object (one element of `az aks show -o json`)');
  const top = obj as Json;
  const rest = isPlainObject(top.properties);
  const props = (rest ? top.properties : top) as Json;
  const pre: (string | number)[] = rest ? ['properties'] : [];
  const name = top.name;
  if (typeof name !== 'string' || name === '') fail(['name'], 'required field is missing (the cluster name)');
  const cpRaw = props.currentKubernetesVersion ?? props.kubernetesVersion;
  const cpField = props.currentKubernetesVersion !== undefined ? 'currentKubernetesVersion' : 'kubernetesVersion';
  if (!isVersion(cpRaw))
    fail([...pre, cpField], `expected a Kubernetes version like 1.30.4, got ${JSON.stringify(cpRaw)}`);
  const apps = props.agentPoolProfiles;
  if (!Array.isArray(apps) || apps.length === 0)
    fail([...pre, 'agentPoolProfiles'], 'expected a non-empty list of agent pools');
  const pools: PoolState[] = (apps as unknown[]).map((p, i) => {
    if (!isPlainObject(p)) fail([...pre, 'agentPoolProfiles', i], 'expected an agent pool object');
    const pool = p as Json;
    const pp = (isPlainObject(pool.properties) ? pool.properties : pool) as Json;
    if (typeof pool.name !== 'string')
      fail([...pre, 'agentPoolProfiles', i, 'name'], 'required field is missing (the pool name)');
    const v = pp.currentOrchestratorVersion ?? pp.orchestratorVersion ?? cpRaw;
    if (!isVersion(v))
      fail(
        [...pre, 'agentPoolProfiles', i, 'currentOrchestratorVersion'],
        `expected a Kubernetes version, got ${JSON.stringify(v)}`,
      );
    const us = isPlainObject(pp.upgradeSettings) ? (pp.upgradeSettings as Json) : {};
    return {
      name: pool.name as string,
      mode: pp.mode === 'System' ? 'System' : 'User',
      version: v as string,
      ...(typeof pp.nodeImageVersion === 'string' ? { nodeImageVersion: pp.nodeImageVersion } : {}),
      ...(typeof pp.count === 'number' ? { count: pp.count } : {}),
      ...(typeof us.maxSurge === 'string' && us.maxSurge !== '' ? { maxSurge: us.maxSurge } : {}),
    };
  });
  const aup = isPlainObject(props.autoUpgradeProfile) ? (props.autoUpgradeProfile as Json) : {};
  const ids = parseArmId(top.id);
  const rg = typeof top.resourceGroup === 'string' ? top.resourceGroup : ids.resourceGroup;
  const tags = isPlainObject(top.tags)
    ? (Object.fromEntries(Object.entries(top.tags).filter(([, v]) => typeof v === 'string')) as Record<string, string>)
    : undefined;
  return {
    name: name as string,
    controlPlane: cpRaw as string,
    channel: typeof aup.upgradeChannel === 'string' ? aup.upgradeChannel : 'none',
    ...(typeof (aup.nodeOSUpgradeChannel ?? aup.nodeOsUpgradeChannel) === 'string'
      ? { nodeOsChannel: (aup.nodeOSUpgradeChannel ?? aup.nodeOsUpgradeChannel) as string }
      : {}),
    pools,
    ...(rg ? { resourceGroup: rg } : {}),
    ...(ids.subscriptionId ? { subscriptionId: ids.subscriptionId } : {}),
    ...(typeof props.supportPlan === 'string' ? { supportPlan: props.supportPlan } : {}),
    ...(tags ? { tags } : {}),
    ...(origin ? { origin } : {}),
  };
}

/** Parses a state file: a JSON array of `az aks show -o json` objects (or one object). */
export function parseStateFile(text: string, file: string): ClusterState[] {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1)
    throw new InputError(docs.length === 0 ? 'the state file is empty' : 'expected one JSON document', {
      pos: { file, line: 1 },
    });
  const doc: ParsedDoc = docs[0]!;
  const items = Array.isArray(doc.value) ? (doc.value as unknown[]) : [doc.value];
  const base: (string | number)[] = Array.isArray(doc.value) ? [] : [];
  const out: ClusterState[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const prefix = Array.isArray(doc.value) ? [...base, i] : base;
    const fail = (path: (string | number)[], msg: string): never => {
      const full = [...prefix, ...path];
      throw new InputError(msg, { pos: { file, ...doc.posOf(full) }, fieldPath: formatFieldPath(full) });
    };
    const p = doc.posOf(prefix);
    const c = clusterFromManagedCluster(item, fail, formatLocation({ file, line: p.line }));
    if (seen.has(c.name)) fail(['name'], `cluster '${c.name}' appears twice (also element [${seen.get(c.name)}])`);
    seen.set(c.name, i);
    out.push(c);
  });
  return out;
}

function poolFromSpec(p: NodePool, cluster: Cluster): PoolState {
  return {
    name: p.name,
    mode: p.mode,
    version: p.orchestratorVersion ?? cluster.kubernetesVersion,
    count: p.count,
    maxSurge: p.maxSurge,
  };
}

/** The fleet spec as state: what `aksfleet generate` created each cluster with. */
export function stateFromSpec(fleet: Fleet): ClusterState[] {
  return fleet.spec.clusters.map((c) => ({
    name: c.name,
    controlPlane: c.kubernetesVersion,
    channel: c.upgrade.channel,
    nodeOsChannel: c.upgrade.nodeOsChannel,
    pools: [poolFromSpec(c.systemPool, c), ...c.userPools.map((p) => poolFromSpec(p, c))],
    resourceGroup: c.resourceGroup,
    ...(c.subscriptionId ? { subscriptionId: c.subscriptionId } : {}),
    supportPlan: c.supportPlan,
    origin: 'fleet spec',
  }));
}
