/**
 * The network part of infra/az/<cluster>.sh: the same VNet, NSGs, NAT gateway, control plane
 * identity, private endpoints and private DNS zones as network.bicep and private-endpoints.bicep,
 * with az CLI commands (show || create), and the public access of the shared resources. The Azure
 * Firewall is Bicep only: the script stops with that message instead of building a cluster
 * whose egress would not match.
 */
import { PRIVATE_LINK, sharedPublicNetworkAccess, usesPrivateLink } from '../../spec/network.js';
import type { Fleet } from '../../spec/schema.js';
import { shq } from './common.js';
import { roleId } from './data.js';
import { EGRESS_IPS_OUTPUT, SUBNET_NAMES, vnetName } from './network.js';
import type { ClusterPlan } from './plan.js';
import { dnsLinkName, privateEndpointPlans } from './private-endpoints.js';

const NETWORK_CONTRIBUTOR = roleId('Network Contributor');

/** `show || create` on one line pair. */
function ensure(show: string, create: string): string[] {
  return [`${show} --output none 2>/dev/null || \\`, `  ${create} --output none`];
}

/** Lines that stop the script when it cannot build what the Bicep builds. */
export function azUnsupported(plan: ClusterPlan, azureBackup = false, hub?: 'ours' | 'existing'): string[] {
  const c = plan.cluster;
  if (hub && c.network.vnet)
    return [
      `echo "cluster ${c.name}: the hub peering (spec.hub) is created by the Bicep deployment only;" >&2`,
      hub === 'ours'
        ? `echo "deploy infra/hub/main.bicep and infra/clusters/${c.name}/main.bicep instead of this script" >&2`
        : `echo "deploy infra/clusters/${c.name}/main.bicep instead of this script; ` +
          `the hub's owner deploys infra/hub-owner/peering-${c.name}.bicep" >&2`,
      'exit 1',
      '',
    ];
  if (azureBackup)
    return [
      `echo "cluster ${c.name}: Azure Backup for AKS (backup.engine azureBackup: vault, policy, ` +
        `extension, trusted access, backup instance) is created by the Bicep deployment only;" >&2`,
      `echo "deploy infra/shared/main.bicep and infra/clusters/${c.name}/main.bicep instead of this script" >&2`,
      'exit 1',
      '',
    ];
  if (c.egress.type === 'userDefinedRouting' && c.network.vnet?.firewallSubnet)
    return [
      `echo "cluster ${c.name}: the Azure Firewall (egress userDefinedRouting with ` +
        `network.vnet.firewallSubnet) is created by the Bicep deployment only;" >&2`,
      `echo "deploy infra/clusters/${c.name}/main.bicep instead of this script" >&2`,
      'exit 1',
      '',
    ];
  return [];
}

/** Shared resources: public access and the default action of their network rules. */
export function azSharedAccess(fleet: Fleet, plan: ClusterPlan): string[] {
  const off = sharedPublicNetworkAccess(fleet) === 'Disabled';
  const L = [
    `# Public access of the shared resources: ` +
      `${off ? 'Disabled (private endpoints only, network rules deny)' : 'Enabled'}`,
  ];
  if (fleet.spec.registry.sku === 'Premium')
    L.push(
      `az acr update --name "$REGISTRY" --resource-group "$REGISTRY_RG" --public-network-enabled ${!off} ` +
        `--default-action ${off ? 'Deny' : 'Allow'} --data-endpoint-enabled true --output none`,
    );
  L.push(
    `az keyvault update --name "$KEY_VAULT" --resource-group "$KEY_VAULT_RG" ` +
      `--public-network-access ${off ? 'Disabled' : 'Enabled'} --default-action ${off ? 'Deny' : 'Allow'} ` +
      `--bypass AzureServices --output none`,
  );
  if (plan.backupStorage)
    L.push(
      `az storage account update --name ${shq(plan.backupStorage.name)} ` +
        `--resource-group ${shq(plan.backupStorage.resourceGroup)} ` +
        `--public-network-access ${off ? 'Disabled' : 'Enabled'} --default-action ${off ? 'Deny' : 'Allow'} ` +
        `--bypass AzureServices --output none`,
    );
  return L;
}

/**
 * VNet, NSGs, NAT gateway and the control plane identity; sets NODE_SUBNET_ID (and POD_SUBNET_ID, CONTROL_PLANE_ID).
 */
