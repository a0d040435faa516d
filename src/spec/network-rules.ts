/**
 * Cross-field rules of cluster networks (run with the others from rules.ts): the subnets of a VNet
 * aksfleet creates lie in its address space and do not overlap; no two VNets of the fleet overlap
 * (they peer, share a hub or reach the same private endpoints); the service CIDR and the overlay
 * pod CIDR stay clear of every VNet; Private Link environments have a subnet for the endpoints
 * and a Premium registry; egress types have the network they need.
 */
import { cidrContains, cidrsOverlap, parseCidr, parseIpv4, type Cidr } from './cidr.js';
import { hubOf, overlayPodCidr, routesViaHub, sharedPublicNetworkAccess, usesPrivateLink } from './network.js';
import type { Cluster, Fleet } from './schema.js';
/** A field path of the spec (as in rules.ts). */
type FieldPath = (string | number)[];

type Push = (path: FieldPath, message: string) => void;

const S = ['spec'];
type VnetSubnet = 'nodeSubnet' | 'podSubnet' | 'privateEndpointSubnet' | 'firewallSubnet';
const SUBNETS: readonly VnetSubnet[] = ['nodeSubnet', 'podSubnet', 'privateEndpointSubnet', 'firewallSubnet'];

/** One VNet's address space and subnets. */
function vnetLayout(c: Cluster, i: number, push: Push): void {
  const v = c.network.vnet;
  const p = [...S, 'clusters', i, 'network'];
  if (c.network.existingSubnets && v)
    push([...p, 'existingSubnets'], 'use either vnet (aksfleet creates it) or existingSubnets (yours), not both');
  if (!v) return;
  const space = parseCidr(v.addressSpace);
  if (!space) return;
  const seen: [VnetSubnet, Cidr][] = [];
  for (const name of SUBNETS) {
    const text = v[name];
    const sub = text === undefined ? undefined : parseCidr(text);
    if (!sub) continue;
    const at = [...p, 'vnet', name];
    if (sub.prefix < space.prefix || !cidrsOverlap(space, sub)) {
      push(at, `${name} ${text} is outside the VNet address space ${v.addressSpace}`);
      continue;
    }
    const clash = seen.find(([, o]) => cidrsOverlap(o, sub));
    if (clash) push(at, `${name} ${text} overlaps ${clash[0]} ${v[clash[0]]}; subnets of one VNet must be disjoint`);
    seen.push([name, sub]);
  }
  if (v.firewallSubnet !== undefined && (parseCidr(v.firewallSubnet)?.prefix ?? 0) > 26)
    push([...p, 'vnet', 'firewallSubnet'], `AzureFirewallSubnet must be /26 or larger (got ${v.firewallSubnet})`);
  if (v.podSubnet !== undefined && c.network.plugin !== 'azure')
    push(
      [...p, 'vnet', 'podSubnet'],
      `a pod subnet applies to plugin 'azure' only; with '${c.network.plugin}' pods take addresses from podCidr`,
    );
  if (v.firewallSubnet !== undefined && c.egress.type !== 'userDefinedRouting')
    push(
      [...p, 'vnet', 'firewallSubnet'],
      "the Azure Firewall is created for egress type 'userDefinedRouting' only; " +
        'set egress.type or remove firewallSubnet',
    );
  const service = parseCidr(c.network.serviceCidr);
  if (service && cidrsOverlap(service, space))
    push(
      [...p, 'serviceCidr'],
      `service CIDR ${c.network.serviceCidr} overlaps the VNet address space ${v.addressSpace}; ` +
        `AKS refuses a service CIDR that overlaps the cluster's subnets`,
    );
}

/**
 * Ranges AKS refuses for the VNet, service and pod address ranges (learn.microsoft.com/azure/aks,
 * "AKS clusters can't use 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, or 192.0.2.0/24").
 */
const AKS_RESERVED = ['169.254.0.0/16', '172.30.0.0/16', '172.31.0.0/16', '192.0.2.0/24'];

function reservedRanges(c: Cluster, i: number, push: Push): void {
  const p = [...S, 'clusters', i, 'network'];
  const ranges: [FieldPath, string | undefined][] = [
    [[...p, 'serviceCidr'], c.network.serviceCidr],
    [[...p, 'podCidr'], c.network.podCidr],
    [[...p, 'vnet', 'addressSpace'], c.network.vnet?.addressSpace],
  ];
  for (const [at, text] of ranges) {
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (!cidr) continue;
    const hit = AKS_RESERVED.find((r) => cidrsOverlap(parseCidr(r)!, cidr));
    if (hit)
      push(
        at,
        `${text} overlaps ${hit}, which AKS reserves (no cluster may use 169.254.0.0/16, ` +
          `172.30.0.0/16, 172.31.0.0/16 or 192.0.2.0/24)`,
      );
  }
}

