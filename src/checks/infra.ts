/**
 * The Azure-side facts the IaC<->GitOps rules compare with. aksfleet's infra/ is generated
 * from fleet.yaml, so the fleet spec is the authoritative description of what infra creates:
 * clusters (version, pools, private API), the fleet registry and Key Vault, and one
 * federated credential per workload identity per cluster the tenant runs on (subject
 * system:serviceaccount:<ns>:<sa>, issuer = that cluster's OIDC issuer).
 */
import { environmentOf, identityNamespace, registryLoginServer } from '../model/fleet-model.js';
import { tenantsOn } from '../spec/placement.js';
import { identityClientIdVar } from '../spec/identities.js';
import type { Fleet } from '../spec/schema.js';
import type { ParsedDoc } from '../yaml/parse.js';
import type { InfraCluster, InfraInfo, InfraIdentity } from './types.js';
import { backupInstancesFromFleet, readBackupInstance } from './infra-backup.js';
import {
  clusterNetworkFromFleet,
  firewallFileCandidates,
  readFirewallFqdns,
  readOutboundType,
  readPrivateEndpoints,
  readSharedAccess,
  requiredGroupIds,
  sharedAccessFromFleet,
} from './infra-network.js';

/** The symbolic OIDC issuer of a cluster (the URL is only known once the cluster exists). */
export function oidcIssuerOf(cluster: string): string {
  return `oidc-issuer(${cluster})`;
}

export function infraFromFleet(fleet: Fleet, file = 'fleet.yaml', doc?: ParsedDoc): InfraInfo {
  const line = (path: (string | number)[]) => doc?.posOf(path).line;
  const clusters = fleet.spec.clusters.map((c, i) => ({
    name: c.name,
    environment: c.environment,
    production: environmentOf(fleet, c).production,
    private: c.apiServer.private,
    kubernetesVersion: c.kubernetesVersion,
    oidcIssuer: oidcIssuerOf(c.name),
    pools: [c.systemPool, ...c.userPools].map((p) => ({
      name: p.name,
      count: p.count,
      min: p.autoscale?.min,
      max: p.autoscale?.max,
      orchestratorVersion: p.orchestratorVersion,
    })),
    file,
    line: line(['spec', 'clusters', i]),
    network: clusterNetworkFromFleet(fleet, i, file, doc),
  }));
  const identities = new Map<
    string,
    InfraIdentity & { federatedCredentials: { cluster: string; issuer: string; subject: string }[] }
  >();
  fleet.spec.tenants.forEach((t, ti) => {
    t.workloadIdentities.forEach((wi, wi_i) => {
      let ident = identities.get(wi.identityName);
      if (!ident) {
        ident = {
          name: wi.identityName,
          clientIdRefs: [`\${${identityClientIdVar(wi)}}`],
          federatedCredentials: [],
          file,
          line: line(['spec', 'tenants', ti, 'workloadIdentities', wi_i]),
        };
        identities.set(wi.identityName, ident);
      }
      for (const c of fleet.spec.clusters) {
        if (!tenantsOn(fleet, c).includes(t)) continue;
        ident.federatedCredentials.push({
          cluster: c.name,
          issuer: oidcIssuerOf(c.name),
          subject: `system:serviceaccount:${identityNamespace(t, wi)}:${wi.serviceAccount}`,
        });
      }
    });
  });
  const backup = backupInstancesFromFleet(fleet, file, doc);
  return {
    file,
    clusters,
    registryLoginServer: registryLoginServer(fleet),
    keyVaultName: fleet.spec.keyVault.name,
    tenantId: fleet.spec.tenantId,
    identities: [...identities.values()],
    sharedAccess: sharedAccessFromFleet(fleet, file, doc),
    privateLinkGroupIds: requiredGroupIds(fleet),
    ...(backup ? { backupInstances: backup } : {}),
  };
}

/** What infra/clusters/<name>/main.bicep (as aksfleet's IaC generator writes it) says. */
export interface BicepClusterFacts {
  readonly file: string;
  /** `output NAME string = ...` names: the keys of the aksfleet-outputs ConfigMap. */
  readonly outputs: readonly string[];
  /** The identities module's entries, in order. */
  readonly identities: readonly { name: string; namespace: string; serviceAccount: string; line: number }[];
  /** Output variable -> index into identities (`identities.outputs.identities[i].clientId`). */
  readonly clientIdOutputs: Readonly<Record<string, number>>;
}

