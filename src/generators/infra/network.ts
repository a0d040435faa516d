/**
 * infra/clusters/<cluster>/network.bicep: the VNet aksfleet creates for a cluster (spec
 * `network.vnet`), one NSG per subnet, and the egress it pins: a NAT gateway with its public IPs
 * on the node subnet (`userAssignedNATGateway`), or an Azure Firewall in AzureFirewallSubnet with
 * the node subnet's route table sending 0.0.0.0/0 to it (`userDefinedRouting`). The cluster's
 * control plane identity gets Network Contributor on what AKS must change (the VNet, the route
 * table or NAT gateway). Values are literal (one file per cluster, read as written by `check`).
 */
import {
  armBody,
  call,
  expr,
  interp,
  str,
  type BicepExpr,
  type BicepFile,
  type BicepObject,
  type Declaration,
} from '../../bicep/index.js';
import { OUR_HUB_VNET, firewallNextHop, hasOwnFirewall, hubOf, routesViaHub } from '../../spec/network.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import { addonImageData, imageFqdnsOf } from '../../facts/addon-image-hosts.js';
import { controllers } from '../flux/platform.js';
import { GENERATED, resource } from './common.js';
import { roleId } from './data.js';

/** Subnet names in the VNet we create (AzureFirewallSubnet is the name Azure requires). */
export const SUBNET_NAMES = {
  nodes: 'nodes',
  pods: 'pods',
  privateEndpoints: 'private-endpoints',
  firewall: 'AzureFirewallSubnet',
} as const;

/** The output listing the pinned egress IPs (comma-separated), also a key of the outputs ConfigMap. */
export const EGRESS_IPS_OUTPUT = 'EGRESS_IPS';

export function vnetName(cluster: Cluster): string {
  return `vnet-${cluster.name}`;
}

/** Our NAT gateway or firewall gives the egress IPs (an output of the deployment). */
export function ownsEgressIps(fleet: Fleet, cluster: Cluster): boolean {
  return (
    cluster.network.vnet !== undefined &&
    (cluster.egress.type === 'userAssignedNATGateway' || hasOwnFirewall(cluster) || routesViaHub(fleet, cluster))
  );
}

/** The hub VNet and its firewall's public IP (infra/hub/main.bicep). */
export const HUB = {
  vnet: OUR_HUB_VNET,
  firewallIp: 'pip-hub-firewall',
  firewall: 'afw-hub',
  policy: 'afwp-hub',
} as const;

/** The peering names: spoke -> hub in the spoke VNet, hub -> spoke in the hub VNet. */
export function peeringNames(cluster: Cluster): { toHub: string; toSpoke: string } {
  return { toHub: 'to-hub', toSpoke: `to-${cluster.name}` };
}

/** Peering properties both ways: VNet access and forwarded traffic (the hub firewall forwards the spokes' egress). */
export const PEERING_PROPERTIES = {
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: true,
  allowGatewayTransit: false,
  useRemoteGateways: false,
} as const;

/** Application rules of a firewall serving several clusters: each rule's FQDNs merged by name. */
export function mergedApplicationRules(
  fleet: Fleet,
  clusters: readonly Cluster[],
): ReturnType<typeof firewallApplicationRules> {
  const byName = new Map<string, ReturnType<typeof firewallApplicationRules>[number]>();
  for (const c of clusters)
    for (const r of firewallApplicationRules(fleet, c)) {
      const prev = byName.get(r.name);
      if (!prev) byName.set(r.name, { ...r, fqdns: r.fqdns ? [...r.fqdns] : undefined });
      else if (prev.fqdns && r.fqdns) prev.fqdns = [...new Set([...prev.fqdns, ...r.fqdns])].sort();
    }
  return [...byName.values()];
}

/**
 * An Azure Firewall with its public IP, policy and rule collection group (AKS network rules, the
 * application rules): for a cluster's own firewall, or the hub's.
 */