/** No two VNets of the fleet overlap, nor an overlay pod CIDR any VNet. */
function fleetAddressPlan(f: Fleet, push: Push): void {
  const spaces: { cluster: string; index: number; cidr: Cidr; text: string }[] = [];
  f.spec.clusters.forEach((c, i) => {
    const text = c.network.vnet?.addressSpace;
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (!cidr || text === undefined) return;
    const clash = spaces.find((s) => cidrsOverlap(s.cidr, cidr));
    if (clash)
      push(
        [...S, 'clusters', i, 'network', 'vnet', 'addressSpace'],
        `VNet address space ${text} of cluster '${c.name}' overlaps ${clash.text} of cluster '${clash.cluster}' ` +
          `(spec.clusters[${clash.index}].network.vnet.addressSpace); the VNets of one fleet must not overlap`,
      );
    spaces.push({ cluster: c.name, index: i, cidr, text });
  });
  f.spec.clusters.forEach((c, i) => {
    const pod = overlayPodCidr(c);
    const cidr = pod === undefined ? undefined : parseCidr(pod);
    if (!cidr) return;
    const clash = spaces.find((s) => cidrsOverlap(s.cidr, cidr));
    if (!clash) return;
    const given = c.network.podCidr !== undefined;
    push(
      [...S, 'clusters', i, 'network', given ? 'podCidr' : 'plugin'],
      `${given ? '' : "AKS's default "}overlay pod CIDR ${pod} overlaps the VNet ${clash.text} of cluster ` +
        `'${clash.cluster}'${given ? '' : '; set network.podCidr to a range clear of the fleet VNets'}`,
    );
  });
}

/** Private Link environments: a subnet for the endpoints, a Premium registry; public access consistent. */
function privateLinkNeeds(f: Fleet, push: Push): void {
  const envs = new Map(f.spec.environments.map((e) => [e.name, e]));
  f.spec.clusters.forEach((c, i) => {
    const env = envs.get(c.environment);
    if (!env || !usesPrivateLink(env)) return;
    const p = [...S, 'clusters', i, 'network'];
    const ok = c.network.vnet?.privateEndpointSubnet ?? c.network.existingSubnets?.privateEndpoints;
    if (!ok)
      push(
        c.network.vnet ? [...p, 'vnet'] : c.network.existingSubnets ? [...p, 'existingSubnets'] : p,
        `environment '${env.name}' uses privateLink: cluster '${c.name}' needs ${
          c.network.existingSubnets
            ? 'existingSubnets.privateEndpoints'
            : 'network.vnet with privateEndpointSubnet (or existingSubnets.privateEndpoints)'
        } for its private endpoints`,
      );
  });
  const privateEnvs = f.spec.environments.filter(usesPrivateLink);
  if (privateEnvs.length > 0 && f.spec.registry.sku !== 'Premium')
    push(
      [...S, 'registry', 'sku'],
      `private endpoints on a registry need sku Premium (environments ` +
        `${privateEnvs.map((e) => e.name).join(', ')} use privateLink)`,
    );
  if (sharedPublicNetworkAccess(f) === 'Disabled') {
    const publicEnvs = f.spec.environments.filter(
      (e) => !usesPrivateLink(e) && f.spec.clusters.some((c) => c.environment === e.name),
    );
    if (publicEnvs.length > 0)
      push(
        [...S, 'privateLink', 'publicNetworkAccess'],
        `public access Disabled, but the clusters of ${publicEnvs.map((e) => `'${e.name}'`).join(', ')} ` +
          `have no private endpoints and could no longer pull images or read secrets; set privateLink: ` +
          `true on ${publicEnvs.length > 1 ? 'those environments' : 'that environment'}`,
      );
  }
}

/** Egress types that need a network of ours (or yours). */
function egressNeeds(c: Cluster, i: number, push: Push, hub: boolean): void {
  const p = [...S, 'clusters', i, 'egress'];
  const e = c.egress;
  if (e.type === 'userAssignedNATGateway' && !c.network.vnet)
    push(
      [...p, 'type'],
      'userAssignedNATGateway puts a NAT gateway on the node subnet aksfleet creates: set network.vnet',
    );
  if (e.type === 'userDefinedRouting') {
    const ours = c.network.vnet?.firewallSubnet !== undefined;
    if (ours && (e.firewallPrivateIp || e.subnetId))
      push(
        [...p, 'firewallPrivateIp'],
        'network.vnet.firewallSubnet creates the firewall and its route table: remove firewallPrivateIp and subnetId',
      );
    else if (
      !ours &&
      !(hub && c.network.vnet && !e.firewallPrivateIp) &&
      (!e.firewallPrivateIp || !(e.subnetId ?? c.network.existingSubnets?.nodes))
    )
      push(
        p,
        'userDefinedRouting needs network.vnet.firewallSubnet (aksfleet creates an Azure Firewall), ' +
          'network.vnet with spec.hub (the hub firewall; an existing hub needs hub.existing.firewallPrivateIp), ' +
          'or firewallPrivateIp and subnetId (your firewall and the node subnet whose route table points at it)',
      );
  }
  if (e.subnetId && c.network.vnet)
    push([...p, 'subnetId'], 'the nodes use the subnet of network.vnet: remove egress.subnetId');
  if (e.subnetId && c.network.existingSubnets && e.subnetId !== c.network.existingSubnets.nodes)
    push(
      [...p, 'subnetId'],
      'egress.subnetId differs from network.existingSubnets.nodes: the nodes live in one subnet',
    );
}

