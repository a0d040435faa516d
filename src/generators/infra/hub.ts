/**
 * Hub and spoke (spec `hub`): infra/hub/main.bicep creates the hub VNet with AzureFirewallSubnet and
 * an Azure Firewall whose rules allow what every spoke's AKS needs (sources: the spoke address
 * spaces); each cluster VNet of ours is a spoke: network.bicep peers it to the hub (and, with
 * egress userDefinedRouting and no firewall of its own, routes 0.0.0.0/0 to the hub firewall),
 * and infra/clusters/<c>/hub-peering.bicep, deployed in the hub's resource group, peers the hub
 * back to the spoke. Values are literal, as in network.bicep.
 *
 * With a hub the user already runs (`hub.existing`, possibly in another subscription) nothing of the
 * hub is created: network.bicep peers the spoke to it, and infra/hub-owner/peering-<c>.bicep is the
 * hub -> spoke peering for the hub's owner to deploy in the hub's subscription and resource group
 * (a cluster deployment has no rights there, so it is not a module of main.bicep).
 */
import { expr, interp, type BicepFile, type Declaration } from '../../bicep/index.js';
import { hubOf, type Hub } from '../../spec/network.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import { GENERATED, resource } from './common.js';
import {
  HUB,
  PEERING_PROPERTIES,
  SUBNET_NAMES,
  firewallDecls,
  mergedApplicationRules,
  peeringNames,
} from './network.js';

/** The spokes: clusters with a VNet of ours. */
export function spokes(fleet: Fleet): Cluster[] {
  return fleet.spec.clusters.filter((c) => c.network.vnet !== undefined);
}

export function hubFile(fleet: Fleet): BicepFile {
  const hub = fleet.spec.hub as { resourceGroup: string; addressSpace: string; firewallSubnet: string };
  const planned = hubOf(fleet)!.firewallIp;
  const sp = spokes(fleet);
  const decls: Declaration[] = [
    { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
    { kind: 'param', name: 'tags', type: 'object', default: { fleet: fleet.metadata.name, 'managed-by': 'aksfleet' } },
    resource(
      'vnet',
      'Microsoft.Network/virtualNetworks',
      {
        name: HUB.vnet,
        location: expr('location'),
        tags: expr('tags'),
        properties: {
          addressSpace: { addressPrefixes: [hub.addressSpace] },
          subnets: [{ name: SUBNET_NAMES.firewall, properties: { addressPrefix: hub.firewallSubnet } }],
        },
      },
      { comment: 'The hub: the spokes peer with it (infra/clusters/<cluster>/hub-peering.bicep and network.bicep).' },
    ),
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
      description: `Must equal ${planned}, the next hop the spokes' route tables were written with.`,
    },
    {
      kind: 'output',
      name: 'egressIp',
      type: 'string',
      value: expr('firewallIp.properties.ipAddress'),
      description: 'The public IP the spokes routed through the hub egress from.',
    },
  ];
  return {
    header: [
      GENERATED,
      `The hub of fleet ${fleet.metadata.name} in resource group ${hub.resourceGroup}: ` +
        `VNet ${HUB.vnet} (${hub.addressSpace}) and its Azure Firewall; deploy before the clusters.`,
      `Deploy: az deployment group create -g ${hub.resourceGroup} -n aksfleet-hub --template-file main.bicep`,
    ],
    declarations: decls,
  };
}

/**
 * Where the hub -> spoke peering of a cluster is written: beside the cluster (our hub), or for the hub's owner (an
 * existing hub).
 */
export function hubPeeringPath(hub: Hub, cluster: Cluster): string {
  return hub.kind === 'existing'
    ? `infra/hub-owner/peering-${cluster.name}.bicep`
    : `infra/clusters/${cluster.name}/hub-peering.bicep`;
}

/** The spoke VNet's resource ID, when the cluster names its subscription. */
function spokeVnetId(cluster: Cluster): string | undefined {
  return cluster.subscriptionId === undefined
    ? undefined
    : `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.resourceGroup}/` +
        `providers/Microsoft.Network/virtualNetworks/vnet-${cluster.name}`;
}

/** The deployment command of the hub owner's peering file (README and the file's header say the same). */
export function hubOwnerDeployCommand(hub: Extract<Hub, { kind: 'existing' }>, cluster: Cluster): string {
  const param =
    spokeVnetId(cluster) === undefined
      ? ` --parameters spokeVnetId="$(az network vnet show -g ${cluster.resourceGroup} -n vnet-${cluster.name} ` +
        `--query id -o tsv)"`
      : '';
  return (
    `az deployment group create --subscription ${hub.subscriptionId} -g ${hub.resourceGroup} ` +
    `-n aksfleet-peering-${cluster.name} --template-file ${hubPeeringPath(hub, cluster)}${param}`
  );
}

/**
 * The hub -> spoke peering, in the hub's resource group: infra/clusters/<c>/hub-peering.bicep for our
 * hub (a module of the cluster's main.bicep), infra/hub-owner/peering-<c>.bicep for an existing hub.
 */
export function hubPeeringFile(cluster: Cluster, hub: Hub): BicepFile {
  const existing = hub.kind === 'existing';
  const known = spokeVnetId(cluster);
  return {
    header: existing
      ? [
          GENERATED,
          `For the owner of the hub VNet ${hub.vnetName} (subscription ${hub.subscriptionId}, ` +
            `resource group ${hub.resourceGroup}): the hub -> ${cluster.name} peering.`,
          `The spoke side is in infra/clusters/${cluster.name}/network.bicep; ` +
            `traffic flows once both sides exist. Deploy after the cluster's VNet:`,
          hubOwnerDeployCommand(hub, cluster),
        ]
      : [
          GENERATED,
          `The hub -> ${cluster.name} peering (deployed in the hub's resource group; ` +
            `the spoke side is in network.bicep).`,
        ],
    declarations: [
      {
        kind: 'param',
        name: 'spokeVnetId',
        type: 'string',
        ...(existing && known ? { default: known } : {}),
        ...(existing
          ? {
              description:
                `The VNet of cluster ${cluster.name} (vnet-${cluster.name} ` +
                `in resource group ${cluster.resourceGroup}).`,
            }
          : {}),
      },
      resource('hub', 'Microsoft.Network/virtualNetworks', { name: hub.vnetName }, { existing: true }),
      resource('toSpoke', 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', {
        parent: expr('hub'),
        name: peeringNames(cluster).toSpoke,
        properties: { ...PEERING_PROPERTIES, remoteVirtualNetwork: { id: expr('spokeVnetId') } },
      }),
    ],
  };
}
