/**
 * The fleet spec (`fleet.yaml`, apiVersion aksfleet.dev/v1alpha1, kind Fleet).
 *
 * This file is the single source of truth for the spec: the TypeScript types (`Fleet`, ...),
 * validation (`parseFleet` in load.ts), the JSON Schema (`aksfleet schema`) and the reference
 * docs (docs/fleet-spec.md, generated from it) all come from the definitions below.
 * Cross-field rules (unique names, references between sections) live in rules.ts.
 */
import { z } from 'zod';
import { formatCidr, parseCidr } from './cidr.js';
import { addonVersions, type AddonKey } from '../facts/addon-versions.js';
import {
  BLOB_CONTAINER,
  CRON,
  DNS1123_SUBDOMAIN,
  EMAIL,
  IPV4,
  KEY_VAULT_SECRET,
  LABEL_VALUE,
  QUANTITY,
  STORAGE_ACCOUNT,
  SUBNET_ID,
  VM_SIZE,
  VNET_ID,
  gitBranchProblem,
  gitUrlProblem,
} from './names.js';

/** A string checked by a names.ts function (which says why a value is refused). */
const checked = (problem: (s: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p !== undefined) ctx.addIssue({ code: 'custom', message: p });
  });
const branchName = checked(gitBranchProblem);
const ipv4 = z.string().regex(IPV4, "must be an IPv4 address like '10.0.0.10'");
const image = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'must be an image reference (registry/name:tag or @sha256:digest)');
const quantity = z.string().regex(QUANTITY, "must be a Kubernetes quantity like '100m', '0.5', '128Mi'");
const keyVaultSecretName = z
  .string()
  .regex(KEY_VAULT_SECRET, "must be a Key Vault secret name: 1-127 letters, digits and '-'");

// ---------------------------------------------------------------------------------------------
// Name rules (Kubernetes and Azure). Each regex comes with the words used in error messages.

/** DNS-1123 label: what Kubernetes accepts for namespaces, service and most object names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string) =>
  z
    .string()
    .min(1)
    .max(63, `${what} must be at most 63 characters (a DNS-1123 label)`)
    .regex(
      DNS1123_LABEL,
      `${what} must be a DNS-1123 label: lower-case letters, ` +
        `digits and '-', starting and ending with a letter or digit`,
    );

/** A full Kubernetes patch version, pinned on purpose (`1.33.5`). */
export const K8S_VERSION = /^1\.(\d{1,2})\.(\d{1,3})$/;
const k8sVersion = z
  .string()
  .regex(
    K8S_VERSION,
    'must be a Kubernetes version pinned to a patch, like 1.33.5 (major.minor.patch, no leading "v")',
  );

/** A Kubernetes taint: `key=value:Effect` or `key:Effect`. */
export const TAINT =
  /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?(=[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?:(NoSchedule|PreferNoSchedule|NoExecute)$/;
const taint = z
  .string()
  .regex(
    TAINT,
    "must be a taint 'key=value:Effect' (or 'key:Effect') with Effect one of NoSchedule, PreferNoSchedule, NoExecute",
  );

const uuid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a GUID like 00000000-0000-0000-0000-000000000000',
  );

const duration = z.string().regex(/^(\d+(ms|s|m|h))+$/, "must be a Go duration like '1m', '10m', '1h30m'");

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR like '10.0.0.0/16' or '203.0.113.7/32'")
  .superRefine((v, ctx) => {
    const c = parseCidr(v);
    if (!c) {
      if (/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(v))
        ctx.addIssue({ code: 'custom', message: 'must be an IPv4 CIDR: four parts 0-255 and a prefix 0-32' });
    } else if (c.address !== c.network)
      ctx.addIssue({ code: 'custom', message: `has host bits set: the block is ${formatCidr(c)}` });
  });

const privateDnsZoneId = (zone: string) =>
  z
    .string()
    .regex(
      /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/privateDnsZones\/[A-Za-z0-9.-]+$/,
      `must be a private DNS zone resource ID (/subscriptions/<guid>/` +
        `resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/${zone})`,
    )
    .refine((v) => v.toLowerCase().endsWith(`/${zone}`), `must be the zone ${zone}`);

const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a Kubernetes label key'),
  z.string().max(63).regex(LABEL_VALUE, 'must be a Kubernetes label value (63 characters at most)'),
);