export function networkRules(f: Fleet, push: Push): void {
  f.spec.clusters.forEach((c, i) => {
    vnetLayout(c, i, push);
    reservedRanges(c, i, push);
    egressNeeds(c, i, push, hubOf(f)?.firewallIp !== undefined);
  });
  fleetAddressPlan(f, push);
  hubAddressPlan(f, push);
  privateLinkNeeds(f, push);
}

/**
 * The hub: one kind (ours: resourceGroup, addressSpace, firewallSubnet; or existing); our firewall
 * subnet inside the hub and large enough; an existing hub's firewall IP inside its address space;
 * the hub's address space clear of every spoke VNet, service and overlay pod CIDR.
 */
function hubAddressPlan(f: Fleet, push: Push): void {
  const hub = f.spec.hub;
  if (!hub) return;
  const p = [...S, 'hub'];
  const ours = (['resourceGroup', 'addressSpace', 'firewallSubnet'] as const).filter((k) => hub[k] !== undefined);
  let spaces: { text: string; cidr: Cidr; at: FieldPath }[];
  if (hub.existing) {
    if (ours.length)
      push(
        [...p, ours[0]!],
        `${ours.join(', ')}: the hub aksfleet creates; with hub.existing (a hub you run) give only existing`,
      );
    const e = hub.existing;
    spaces = e.addressSpace.flatMap((text, i) => {
      const cidr = parseCidr(text);
      return cidr ? [{ text, cidr, at: [...p, 'existing', 'addressSpace', i] }] : [];
    });
    spaces.forEach((a, i) => {
      const clash = spaces.slice(0, i).find((b) => cidrsOverlap(a.cidr, b.cidr));
      if (clash)
        push(a.at, `hub address prefix ${a.text} overlaps ${clash.text}; the prefixes of one VNet must be disjoint`);
    });
    const ip = e.firewallPrivateIp === undefined ? undefined : parseIpv4(e.firewallPrivateIp);
    if (ip !== undefined && !spaces.some((s) => cidrContains(s.cidr, ip)))
      push(
        [...p, 'existing', 'firewallPrivateIp'],
        `firewallPrivateIp ${e.firewallPrivateIp} is outside the hub address space ` +
          `${e.addressSpace.join(', ')}; the spokes' route to it would lead nowhere`,
      );
    const routed = f.spec.clusters.filter((c) => routesViaHub(f, c)).map((c) => c.name);
    if (routed.length && e.egressIps.length === 0)
      push(
        [...p, 'existing', 'egressIps'],
        `clusters ${routed.join(', ')} egress through the hub firewall: ` +
          `list its public IPs in egressIps (they are the clusters' EGRESS_IPS, ` +
          `the addresses to allow at your services)`,
      );
  } else {
    const missing = (['resourceGroup', 'addressSpace', 'firewallSubnet'] as const).filter((k) => hub[k] === undefined);
    if (missing.length) {
      push(
        p,
        `a hub needs resourceGroup, addressSpace and firewallSubnet (a hub aksfleet creates) ` +
          `or existing (a hub you run); missing: ${missing.join(', ')}`,
      );
      return;
    }
    const space = parseCidr(hub.addressSpace!);
    const fw = parseCidr(hub.firewallSubnet!);
    if (!space || !fw) return;
    if (fw.prefix < space.prefix || !cidrsOverlap(space, fw))
      push(
        [...p, 'firewallSubnet'],
        `firewallSubnet ${hub.firewallSubnet} is outside the hub address space ${hub.addressSpace}`,
      );
    if (fw.prefix > 26)
      push(
        [...p, 'firewallSubnet'],
        `firewallSubnet ${hub.firewallSubnet} is smaller than /26, ` +
          `the least Azure Firewall accepts for AzureFirewallSubnet`,
      );
    spaces = [{ text: hub.addressSpace!, cidr: space, at: [...p, 'addressSpace'] }];
  }
  for (const s of spaces) {
    f.spec.clusters.forEach((c, i) => {
      const spoke = c.network.vnet?.addressSpace;
      const sc = spoke === undefined ? undefined : parseCidr(spoke);
      if (sc && cidrsOverlap(s.cidr, sc))
        push(
          s.at,
          `hub address space ${s.text} overlaps the VNet ${spoke} of cluster '${c.name}' ` +
            `(spec.clusters[${i}].network.vnet.addressSpace); peered VNets must not overlap`,
        );
      for (const [what, text] of [
        ['serviceCidr', c.network.serviceCidr],
        ['overlay pod CIDR', overlayPodCidr(c)],
      ] as const) {
        const x = text === undefined ? undefined : parseCidr(text);
        if (c.network.vnet && x && cidrsOverlap(s.cidr, x))
          push(
            s.at,
            `hub address space ${s.text} overlaps the ${what} ${text} of cluster '${c.name}', ` +
              `which its pods could then not reach through the peering`,
          );
      }
    });
  }
}