export function firewallDecls(o: {
  prefix: string;
  names: { firewallIp: string; policy: string; firewall: string };
  sourceAddresses: string[];
  locations: string[];
  appRules: ReturnType<typeof firewallApplicationRules>;
  subnetId: BicepExpr;
}): Declaration[] {
  const src = o.sourceAddresses;
  const tunnels = o.locations.map((l) => `AzureCloud.${l}`);
  return [
    resource('firewallIp', 'Microsoft.Network/publicIPAddresses', {
      name: o.names.firewallIp,
      location: expr('location'),
      tags: expr('tags'),
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' },
    }),
    resource(
      'firewallPolicy',
      'Microsoft.Network/firewallPolicies',
      {
        name: o.names.policy,
        location: expr('location'),
        tags: expr('tags'),
        properties: { sku: { tier: 'Standard' }, threatIntelMode: 'Alert', dnsSettings: { enableProxy: true } },
      },
      { comment: 'DNS proxy on: network rules name FQDNs (ntp.ubuntu.com).' },
    ),
    resource(
      'firewallRules',
      'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
      {
        parent: expr('firewallPolicy'),
        name: 'aks-egress',
        properties: {
          priority: 200,
          ruleCollections: [
            {
              ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
              name: 'aks-network',
              priority: 100,
              action: { type: 'Allow' },
              rules: [
                {
                  ruleType: 'NetworkRule',
                  name: 'aks-tunnel-udp',
                  ipProtocols: ['UDP'],
                  sourceAddresses: src,
                  destinationAddresses: tunnels,
                  destinationPorts: ['1194'],
                },
                {
                  ruleType: 'NetworkRule',
                  name: 'aks-tunnel-tcp',
                  ipProtocols: ['TCP'],
                  sourceAddresses: src,
                  destinationAddresses: tunnels,
                  destinationPorts: ['9000'],
                },
                {
                  ruleType: 'NetworkRule',
                  name: 'ntp',
                  ipProtocols: ['UDP'],
                  sourceAddresses: src,
                  destinationFqdns: ['ntp.ubuntu.com'],
                  destinationPorts: ['123'],
                },
              ],
            },
            {
              ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
              name: 'aks-application',
              priority: 200,
              action: { type: 'Allow' },
              rules: o.appRules.map((r) => ({
                ruleType: 'ApplicationRule',
                name: r.name,
                description: r.why,
                protocols: [
                  { protocolType: 'Https', port: 443 },
                  ...(r.fqdnTag ? [{ protocolType: 'Http', port: 80 }] : []),
                ],
                sourceAddresses: src,
                ...(r.fqdnTag ? { fqdnTags: [r.fqdnTag] } : { targetFqdns: r.fqdns }),
              })),
            },
          ],
        },
      },
      {
        comment:
          'AKS outbound requirements (learn.microsoft.com/azure/aks/outbound-rules-control-egress) ' +
          "plus the fleet's own sources.",
      },
    ),
    resource(
      'firewall',
      'Microsoft.Network/azureFirewalls',
      {
        name: o.names.firewall,
        location: expr('location'),
        tags: expr('tags'),
        dependsOn: [expr('firewallRules')],
        properties: {
          sku: { name: 'AZFW_VNet', tier: 'Standard' },
          firewallPolicy: { id: expr('firewallPolicy.id') },
          ipConfigurations: [
            {
              name: 'egress',
              properties: { subnet: { id: o.subnetId }, publicIPAddress: { id: expr('firewallIp.id') } },
            },
          ],
        },
      },
      { comment: 'Created after its rules: a policy change while the firewall provisions fails the deployment.' },
    ),
  ];
}

/** Host names of a URL list (deduplicated, sorted): the firewall's application rule targets. */
function hostsOf(urls: readonly string[]): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    const m = /^[a-z]+:\/\/(?:[^@/]*@)?([^/:]+)/i.exec(u) ?? /^[^@]+@([^:/]+):/.exec(u);
    if (m) out.add(m[1]!.toLowerCase());
  }
  return [...out].sort();
}

/**
 * The application rules of the firewall: AKS's required FQDNs (the AzureKubernetesService FQDN
 * tag), MCR, the fleet registry and its data endpoint, the Git host Flux fetches from, the chart
 * repositories of the add-ons, the registries of the add-ons' images (data/addon-image-hosts.json)
 * and, with `flux bootstrap`, the Flux images on ghcr.io.
 */
