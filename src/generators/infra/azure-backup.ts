/**
 * Azure Backup for AKS (spec `backup.engine: azureBackup`), the alternative to the Velero add-on:
 *
 * - infra/modules/backup-vault.bicep (shared resource group): the Backup vault (system-assigned
 *   identity) and one backup policy from `backup.schedule`/`backup.retention` (operational tier);
 * - infra/clusters/<c>/backup.bicep (cluster resource group): the Backup extension
 *   (`microsoft.dataprotection.kubernetes`) writing to the fleet's backup storage, trusted access
 *   for the vault (`Microsoft.DataProtection/backupVaults/backup-operator`), and the roles the
 *   vault and the cluster need (Reader on the cluster and on the snapshot resource group,
 *   Contributor for the cluster on the snapshot resource group: az CLI's AzureKubernetesService
 *   manifest, backupVaultPermissions);
 * - infra/clusters/<c>/backup-instance.bicep (shared resource group): Storage Blob Data
 *   Contributor for the extension's identity on the storage account, and the backup instance.
 *
 * The snapshot resource group of a cluster is its own resource group. Shapes: the extension and the
 * trusted access binding are typed with @azure/arm-kubernetesconfiguration and
 * @azure/arm-containerservice (and compared with their serializers in test/infra/azure-backup.test.ts);
 * no @azure/arm-dataprotection is published on npm, so the vault, policy and instance follow the
 * Azure resource reference (learn.microsoft.com/azure/templates/microsoft.dataprotection, 2024-04-01)
 * and az CLI's default AKS policy template, read by hand.
 */
