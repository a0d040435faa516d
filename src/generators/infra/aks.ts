/**
 * infra/modules/aks.bicep (the cluster, its user pools and maintenance windows, one module for
 * every cluster) and the per-cluster values it takes (written to main.bicepparam).
 *
 * Bodies are typed with the models of @azure/arm-containerservice, so a misspelt property is a
 * compile error; `armBody`/`wireShape` turn them into the ARM request shape.
 */
import type {
  AgentPool,
  ContainerServiceNetworkProfile,
  MaintenanceConfiguration,
  ManagedCluster,
  ManagedClusterAgentPoolProfile,
  ManagedClusterAgentPoolProfileProperties,
  ManagedClusterAPIServerAccessProfile,
  ManagedClusterAutoUpgradeProfile,
  ManagedClusterPropertiesAutoScalerProfile,
} from '@azure/arm-containerservice';
import {
  armBody,
  expr,
  exprKey,
  interp,
  wireShape,
  type BicepFile,
  type BicepObject,
  type BicepValue,
  type Bicepable,
} from '../../bicep/index.js';
import type { Cluster, NodePool } from '../../spec/schema.js';
import { GENERATED, resource, ternary } from './common.js';
import { apiVersion } from './data.js';

const MC = 'Microsoft.ContainerService/managedClusters';

// ---------------------------------------------------------------------------------------------
// Per-cluster values (main.bicepparam)

function poolCommon(pool: NodePool, cluster: Cluster): Bicepable<ManagedClusterAgentPoolProfileProperties> & object {
  const autoscale = pool.autoscale;
  return {
    mode: pool.mode,
    vmSize: pool.vmSize,
    osType: pool.osType,
    osSKU: pool.osSku,
    count: pool.count,
    enableAutoScaling: autoscale !== undefined,
    minCount: autoscale?.min,
    maxCount: autoscale?.max,
    availabilityZones: pool.zones.length ? pool.zones : undefined,
    nodeTaints: pool.taints.length ? pool.taints : undefined,
    nodeLabels: Object.keys(pool.labels).length ? pool.labels : undefined,
    orchestratorVersion: pool.orchestratorVersion ?? cluster.kubernetesVersion,
    type: 'VirtualMachineScaleSets',
    upgradeSettings: { maxSurge: pool.maxSurge },
    // A subnet of the user's VNet (existingSubnets, or the UDR subnet of their firewall). The VNet
    // aksfleet creates (network.vnet) is wired in main.bicep from the network module's outputs.
    vnetSubnetID:
      cluster.network.existingSubnets?.nodes ??
      (cluster.egress.type === 'userDefinedRouting' ? cluster.egress.subnetId : undefined),
  };
}

/** The system pool, inline in agentPoolProfiles (AKS needs one at creation). */
export function systemPoolSdk(cluster: Cluster): Bicepable<ManagedClusterAgentPoolProfile> {
  return { name: cluster.systemPool.name, ...poolCommon(cluster.systemPool, cluster) };
}
export function systemPoolProfile(cluster: Cluster): BicepObject {
  return wireShape(systemPoolSdk(cluster));
}

/** User pools: `{ name, properties }` for `managedClusters/agentPools` children. */
export function userPoolSdk(cluster: Cluster): Bicepable<AgentPool>[] {
  // In the AgentPool model `type` is the ARM resource type; the pool type is typePropertiesType
  // (wire name properties.type). The SDK serializer oracle (test/infra/arm-shape.test.ts) caught this.
  return cluster.userPools.map((pool) => {
    const { type, ...rest } = poolCommon(pool, cluster) as { type?: string } & Record<string, unknown>;
    const ap: Bicepable<AgentPool> = { ...(rest as Bicepable<AgentPool> & object), typePropertiesType: type };
    return ap;
  });
}
export function userPoolBodies(cluster: Cluster): BicepObject[] {
  return userPoolSdk(cluster).map((ap, i) => armBody(ap, { name: cluster.userPools[i]!.name }));
}