const unq = (s: string) => s.replace(/^'|'$/g, '').replace(/\\'/g, "'");

/**
 * Reads the facts the IaC<->GitOps rules need from a generated cluster Bicep file: its outputs
 * and the `identities: [ { name, namespace, serviceAccount, ... } ]` parameter of the identity
 * module. Tolerant: what it cannot read is left out (and the rules fall back to fleet.yaml).
 */
export function readClusterBicep(text: string, file: string): BicepClusterFacts {
  const lines = text.split('\n');
  const outputs: string[] = [];
  const clientIdOutputs: Record<string, number> = {};
  for (const l of lines) {
    const m = /^output\s+([A-Za-z_][A-Za-z0-9_]*)\s+string\s*=\s*(.*)$/.exec(l.trim());
    if (!m) continue;
    outputs.push(m[1]!);
    const idx = /identities\.outputs\.identities\[(\d+)\]\.clientId/.exec(m[2]!);
    if (idx) clientIdOutputs[m[1]!] = Number(idx[1]);
  }
  const identities: { name: string; namespace: string; serviceAccount: string; line: number }[] = [];
  const start = lines.findIndex((l) => /^module\s+identities\s/.test(l.trim()));
  if (start >= 0) {
    const arrStart = lines.findIndex((l, i) => i > start && /^identities:\s*\[/.test(l.trim()));
    let cur: Record<string, string> & { line?: number } = {};
    for (let i = arrStart + 1; arrStart >= 0 && i < lines.length; i++) {
      const t = lines[i]!.trim();
      if (t === ']') break;
      if (t === '{') {
        cur = { line: i + 1 } as never;
        continue;
      }
      if (t === '}') {
        if (cur.name && cur.namespace && cur.serviceAccount)
          identities.push({
            name: cur.name,
            namespace: cur.namespace,
            serviceAccount: cur.serviceAccount,
            line: Number(cur.line),
          });
        continue;
      }
      const kv = /^([A-Za-z]+):\s*('(?:[^'\\]|\\.)*')$/.exec(t);
      if (kv) cur[kv[1]!] = unq(kv[2]!);
    }
  }
  return { file, outputs, identities, clientIdOutputs };
}

/**
 * Azure-side facts of an aksfleet repository: the fleet spec for clusters, registry and Key
 * Vault; the generated infra/clusters/<name>/main.bicep files (when present) for identities,
 * federated credentials and output variables, so a hand-edited or stale infra/ is compared as
 * it is, not as fleet.yaml would regenerate it.
 */
export function infraFromRepo(
  fleetInfra: InfraInfo,
  read: {
    isFile(p: string): boolean;
    readFile(p: string): string;
    list(p: string): string[];
    isDir(p: string): boolean;
  },
): { infra: InfraInfo; outputsByCluster: Record<string, string[]> } {
  const outputsByCluster: Record<string, string[]> = {};
  if (!read.isDir('infra/clusters')) return { infra: fleetInfra, outputsByCluster };
  const dirs = read.list('infra/clusters').filter((n) => read.isFile(`infra/clusters/${n}/main.bicep`));
  const identities = new Map<
    string,
    {
      name: string;
      clientIdRefs: Set<string>;
      federatedCredentials: { cluster: string; issuer: string; subject: string; file: string; line: number }[];
      file: string;
      line: number;
    }
  >();
  for (const c of dirs) {
    const file = `infra/clusters/${c}/main.bicep`;
    const facts = readClusterBicep(read.readFile(file), file);
    outputsByCluster[c] = [...facts.outputs];
    facts.identities.forEach((id, i) => {
      let e = identities.get(id.name);
      if (!e) {
        e = { name: id.name, clientIdRefs: new Set(), federatedCredentials: [], file, line: id.line };
        identities.set(id.name, e);
      }
      e.federatedCredentials.push({
        cluster: c,
        issuer: oidcIssuerOf(c),
        subject: `system:serviceaccount:${id.namespace}:${id.serviceAccount}`,
        file,
        line: id.line,
      });
      for (const [out, idx] of Object.entries(facts.clientIdOutputs)) if (idx === i) e.clientIdRefs.add(`\${${out}}`);
    });
  }
  const clusters = fleetInfra.clusters.map((c) => {
    const f = `infra/clusters/${c.name}/main.bicepparam`;
    if (!read.isFile(f)) return c;
    const text = read.readFile(f);
    const facts = readClusterBicepParam(text, f);
    let network = c.network;
    if (network) {
      // As written: the private endpoints file (none: no endpoints) and the outbound type.
      const pe = `infra/clusters/${c.name}/private-endpoints.bicep`;
      const endpoints = read.isFile(pe) ? readPrivateEndpoints(read.readFile(pe), pe) : [];
      const out = readOutboundType(text);
      network = {
        ...network,
        endpoints,
        endpointsFile: read.isFile(pe) ? pe : `infra/clusters/${c.name}/main.bicep`,
        endpointsLine: 1,
        ...(out
          ? { egressType: out.type, firewall: out.type === 'userDefinedRouting', egressFile: f, egressLine: out.line }
          : {}),
      };
      if (network.firewall) {
        // The first candidate that declares firewall rules: the cluster's own firewall, else the hub's.
        for (const fw of firewallFileCandidates(c.name)) {
          const fqdns = read.isFile(fw) ? readFirewallFqdns(read.readFile(fw)) : undefined;
          if (fqdns) {
            network = { ...network, firewallFqdns: { fqdns, file: fw } };
            break;
          }
        }
      }
    }
    return { ...c, ...facts, line: facts.versionLine ?? 1, network };
  });
  const sharedFile = 'infra/shared/main.bicepparam';
  const sharedAccess =
    (read.isFile(sharedFile) ? readSharedAccess(read.readFile(sharedFile), sharedFile) : undefined) ??
    fleetInfra.sharedAccess;
  const backupInstances = fleetInfra.backupInstances?.map((b) => {
    const f = `infra/clusters/${b.cluster}/backup-instance.bicep`;
    return (read.isFile(f) ? readBackupInstance(read.readFile(f), f, b.cluster) : undefined) ?? b;
  });
  const known = new Set(fleetInfra.clusters.map((c) => c.name));
  const extra = dirs
    .filter((d) => !known.has(d))
    .map((d) => ({
      name: d,
      production: false,
      oidcIssuer: oidcIssuerOf(d),
      pools: [],
      file: `infra/clusters/${d}/main.bicep`,
      line: 1,
    }));
  return {
    infra: {
      ...fleetInfra,
      sharedAccess,
      ...(backupInstances ? { backupInstances } : {}),
      clusters: [...clusters, ...extra],
      identities: [...identities.values()].map(
        (i) =>
          ({
            name: i.name,
            clientIdRefs: [...i.clientIdRefs].sort(),
            federatedCredentials: i.federatedCredentials,
            file: i.file,
            line: i.line,
          }) as InfraIdentity,
      ),
    },
    outputsByCluster,
  };
}

/** Cluster facts from a generated infra/clusters/<name>/main.bicepparam (version, pools, private API). */
export function readClusterBicepParam(text: string, file: string): Partial<InfraCluster> & { file: string } {
  const lines = text.split('\n');
  let param = '';
  let kubernetesVersion: string | undefined;
  let versionLine: number | undefined;
  let priv: boolean | undefined;
  let privateLine: number | undefined;
  const pools: {
    name: string;
    count: number;
    min?: number;
    max?: number;
    orchestratorVersion?: string;
    line: number;
  }[] = [];
  let pool: (typeof pools)[number] | undefined;
  lines.forEach((raw, i) => {
    const top = /^param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (top) {
      param = top[1]!;
      pool = undefined;
      if (param === 'kubernetesVersion') {
        kubernetesVersion = unq(top[2]!.trim());
        versionLine = i + 1;
      }
      return;
    }
    const kv = /^(\s*)([A-Za-z]+):\s*(.*)$/.exec(raw);
    if (!kv) return;
    const [, indent, key, value] = kv as unknown as [string, string, string, string];
    if (param === 'systemPool' || param === 'userPools') {
      const poolIndent = param === 'systemPool' ? 2 : 4;
      if (key === 'name' && indent.length === poolIndent) {
        pool = { name: unq(value.trim()), count: 0, line: i + 1 };
        pools.push(pool);
        return;
      }
      if (!pool) return;
      const n = Number(value.trim());
      if (key === 'count' && Number.isFinite(n)) pool.count = n;
      else if (key === 'minCount' && Number.isFinite(n)) pool.min = n;
      else if (key === 'maxCount' && Number.isFinite(n)) pool.max = n;
      else if (key === 'orchestratorVersion') pool.orchestratorVersion = unq(value.trim());
    } else if (param === 'apiServerAccessProfile' && key === 'enablePrivateCluster') {
      priv = value.trim() === 'true';
      privateLine = i + 1;
    }
  });
  return {
    file,
    ...(kubernetesVersion !== undefined ? { kubernetesVersion, versionLine } : {}),
    ...(priv !== undefined ? { private: priv, privateLine } : {}),
    ...(pools.length ? { pools } : {}),
  };
}
