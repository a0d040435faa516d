/** infra/README.md: the order of deployment and the step that hands the outputs to Flux. */
import { OUTPUTS_CONFIGMAP, OUTPUT_VARS } from '../../model/fleet-model.js';
import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { deploymentName } from './main.js';
import { clusterPlan, sharedResourceGroup } from './plan.js';
import { azureBackupOn, backupVaultName, hasBackupStorage } from '../../spec/backup.js';
import { EGRESS_IPS_OUTPUT, ownsEgressIps, vnetName } from './network.js';
import {
  PRIVATE_LINK,
  firewallNextHop,
  hasOwnFirewall,
  hubOf,
  routesViaHub,
  sharedPublicNetworkAccess,
  usesPrivateLink,
  type Hub,
} from '../../spec/network.js';
import { hubOwnerDeployCommand, spokes } from './hub.js';
import { privateEndpointPlans } from './private-endpoints.js';

/** The check pods' image: the reader's choice (one with nslookup and wget the nodes can pull). */
const DNS_CHECK_IMAGE = '$CHECK_IMAGE';

/** infra/README.md's section on networks, Private Link and egress, and how to verify them in a subscription. */
function networkLines(fleet: Fleet): string[] {
  const access = sharedPublicNetworkAccess(fleet);
  const L = [
    '## Networks, Private Link and egress',
    '',
    `Public network access of the registry, Key Vault and backup storage: **${access}**${
      access === 'Disabled' ? ' (their network rules deny by default; they answer through private endpoints only)' : ''
    }.`,
    access === 'Disabled'
      ? 'Whatever pushes images or writes secrets (CI, operators) ' +
        'must run inside a linked VNet too (a self-hosted runner), ' +
        'or reach them through a private endpoint of its own.'
      : 'Set `privateLink: true` on every environment to turn it off.',
    '',
    '| cluster | VNet | private endpoints | egress |',
    '|---|---|---|---|',
  ];
  for (const c of fleet.spec.clusters) {
    const env = fleet.spec.environments.find((e) => e.name === c.environment)!;
    const v = c.network.vnet;
    const vnet = v
      ? `\`${vnetName(c)}\` ${v.addressSpace}`
      : c.network.existingSubnets
        ? 'yours (existingSubnets)'
        : 'AKS-managed';
    const pes = usesPrivateLink(env)
      ? privateEndpointPlans(fleet, clusterPlan(fleet, c))
          .map((p) => PRIVATE_LINK[p.target].groupId)
          .join(', ')
      : 'none';
    const egress =
      c.egress.type === 'userDefinedRouting'
        ? `firewall ${firewallOwner(fleet, c)} at ${firewallNextHop(c, fleet)}`
        : c.egress.type === 'userAssignedNATGateway'
          ? `NAT gateway, ${c.egress.natGatewayIps} public IP(s)`
          : c.egress.type === 'managedNATGateway'
            ? `AKS-managed NAT gateway, ${c.egress.natGatewayIps} IP(s)`
            : 'load balancer (not pinned)';
    L.push(`| ${c.name} | ${vnet} | ${pes} | ${egress} |`);
  }
  const pinned = fleet.spec.clusters.filter((c) => ownsEgressIps(fleet, c));
  L.push(
    '',
    'Private DNS zones (`privatelink.azurecr.io`, ' +
      "which also holds the registry's data endpoint records, `privatelink.vaultcore.azure.net`,",
    "`privatelink.blob.core.windows.net`) are created in each cluster's " +
      'resource group and linked to its VNet, unless `spec.privateLink.dnsZoneIds`',
    'names zones you manage (then their VNet links are yours). ' +
      "Private clusters keep AKS's own private zone (`privateDNSZone: system`).",
  );
  if (pinned.length)
    L.push(
      '',
      `Egress IPs are the deployment output \`${EGRESS_IPS_OUTPUT}\` (comma-separated, ` +
        `also in the outputs ConfigMap) of ${pinned.map((c) => c.name).join(', ')}.`,
    );
  if (fleet.spec.clusters.some(hasOwnFirewall))
    L.push(
      'The firewall allows the AKS required FQDNs (`AzureKubernetesService` FQDN tag), MCR, ' +
        'the fleet registry and its data endpoint, the Git host, the add-on chart repositories',
      "the registries of the add-ons' images (rule `addon-images`, from data/addon-image-hosts.json) " +
        'and (bootstrap mode) ghcr.io. `check` reports a rendered image whose host the firewall does not allow',
      '(rule `egress-image-hosts`): mirror it into the fleet registry, or add its host.',
      'The route table sends 0.0.0.0/0 to the planned firewall IP (first usable address of AzureFirewallSubnet); ' +
        'compare it with the output `firewallPrivateIp` of network.bicep.',
      'The az scripts do not build the Azure Firewall: deploy those clusters with Bicep.',
    );
  L.push(
    '',
    '### Private clusters: how the scripts reach the API server',
    '',
    '`publish-outputs.sh` and, in bootstrap mode, ' +
      'the Flux installation of a private cluster go through `az aks command invoke`: the commands',
    'run in a pod inside the cluster, so no jump host, ' +
      'VPN or runner in the VNet is needed, only the Azure Resource Manager permission',
    '`Microsoft.ContainerService/managedClusters/runCommand/action`. ' +
      'The manifests are built on your machine (`kubectl --dry-run=client`,',
    '`flux install --export`, `flux create ... ' +
      '--export`) and uploaded with `--file`. Flux then pulls from Git itself; unlike `flux bootstrap`',
    'nothing is committed to `clusters/<cluster>/flux-system` ' +
      '(upgrade Flux by re-running the script with a newer `flux` CLI).',
    '`gitops.mode: extension` needs no API access at all (ARM installs Flux).',
    '',
    '### Verify in a subscription (what offline checks cannot prove)',
    '',
    '`aksfleet check` proves the generated files say the right thing (endpoints, ' +
      'zone links, public access, egress type); only Azure shows that',
    'they took effect. After a deployment (`CHECK_IMAGE`: ' +
      'an image with nslookup and wget that the nodes can pull, e.g. pushed to the fleet registry):',
    '',
  );
  for (const c of fleet.spec.clusters) {
    const env = fleet.spec.environments.find((e) => e.name === c.environment)!;
    if (!usesPrivateLink(env) && !ownsEgressIps(fleet, c)) continue;
    L.push(`- ${c.name}:`);
    if (usesPrivateLink(env))
      L.push(
        `  - \`az network private-endpoint list -g ${c.resourceGroup} ` +
          `--query "[].{name:name, state:privateLinkServiceConnections[0].privateLinkServiceConnectionState.status}" ` +
          `-o table\` (each Approved)`,
        `  - \`az network private-dns link vnet list -g ${c.resourceGroup} -z ` +
          `${PRIVATE_LINK.registry.zone} -o table\` (link-${c.name}, Completed)`,
        `  - from a pod: \`az aks command invoke -g ${c.resourceGroup} -n ${c.name} ` +
          `--command "kubectl run dnscheck --rm -i --restart=Never --image=${DNS_CHECK_IMAGE} ` +
          `-- nslookup ${fleet.spec.registry.name.toLowerCase()}.azurecr.io"\` answers a private address ` +
          `of ${c.network.vnet?.privateEndpointSubnet ?? 'the endpoint subnet'} (the same for ` +
          `${fleet.spec.keyVault.name}.vault.azure.net)`,
      );
    if (ownsEgressIps(fleet, c))
      L.push(
        `  - \`az aks command invoke -g ${c.resourceGroup} -n ${c.name} ` +
          `--command "kubectl run egresscheck --rm -i --restart=Never --image=${DNS_CHECK_IMAGE} ` +
          `-- wget -qO- https://api.ipify.org"\` prints one of \`${EGRESS_IPS_OUTPUT}\``,
      );
  }
  L.push(
    `- shared: \`az acr show -n ${fleet.spec.registry.name} --query "{public:publicNetworkAccess, ` +
      `rules:networkRuleSet.defaultAction}"\`, \`az keyvault show -n ${fleet.spec.keyVault.name} ` +
      `--query "properties.{public:publicNetworkAccess, rules:networkAcls.defaultAction}"\``,
    '',
  );
  return L;
}