/** A non-empty Kubernetes label value. */
const labelValue = z
  .string()
  .min(1)
  .regex(
    LABEL_VALUE,
    'must be a Kubernetes label value: at most 63 letters, digits, ' +
      "'-', '_' and '.', starting and ending with a letter or digit",
  );

/** A chart or add-on version pinned exactly (no ranges, no `latest`). */
const pinnedVersion = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "must be an exact version like '1.16.2' (no ranges, no 'latest')");

// ---------------------------------------------------------------------------------------------
// Git and environments

export const GitSpec = z
  .strictObject({
    provider: z.enum(['github', 'azure-repos']).describe('Where the GitOps repository lives.'),
    url: checked(gitUrlProblem).describe('Clone URL Flux uses.'),
    owner: z.string().optional().describe('GitHub owner or Azure DevOps organization (used by `flux bootstrap`).'),
    repository: z.string().optional().describe('Repository name (used by `flux bootstrap`).'),
    project: z.string().optional().describe('Azure DevOps project (azure-repos only).'),
    mainBranch: branchName
      .default('main')
      .describe('The integration branch; environment branches are promoted from it.'),
    interval: duration.default('1m').describe('How often Flux fetches the repository.'),
  })
  .describe('The GitOps repository.');

export const EnvironmentSpec = z
  .strictObject({
    name: dnsLabel('environment name').describe('Environment name, e.g. dev, qa, prod.'),
    branch: branchName.describe('The branch the clusters of this environment reconcile, e.g. env/dev.'),
    soak: duration
      .default('24h')
      .describe('How long a change (or an upgrade) soaks here before it moves to the next environment.'),
    production: z
      .boolean()
      .default(false)
      .describe('Production rules apply (digests preferred, private clusters, no suspend).'),
    privateLink: z
      .boolean()
      .optional()
      .describe(
        'Clusters of this environment reach the registry, Key Vault and backup storage through private ' +
          'endpoints in their VNet, with private DNS zones linked to it. Defaults to `production`.',
      ),
  })
  .describe('An environment, in promotion order.');

// ---------------------------------------------------------------------------------------------
// Clusters

export const NodePoolSpec = z
  .strictObject({
    name: z.string().describe('Pool name: Linux pools 1-12 lower-case letters and digits, starting with a letter.'),
    mode: z.enum(['System', 'User']).default('User'),
    vmSize: z.string().regex(VM_SIZE, "must be an Azure VM size like 'Standard_D4s_v5'").default('Standard_D4s_v5'),
    osType: z.enum(['Linux', 'Windows']).default('Linux'),
    osSku: z.enum(['Ubuntu', 'AzureLinux', 'Windows2022']).optional(),
    count: z.number().int().min(0).max(1000).default(3),
    autoscale: z
      .strictObject({ min: z.number().int().min(0).max(1000), max: z.number().int().min(1).max(1000) })
      .optional()
      .describe('Cluster autoscaler bounds; count must lie between them.'),
    zones: z
      .array(z.enum(['1', '2', '3']))
      .default([])
      .describe('Availability zones.'),
    taints: z.array(taint).default([]).describe("Node taints, e.g. 'workload=true:NoSchedule'."),
    labels: labelMap.default({}).describe('Node labels.'),
    maxSurge: z
      .string()
      .regex(/^(\d+%|\d+)$/, "must be a count like '1' or a percentage like '33%'")
      .default('33%')
      .describe('upgradeSettings.maxSurge: extra nodes during upgrades.'),
    orchestratorVersion: k8sVersion.optional().describe('Pool Kubernetes version; defaults to the cluster version.'),
  })
  .describe('A node pool.');

const subnetId = z
  .string()
  .regex(
    SUBNET_ID,
    'must be a subnet resource ID (/subscriptions/<guid>/resourceGroups/<rg>/' +
      'providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)',
  );

