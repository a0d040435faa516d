/** Fleets the infra tests generate from: the example, and variants that reach the other branches. */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { exampleFile } from '../../src/package-root.js';

export const EXAMPLE = readFileSync(exampleFile('fleet.yaml'), 'utf8');

function replace(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture text not found: ${from}`);
  return text.replace(from, to);
}

/** gitops.mode: extension (the AKS Flux extension in Bicep). */
export const EXTENSION = replace(EXAMPLE, '    mode: bootstrap ', '    mode: extension ');

/**
 * Extension mode plus: dev egress through the Azure Firewall aksfleet creates (userDefinedRouting) with a Windows pool,
 * qa on Long Term Support (Premium) with a daily node OS window and calico, extra roles on the
 * registry and on a resource group.
 */
export const VARIANT = [
  (t: string) =>
    replace(
      t,
      'privateEndpointSubnet: 10.10.4.0/24 }',
      'privateEndpointSubnet: 10.10.4.0/24, firewallSubnet: 10.10.5.0/26 }',
    ),
  (t: string) => replace(t, 'egress: { type: loadBalancer }', 'egress: { type: userDefinedRouting }'),
  (t: string) =>
    replace(
      t,
      '        - { name: userpool, vmSize: Standard_D4s_v5, count: 2,',
      '        - { name: win1, osType: Windows, osSku: Windows2022, vmSize: Standard_D4s_v5, count: 1 }\n' +
        '        - { name: userpool, vmSize: Standard_D4s_v5, count: 2,',
    ),
  (t: string) =>
    replace(
      t,
      '      network: { plugin: cilium, policy: cilium,',
      '      tier: Premium\n      supportPlan: AKSLongTermSupport\n' +
        '      network: { plugin: azure-overlay, policy: calico,',
    ),
  (t: string) =>
    replace(
      t,
      'upgrade: { channel: patch, nodeOsChannel: NodeImage, ' +
        'clusterWindow: { dayOfWeek: Wednesday, startTime: "01:00" } }',
      'upgrade: { channel: patch, nodeOsChannel: SecurityPatch, clusterWindow: { dayOfWeek: Wednesday, ' +
        'startTime: "01:00" }, nodeOsWindow: { schedule: daily, startTime: "03:00", durationHours: 6 } }',
    ),
  (t: string) =>
    replace(
      t,
      '            - { role: Storage Blob Data Reader,',
      '            - { role: AcrPush, scope: registry }\n            - { role: Reader, scope: ' +
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data }\n' +
        '            - { role: Storage Blob Data Reader,',
    ),
].reduce((t, f) => f(t), EXTENSION);

export const FLEET_TEXTS: readonly [string, string][] = [
  ['bootstrap', EXAMPLE],
  ['extension', EXTENSION],
  ['variant', VARIANT],
];

/** backup.engine azureBackup (Azure Backup for AKS instead of the Velero add-on), every 6 hours, 14 days. */
export const AZURE_BACKUP = replace(
  replace(EXAMPLE, '    velero: { version: 12.1.0,', '    velero: { enabled: false, version: 12.1.0,'),
  '\n  # Images must be signed',
  '\n  backup: { engine: azureBackup, vaultName: bv-contoso, storageAccount: stcontosoaksbackup, ' +
    'container: aks-backups, schedule: "30 */6 * * *", retention: 336h }\n\n  # Images must be signed',
);

/**
 * A hub (spec.hub) with its Azure Firewall: every cluster VNet is a spoke; prod egresses through the
 * hub firewall (userDefinedRouting, no firewall of its own), dev and qa keep their egress.
 */
export const HUB = replace(
  replace(
    EXAMPLE,
    '  keyVault:\n',
    '  hub: { resourceGroup: rg-hub, addressSpace: 10.100.0.0/16, firewallSubnet: 10.100.0.0/26 }\n\n  keyVault:\n',
  ),
  'egress: { type: userAssignedNATGateway, natGatewayIps: 2 }',
  'egress: { type: userDefinedRouting }',
);

/**
 * A hub the user already runs (spec.hub.existing), in another subscription: every cluster VNet peers
 * to it; prod egresses through its firewall (userDefinedRouting, no firewall of its own), whose
 * public IPs are listed.
 */
export const EXISTING_HUB_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/' +
  'rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-uksouth';
export const EXISTING_HUB = replace(
  replace(
    EXAMPLE,
    '  keyVault:\n',
    `  hub:\n    existing: { vnetId: ${EXISTING_HUB_ID}, addressSpace: [10.200.0.0/16, 10.201.0.0/24], ` +
      `firewallPrivateIp: 10.200.1.4, egressIps: [203.0.113.10, 203.0.113.11] }\n\n  keyVault:\n`,
  ),
  'egress: { type: userAssignedNATGateway, natGatewayIps: 2 }',
  'egress: { type: userDefinedRouting }',
);