/** Whose firewall the egress of a userDefinedRouting cluster goes through. */
function firewallOwner(fleet: Fleet, c: Fleet['spec']['clusters'][number]): string {
  if (hasOwnFirewall(c)) return '(Azure Firewall, ours)';
  return routesViaHub(fleet, c) ? hubFirewallWords(hubOf(fleet)!) : '(yours)';
}

function hubFirewallWords(hub: Hub): string {
  return hub.kind === 'ours'
    ? '(the hub Azure Firewall, ours)'
    : `(the firewall of your hub ${hub.vnetName}, egress IPs ${hub.egressIps.join(', ')})`;
}

/** The step of the hub's owner with a hub the user runs (spec.hub.existing). */
function hubOwnerLines(fleet: Fleet, hub: Extract<Hub, { kind: 'existing' }>): string[] {
  const sp = spokes(fleet);
  if (sp.length === 0) return [];
  return [
    `   Each spoke VNet peers to your hub ${hub.vnetName} (subscription ${hub.subscriptionId}, ` +
      `resource group ${hub.resourceGroup}); the deployment needs`,
    '   `Microsoft.Network/virtualNetworks/peer/action` on the hub VNet ' +
      '(Network Contributor there), else the spoke -> hub peering fails.',
    `3b. **The hub's owner** deploys the hub -> spoke side, ` +
      `in the hub's subscription (a cluster deployment has no rights there):`,
    ...sp.map((c) => `   - \`${hubOwnerDeployCommand(hub, c)}\``),
    `   Check both sides: \`az network vnet peering list --subscription ${hub.subscriptionId} -g ` +
      `${hub.resourceGroup} --vnet-name ${hub.vnetName} --query "[].{name: name, state: ` +
      `peeringState}"\` (Connected).`,
    ...(hub.firewallIp
      ? [
          `   Your hub firewall (${hub.firewallIp}) must allow the spokes' egress: ` +
            `the FQDNs of the application rules aksfleet writes for its own firewall (AKS, the fleet registry, ` +
            `MCR, the Flux source host).`,
        ]
      : []),
  ];
}