export const VnetSpec = z
  .strictObject({
    addressSpace: cidr.describe(
      'Address space of the VNet we create for the cluster; must not overlap any other VNet of the fleet.',
    ),
    nodeSubnet: cidr.describe('Subnet of the nodes (and of the pods with plugin azure and no podSubnet).'),
    podSubnet: cidr.optional().describe('plugin azure only: a separate pod subnet (dynamic pod IP allocation).'),
    privateEndpointSubnet: cidr
      .optional()
      .describe(
        'Subnet of the private endpoints (registry, Key Vault, ' +
          'backup storage); required when the environment uses privateLink.',
      ),
    firewallSubnet: cidr
      .optional()
      .describe(
        'AzureFirewallSubnet (/26 or larger): with egress userDefinedRouting, ' +
          'an Azure Firewall is created here and the node subnet routes 0.0.0.0/0 to it.',
      ),
  })
  .describe('A VNet aksfleet creates for the cluster, with one NSG per subnet.');

export const ExistingHubSpec = z
  .strictObject({
    vnetId: z
      .string()
      .regex(
        VNET_ID,
        'must be a virtual network resource ID (/subscriptions/<guid>/' +
          'resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)',
      )
      .describe('Resource ID of the hub VNet you run; it may be in another subscription and resource group.'),
    addressSpace: z
      .array(cidr)
      .min(1)
      .describe('The hub VNet address prefixes: no spoke VNet, service or overlay pod CIDR may overlap them.'),
    firewallPrivateIp: ipv4
      .optional()
      .describe(
        'The hub firewall (or network virtual appliance) private IP, inside addressSpace: ' +
          'spokes with egress userDefinedRouting and no firewall of their own route 0.0.0.0/0 to it.',
      ),
    egressIps: z
      .array(ipv4)
      .default([])
      .describe('The public IPs the hub firewall egresses from: the EGRESS_IPS of the spokes routed through it.'),
  })
  .describe(
    'A hub you already run: aksfleet peers each spoke to it (network.bicep) and writes the hub -> spoke peering ' +
      "as infra/hub-owner/peering-<cluster>.bicep, which the hub's owner deploys in the hub's subscription.",
  );

export const HubSpec = z
  .strictObject({
    resourceGroup: z
      .string()
      .optional()
      .describe('Resource group of the hub aksfleet creates (same subscription as the clusters).'),
    addressSpace: cidr
      .optional()
      .describe(
        'Address space of the hub VNet; must not overlap any cluster VNet (spoke), service or overlay pod CIDR.',
      ),
    firewallSubnet: cidr
      .optional()
      .describe(
        'AzureFirewallSubnet of the hub (/26 or larger): the hub Azure Firewall, ' +
          'the next hop of spokes with egress userDefinedRouting and no firewall of their own.',
      ),
    existing: ExistingHubSpec.optional(),
  })
  .describe(
    'Hub and spoke: every cluster VNet (network.vnet) is a spoke peered with the hub in both directions. ' +
      'Either a hub aksfleet creates with an Azure Firewall (resourceGroup, ' +
      'addressSpace, firewallSubnet) or one you run (existing).',
  );

export const ExistingSubnetsSpec = z
  .strictObject({
    nodes: subnetId.describe('The node subnet of a VNet you manage.'),
    privateEndpoints: subnetId.optional().describe('The subnet for the private endpoints (privateLink environments).'),
  })
  .describe('Subnets of a VNet you bring (its NSGs, routes and DNS links are yours).');

export const NetworkSpec = z
  .strictObject({
    plugin: z
      .enum(['azure', 'azure-overlay', 'cilium'])
      .default('azure-overlay')
      .describe(
        'azure = Azure CNI (VNet IPs for pods); azure-overlay = Azure CNI overlay; ' +
          'cilium = Azure CNI overlay powered by Cilium.',
      ),
    policy: z
      .enum(['azure', 'calico', 'cilium'])
      .default('azure')
      .describe('NetworkPolicy engine (cilium requires plugin cilium).'),
    podCidr: cidr.optional(),
    serviceCidr: cidr.default('10.0.0.0/16'),
    dnsServiceIp: ipv4.default('10.0.0.10'),
    vnet: VnetSpec.optional(),
    existingSubnets: ExistingSubnetsSpec.optional(),
  })
  .describe(
    'Cluster networking. Without vnet or existingSubnets AKS manages ' +
      'the VNet (no private endpoints, no pinned egress of ours).',
  );

export const ApiServerSpec = z
  .strictObject({
    private: z.boolean().default(false).describe('Private cluster: the API server has no public endpoint.'),
    authorizedIpRanges: z.array(cidr).default([]).describe('Public API server only: the CIDRs allowed to reach it.'),
  })
  .describe('API server access.');

