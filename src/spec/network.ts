/**
 * Network facts derived from the fleet spec, one place for each: whether an environment uses
 * Private Link, the public access of the shared resources, the Private Link zones and group IDs,
 * the overlay pod CIDR AKS uses, the Azure Firewall's private IP in its subnet, and whether a
 * cluster's egress IPs are pinned. The rules (network-rules.ts), the IaC generator and the
 * checks read these.
 */
import { formatIpv4, parseCidr } from './cidr.js';
import type { Cluster, Environment, Fleet } from './schema.js';

/** An environment's clusters use private endpoints: `privateLink`, or by default `production`. */
export function usesPrivateLink(env: Environment): boolean {
  return env.privateLink ?? env.production;
}

/** publicNetworkAccess of the registry, Key Vault and backup storage. */
export function sharedPublicNetworkAccess(fleet: Fleet): 'Enabled' | 'Disabled' {
  return fleet.spec.privateLink.publicNetworkAccess ?? (fleet.spec.environments.every(usesPrivateLink) ? 'Disabled' : 'Enabled');
}

export type PrivateLinkTarget = 'registry' | 'keyVault' | 'blob';

/**
 * The private endpoint group ID and private DNS zone of each shared resource (Azure public cloud).
 * The registry's data endpoint records (`<registry>.<region>.data.privatelink.azurecr.io`) live in
 * the same privatelink.azurecr.io zone; the endpoint's zone group writes both.
 */
export const PRIVATE_LINK: Readonly<Record<PrivateLinkTarget, { readonly groupId: string; readonly zone: string; readonly what: string }>> = {
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
 * A spoke whose egress goes through the hub's Azure Firewall: userDefinedRouting, a VNet of ours,
 * no firewall of its own and no firewall IP given, and a hub in the fleet.
 */
export function routesViaHub(fleet: Fleet, cluster: Cluster): boolean {
  return fleet.spec.hub !== undefined && cluster.egress.type === 'userDefinedRouting' && cluster.network.vnet !== undefined && cluster.network.vnet.firewallSubnet === undefined && cluster.egress.firewallPrivateIp === undefined;
}

/** The next hop of 0.0.0.0/0 with userDefinedRouting: our firewall's planned IP (the cluster's, or the hub's), or the one given. */
export function firewallNextHop(cluster: Cluster, fleet?: Fleet): string | undefined {
  if (cluster.egress.type !== 'userDefinedRouting') return undefined;
  const fw = cluster.network.vnet?.firewallSubnet;
  if (fw) return plannedFirewallIp(fw);
  if (fleet && routesViaHub(fleet, cluster)) return plannedFirewallIp(fleet.spec.hub!.firewallSubnet);
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