import type { RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import type { TrustedAccessRoleBinding } from '@azure/arm-containerservice';
import type { Extension } from '@azure/arm-kubernetesconfiguration';
import {
  armBody,
  call,
  expr,
  interp,
  type BicepExpr,
  type BicepFile,
  type Bicepable,
  type Declaration,
} from '../../bicep/index.js';
import {
  AZURE_BACKUP_EXCLUDED_NAMESPACES,
  AZURE_BACKUP_EXTENSION_NAMESPACE,
  backupInstanceName,
  backupVaultName,
  repeatingInterval,
  wholeDays,
} from '../../spec/backup.js';
import type { Fleet } from '../../spec/schema.js';
import { GENERATED, resource } from './common.js';
import { roleId } from './data.js';

export const BACKUP_EXTENSION = {
  name: 'azure-aks-backup',
  type: 'microsoft.dataprotection.kubernetes',
  namespace: AZURE_BACKUP_EXTENSION_NAMESPACE,
} as const;
export const BACKUP_POLICY_NAME = 'aks-default';
export const TRUSTED_ACCESS_ROLE = 'Microsoft.DataProtection/backupVaults/backup-operator';
/** The datasource type of an AKS cluster in Azure Backup. */
export const AKS_DATASOURCE_TYPE = 'Microsoft.ContainerService/managedClusters';

/** The backup policy body: one scheduled incremental backup to the operational store, one retention rule. */
export function backupPolicyProperties(fleet: Fleet): Record<string, unknown> {
  const b = fleet.spec.backup;
  const r = repeatingInterval(b.schedule);
  // The spec rules refuse other schedules and retentions before generation.
  const interval = 'interval' in r ? r.interval : 'R/2024-01-01T02:00:00+00:00/P1D';
  const days = wholeDays(b.retention) ?? 7;
  const operational = { dataStoreType: 'OperationalStore', objectType: 'DataStoreInfoBase' };
  return {
    objectType: 'BackupPolicy',
    datasourceTypes: [AKS_DATASOURCE_TYPE],
    policyRules: [
      {
        name: interval.endsWith('P1D') ? 'BackupDaily' : 'BackupHourly',
        objectType: 'AzureBackupRule',
        backupParameters: { objectType: 'AzureBackupParams', backupType: 'Incremental' },
        dataStore: operational,
        trigger: {
          objectType: 'ScheduleBasedTriggerContext',
          schedule: { repeatingTimeIntervals: [interval], timeZone: 'UTC' },
          taggingCriteria: [{ isDefault: true, taggingPriority: 99, tagInfo: { tagName: 'Default' } }],
        },
      },
      {
        name: 'Default',
        objectType: 'AzureRetentionRule',
        isDefault: true,
        lifecycles: [
          {
            deleteAfter: { objectType: 'AbsoluteDeleteOption', duration: `P${days}D` },
            sourceDataStore: operational,
            targetDataStoreCopySettings: [],
          },
        ],
      },
    ],
  };
}

export function backupVaultModuleFile(): BicepFile {
  return {
    header: [
      GENERATED,
      'Azure Backup for AKS: the Backup vault and its AKS backup policy (backup.engine: azureBackup).',
    ],
    declarations: [
      { kind: 'param', name: 'name', type: 'string' },
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      {
        kind: 'param',
        name: 'redundancy',
        type: 'string',
        allowed: ['LocallyRedundant', 'ZoneRedundant', 'GeoRedundant'],
      },
      { kind: 'param', name: 'policyName', type: 'string' },
      {
        kind: 'param',
        name: 'policyProperties',
        type: 'object',
        description: 'The backup policy properties (schedule and retention from fleet.yaml).',
      },
      resource(
        'vault',
        'Microsoft.DataProtection/backupVaults',
        {
          name: expr('name'),
          location: expr('location'),
          tags: expr('tags'),
          identity: { type: 'SystemAssigned' },
          properties: { storageSettings: [{ datastoreType: 'VaultStore', type: expr('redundancy') }] },
        },
        { comment: 'System-assigned identity: trusted access and the role assignments of each cluster name it.' },
      ),
      resource('policy', 'Microsoft.DataProtection/backupVaults/backupPolicies', {
        parent: expr('vault'),
        name: expr('policyName'),
        properties: expr('policyProperties'),
      }),
      { kind: 'output', name: 'id', type: 'string', value: expr('vault.id') },
      { kind: 'output', name: 'principalId', type: 'string', value: expr('vault.identity.principalId') },
      { kind: 'output', name: 'policyId', type: 'string', value: expr('policy.id') },
    ],
  };
}

/** The Backup extension, typed with the SDK model. */
export function backupExtensionSdk(): Bicepable<Extension> {
  return {
    extensionType: BACKUP_EXTENSION.type,
    autoUpgradeMinorVersion: true,
    releaseTrain: 'stable',
    scope: { cluster: { releaseNamespace: BACKUP_EXTENSION.namespace } },
    // The keys az k8s-extension writes for this extension type (its DataProtectionKubernetes
    // mapping of blobContainer/storageAccount/...); useAAD: the extension's identity reads and
    // writes blobs with Storage Blob Data Contributor, no storage key.
    configurationSettings: {
      'configuration.backupStorageLocation.bucket': expr('container'),
      'configuration.backupStorageLocation.config.storageAccount': expr('storageAccountName'),
      'configuration.backupStorageLocation.config.resourceGroup': expr('storageResourceGroup'),
      'configuration.backupStorageLocation.config.subscriptionId': expr('subscription().subscriptionId'),
      'configuration.backupStorageLocation.config.useAAD': 'true',
      'configuration.backupStorageLocation.config.storageAccountURI': interp`https://${expr('storageAccountName')}.blob.${expr('environment().suffixes.storage')}/`,
      'credentials.tenantId': expr('tenant().tenantId'),
    } as unknown as Record<string, string>,
  };
}

/** Trusted access of the vault to the cluster, typed with the SDK model. */
export function trustedAccessSdk(): Bicepable<TrustedAccessRoleBinding> {
  return { sourceResourceId: expr('vaultId'), roles: [TRUSTED_ACCESS_ROLE] };
}

function role(
  symbol: string,
  scope: BicepExpr | undefined,
  scopeId: BicepExpr,
  principal: BicepExpr,
  roleName: string,
  why: string,
  dependsOn?: BicepExpr[],
): Declaration {
  const id = roleId(roleName);
  const body: Bicepable<RoleAssignmentCreateParameters> = {
    roleDefinitionId: call('subscriptionResourceId', 'Microsoft.Authorization/roleDefinitions', id),
    principalId: principal,
    principalType: 'ServicePrincipal',
    description: `${roleName}: ${why}`,
  };
  return resource(
    symbol,
    'Microsoft.Authorization/roleAssignments',
    armBody(body, { scope, name: call('guid', scopeId, principal, id), dependsOn }),
    { comment: `${roleName}: ${why}` },
  );
}

/** infra/clusters/<c>/backup.bicep, deployed in the cluster's resource group. */
export function clusterBackupFile(clusterName: string): BicepFile {
  return {
    header: [
      GENERATED,
      `Azure Backup for cluster ${clusterName}: the Backup extension, ` +
        `trusted access for the vault and the roles it needs (snapshots go to this resource group).`,
    ],
    declarations: [
      { kind: 'param', name: 'clusterName', type: 'string' },
      {
        kind: 'param',
        name: 'clusterPrincipalId',
        type: 'string',
        description:
          "The cluster's control plane identity (it writes disk snapshots into the snapshot resource group).",
      },
      { kind: 'param', name: 'vaultId', type: 'string' },
      {
        kind: 'param',
        name: 'vaultPrincipalId',
        type: 'string',
        description: "The Backup vault's system-assigned identity.",
      },
      { kind: 'param', name: 'storageAccountName', type: 'string' },
      { kind: 'param', name: 'storageResourceGroup', type: 'string' },
      { kind: 'param', name: 'container', type: 'string' },
      resource('aks', 'Microsoft.ContainerService/managedClusters', { name: expr('clusterName') }, { existing: true }),
      resource(
        'extension',
        'Microsoft.KubernetesConfiguration/extensions',
        armBody(backupExtensionSdk(), { scope: expr('aks'), name: BACKUP_EXTENSION.name }),
        {
          comment: 'The Backup extension: Velero run by Azure Backup, writing to the fleet backup storage.',
        },
      ),
      resource(
        'trustedAccess',
        'Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings',
        armBody(trustedAccessSdk(), { parent: expr('aks'), name: 'backup-vault' }),
        {
          comment: 'Trusted access: the vault operates the backup extension through the cluster API.',
        },
      ),
      role(
        'vaultReadsCluster',
        expr('aks'),
        expr('aks.id'),
        expr('vaultPrincipalId'),
        'Reader',
        'the Backup vault reads the cluster it protects.',
      ),
      role(
        'vaultReadsSnapshots',
        undefined,
        expr('resourceGroup().id'),
        expr('vaultPrincipalId'),
        'Reader',
        'the Backup vault reads the snapshot resource group.',
      ),
      role(
        'clusterWritesSnapshots',
        undefined,
        expr('resourceGroup().id'),
        expr('clusterPrincipalId'),
        'Contributor',
        'the cluster writes disk snapshots into the snapshot resource group.',
      ),
      {
        kind: 'output',
        name: 'extensionPrincipalId',
        type: 'string',
        value: expr('extension.properties.aksAssignedIdentity.principalId'),
      },
    ],
  };
}

/** infra/clusters/<c>/backup-instance.bicep, deployed in the shared resource group (the vault's). */
export function backupInstanceFile(fleet: Fleet, clusterName: string): BicepFile {
  const datasource = (objectType: string): Record<string, BicepExpr | string> => ({
    objectType,
    datasourceType: AKS_DATASOURCE_TYPE,
    resourceID: expr('clusterId'),
    resourceName: expr('clusterName'),
    resourceType: AKS_DATASOURCE_TYPE,
    resourceUri: expr('clusterId'),
    resourceLocation: expr('clusterLocation'),
  });
  return {
    header: [
      GENERATED,
      `Azure Backup for cluster ${clusterName}: the extension's access to the ` +
        `backup storage and the backup instance in vault ${backupVaultName(fleet)}.`,
    ],
    declarations: [
      { kind: 'param', name: 'clusterId', type: 'string' },
      { kind: 'param', name: 'clusterName', type: 'string' },
      { kind: 'param', name: 'clusterLocation', type: 'string' },
      {
        kind: 'param',
        name: 'snapshotResourceGroupId',
        type: 'string',
        description: "The cluster's resource group: disk snapshots are kept there (operational tier).",
      },
      {
        kind: 'param',
        name: 'extensionPrincipalId',
        type: 'string',
        description: "The Backup extension's identity (an output of backup.bicep).",
      },
      { kind: 'param', name: 'vaultName', type: 'string' },
      { kind: 'param', name: 'policyName', type: 'string' },
      { kind: 'param', name: 'storageAccountName', type: 'string' },
      resource(
        'storage',
        'Microsoft.Storage/storageAccounts',
        { name: expr('storageAccountName') },
        { existing: true },
      ),
      role(
        'extensionWritesBlobs',
        expr('storage'),
        expr('storage.id'),
        expr('extensionPrincipalId'),
        'Storage Blob Data Contributor',
        'the Backup extension writes the backups (useAAD, no storage key).',
      ),
      resource('vault', 'Microsoft.DataProtection/backupVaults', { name: expr('vaultName') }, { existing: true }),
      resource(
        'policy',
        'Microsoft.DataProtection/backupVaults/backupPolicies',
        { parent: expr('vault'), name: expr('policyName') },
        { existing: true },
      ),
      resource(
        'instance',
        'Microsoft.DataProtection/backupVaults/backupInstances',
        {
          parent: expr('vault'),
          name: interp`${backupInstanceName('')}${expr('clusterName')}`,
          dependsOn: [expr('extensionWritesBlobs')],
          properties: {
            objectType: 'BackupInstance',
            friendlyName: expr('clusterName'),
            dataSourceInfo: datasource('Datasource'),
            dataSourceSetInfo: datasource('DatasourceSet'),
            policyInfo: {
              policyId: expr('policy.id'),
              policyParameters: {
                backupDatasourceParametersList: [
                  {
                    objectType: 'KubernetesClusterBackupDatasourceParameters',
                    includeClusterScopeResources: true,
                    snapshotVolumes: true,
                    excludedNamespaces: [...AZURE_BACKUP_EXCLUDED_NAMESPACES],
                  },
                ],
                dataStoreParametersList: [
                  {
                    objectType: 'AzureOperationalStoreParameters',
                    dataStoreType: 'OperationalStore',
                    resourceGroupId: expr('snapshotResourceGroupId'),
                  },
                ],
              },
            },
          },
        },
        {
          comment:
            'Every namespace but the system ones, cluster-scoped resources and volume snapshots; ' +
            'created after trusted access and the roles (backup.bicep).',
        },
      ),
      { kind: 'output', name: 'backupInstanceId', type: 'string', value: expr('instance.id') },
    ],
  };
}