export function networkProfile(cluster: Cluster): BicepObject {
  return wireShape(networkProfileSdk(cluster));
}
export function networkProfileSdk(cluster: Cluster): Bicepable<ContainerServiceNetworkProfile> {
  const n = cluster.network;
  const e = cluster.egress;
  const overlay = n.plugin !== 'azure';
  const np: Bicepable<ContainerServiceNetworkProfile> = {
    networkPlugin: 'azure',
    networkPluginMode: overlay ? 'overlay' : undefined,
    networkDataplane: n.plugin === 'cilium' ? 'cilium' : 'azure',
    networkPolicy: n.policy,
    // Overlay: pods get addresses from podCidr (AKS's default 10.244.0.0/16 when unset).
    podCidr: overlay ? n.podCidr : undefined,
    serviceCidr: n.serviceCidr,
    dnsServiceIP: n.dnsServiceIp,
    outboundType: e.type,
    loadBalancerSku: 'standard',
    natGatewayProfile:
      e.type === 'managedNATGateway'
        ? { managedOutboundIPProfile: { count: e.natGatewayIps }, idleTimeoutInMinutes: e.idleTimeoutMinutes }
        : undefined,
    loadBalancerProfile:
      e.type === 'loadBalancer'
        ? { managedOutboundIPs: { count: 1 }, idleTimeoutInMinutes: e.idleTimeoutMinutes }
        : undefined,
  };
  return np;
}

export function apiServerAccessProfile(cluster: Cluster): BicepObject {
  const a = cluster.apiServer;
  const p: Bicepable<ManagedClusterAPIServerAccessProfile> = a.private
    ? { enablePrivateCluster: true, enablePrivateClusterPublicFqdn: false }
    : {
        enablePrivateCluster: false,
        authorizedIPRanges: a.authorizedIpRanges.length ? a.authorizedIpRanges : undefined,
      };
  return wireShape(p);
}

export function autoScalerProfile(cluster: Cluster): BicepObject {
  return wireShape(autoScalerProfileSdk(cluster));
}
export function autoScalerProfileSdk(cluster: Cluster): Bicepable<ManagedClusterPropertiesAutoScalerProfile> {
  const a = cluster.autoscalerProfile;
  // The ARM names are kebab-case ('scan-interval'); values are strings. The seed's sketch used
  // camelCase keys (scanInterval, maxEmptyBulkDelete), which ARM does not know.
  const p: Bicepable<ManagedClusterPropertiesAutoScalerProfile> = {
    scanInterval: a.scanInterval,
    maxEmptyBulkDelete: a.maxEmptyBulkDelete !== undefined ? String(a.maxEmptyBulkDelete) : undefined,
    scaleDownDelayAfterAdd: a.scaleDownDelayAfterAdd,
    scaleDownUnneededTime: a.scaleDownUnneededTime,
    expander: a.expander,
    balanceSimilarNodeGroups: a.balanceSimilarNodeGroups !== undefined ? String(a.balanceSimilarNodeGroups) : undefined,
  };
  return p;
}

export function autoUpgradeProfile(cluster: Cluster): BicepObject {
  const p: Bicepable<ManagedClusterAutoUpgradeProfile> = {
    upgradeChannel: cluster.upgrade.channel,
    nodeOSUpgradeChannel: cluster.upgrade.nodeOsChannel,
  };
  return wireShape(p);
}