export function firewallApplicationRules(
  fleet: Fleet,
  cluster: Cluster,
): { name: string; fqdns?: string[]; fqdnTag?: string; why: string }[] {
  const reg = fleet.spec.registry.name.toLowerCase();
  const charts = hostsOf(controllers(fleet).map((c) => c.source.url));
  const rules = [
    {
      name: 'aks-required',
      fqdnTag: 'AzureKubernetesService',
      why: 'AKS required FQDNs (control plane tunnel, node images, packages)',
    },
    {
      name: 'mcr',
      fqdns: ['mcr.microsoft.com', '*.data.mcr.microsoft.com', 'mcr-0001.mcr-msedge.net'],
      why: 'Microsoft Container Registry (AKS system images)',
    },
    {
      name: 'fleet-registry',
      fqdns: [`${reg}.azurecr.io`, `${reg}.${cluster.location}.data.azurecr.io`],
      why: 'the fleet registry and its data endpoint (when not reached through its private endpoint)',
    },
    { name: 'flux-source', fqdns: hostsOf([fleet.spec.git.url]), why: 'the Git repository Flux reconciles' },
  ];
  if (charts.length)
    rules.push({ name: 'helm-charts', fqdns: charts, why: 'the chart repositories of the platform add-ons' });
  const images = imageFqdnsOf(
    addonImageData(),
    controllers(fleet).map((c) => c.release.chart),
  );
  if (images.length)
    rules.push({
      name: 'addon-images',
      fqdns: images,
      why: "the registries of the platform add-ons' images (data/addon-image-hosts.json)",
    });
  if (fleet.spec.gitops.mode === 'bootstrap')
    rules.push({
      name: 'flux-images',
      fqdns: ['ghcr.io', 'pkg-containers.githubusercontent.com'],
      why: 'the Flux controller images (flux bootstrap)',
    });
  return rules;
}

function nsg(symbol: string, name: string, rules: BicepObject[]): Declaration {
  return resource(symbol, 'Microsoft.Network/networkSecurityGroups', {
    name,
    location: expr('location'),
    tags: expr('tags'),
    properties: { securityRules: rules },
  });
}

function roleOn(symbol: string, target: string, why: string): Declaration {
  const id = roleId('Network Contributor');
  return resource(
    symbol,
    'Microsoft.Authorization/roleAssignments',
    armBody(
      {
        roleDefinitionId: call('subscriptionResourceId', 'Microsoft.Authorization/roleDefinitions', id),
        principalId: expr('controlPlanePrincipalId'),
        principalType: 'ServicePrincipal',
        description: `Network Contributor for the control plane identity: ${why}`,
      },
      { scope: expr(target), name: call('guid', expr(`${target}.id`), expr('controlPlanePrincipalId'), id) },
    ),
  );
}

