/**
 * Network facts derived from the fleet spec, one place for each: whether an environment uses
 * Private Link, the public access of the shared resources, the Private Link zones and group IDs,
 * the overlay pod CIDR AKS uses, the Azure Firewall's private IP in its subnet, and whether a
 * cluster's egress IPs are pinned. The rules (network-rules.ts), the IaC generator and the
 * checks read these.
 */
import { formatIpv4, parseCidr } from './cidr.js';
import { VNET_ID } from './names.js';
import type { Cluster, Environment, Fleet } from './schema.js';

/**
 * The hub of the fleet, in one shape for both kinds: one aksfleet creates (infra/hub) or one the user runs
 * (spec.hub.existing).
 */
export type Hub =
  | {
      readonly kind: 'ours';
      readonly resourceGroup: string;
      readonly vnetName: string;
      readonly addressSpaces: readonly string[];
      readonly firewallSubnet: string;
      readonly firewallIp: string;
    }
  | {
      readonly kind: 'existing';
      readonly vnetId: string;
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      readonly vnetName: string;
      readonly addressSpaces: readonly string[];
      readonly firewallIp?: string;
      readonly egressIps: readonly string[];
    };

/** The name of the hub VNet aksfleet creates (infra/hub/main.bicep). */
export const OUR_HUB_VNET = 'vnet-hub';

/** spec.hub as a Hub; undefined without one, or when it is malformed (the spec rules say why). */
export function hubOf(fleet: Fleet): Hub | undefined {
  const h = fleet.spec.hub;
  if (!h) return undefined;
  if (h.existing) {
    const m = VNET_ID.exec(h.existing.vnetId);
    if (!m) return undefined;
    return {
      kind: 'existing',
      vnetId: h.existing.vnetId,
      subscriptionId: m[1]!,
      resourceGroup: m[2]!,
      vnetName: m[3]!,
      addressSpaces: h.existing.addressSpace,
      ...(h.existing.firewallPrivateIp !== undefined ? { firewallIp: h.existing.firewallPrivateIp } : {}),
      egressIps: h.existing.egressIps,
    };
  }
  if (
    h.resourceGroup === undefined ||
    h.addressSpace === undefined ||
    h.firewallSubnet === undefined ||
    !parseCidr(h.firewallSubnet)
  )
    return undefined;
  return {
    kind: 'ours',
    resourceGroup: h.resourceGroup,
    vnetName: OUR_HUB_VNET,
    addressSpaces: [h.addressSpace],
    firewallSubnet: h.firewallSubnet,
    firewallIp: plannedFirewallIp(h.firewallSubnet),
  };
}

/** An environment's clusters use private endpoints: `privateLink`, or by default `production`. */
export function usesPrivateLink(env: Environment): boolean {
  return env.privateLink ?? env.production;
}

/** publicNetworkAccess of the registry, Key Vault and backup storage. */
export function sharedPublicNetworkAccess(fleet: Fleet): 'Enabled' | 'Disabled' {
  return (
    fleet.spec.privateLink.publicNetworkAccess ??
    (fleet.spec.environments.every(usesPrivateLink) ? 'Disabled' : 'Enabled')
  );
}

export type PrivateLinkTarget = 'registry' | 'keyVault' | 'blob';

/**
 * The private endpoint group ID and private DNS zone of each shared resource (Azure public cloud).
 * The registry's data endpoint records (`<registry>.<region>.data.privatelink.azurecr.io`) live in
 * the same privatelink.azurecr.io zone; the endpoint's zone group writes both.
 */
export const PRIVATE_LINK: Readonly<
  Record<PrivateLinkTarget, { readonly groupId: string; readonly zone: string; readonly what: string }>
> = {
  registry: { groupId: 'registry', zone: 'privatelink.azurecr.io', what: 'the registry (and its data endpoints)' },
  keyVault: { groupId: 'vault', zone: 'privatelink.vaultcore.azure.net', what: 'the Key Vault' },
  blob: { groupId: 'blob', zone: 'privatelink.blob.core.windows.net', what: 'the backup storage (blob)' },
};

/** AKS's overlay pod CIDR when none is given. */
export const DEFAULT_OVERLAY_POD_CIDR = '10.244.0.0/16';

/** The pod CIDR of an overlay cluster (given or AKS's default); undefined with plugin azure (pods take VNet IPs). */
export function overlayPodCidr(cluster: Cluster): string | undefined {
  return cluster.network.plugin === 'azure' ? undefined : (cluster.network.podCidr ?? DEFAULT_OVERLAY_POD_CIDR);
}

/**
 * The Azure Firewall's private IP: the first usable address of AzureFirewallSubnet (Azure keeps
 * the first four of every subnet; the firewall takes the next). The route table is written with it
 * so it does not depend on the firewall resource (which depends on the VNet the table is on);
 * the deployment outputs the firewall's actual IP, and infra/README.md says to compare them.
 */
export function plannedFirewallIp(firewallSubnet: string): string {
  return formatIpv4(parseCidr(firewallSubnet)!.network + 4);
}

/**
 * A spoke whose egress goes through the hub's firewall: userDefinedRouting, a VNet of ours, no
 * firewall of its own and no firewall IP given, and a hub in the fleet with a firewall (ours, or an
 * existing hub's firewallPrivateIp).
 */
export function routesViaHub(fleet: Fleet, cluster: Cluster): boolean {
  return (
    hubOf(fleet)?.firewallIp !== undefined &&
    cluster.egress.type === 'userDefinedRouting' &&
    cluster.network.vnet !== undefined &&
    cluster.network.vnet.firewallSubnet === undefined &&
    cluster.egress.firewallPrivateIp === undefined
  );
}

/**
 * The next hop of 0.0.0.0/0 with userDefinedRouting: our firewall's planned IP (the cluster's, or the hub's), or the
 * one given.
 */
export function firewallNextHop(cluster: Cluster, fleet?: Fleet): string | undefined {
  if (cluster.egress.type !== 'userDefinedRouting') return undefined;
  const fw = cluster.network.vnet?.firewallSubnet;
  if (fw) return plannedFirewallIp(fw);
  if (fleet && routesViaHub(fleet, cluster)) return hubOf(fleet)!.firewallIp;
  return cluster.egress.firewallPrivateIp;
}

/** A cluster behind an Azure Firewall we create. */
export function hasOwnFirewall(cluster: Cluster): boolean {
  return cluster.egress.type === 'userDefinedRouting' && cluster.network.vnet?.firewallSubnet !== undefined;
}

/** Egress leaves from addresses fixed before the workloads run (NAT gateway IPs or a firewall). */
export function egressPinned(cluster: Cluster): boolean {
  return cluster.egress.type !== 'loadBalancer';
}