export const AutoscalerProfileSpec = z
  .strictObject({
    scanInterval: duration.optional(),
    maxEmptyBulkDelete: z.number().int().min(1).optional(),
    scaleDownDelayAfterAdd: duration.optional(),
    scaleDownUnneededTime: duration.optional(),
    expander: z.enum(['least-waste', 'most-pods', 'priority', 'random']).optional(),
    balanceSimilarNodeGroups: z.boolean().optional(),
  })
  .describe('Cluster autoscaler profile (autoScalerProfile).');

export const MaintenanceWindowSpec = z
  .strictObject({
    schedule: z.enum(['weekly', 'daily']).default('weekly'),
    dayOfWeek: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']).default('Sunday'),
    startTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM, e.g. '01:00'")
      .default('01:00'),
    durationHours: z.number().int().min(4).max(24).default(4),
    utcOffset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/, "must be like '+00:00'")
      .default('+00:00'),
  })
  .describe('A planned maintenance window (maintenanceConfigurations).');

export const UpgradeSpec = z
  .strictObject({
    channel: z
      .enum(['none', 'patch', 'stable', 'rapid', 'node-image'])
      .default('patch')
      .describe('autoUpgradeProfile.upgradeChannel.'),
    nodeOsChannel: z
      .enum(['None', 'Unmanaged', 'NodeImage', 'SecurityPatch'])
      .default('NodeImage')
      .describe('autoUpgradeProfile.nodeOSUpgradeChannel.'),
    clusterWindow: MaintenanceWindowSpec.optional().describe(
      'Window for cluster auto-upgrades (aksManagedAutoUpgradeSchedule).',
    ),
    nodeOsWindow: MaintenanceWindowSpec.optional().describe(
      'Window for node OS upgrades (aksManagedNodeOSUpgradeSchedule).',
    ),
  })
  .describe('Upgrade channels and maintenance windows.');

export const EgressSpec = z
  .strictObject({
    type: z
      .enum(['loadBalancer', 'managedNATGateway', 'userAssignedNATGateway', 'userDefinedRouting'])
      .default('loadBalancer')
      .describe(
        'outboundType: load balancer, AKS-managed NAT gateway, a NAT gateway we create on the ' +
          'node subnet (network.vnet; its IPs are outputs), or routing through a firewall (the ' +
          'Azure Firewall we create in vnet.firewallSubnet, or yours: firewallPrivateIp + subnetId).',
      ),
    natGatewayIps: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe('managedNATGateway / userAssignedNATGateway: how many outbound public IPs.'),
    idleTimeoutMinutes: z.number().int().min(4).max(120).default(4),
    firewallPrivateIp: ipv4.optional().describe('userDefinedRouting: the firewall (next hop) private IP.'),
    subnetId: subnetId
      .optional()
      .describe(
        'userDefinedRouting through your firewall: ' +
          'the node subnet resource ID whose route table sends 0.0.0.0/0 to it.',
      ),
  })
  .describe('Egress: how pods reach the internet.');

export const MonitoringSpec = z
  .strictObject({
    containerInsights: z
      .boolean()
      .default(true)
      .describe('Container Insights add-on routed to a Log Analytics workspace.'),
    retentionDays: z.number().int().min(30).max(730).default(30),
    managedPrometheus: z.boolean().default(false).describe('Azure Monitor managed service for Prometheus.'),
    managedGrafana: z.boolean().default(false).describe('Azure Managed Grafana linked to managed Prometheus.'),
  })
  .describe('Observability on the Azure side.');