export function networkFile(fleet: Fleet, cluster: Cluster): BicepFile {
  const v = cluster.network.vnet!;
  const c = cluster.name;
  const nat = cluster.egress.type === 'userAssignedNATGateway';
  const firewall = hasOwnFirewall(cluster);
  const hub = hubOf(fleet);
  const viaHub = routesViaHub(fleet, cluster);
  const udr = firewall || viaHub;
  const decls: Declaration[] = [
    { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
    { kind: 'param', name: 'tags', type: 'object', default: {} },
    {
      kind: 'param',
      name: 'controlPlanePrincipalId',
      type: 'string',
      description: "The cluster's control plane identity (user-assigned, created before the cluster).",
    },
  ];
  const ingress = fleet.spec.addons.ingress.enabled;
  decls.push(
    nsg(
      'nsgNodes',
      `nsg-${c}-nodes`,
      ingress
        ? [
            {
              name: 'allow-web-inbound',
              properties: {
                description: 'The ingress add-on publishes HTTP(S) through the cluster load balancer.',
                priority: 100,
                direction: 'Inbound',
                access: 'Allow',
                protocol: 'Tcp',
                sourceAddressPrefix: 'Internet',
                sourcePortRange: '*',
                destinationAddressPrefix: v.nodeSubnet,
                destinationPortRanges: ['80', '443'],
              },
            },
          ]
        : [],
    ),
  );
  if (v.podSubnet) decls.push(nsg('nsgPods', `nsg-${c}-pods`, []));
  if (v.privateEndpointSubnet) decls.push(nsg('nsgEndpoints', `nsg-${c}-private-endpoints`, []));

  const egressIps: BicepExpr[] = [];
  const pip = (symbol: string, name: string) =>
    resource(symbol, 'Microsoft.Network/publicIPAddresses', {
      name,
      location: expr('location'),
      tags: expr('tags'),
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' },
    });
  if (nat) {
    for (let i = 0; i < cluster.egress.natGatewayIps; i++) {
      decls.push(pip(`egressIp${i}`, `pip-${c}-egress-${i}`));
      egressIps.push(expr(`egressIp${i}.properties.ipAddress`));
    }
    decls.push(
      resource(
        'natGateway',
        'Microsoft.Network/natGateways',
        {
          name: `nat-${c}`,
          location: expr('location'),
          tags: expr('tags'),
          sku: { name: 'Standard' },
          properties: {
            idleTimeoutInMinutes: cluster.egress.idleTimeoutMinutes,
            publicIpAddresses: Array.from({ length: cluster.egress.natGatewayIps }, (_, i) => ({
              id: expr(`egressIp${i}.id`),
            })),
          },
        },
        { comment: 'userAssignedNATGateway: every node egresses from these public IPs.' },
      ),
    );
  }
  if (udr) {
    const hop = firewallNextHop(cluster, fleet)!;
    decls.push(
      resource(
        'routes',
        'Microsoft.Network/routeTables',
        {
          name: `rt-${c}`,
          location: expr('location'),
          tags: expr('tags'),
          properties: {
            disableBgpRoutePropagation: false,
            routes: [
              {
                name: 'default-to-firewall',
                properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: hop },
              },
            ],
          },
        },
        {
          comment: [
            `userDefinedRouting: 0.0.0.0/0 goes to the ${viaHub ? 'hub ' : ''}firewall at ${hop}, ` +
              `the first usable address of ${viaHub ? "the hub's " : ''}AzureFirewallSubnet`,
            '(planned, so the table does not wait on the firewall; the output firewallPrivateIp must equal it).',
          ],
        },
      ),
    );
  }
  const subnet = (name: string, prefix: string, more: BicepObject): BicepObject => ({
    name,
    properties: { addressPrefix: prefix, ...more },
  });
  const subnets: BicepObject[] = [
    subnet(SUBNET_NAMES.nodes, v.nodeSubnet, {
      networkSecurityGroup: { id: expr('nsgNodes.id') },
      natGateway: nat ? { id: expr('natGateway.id') } : undefined,
      routeTable: udr ? { id: expr('routes.id') } : undefined,
    }),
  ];
  if (v.podSubnet)
    subnets.push(
      subnet(SUBNET_NAMES.pods, v.podSubnet, {
        networkSecurityGroup: { id: expr('nsgPods.id') },
        natGateway: nat ? { id: expr('natGateway.id') } : undefined,
        routeTable: udr ? { id: expr('routes.id') } : undefined,
      }),
    );
  if (v.privateEndpointSubnet)
    subnets.push(
      subnet(SUBNET_NAMES.privateEndpoints, v.privateEndpointSubnet, {
        networkSecurityGroup: { id: expr('nsgEndpoints.id') },
        privateEndpointNetworkPolicies: 'Enabled',
      }),
    );
  if (v.firewallSubnet) subnets.push(subnet(SUBNET_NAMES.firewall, v.firewallSubnet, {}));
  decls.push(
    resource(
      'vnet',
      'Microsoft.Network/virtualNetworks',
      {
        name: vnetName(cluster),
        location: expr('location'),
        tags: expr('tags'),
        properties: { addressSpace: { addressPrefixes: [v.addressSpace] }, subnets },
      },
      { comment: 'Subnets are declared inline: a separate subnet resource would race the VNet on every redeployment.' },
    ),
  );
  if (firewall) {
    egressIps.push(expr('firewallIp.properties.ipAddress'));
    decls.push(
      ...firewallDecls({
        prefix: c,
        names: { firewallIp: `pip-${c}-firewall`, policy: `afwp-${c}`, firewall: `afw-${c}` },
        sourceAddresses: [v.addressSpace],
        locations: [cluster.location],
        appRules: firewallApplicationRules(fleet, cluster),
        subnetId: interp`${expr('vnet.id')}/subnets/${SUBNET_NAMES.firewall}`,
      }),
    );
  }
  if (hub) {
    const existing = hub.kind === 'existing';
    decls.push(
      resource(
        'toHub',
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        {
          parent: expr('vnet'),
          name: peeringNames(cluster).toHub,
          properties: {
            ...PEERING_PROPERTIES,
            remoteVirtualNetwork: {
              id: existing
                ? hub.vnetId
                : call('resourceId', hub.resourceGroup, 'Microsoft.Network/virtualNetworks', HUB.vnet),
            },
          },
        },
        {
          comment: existing
            ? [
                `Spoke -> the hub you run (${hub.addressSpaces.join(', ')}: ` +
                  `${hub.vnetName} in subscription ${hub.subscriptionId}, resource group ${hub.resourceGroup});`,
                `the hub -> spoke side is infra/hub-owner/peering-${c}.bicep, deployed by the hub's owner.`,
              ]
            : `Spoke -> hub (${hub.addressSpaces.join(', ')} in ${hub.resourceGroup}); ` +
              `the hub -> spoke side is hub-peering.bicep.`,
        },
      ),
    );
    if (viaHub && !existing) {
      decls.push(
        resource(
          'hubFirewallIp',
          'Microsoft.Network/publicIPAddresses',
          { name: HUB.firewallIp, scope: call('resourceGroup', hub.resourceGroup) },
          { existing: true, comment: "The hub firewall's public IP: this spoke egresses from it." },
        ),
      );
      egressIps.push(expr('hubFirewallIp.properties.ipAddress'));
    }
    // An existing hub's egress IPs are the ones spec.hub.existing lists (its firewall is not ours to read).
    if (viaHub && existing) egressIps.push(...hub.egressIps.map((ip) => str(ip)));
  }
  decls.push(roleOn('vnetRole', 'vnet', 'AKS joins the nodes to the subnet and manages the load balancer in it.'));
  if (nat) decls.push(roleOn('natRole', 'natGateway', 'outbound type userAssignedNATGateway.'));
  if (udr)
    decls.push(roleOn('routesRole', 'routes', 'outbound type userDefinedRouting (AKS adds its routes to the table).'));
  const subnetId = (name: string) => interp`${expr('vnet.id')}/subnets/${name}`;
  decls.push(
    { kind: 'output', name: 'vnetId', type: 'string', value: expr('vnet.id') },
    { kind: 'output', name: 'nodeSubnetId', type: 'string', value: subnetId(SUBNET_NAMES.nodes) },
    { kind: 'output', name: 'podSubnetId', type: 'string', value: v.podSubnet ? subnetId(SUBNET_NAMES.pods) : str('') },
    {
      kind: 'output',
      name: 'privateEndpointSubnetId',
      type: 'string',
      value: v.privateEndpointSubnet ? subnetId(SUBNET_NAMES.privateEndpoints) : str(''),
    },
    {
      kind: 'output',
      name: 'egressIps',
      type: 'array',
      value: egressIps,
      description: 'The public IPs every pod egresses from (empty: not pinned by this VNet).',
    },
    {
      kind: 'output',
      name: 'firewallPrivateIp',
      type: 'string',
      value: firewall ? expr('firewall.properties.ipConfigurations[0].properties.privateIPAddress') : str(''),
    },
  );
  return {
    header: [
      GENERATED,
      `The network of cluster ${c}: VNet ${vnetName(cluster)} (${v.addressSpace}), ` +
        `NSGs${nat ? ', NAT gateway' : ''}` +
        `${firewall ? ', Azure Firewall and route table' : viaHub ? ', route table to the hub firewall' : ''}` +
        `${hub ? ', peering to the hub' : ''}.`,
    ],
    declarations: decls,
  };
}
