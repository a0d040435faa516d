/**
 * infra/clusters/<cluster>/private-endpoints.bicep: for a cluster of a Private Link environment,
 * one private endpoint per shared resource (registry, Key Vault, backup storage) in the cluster's
 * endpoint subnet, the private DNS zone of each (created in the cluster's resource group and
 * linked to its VNet, or a zone the user manages: spec.privateLink.dnsZoneIds) and the zone group
 * that writes the endpoint's A records into it. The registry's data endpoint records
 * (<registry>.<region>.data.privatelink.azurecr.io) go into the same privatelink.azurecr.io zone.
 */
import { expr, type BicepFile, type Declaration } from '../../bicep/index.js';
import { PRIVATE_LINK, type PrivateLinkTarget } from '../../spec/network.js';
import type { Fleet } from '../../spec/schema.js';
import { GENERATED, resource } from './common.js';
import type { ClusterPlan } from './plan.js';

export interface PrivateEndpointPlan {
  readonly target: PrivateLinkTarget;
  readonly symbol: string;
  readonly resource: {
    readonly type: string;
    readonly name: string;
    readonly resourceGroup: string;
    readonly subscriptionId?: string;
  };
  readonly endpointName: string;
  /** A zone the user manages (resource ID), or undefined: we create the zone and its VNet link. */
  readonly zoneId?: string;
}

/** The private endpoints of one cluster (the backup storage only when Velero is on). */
export function privateEndpointPlans(fleet: Fleet, plan: ClusterPlan): PrivateEndpointPlan[] {
  const c = plan.cluster.name;
  const zones = fleet.spec.privateLink.dnsZoneIds;
  const out: PrivateEndpointPlan[] = [
    {
      target: 'registry',
      symbol: 'registry',
      resource: plan.registry,
      endpointName: `pe-${c}-registry`,
      zoneId: zones.registry,
    },
    {
      target: 'keyVault',
      symbol: 'keyVault',
      resource: plan.keyVault,
      endpointName: `pe-${c}-keyvault`,
      zoneId: zones.keyVault,
    },
  ];
  if (plan.backupStorage)
    out.push({
      target: 'blob',
      symbol: 'backupStorage',
      resource: plan.backupStorage,
      endpointName: `pe-${c}-backups-blob`,
      zoneId: zones.blob,
    });
  return out;
}

/** `privatelink.azurecr.io` -> `privatelink-azurecr-io` (a zone config name). */
function zoneConfigName(zone: string): string {
  return zone.replace(/\./g, '-');
}

/** The VNet link name of a cluster in a zone. */
export function dnsLinkName(cluster: string): string {
  return `link-${cluster}`;
}

export function privateEndpointsFile(fleet: Fleet, plan: ClusterPlan): BicepFile {
  const c = plan.cluster.name;
  const decls: Declaration[] = [
    { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
    { kind: 'param', name: 'tags', type: 'object', default: {} },
    {
      kind: 'param',
      name: 'vnetId',
      type: 'string',
      description: "The cluster's VNet: each private DNS zone is linked to it.",
    },
    { kind: 'param', name: 'subnetId', type: 'string', description: 'The subnet of the private endpoints.' },
  ];
  for (const pe of privateEndpointPlans(fleet, plan)) {
    const pl = PRIVATE_LINK[pe.target];
    const r = pe.resource;
    const scope = r.subscriptionId
      ? expr(`resourceGroup('${r.subscriptionId}', '${r.resourceGroup}')`)
      : expr(`resourceGroup('${r.resourceGroup}')`);
    decls.push(
      resource(
        pe.symbol,
        r.type,
        { name: r.name, scope },
        { existing: true, comment: `The shared resource: ${pl.what} (infra/shared).` },
      ),
    );
    const zoneSym = `${pe.symbol}Zone`;
    if (!pe.zoneId) {
      decls.push(
        resource(
          zoneSym,
          'Microsoft.Network/privateDnsZones',
          { name: pl.zone, location: 'global', tags: expr('tags') },
          { comment: `${pl.zone}: answers for ${pl.what} inside the VNet.` },
        ),
        resource(`${pe.symbol}ZoneLink`, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', {
          parent: expr(zoneSym),
          name: dnsLinkName(c),
          location: 'global',
          tags: expr('tags'),
          properties: { registrationEnabled: false, virtualNetwork: { id: expr('vnetId') } },
        }),
      );
    }
    const epSym = `${pe.symbol}Endpoint`;
    decls.push(
      resource(epSym, 'Microsoft.Network/privateEndpoints', {
        name: pe.endpointName,
        location: expr('location'),
        tags: expr('tags'),
        properties: {
          subnet: { id: expr('subnetId') },
          privateLinkServiceConnections: [
            {
              name: pe.endpointName,
              properties: { privateLinkServiceId: expr(`${pe.symbol}.id`), groupIds: [pl.groupId] },
            },
          ],
        },
      }),
      resource(
        `${pe.symbol}EndpointDns`,
        'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
        {
          parent: expr(epSym),
          name: 'default',
          properties: {
            privateDnsZoneConfigs: [
              { name: zoneConfigName(pl.zone), properties: { privateDnsZoneId: pe.zoneId ?? expr(`${zoneSym}.id`) } },
            ],
          },
        },
        {
          comment: pe.zoneId
            ? `A records in the zone you manage (spec.privateLink.dnsZoneIds): link it to ${c}'s VNet yourself.`
            : undefined,
        },
      ),
    );
  }
  return {
    header: [
      GENERATED,
      `Private endpoints of cluster ${c} to the shared registry, ` +
        `Key Vault${plan.backupStorage ? ' and backup storage' : ''}, with their private DNS zones.`,
    ],
    declarations: decls,
  };
}