export const ClusterSpec = z
  .strictObject({
    name: z
      .string()
      .describe('AKS cluster name: 1-63 letters, digits, - and _, starting and ending with a letter or digit.'),
    environment: z.string().describe('The environment (by name) this cluster belongs to.'),
    subscriptionId: uuid.optional(),
    resourceGroup: z.string().describe('Resource group: 1-90 letters, digits, - _ . ( ), not ending in a period.'),
    location: z.string().regex(/^[a-z0-9]+$/, "must be an Azure region name like 'uksouth'"),
    kubernetesVersion: k8sVersion.describe(
      'Pinned Kubernetes version (control plane); must be a patch AKS offers (data/aks-versions.json).',
    ),
    tier: z
      .enum(['Free', 'Standard', 'Premium'])
      .default('Standard')
      .describe('AKS pricing tier (sku.tier): Standard has the uptime SLA; Premium is required for Long Term Support.'),
    supportPlan: z
      .enum(['KubernetesOfficial', 'AKSLongTermSupport'])
      .default('KubernetesOfficial')
      .describe(
        'KubernetesOfficial: community support (N-2); AKSLongTermSupport: ' +
          'a second year of support for the pinned minor (tier Premium).',
      ),
    network: NetworkSpec.default(NetworkSpec.parse({})),
    apiServer: ApiServerSpec.default(ApiServerSpec.parse({})),
    systemPool: NodePoolSpec.describe('The system pool (mode System).'),
    userPools: z.array(NodePoolSpec).default([]).describe('User pools for workloads.'),
    autoscalerProfile: AutoscalerProfileSpec.default({}),
    upgrade: UpgradeSpec.default(UpgradeSpec.parse({})),
    egress: EgressSpec.default(EgressSpec.parse({})),
    monitoring: MonitoringSpec.default(MonitoringSpec.parse({})),
    labels: labelMap
      .default({})
      .describe('Cluster labels, used for placement (tenant clusterSelector) and passed to Flux as variables.'),
  })
  .describe('An AKS cluster.');

// ---------------------------------------------------------------------------------------------
// Shared Azure resources and platform add-ons

export const RegistrySpec = z
  .strictObject({
    name: z.string().describe('ACR name: 5-50 letters and digits.'),
    sku: z.enum(['Basic', 'Standard', 'Premium']).default('Premium'),
    resourceGroup: z
      .string()
      .optional()
      .describe('Defaults to the first cluster of the last (production) environment.'),
  })
  .describe('The fleet container registry (ACR).');

export const KeyVaultSpec = z
  .strictObject({
    name: z.string().describe('Key Vault name: 3-24 letters, digits and -, starting with a letter.'),
    resourceGroup: z.string().optional(),
  })
  .describe('The Key Vault that holds tenant secrets (RBAC authorization).');

/**
 * Default add-on chart versions: data/addon-versions.json (one source of truth, the versions of ../shared/charts where
 * it can).
 */
const V = Object.fromEntries(Object.entries(addonVersions()).map(([k, v]) => [k, v.version])) as Record<
  AddonKey,
  string
>;

const addon = <T extends z.core.$ZodLooseShape>(defaultVersion: string, extra: T) =>
  z.strictObject({
    enabled: z.boolean().default(true),
    version: pinnedVersion.default(defaultVersion).describe('Helm chart version, pinned.'),
    ...extra,
  });

export const AddonsSpec = z
  .strictObject({
    certManager: addon(V.certManager, {
      email: z
        .string()
        .regex(EMAIL, 'must be an e-mail address')
        .default('platform@example.com')
        .describe("ACME account e-mail for the Let's Encrypt ClusterIssuer."),
    }).default({ enabled: true, version: V.certManager, email: 'platform@example.com' }),
    ingress: addon(V.ingress, {
      kind: z
        .enum(['gateway-api', 'ingress-nginx'])
        .default('gateway-api')
        .describe('Gateway API (Envoy Gateway) or ingress-nginx.'),
      gatewayName: dnsLabel('gateway name').default('public-gw'),
    }).default({ enabled: true, version: V.ingress, kind: 'gateway-api', gatewayName: 'public-gw' }),
    kubePrometheusStack: addon(V.kubePrometheusStack, {}).default({ enabled: true, version: V.kubePrometheusStack }),
    policy: addon(V.policy, {
      engine: z.enum(['kyverno', 'gatekeeper']).default('kyverno'),
      ratifyVersion: pinnedVersion
        .default(V.ratify)
        .describe(
          'engine gatekeeper: Helm chart version of Ratify, ' +
            'which verifies image signatures for Gatekeeper through external data (Kyverno verifies them itself).',
        ),
    }).default({ enabled: true, version: V.policy, engine: 'kyverno', ratifyVersion: V.ratify }),
    secretsStoreCsi: addon(V.secretsStoreCsi, {
      azureProviderVersion: pinnedVersion
        .default(V.secretsStoreCsiAzureProvider)
        .describe(
          'Helm chart version of the Azure Key Vault provider (csi-secrets-store-provider-azure); ' +
            '`version` pins the driver chart.',
        ),
    }).default({ enabled: true, version: V.secretsStoreCsi, azureProviderVersion: V.secretsStoreCsiAzureProvider }),
    velero: addon(V.velero, {
      storageAccount: z
        .string()
        .regex(STORAGE_ACCOUNT, 'must be a storage account name: 3-24 lower-case letters and digits')
        .default('stfleetbackups')
        .describe('Storage account for backups.'),
      container: z
        .string()
        .regex(BLOB_CONTAINER, "must be a blob container name: 3-63 lower-case letters, digits and single '-'")
        .default('velero'),
      schedule: z
        .string()
        .regex(CRON, "must be a cron schedule like '0 2 * * *'")
        .default('0 2 * * *')
        .describe('Cron schedule of the per-namespace backups.'),
      ttl: duration.default('720h').describe('How long backups are kept.'),
    }).default({
      enabled: true,
      version: V.velero,
      storageAccount: 'stfleetbackups',
      container: 'velero',
      schedule: '0 2 * * *',
      ttl: '720h',
    }),
  })
  .describe('Platform add-ons, each a pinned Helm chart reconciled by Flux.');