export function readmeFile(fleet: Fleet): GeneratedFile {
  const shared = sharedResourceGroup(fleet);
  const hub = hubOf(fleet);
  const ext = fleet.spec.gitops.mode === 'extension';
  const lines = [
    '<!-- Generated by aksfleet from fleet.yaml. Edit fleet.yaml, not this file. -->',
    '# Cluster infrastructure',
    '',
    'Two equivalent ways to build the clusters: Bicep (`shared/`, `clusters/<cluster>/`, `modules/`) or the',
    'az CLI scripts in `az/`. Bicep is the source of truth for drift; the scripts create what is missing.',
    '',
    '## Bicep, in order',
    '',
    '1. Resource groups: `az group create -n <group> -l <region>` for the shared group and every cluster group.',
    `2. Shared resources (registry, Key Vault${hasBackupStorage(fleet) ? ', backup storage' : ''}` +
      `${azureBackupOn(fleet) ? ', Backup vault and its AKS policy' : ''}):`,
    `   \`az deployment group create -g ${shared} -n aksfleet-shared --parameters infra/shared/main.bicepparam\``,
    ...(hub?.kind === 'ours'
      ? [
          `   Hub (spec.hub): \`az deployment group create -g ${hub.resourceGroup} -n aksfleet-hub ` +
            `--template-file infra/hub/main.bicep\`; its output \`firewallPrivateIp\` ` +
            `must equal ${hub.firewallIp}, the next hop the spokes route to.`,
        ]
      : []),
    '3. Each cluster:',
    ...fleet.spec.clusters.map(
      (c) =>
        `   - \`az deployment group create -g ${c.resourceGroup} -n ${deploymentName(c)} ` +
        `--parameters infra/clusters/${c.name}/main.bicepparam\``,
    ),
    ...(hub?.kind === 'existing' ? hubOwnerLines(fleet, hub) : []),
    '4. Each cluster: `infra/clusters/<cluster>/publish-outputs.sh`.',
    ...(azureBackupOn(fleet)
      ? [
          '',
          'Azure Backup for AKS (backup.engine: azureBackup): ' +
            'only a subscription proves it works. After the cluster deployments:',
          '`az k8s-extension show -g <group> -c <cluster> -t managedClusters -n azure-aks-backup ' +
            '--query provisioningState`,',
          '`az aks trustedaccess rolebinding list -g <group> --cluster-name <cluster>`, and',
          `\`az dataprotection backup-instance list -g ${shared} --vault-name ${backupVaultName(fleet)} ` +
            `--query "[].properties.protectionStatus.status"\` (ProtectionConfigured).`,
          'Then, after the first scheduled backups and each monthly restore test: `aksfleet backup verify ' +
            '--live -f fleet.yaml` (or `--backups` with the',
          `output of \`az dataprotection job list -g ${shared} ` +
            `--vault-name ${backupVaultName(fleet)} -o json\`): per cluster the last successful ` +
            `backup job and restore test.`,
        ]
      : []),
    '',
    `## Outputs -> Flux (${OUTPUTS_CONFIGMAP})`,
    '',
    `Every output of a cluster deployment is named after the Flux variable it fills: \`${OUTPUT_VARS.tenantId}\`,`,
    `\`${OUTPUT_VARS.oidcIssuer}\`, \`${OUTPUT_VARS.keyVaultName}\`, ` +
      `\`${OUTPUT_VARS.acrLoginServer}\` and one \`IDENTITY_CLIENT_ID_<NAME>\` per workload identity.`,
    '`publish-outputs.sh` reads them (`az deployment group show ' +
      '--query properties.outputs`) and writes them, one key each, into',
    `the ConfigMap \`${OUTPUTS_CONFIGMAP}\` in \`flux-system\` (\`kubectl create configmap ` +
      `--dry-run=client -o yaml | kubectl apply -f -\`;`,
    'through `az aks command invoke` for private clusters). ' +
      'The Flux Kustomizations read it with `postBuild.substituteFrom`.',
    ext
      ? 'With `gitops.mode: extension` the Bicep deployment also writes the same ' +
        "values into each fluxConfiguration kustomization's `postBuild.substitute`, " +
        'so Flux has them without the script; the script still works as an override.'
      : 'With `gitops.mode: bootstrap` run `flux bootstrap` (see `az/<cluster>.sh`) after the ConfigMap exists.',
    '',
    ...networkLines(fleet),
    '## Not automated',
    '',
    '- Entra ID: the group bindings use AKS-managed Entra ID; ' +
      'cluster admins need a role (Azure Kubernetes Service Cluster Admin/User) assigned by hand.',
    '- Private clusters: your own kubectl access (jump host, VPN, ' +
      'or `az aks command invoke`); the scripts use command invoke.',
    "- NSG rules beyond the ingress add-on's HTTP(S) inbound; " +
      'with a hub you run (spec.hub.existing), its firewall rules and route tables.',
    '- Managed Prometheus recording/alert rule groups and Grafana dashboards; ' +
      'Grafana user access (Grafana Admin/Viewer).',
  ];
  return { path: 'infra/README.md', content: lines.join('\n') + '\n' };
}