export function azNetwork(fleet: Fleet, plan: ClusterPlan): string[] {
  const c = plan.cluster;
  const v = c.network.vnet;
  if (!v) return [];
  const nat = c.egress.type === 'userAssignedNATGateway';
  const L = [
    '',
    `# Network: VNet ${vnetName(c)} (${v.addressSpace}) with one NSG per subnet`,
    `VNET=${shq(vnetName(c))}`,
  ];
  L.push(
    ...ensure(
      'az network vnet show --resource-group "$RG" --name "$VNET"',
      `az network vnet create --resource-group "$RG" --name "$VNET" --location "$LOCATION" ` +
        `--address-prefixes ${shq(v.addressSpace)} --tags "\${TAGS[@]}"`,
    ),
  );
  const nsg = (name: string) =>
    ensure(
      `az network nsg show --resource-group "$RG" --name ${shq(name)}`,
      `az network nsg create --resource-group "$RG" --name ${shq(name)} --location "$LOCATION" --tags "\${TAGS[@]}"`,
    );
  L.push(...nsg(`nsg-${c.name}-nodes`));
  if (fleet.spec.addons.ingress.enabled)
    L.push(
      ...ensure(
        `az network nsg rule show --resource-group "$RG" ` +
          `--nsg-name ${shq(`nsg-${c.name}-nodes`)} --name allow-web-inbound`,
        `az network nsg rule create --resource-group "$RG" --nsg-name ${shq(`nsg-${c.name}-nodes`)} ` +
          `--name allow-web-inbound --priority 100 --direction Inbound --access Allow ` +
          `--protocol Tcp --source-address-prefixes Internet --source-port-ranges '*' ` +
          `--destination-address-prefixes ${shq(v.nodeSubnet)} --destination-port-ranges 80 443`,
      ),
    );
  if (nat) {
    const ips = Array.from({ length: c.egress.natGatewayIps }, (_, i) => `pip-${c.name}-egress-${i}`);
    for (const ip of ips)
      L.push(
        ...ensure(
          `az network public-ip show --resource-group "$RG" --name ${shq(ip)}`,
          `az network public-ip create --resource-group "$RG" --name ${shq(ip)} --location "$LOCATION" ` +
            `--sku Standard --allocation-method Static --version IPv4 --tags "\${TAGS[@]}"`,
        ),
      );
    L.push(
      ...ensure(
        `az network nat gateway show --resource-group "$RG" --name ${shq(`nat-${c.name}`)}`,
        `az network nat gateway create --resource-group "$RG" --name ${shq(`nat-${c.name}`)} ` +
          `--location "$LOCATION" --public-ip-addresses ${ips.map(shq).join(' ')} ` +
          `--idle-timeout ${c.egress.idleTimeoutMinutes} --tags "\${TAGS[@]}"`,
      ),
    );
  }
  const subnet = (name: string, prefix: string, extra: string) =>
    ensure(
      `az network vnet subnet show --resource-group "$RG" --vnet-name "$VNET" --name ${shq(name)}`,
      `az network vnet subnet create --resource-group "$RG" --vnet-name "$VNET" ` +
        `--name ${shq(name)} --address-prefixes ${shq(prefix)}${extra}`,
    );
  const natFlag = nat ? ` --nat-gateway ${shq(`nat-${c.name}`)}` : '';
  L.push(
    ...subnet(SUBNET_NAMES.nodes, v.nodeSubnet, ` --network-security-group ${shq(`nsg-${c.name}-nodes`)}${natFlag}`),
  );
  if (v.podSubnet) {
    L.push(...nsg(`nsg-${c.name}-pods`));
    L.push(
      ...subnet(SUBNET_NAMES.pods, v.podSubnet, ` --network-security-group ${shq(`nsg-${c.name}-pods`)}${natFlag}`),
    );
  }
  if (v.privateEndpointSubnet) {
    L.push(...nsg(`nsg-${c.name}-private-endpoints`));
    L.push(
      ...subnet(
        SUBNET_NAMES.privateEndpoints,
        v.privateEndpointSubnet,
        ` --network-security-group ${shq(`nsg-${c.name}-private-endpoints`)} ` +
          `--private-endpoint-network-policies Enabled`,
      ),
    );
  }
  L.push(
    'VNET_ID="$(az network vnet show --resource-group "$RG" --name "$VNET" --query id --output tsv)"',
    `NODE_SUBNET_ID="$VNET_ID/subnets/${SUBNET_NAMES.nodes}"`,
    ...(v.podSubnet ? [`POD_SUBNET_ID="$VNET_ID/subnets/${SUBNET_NAMES.pods}"`] : []),
    '',
    '# The control plane identity: user-assigned, with Network Contributor on the VNet before the cluster exists',
    ...ensure(
      `az identity show --resource-group "$RG" --name ${shq(`id-${c.name}-control-plane`)}`,
      `az identity create --resource-group "$RG" --name ${shq(`id-${c.name}-control-plane`)} ` +
        `--location "$LOCATION" --tags "\${TAGS[@]}"`,
    ),
    `CONTROL_PLANE_ID="$(az identity show --resource-group "$RG" ` +
      `--name ${shq(`id-${c.name}-control-plane`)} --query id --output tsv)"`,
    `CONTROL_PLANE_PRINCIPAL="$(az identity show --resource-group "$RG" ` +
      `--name ${shq(`id-${c.name}-control-plane`)} --query principalId --output tsv)"`,
    `grant ${shq(NETWORK_CONTRIBUTOR)} "$CONTROL_PLANE_PRINCIPAL" "$VNET_ID"`,
  );
  if (nat)
    L.push(
      `grant ${shq(NETWORK_CONTRIBUTOR)} "$CONTROL_PLANE_PRINCIPAL" "$(az network nat gateway show ` +
        `--resource-group "$RG" --name ${shq(`nat-${c.name}`)} --query id --output tsv)"`,
    );
  return L;
}

