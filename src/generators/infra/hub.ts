/**
 * Hub and spoke (spec `hub`): infra/hub/main.bicep creates the hub VNet with AzureFirewallSubnet and
 * an Azure Firewall whose rules allow what every spoke's AKS needs (sources: the spoke address
 * spaces); each cluster VNet of ours is a spoke: network.bicep peers it to the hub (and, with
 * egress userDefinedRouting and no firewall of its own, routes 0.0.0.0/0 to the hub firewall),
 * and infra/clusters/<c>/hub-peering.bicep, deployed in the hub's resource group, peers the hub
 * back to the spoke. Values are literal, as in network.bicep.
 */
import { expr, interp, type BicepFile, type Declaration } from '../../bicep/index.js';
import { plannedFirewallIp } from '../../spec/network.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import { GENERATED, resource } from './common.js';
import { HUB, PEERING_PROPERTIES, SUBNET_NAMES, firewallDecls, mergedApplicationRules, peeringNames } from './network.js';

/** The spokes: clusters with a VNet of ours. */
export function spokes(fleet: Fleet): Cluster[] {
  return fleet.spec.clusters.filter((c) => c.network.vnet !== undefined);
}

export function hubFile(fleet: Fleet): BicepFile {
  const hub = fleet.spec.hub!;
  const sp = spokes(fleet);
  const decls: Declaration[] = [
    { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
    { kind: 'param', name: 'tags', type: 'object', default: { fleet: fleet.metadata.name, 'managed-by': 'aksfleet' } },
    resource('vnet', 'Microsoft.Network/virtualNetworks', {
      name: HUB.vnet,
      location: expr('location'),
      tags: expr('tags'),
      properties: { addressSpace: { addressPrefixes: [hub.addressSpace] }, subnets: [{ name: SUBNET_NAMES.firewall, properties: { addressPrefix: hub.firewallSubnet } }] },
    }, { comment: 'The hub: the spokes peer with it (infra/clusters/<cluster>/hub-peering.bicep and network.bicep).' }),
    ...firewallDecls({
      prefix: 'hub',
      names: { firewallIp: HUB.firewallIp, policy: HUB.policy, firewall: HUB.firewall },
      sourceAddresses: sp.map((c) => c.network.vnet!.addressSpace),
      locations: [...new Set(sp.map((c) => c.location))].sort(),
      appRules: mergedApplicationRules(fleet, sp),
      subnetId: interp`${expr('vnet.id')}/subnets/${SUBNET_NAMES.firewall}`,
    }),
    { kind: 'output', name: 'vnetId', type: 'string', value: expr('vnet.id') },
    {
      kind: 'output',
      name: 'firewallPrivateIp',
      type: 'string',
      value: expr('firewall.properties.ipConfigurations[0].properties.privateIPAddress'),
      description: `Must equal ${plannedFirewallIp(hub.firewallSubnet)}, the next hop the spokes' route tables were written with.`,
    },
    { kind: 'output', name: 'egressIp', type: 'string', value: expr('firewallIp.properties.ipAddress'), description: 'The public IP the spokes routed through the hub egress from.' },
  ];
  return {
    header: [
      GENERATED,
      `The hub of fleet ${fleet.metadata.name} in resource group ${hub.resourceGroup}: VNet ${HUB.vnet} (${hub.addressSpace}) and its Azure Firewall; deploy before the clusters.`,
      `Deploy: az deployment group create -g ${hub.resourceGroup} -n aksfleet-hub --template-file main.bicep`,
    ],
    declarations: decls,
  };
}

/** infra/clusters/<c>/hub-peering.bicep: the hub -> spoke peering, in the hub's resource group. */
export function hubPeeringFile(cluster: Cluster): BicepFile {
  return {
    header: [GENERATED, `The hub -> ${cluster.name} peering (deployed in the hub's resource group; the spoke side is in network.bicep).`],
    declarations: [
      { kind: 'param', name: 'spokeVnetId', type: 'string' },
      resource('hub', 'Microsoft.Network/virtualNetworks', { name: HUB.vnet }, { existing: true }),
      resource('toSpoke', 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', {
        parent: expr('hub'),
        name: peeringNames(cluster).toSpoke,
        properties: { ...PEERING_PROPERTIES, remoteVirtualNetwork: { id: expr('spokeVnetId') } },
      }),
    ],
  };
}
