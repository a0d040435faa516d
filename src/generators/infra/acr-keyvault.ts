/**
 * infra/modules/acr.bicep and infra/modules/keyvault.bicep: the fleet's shared registry and Key
 * Vault (RBAC authorization: access is granted with role assignments, never access policies),
 * and infra/modules/backup-storage.bicep for Velero.
 */
import type { Registry } from '@azure/arm-containerregistry';
import type { VaultCreateOrUpdateParameters } from '@azure/arm-keyvault';
import { armBody, expr, type BicepFile, type Bicepable } from '../../bicep/index.js';
import { GENERATED, resource, ternary } from './common.js';

export function acrModuleFile(): BicepFile {
  const reg: Bicepable<Registry> = {
    location: expr('location'),
    tags: expr('tags'),
    sku: { name: expr('sku') },
    adminUserEnabled: false,
    publicNetworkAccess: expr('publicNetworkAccess'),
    // Premium: dedicated data endpoints (<registry>.<region>.data.azurecr.io), so a firewall can
    // allow this registry's blobs by name and the private endpoint answers for them too.
    dataEndpointEnabled: expr("sku == 'Premium'"),
    // Network rules are a Premium feature: deny by default when public access is off.
    networkRuleSet: ternary(
      "sku == 'Premium'",
      { defaultAction: expr("publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'") },
      null,
    ),
  };
  return {
    header: [
      GENERATED,
      'The fleet container registry. Pull access is granted per cluster (AcrPull to the kubelet identity).',
    ],
    declarations: [
      { kind: 'param', name: 'name', type: 'string' },
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      { kind: 'param', name: 'sku', type: 'string', allowed: ['Basic', 'Standard', 'Premium'], default: 'Premium' },
      {
        kind: 'param',
        name: 'publicNetworkAccess',
        type: 'string',
        allowed: ['Enabled', 'Disabled'],
        default: 'Enabled',
        description: 'Disabled: reachable through private endpoints only (and the network rules deny by default).',
      },
      resource('registry', 'Microsoft.ContainerRegistry/registries', armBody(reg, { name: expr('name') }), {
        comment: 'No admin user: pulls use Entra identities (AcrPull).',
      }),
      { kind: 'output', name: 'id', type: 'string', value: expr('registry.id') },
      { kind: 'output', name: 'loginServer', type: 'string', value: expr('registry.properties.loginServer') },
    ],
  };
}

export function keyVaultModuleFile(): BicepFile {
  const kv: Bicepable<VaultCreateOrUpdateParameters> = {
    location: expr('location'),
    tags: expr('tags'),
    properties: {
      tenantId: expr('tenant().tenantId'),
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      publicNetworkAccess: expr('publicNetworkAccess'),
      networkAcls: {
        defaultAction: expr("publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'"),
        bypass: 'AzureServices',
      },
    },
  };
  return {
    header: [
      GENERATED,
      'The Key Vault holding tenant secrets, with RBAC authorization (Key Vault Secrets User per identity).',
    ],
    declarations: [
      { kind: 'param', name: 'name', type: 'string' },
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      {
        kind: 'param',
        name: 'publicNetworkAccess',
        type: 'string',
        allowed: ['Enabled', 'Disabled'],
        default: 'Enabled',
        description: 'Disabled: reachable through private endpoints only (and the network rules deny by default).',
      },
      resource('vault', 'Microsoft.KeyVault/vaults', armBody(kv, { name: expr('name') }, { flattened: false })),
      { kind: 'output', name: 'id', type: 'string', value: expr('vault.id') },
      { kind: 'output', name: 'name', type: 'string', value: expr('vault.name') },
      { kind: 'output', name: 'uri', type: 'string', value: expr('vault.properties.vaultUri') },
    ],
  };
}

export function backupStorageModuleFile(): BicepFile {
  return {
    header: [GENERATED, "Velero's backup storage account and container (blob access with Entra identities only)."],
    declarations: [
      { kind: 'param', name: 'name', type: 'string' },
      { kind: 'param', name: 'container', type: 'string' },
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      {
        kind: 'param',
        name: 'publicNetworkAccess',
        type: 'string',
        allowed: ['Enabled', 'Disabled'],
        default: 'Enabled',
        description: 'Disabled: reachable through private endpoints only (and the network rules deny by default).',
      },
      resource('account', 'Microsoft.Storage/storageAccounts', {
        name: expr('name'),
        location: expr('location'),
        tags: expr('tags'),
        sku: { name: 'Standard_ZRS' },
        kind: 'StorageV2',
        properties: {
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: false,
          minimumTlsVersion: 'TLS1_2',
          supportsHttpsTrafficOnly: true,
          publicNetworkAccess: expr('publicNetworkAccess'),
          networkAcls: {
            defaultAction: expr("publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'"),
            bypass: 'AzureServices',
          },
        },
      }),
      resource('backups', 'Microsoft.Storage/storageAccounts/blobServices/containers', {
        name: expr("'${account.name}/default/${container}'"),
        properties: { publicAccess: 'None' },
      }),
      { kind: 'output', name: 'id', type: 'string', value: expr('account.id') },
    ],
  };
}