export const BackupSpec = z
  .strictObject({
    engine: z
      .enum(['velero', 'azureBackup'])
      .default('velero')
      .describe(
        'velero: the Velero add-on (addons.velero, a HelmRelease Flux reconciles); ' +
          'azureBackup: Azure Backup for AKS (the Backup extension, a Backup vault with a policy, ' +
          'trusted access and one backup instance per cluster, all in the IaC). ' +
          'The Backup extension runs its own Velero, so azureBackup needs addons.velero.enabled: false.',
      ),
    vaultName: z
      .string()
      .regex(
        /^[A-Za-z][-A-Za-z0-9]{0,48}[A-Za-z0-9]$/,
        "must be a Backup vault name: 2-50 letters, digits and '-', " +
          'starting with a letter and ending with a letter or digit',
      )
      .optional()
      .describe('azureBackup: the Backup vault (in the shared resource group). Default: bv-<fleet name>.'),
    redundancy: z
      .enum(['LocallyRedundant', 'ZoneRedundant', 'GeoRedundant'])
      .default('LocallyRedundant')
      .describe('azureBackup: storage redundancy of the vault.'),
    storageAccount: z
      .string()
      .regex(STORAGE_ACCOUNT, 'must be a storage account name: 3-24 lower-case letters and digits')
      .default('stfleetbackups')
      .describe('azureBackup: the storage account the Backup extension writes to (in the region of the clusters).'),
    container: z
      .string()
      .regex(BLOB_CONTAINER, "must be a blob container name: 3-63 lower-case letters, digits and single '-'")
      .default('aks-backups'),
    schedule: z
      .string()
      .regex(CRON, "must be a cron schedule like '0 2 * * *'")
      .default('0 2 * * *')
      .describe(
        "azureBackup: when backups run, in UTC: daily ('M H * * *') or every 4, 6, " +
          "8 or 12 hours ('M H/N * * *' or 'M */N * * *'), the frequencies Azure Backup for AKS offers.",
      ),
    retention: duration
      .default('168h')
      .describe('azureBackup: how long backups are kept in the operational tier (whole days, e.g. 168h = 7 days).'),
  })
  .describe('Backups of the clusters: the Velero add-on, or Azure Backup for AKS.');

export const ImagePolicySpec = z
  .strictObject({
    keyless: z
      .strictObject({
        issuer: z
          .string()
          .describe('OIDC issuer of the signing identity, e.g. https://token.actions.githubusercontent.com.'),
        subject: z
          .string()
          .describe('Subject pattern of the signing identity, e.g. repo:your-org/*:ref:refs/heads/main.'),
      })
      .optional(),
    publicKey: z.string().optional().describe('A Cosign public key (PEM) instead of keyless verification.'),
    attestations: z.array(z.string()).default([]).describe('Required attestation predicate types.'),
    enforce: z.boolean().default(true).describe('Enforce at admission (otherwise audit only).'),
  })
  .describe('Image signing policy enforced at admission.');

// ---------------------------------------------------------------------------------------------
// Tenants and apps

