/**
 * The network facts of the IaC<->GitOps rules (rules/network.ts): public access of the shared
 * resources, each cluster's private endpoints with their DNS zone links, its egress type and
 * whether a firewall is declared. From fleet.yaml (what the generator creates), then, where the
 * generated files exist, from them as written: infra/shared/main.bicepparam,
 * infra/clusters/<c>/private-endpoints.bicep and main.bicepparam (a hand edit is judged as is).
 */
import { PRIVATE_LINK, sharedPublicNetworkAccess, usesPrivateLink } from '../spec/network.js';
import type { Fleet } from '../spec/schema.js';
import { hasBackupStorage } from '../spec/backup.js';
import type { ParsedDoc } from '../yaml/parse.js';
import type { InfraClusterNetwork, InfraPrivateEndpoint, InfraSharedAccess } from './types.js';

type Line = (path: (string | number)[]) => number | undefined;

/** Group IDs every Private Link cluster needs an endpoint for. */
export function requiredGroupIds(fleet: Fleet): string[] {
  return [
    PRIVATE_LINK.registry.groupId,
    PRIVATE_LINK.keyVault.groupId,
    ...(hasBackupStorage(fleet) ? [PRIVATE_LINK.blob.groupId] : []),
  ];
}

export function sharedAccessFromFleet(fleet: Fleet, file: string, doc?: ParsedDoc): InfraSharedAccess {
  const line: Line = (p) => doc?.posOf(p).line;
  const given = fleet.spec.privateLink.publicNetworkAccess !== undefined;
  return {
    publicNetworkAccess: sharedPublicNetworkAccess(fleet),
    file,
    line: line(given ? ['spec', 'privateLink', 'publicNetworkAccess'] : ['spec', 'environments']),
  };
}

export function clusterNetworkFromFleet(
  fleet: Fleet,
  index: number,
  file: string,
  doc?: ParsedDoc,
): InfraClusterNetwork {
  const c = fleet.spec.clusters[index]!;
  const env = fleet.spec.environments.find((e) => e.name === c.environment);
  const line: Line = (p) => doc?.posOf(p).line;
  const privateLink = env ? usesPrivateLink(env) : false;
  const at = line(['spec', 'clusters', index, 'network']);
  return {
    privateLink,
    endpoints: privateLink ? requiredGroupIds(fleet).map((groupId) => ({ groupId, linked: true, file, line: at })) : [],
    endpointsFile: file,
    endpointsLine: at,
    egressType: c.egress.type,
    firewall: c.egress.type === 'userDefinedRouting',
    egressFile: file,
    egressLine: line(['spec', 'clusters', index, 'egress']),
  };
}

const unq = (s: string) => s.trim().replace(/^'|'$/g, '');

/** `param publicNetworkAccess = 'Disabled'` of infra/shared/main.bicepparam. */
export function readSharedAccess(text: string, file: string): InfraSharedAccess | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^param\s+publicNetworkAccess\s*=/.test(l));
  if (i < 0) return undefined;
  const v = unq(lines[i]!.replace(/^param\s+publicNetworkAccess\s*=/, ''));
  return { publicNetworkAccess: v === 'Disabled' ? 'Disabled' : 'Enabled', file, line: i + 1 };
}

/** Top-level `resource sym 'type@v' ... = {` blocks of a Bicep file, with their text and line. */
function resourceBlocks(text: string): { symbol: string; type: string; body: string; line: number }[] {
  const lines = text.split('\n');
  const out: { symbol: string; type: string; body: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^resource\s+(\w+)\s+'([^'@]+)@[^']*'/.exec(lines[i]!);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '}') j++;
    out.push({ symbol: m[1]!, type: m[2]!, body: lines.slice(i, j + 1).join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

/**
 * The private endpoints of infra/clusters/<c>/private-endpoints.bicep: each endpoint's group ID,
 * and whether its zone group points at a zone linked to the VNet here (or at a zone the user
 * manages, given by resource ID, whose links are theirs).
 */
export function readPrivateEndpoints(text: string, file: string): InfraPrivateEndpoint[] {
  const blocks = resourceBlocks(text);
  const out: InfraPrivateEndpoint[] = [];
  for (const ep of blocks.filter((b) => b.type === 'Microsoft.Network/privateEndpoints')) {
    const groupId = /groupIds:\s*\[\s*'([^']+)'/.exec(ep.body)?.[1];
    if (!groupId) continue;
    const group = blocks.find(
      (b) =>
        b.type === 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups' &&
        new RegExp(`^\\s*parent:\\s*${ep.symbol}\\s*$`, 'm').test(b.body),
    );
    const zoneRef = group && /privateDnsZoneId:\s*(.+)$/m.exec(group.body)?.[1]?.trim();
    let linked = false;
    let zone: string | undefined;
    if (zoneRef?.startsWith("'"))
      linked = true; // a zone the user manages
    else if (zoneRef) {
      const zoneSym = zoneRef.replace(/\.id$/, '');
      zone = blocks.find((b) => b.symbol === zoneSym)?.body.match(/^\s*name:\s*'([^']+)'/m)?.[1];
      linked = blocks.some(
        (b) =>
          b.type === 'Microsoft.Network/privateDnsZones/virtualNetworkLinks' &&
          new RegExp(`^\\s*parent:\\s*${zoneSym}\\s*$`, 'm').test(b.body) &&
          /virtualNetwork:\s*\{\s*\n\s*id:\s*vnetId/.test(b.body),
      );
    }
    out.push({ groupId, linked, zone, hasZoneGroup: group !== undefined, file, line: ep.line });
  }
  return out;
}

/** `outboundType: '...'` of a cluster's main.bicepparam, with its line. */
export function readOutboundType(text: string): { type: string; line: number } | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s+outboundType:\s*'/.test(l));
  return i < 0 ? undefined : { type: unq(lines[i]!.replace(/^\s+outboundType:/, '')), line: i + 1 };
}

/**
 * The FQDNs the application rules of a firewall's Bicep file allow: every `targetFqdns` list of
 * an `ApplicationRule` (a cluster's network.bicep or the hub's main.bicep); undefined when the
 * file declares no Azure Firewall policy rules.
 */
export function readFirewallFqdns(text: string): string[] | undefined {
  if (!/'Microsoft\.Network\/firewallPolicies\/ruleCollectionGroups@/.test(text)) return undefined;
  const out = new Set<string>();
  for (const m of text.matchAll(/targetFqdns:\s*\[([^\]]*)\]/g))
    for (const q of m[1]!.matchAll(/'([^']+)'/g)) out.add(q[1]!.toLowerCase());
  return [...out].sort();
}

/** Where the firewall of a userDefinedRouting cluster is declared: its own network.bicep, or the hub's. */
export function firewallFileCandidates(cluster: string): string[] {
  return [`infra/clusters/${cluster}/network.bicep`, 'infra/hub/main.bicep'];
}