/** `az aks create` flags for the network of ours or yours. */
export function azClusterNetworkFlags(plan: ClusterPlan): string[] {
  const c = plan.cluster;
  if (c.network.vnet)
    return [
      '--vnet-subnet-id "$NODE_SUBNET_ID"',
      ...(c.network.vnet.podSubnet ? ['--pod-subnet-id "$POD_SUBNET_ID"'] : []),
      '--assign-identity "$CONTROL_PLANE_ID"',
    ];
  const subnet =
    c.network.existingSubnets?.nodes ?? (c.egress.type === 'userDefinedRouting' ? c.egress.subnetId : undefined);
  return subnet ? [`--vnet-subnet-id ${shq(subnet)}`] : [];
}

/** The egress IPs for the outputs ConfigMap (same key as the Bicep output), when our NAT gateway pins them. */
export function azEgressIpsLiteral(plan: ClusterPlan): string[] {
  const c = plan.cluster;
  if (!c.network.vnet || c.egress.type !== 'userAssignedNATGateway') return [];
  const ips = Array.from(
    { length: c.egress.natGatewayIps },
    (_, i) =>
      `$(az network public-ip show --resource-group "$RG" ` +
      `--name ${shq(`pip-${c.name}-egress-${i}`)} --query ipAddress --output tsv)`,
  );
  return [`  "--from-literal=${EGRESS_IPS_OUTPUT}=${ips.join(',')}"`];
}

/** Private endpoints, zones, links and zone groups of a Private Link environment's cluster. */
export function azPrivateEndpoints(fleet: Fleet, plan: ClusterPlan): string[] {
  if (!usesPrivateLink(plan.environment)) return [];
  const c = plan.cluster;
  const existing = c.network.existingSubnets?.privateEndpoints;
  const L = [
    '',
    `# Private endpoints (environment ${plan.environment.name} uses Private Link) and their private DNS zones`,
  ];
  if (existing) L.push(`PE_SUBNET_ID=${shq(existing)}`, `PE_VNET_ID=${shq(existing.replace(/\/subnets\/[^/]+$/, ''))}`);
  else L.push(`PE_SUBNET_ID="$VNET_ID/subnets/${SUBNET_NAMES.privateEndpoints}"`, 'PE_VNET_ID="$VNET_ID"');
  for (const pe of privateEndpointPlans(fleet, plan)) {
    const pl = PRIVATE_LINK[pe.target];
    const r = pe.resource;
    const id =
      `/subscriptions/${r.subscriptionId ?? '$SUBSCRIPTION'}/` +
      `resourceGroups/${r.resourceGroup}/providers/${r.type}/${r.name}`;
    L.push(
      ...ensure(
        `az network private-endpoint show --resource-group "$RG" --name ${shq(pe.endpointName)}`,
        `az network private-endpoint create --resource-group "$RG" --name ${shq(pe.endpointName)} ` +
          `--location "$LOCATION" --subnet "$PE_SUBNET_ID" --private-connection-resource-id "${id}" ` +
          `--group-id ${pl.groupId} --connection-name ${shq(pe.endpointName)} --tags "\${TAGS[@]}"`,
      ),
    );
    let zoneId = pe.zoneId ? shq(pe.zoneId) : undefined;
    if (!zoneId) {
      L.push(
        ...ensure(
          `az network private-dns zone show --resource-group "$RG" --name ${pl.zone}`,
          `az network private-dns zone create --resource-group "$RG" --name ${pl.zone} --tags "\${TAGS[@]}"`,
        ),
        ...ensure(
          `az network private-dns link vnet show --resource-group "$RG" ` +
            `--zone-name ${pl.zone} --name ${shq(dnsLinkName(c.name))}`,
          `az network private-dns link vnet create --resource-group "$RG" --zone-name ${pl.zone} ` +
            `--name ${shq(dnsLinkName(c.name))} --virtual-network "$PE_VNET_ID" --registration-enabled false`,
        ),
      );
      zoneId = `"$(az network private-dns zone show --resource-group "$RG" --name ${pl.zone} --query id --output tsv)"`;
    }
    L.push(
      ...ensure(
        `az network private-endpoint dns-zone-group show --resource-group "$RG" ` +
          `--endpoint-name ${shq(pe.endpointName)} --name default`,
        `az network private-endpoint dns-zone-group create --resource-group "$RG" ` +
          `--endpoint-name ${shq(pe.endpointName)} --name default --private-dns-zone ${zoneId} ` +
          `--zone-name ${pl.zone.replace(/\./g, '-')}`,
      ),
    );
  }
  return L;
}