export const SloSpec = z
  .strictObject({
    name: dnsLabel('SLO name'),
    kind: z.enum(['availability', 'latency']),
    objective: z.number().gt(0).lt(100).describe('Target in percent, e.g. 99.9.'),
    window: z.enum(['28d', '30d']).default('30d'),
    metric: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name')
      .describe(
        'availability: the request counter (e.g. http_requests_total); ' +
          'latency: the histogram base name (e.g. http_request_duration_seconds).',
      ),
    selector: z.string().default('').describe('Label matchers inside {}, e.g. job="api".'),
    errorSelector: z.string().default('code=~"5.."').describe('availability: matchers that pick the failed requests.'),
    thresholdSeconds: z.number().positive().optional().describe('latency: requests slower than this are bad.'),
    minRequestsPerSecond: z
      .number()
      .min(0)
      .default(0.1)
      .describe('Do not page below this traffic (over the long alert window).'),
    runbookUrl: z
      .string()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .optional()
      .describe(
        'Runbook linked from the SLO alerts (runbook_url); without it the alerts carry a short inline runbook.',
      ),
  })
  .describe('A service level objective.');

export const BlueGreenSpec = z
  .strictObject({
    greenImage: image.optional().describe('Image of the green version (defaults to the app image).'),
    greenWeight: z.number().int().min(0).max(100).default(10).describe('Percent of traffic sent to green.'),
    hostnames: z
      .array(
        z
          .string()
          .regex(
            /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
            "must be a hostname like 'app.example.com' (or '*.example.com')",
          )
          .refine((h) => DNS1123_SUBDOMAIN.test(h.replace(/^\*\./, '')), 'a hostname is at most 253 characters'),
      )
      .default([]),
  })
  .describe('Blue/green rollout behind a Gateway API HTTPRoute with weighted backends.');

export const AppOverrideSpec = z.strictObject({
  replicas: z.number().int().min(0).optional(),
  image: image.optional(),
});