/** `aksManagedAutoUpgradeSchedule` / `aksManagedNodeOSUpgradeSchedule` bodies. */
export function maintenanceBodies(cluster: Cluster): BicepObject[] {
  return maintenanceSdk(cluster).map(([name, mc]) => armBody(mc, { name }));
}
export function maintenanceSdk(cluster: Cluster): [string, Bicepable<MaintenanceConfiguration>][] {
  const out: [string, Bicepable<MaintenanceConfiguration>][] = [];
  const add = (name: string, w: Cluster['upgrade']['clusterWindow']) => {
    if (!w) return;
    const mc: Bicepable<MaintenanceConfiguration> = {
      maintenanceWindow: {
        schedule:
          w.schedule === 'daily'
            ? { daily: { intervalDays: 1 } }
            : { weekly: { intervalWeeks: 1, dayOfWeek: w.dayOfWeek } },
        durationHours: w.durationHours,
        startTime: w.startTime,
        utcOffset: w.utcOffset,
      },
    };
    out.push([name, mc]);
  };
  add('aksManagedAutoUpgradeSchedule', cluster.upgrade.clusterWindow);
  add('aksManagedNodeOSUpgradeSchedule', cluster.upgrade.nodeOsWindow);
  return out;
}

/** Parameter values of aks.bicep for one cluster (literal data, no expressions). */
export function aksParamValues(cluster: Cluster): Record<string, BicepValue> {
  return {
    kubernetesVersion: cluster.kubernetesVersion,
    tier: cluster.tier,
    supportPlan: cluster.supportPlan,
    systemPool: systemPoolProfile(cluster),
    userPools: userPoolBodies(cluster),
    networkProfile: networkProfile(cluster),
    apiServerAccessProfile: apiServerAccessProfile(cluster),
    autoScalerProfile: autoScalerProfile(cluster),
    autoUpgradeProfile: autoUpgradeProfile(cluster),
    maintenanceConfigurations: maintenanceBodies(cluster),
  };
}

// ---------------------------------------------------------------------------------------------
// The module

/** The ManagedCluster body of the module: parameters wired into a typed template. */
export function managedClusterTemplate(): Bicepable<ManagedCluster> {
  return {
    location: expr('location'),
    tags: expr('tags'),
    sku: { name: 'Base', tier: expr('tier') },
    // System-assigned, or the user-assigned identity main.bicep creates (with Network Contributor
    // on the VNet before the cluster exists) when aksfleet creates the VNet.
    identity: expr('controlPlaneIdentity'),
    kubernetesVersion: expr('kubernetesVersion'),
    supportPlan: expr('supportPlan'),
    dnsPrefix: expr('dnsPrefix'),
    enableRbac: true,
    // AKS-managed Entra ID: tenant groups are bound to namespaces with Kubernetes RBAC.
    aadProfile: { managed: true, enableAzureRbac: false },
    disableLocalAccounts: expr('disableLocalAccounts'),
    oidcIssuerProfile: { enabled: true },
    securityProfile: { workloadIdentity: { enabled: true } },
    apiServerAccessProfile: expr('apiServerAccessProfile'),
    autoScalerProfile: expr('autoScalerProfile'),
    agentPoolProfiles: [expr('union(systemPool, subnetProfile)')],
    networkProfile: expr('networkProfile'),
    autoUpgradeProfile: expr('autoUpgradeProfile'),
    windowsProfile: expr('windowsProfile'),
    addonProfiles: {
      // Container Insights: the omsagent add-on sends to the Log Analytics workspace with
      // managed identity auth (useAADAuth) through the data collection rule associated below.
      omsagent: {
        enabled: expr('!empty(logAnalyticsWorkspaceId)'),
        config: expr('omsagentConfig'),
      },
    },
    azureMonitorProfile: { metrics: { enabled: expr('!empty(prometheusDataCollectionRuleId)') } },
  };
}