export const AppSpec = z
  .strictObject({
    name: dnsLabel('app name'),
    namespace: dnsLabel('namespace').optional().describe("Defaults to the tenant's first namespace."),
    image: image.describe('Image reference, ideally from the fleet registry.'),
    replicas: z.number().int().min(0).default(2),
    port: z.number().int().min(1).max(65535).default(8080),
    serviceAccount: dnsLabel('service account name')
      .optional()
      .describe('A workload identity service account of the tenant.'),
    secrets: z.array(keyVaultSecretName).default([]).describe('Key Vault secrets (by name) mounted into the pod.'),
    resources: z
      .strictObject({
        cpu: quantity.default('100m'),
        memory: quantity.default('128Mi'),
        cpuLimit: quantity.default('500m'),
        memoryLimit: quantity.default('256Mi'),
      })
      .default({ cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' }),
    slos: z.array(SloSpec).default([]),
    blueGreen: BlueGreenSpec.optional(),
    overrides: z
      .record(z.string(), AppOverrideSpec)
      .default({})
      .describe('Per environment (by name): replicas or image.'),
  })
  .describe('An application of a tenant.');

export const WorkloadIdentitySpec = z
  .strictObject({
    serviceAccount: dnsLabel('service account name'),
    namespace: dnsLabel('namespace').optional().describe("Defaults to the tenant's first namespace."),
    identityName: z.string().describe('User-assigned managed identity name (3-128 characters).'),
    roles: z
      .array(
        z.strictObject({
          role: z.string(),
          scope: z.string().describe('An Azure resource ID, or `keyvault`, `registry`.'),
        }),
      )
      .default([])
      .describe('Azure role assignments of the identity.'),
  })
  .describe('A Kubernetes service account federated with an Azure managed identity.');

export const EgressRuleSpec = z.strictObject({
  cidr,
  ports: z.array(z.number().int().min(1).max(65535)).min(1),
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
});

export const TenantSpec = z
  .strictObject({
    name: dnsLabel('tenant name'),
    namespaces: z.array(dnsLabel('namespace')).min(1),
    owner: labelValue.describe('Value of the `owner` label on the tenant namespaces.'),
    costCenter: labelValue.describe('Value of the `costCenter` label on the tenant namespaces.'),
    entraGroupId: uuid.describe('The Entra ID group bound (edit) to the tenant namespaces.'),
    placement: z
      .strictObject({
        environments: z.array(z.string()).optional().describe('Environments (by name) whose clusters run this tenant.'),
        clusterSelector: z
          .strictObject({ matchLabels: labelMap })
          .optional()
          .describe('Or: clusters whose labels match.'),
      })
      .default({})
      .describe('Where the tenant runs. Empty: every cluster.'),
    workloadIdentities: z.array(WorkloadIdentitySpec).default([]),
    keyVaultSecrets: z
      .array(
        z.strictObject({
          name: keyVaultSecretName,
          serviceAccount: dnsLabel('service account name').describe('The workload identity that reads it.'),
        }),
      )
      .default([])
      .describe('Key Vault secrets mounted through the Secrets Store CSI driver.'),
    egress: z.array(EgressRuleSpec).default([]).describe('Allowed egress besides DNS (default deny otherwise).'),
    backup: z.boolean().default(true).describe('Velero schedule for the tenant namespaces.'),
    apps: z.array(AppSpec).default([]),
  })
  .describe('A tenant: a team with namespaces, identities and apps.');

// ---------------------------------------------------------------------------------------------
// The fleet

export const FleetSpec = z.strictObject({
  git: GitSpec,
  tenantId: uuid.describe('The Entra tenant ID (used in workload identity annotations).'),
  environments: z.array(EnvironmentSpec).min(1).describe('Environments in promotion order (dev first, prod last).'),
  gitops: z
    .strictObject({
      mode: z
        .enum(['bootstrap', 'extension'])
        .default('bootstrap')
        .describe('`flux bootstrap` scripts, or the AKS Flux extension in Bicep.'),
      interval: duration.default('10m').describe('Reconcile interval of the Flux Kustomizations.'),
    })
    .default({ mode: 'bootstrap', interval: '10m' }),
  registry: RegistrySpec,
  keyVault: KeyVaultSpec,
  hub: HubSpec.optional(),
  privateLink: z
    .strictObject({
      publicNetworkAccess: z
        .enum(['Enabled', 'Disabled'])
        .optional()
        .describe(
          'publicNetworkAccess of the registry, Key Vault and backup storage (shared by every environment). ' +
            'Default: Disabled when every environment uses privateLink, else Enabled.',
        ),
      dnsZoneIds: z
        .strictObject({
          registry: privateDnsZoneId('privatelink.azurecr.io')
            .optional()
            .describe(
              'An existing privatelink.azurecr.io zone (resource ID), e.g. in a hub; its VNet links are yours.',
            ),
          keyVault: privateDnsZoneId('privatelink.vaultcore.azure.net')
            .optional()
            .describe('An existing privatelink.vaultcore.azure.net zone (resource ID).'),
          blob: privateDnsZoneId('privatelink.blob.core.windows.net')
            .optional()
            .describe('An existing privatelink.blob.core.windows.net zone (resource ID).'),
        })
        .default({})
        .describe(
          'Private DNS zones you manage centrally; ' +
            'without them each cluster deployment creates the zones and links them to its VNet.',
        ),
    })
    .default({ dnsZoneIds: {} })
    .describe('Private Link for the shared resources.'),
  addons: AddonsSpec.default(AddonsSpec.parse({})),
  backup: BackupSpec.default(BackupSpec.parse({})),
  imagePolicy: ImagePolicySpec,
  clusters: z.array(ClusterSpec).min(1),
  tenants: z.array(TenantSpec).default([]),
});

export const FleetDocument = z.strictObject({
  apiVersion: z.literal('aksfleet.dev/v1alpha1'),
  kind: z.literal('Fleet'),
  metadata: z.strictObject({ name: dnsLabel('fleet name') }),
  spec: FleetSpec,
});

export type Fleet = z.output<typeof FleetDocument>;
export type FleetInput = z.input<typeof FleetDocument>;
export type Environment = Fleet['spec']['environments'][number];
export type Cluster = Fleet['spec']['clusters'][number];
export type NodePool = Cluster['systemPool'];
export type Tenant = Fleet['spec']['tenants'][number];
export type App = Tenant['apps'][number];
export type Slo = App['slos'][number];
export type WorkloadIdentity = Tenant['workloadIdentities'][number];

/** The JSON Schema of fleet.yaml (input form: fields with defaults are optional). */
export function fleetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(FleetDocument, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://aksfleet.dev/schemas/fleet-v1alpha1.json',
    title: 'aksfleet Fleet (aksfleet.dev/v1alpha1)',
    description: 'One fleet of AKS clusters, their environments, platform add-ons and tenants.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