export function aksModuleFile(): BicepFile {
  const p = (name: string, type: string, description: string, def?: BicepValue, decorators?: string[]) =>
    ({ kind: 'param', name, type, description, default: def, decorators }) as const;
  const aks = resource('aks', MC, armBody(managedClusterTemplate(), { name: expr('clusterName') }), {
    comment: [
      'The cluster: managed identity, OIDC issuer + workload identity, pinned version, system pool inline.',
      'User pools are separate child resources below (their own surge, taints, labels, zones).',
    ],
  });
  const pools = resource(
    'userPool',
    `${MC}/agentPools`,
    { parent: expr('aks'), name: expr('pool.name'), properties: expr('union(pool.properties, subnetProfile)') },
    {
      loop: { item: 'pool', over: expr('userPools') },
      decorators: ['batchSize(1)'],
      comment: 'AKS runs one agent pool operation at a time per cluster.',
    },
  );
  const maint = resource(
    'maintenance',
    `${MC}/maintenanceConfigurations`,
    { parent: expr('aks'), name: expr('window.name'), properties: expr('window.properties') },
    {
      loop: { item: 'window', over: expr('maintenanceConfigurations') },
      decorators: ['batchSize(1)'],
      comment: 'Planned maintenance: when auto-upgrades (cluster and node OS) may run.',
    },
  );
  const dcraCi = resource(
    'containerInsightsAssociation',
    'Microsoft.Insights/dataCollectionRuleAssociations',
    {
      scope: expr('aks'),
      name: 'ContainerInsightsExtension',
      properties: {
        description: 'Container Insights',
        dataCollectionRuleId: expr('containerInsightsDataCollectionRuleId'),
      },
    },
    { condition: expr('!empty(containerInsightsDataCollectionRuleId)') },
  );
  const dcraProm = resource(
    'prometheusAssociation',
    'Microsoft.Insights/dataCollectionRuleAssociations',
    {
      scope: expr('aks'),
      name: interp`${expr('clusterName')}-prometheus`,
      properties: { description: 'Managed Prometheus', dataCollectionRuleId: expr('prometheusDataCollectionRuleId') },
    },
    { condition: expr('!empty(prometheusDataCollectionRuleId)') },
  );
  const dceProm = resource(
    'prometheusEndpointAssociation',
    'Microsoft.Insights/dataCollectionRuleAssociations',
    {
      scope: expr('aks'),
      name: 'configurationAccessEndpoint',
      properties: { dataCollectionEndpointId: expr('prometheusDataCollectionEndpointId') },
    },
    { condition: expr('!empty(prometheusDataCollectionEndpointId)') },
  );
  return {
    header: [
      GENERATED,
      `The AKS cluster module (${MC}@${apiVersion(MC)}), shared by every cluster; ` +
        `values in infra/clusters/<cluster>/main.bicepparam.`,
    ],
    declarations: [
      p('clusterName', 'string', 'AKS cluster name.'),
      p('location', 'string', 'Azure region.', expr('resourceGroup().location')),
      p('tags', 'object', 'Tags on every resource.', {}),
      p('dnsPrefix', 'string', 'DNS prefix of the API server FQDN.', interp`${expr('clusterName')}-dns`),
      p('kubernetesVersion', 'string', 'Pinned Kubernetes patch version (control plane).'),
      {
        kind: 'param',
        name: 'tier',
        type: 'string',
        description: 'Pricing tier (Standard: uptime SLA; Premium: LTS).',
        allowed: ['Free', 'Standard', 'Premium'],
        default: 'Standard',
      },
      {
        kind: 'param',
        name: 'supportPlan',
        type: 'string',
        description: 'KubernetesOfficial or AKSLongTermSupport.',
        allowed: ['KubernetesOfficial', 'AKSLongTermSupport'],
        default: 'KubernetesOfficial',
      },
      p('disableLocalAccounts', 'bool', 'Entra ID only (no local admin kubeconfig).', false),
      p('systemPool', 'object', 'The system pool profile (agentPoolProfiles[0]).'),
      p('userPools', 'array', 'User pools: { name, properties } of managedClusters/agentPools.', []),
      p('networkProfile', 'object', 'Azure CNI (overlay / Cilium dataplane), network policy, outbound type.'),
      p('apiServerAccessProfile', 'object', 'Private cluster or authorized IP ranges.'),
      p('autoScalerProfile', 'object', 'Cluster autoscaler profile (kebab-case keys).', {}),
      p('autoUpgradeProfile', 'object', 'upgradeChannel and nodeOSUpgradeChannel.'),
      p('maintenanceConfigurations', 'array', 'Planned maintenance windows: { name, properties }.', []),
      p('windowsAdminUsername', 'string', 'Windows node admin (only with Windows pools).', ''),
      p('windowsAdminPassword', 'string', 'Windows node admin password (only with Windows pools).', '', ['secure()']),
      p('logAnalyticsWorkspaceId', 'string', 'Log Analytics workspace for Container Insights (empty: off).', ''),
      p(
        'containerInsightsDataCollectionRuleId',
        'string',
        'Container Insights data collection rule (empty: none).',
        '',
      ),
      p('prometheusDataCollectionRuleId', 'string', 'Managed Prometheus data collection rule (empty: off).', ''),
      p(
        'prometheusDataCollectionEndpointId',
        'string',
        'Managed Prometheus data collection endpoint (empty: none).',
        '',
      ),
      p(
        'vnetSubnetId',
        'string',
        'The node subnet of the VNet aksfleet creates (empty: AKS-managed, or given in the pool profiles).',
        '',
      ),
      p('podSubnetId', 'string', 'The pod subnet (plugin azure with a pod subnet; empty: none).', ''),
      p(
        'controlPlaneIdentityId',
        'string',
        'A user-assigned control plane identity (resource ID; empty: system-assigned).',
        '',
      ),
      {
        kind: 'var',
        name: 'nodeSubnetProfile',
        value: ternary('empty(vnetSubnetId)', {}, { vnetSubnetID: expr('vnetSubnetId') }),
      },
      {
        kind: 'var',
        name: 'podSubnetProfile',
        value: ternary('empty(podSubnetId)', {}, { podSubnetID: expr('podSubnetId') }),
      },
      {
        kind: 'var',
        name: 'subnetProfile',
        value: expr('union(nodeSubnetProfile, podSubnetProfile)'),
        comment: 'Subnets of the VNet aksfleet creates, added to every pool profile.',
      },
      {
        kind: 'var',
        name: 'controlPlaneIdentity',
        value: ternary(
          'empty(controlPlaneIdentityId)',
          { type: 'SystemAssigned' },
          { type: 'UserAssigned', userAssignedIdentities: { [exprKey(expr("'${controlPlaneIdentityId}'"))]: {} } },
        ),
      },
      {
        kind: 'var',
        name: 'windowsProfile',
        value: ternary('empty(windowsAdminUsername)', null, {
          adminUsername: expr('windowsAdminUsername'),
          adminPassword: expr('windowsAdminPassword'),
        }),
      },
      {
        kind: 'var',
        name: 'omsagentConfig',
        value: ternary(
          'empty(logAnalyticsWorkspaceId)',
          {},
          { logAnalyticsWorkspaceResourceID: expr('logAnalyticsWorkspaceId'), useAADAuth: 'true' },
        ),
      },
      aks,
      pools,
      maint,
      dcraCi,
      dcraProm,
      dceProm,
      { kind: 'output', name: 'id', type: 'string', value: expr('aks.id') },
      { kind: 'output', name: 'name', type: 'string', value: expr('aks.name') },
      {
        kind: 'output',
        name: 'oidcIssuerUrl',
        type: 'string',
        value: expr('aks.properties.oidcIssuerProfile.issuerURL'),
        description: 'Issuer of the service account tokens: federated credentials trust it.',
      },
      {
        kind: 'output',
        name: 'kubeletObjectId',
        type: 'string',
        value: expr('aks.properties.identityProfile.kubeletidentity.objectId'),
        description: 'The kubelet identity: it pulls images, so it gets AcrPull.',
      },
      {
        kind: 'output',
        name: 'principalId',
        type: 'string',
        value: expr("aks.identity.?principalId ?? ''"),
        description: "The cluster's own (control plane) identity when system-assigned (empty when user-assigned).",
      },
    ],
  };
}
