/**
 * Per-cluster entry points: infra/clusters/<cluster>/main.bicep (wires the modules together and
 * declares the outputs that become OUTPUTS_CONFIGMAP), main.bicepparam (the cluster's values),
 * roles-<n>.bicep (role assignments, one module per target resource group), and the shared
 * entry infra/shared/main.bicep (registry, Key Vault, backup storage).
 */
import type { RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import {
  armBody,
  call,
  emitBicep,
  emitBicepParam,
  expr,
  interp,
  str,
  type BicepExpr,
  type BicepFile,
  type BicepObject,
  type Bicepable,
  type Declaration,
  type ModuleDecl,
  type ParamDecl,
} from '../../bicep/index.js';
import { OUTPUT_VARS, clusterPath } from '../../model/fleet-model.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import { aksParamValues } from './aks.js';
import { GENERATED, durationSeconds, resource } from './common.js';
import { clusterKustomizations, fluxKustomizations } from './flux.js';
import { identityParam } from './identity.js';
import { EGRESS_IPS_OUTPUT, networkFile, ownsEgressIps } from './network.js';
import { privateEndpointsFile } from './private-endpoints.js';
import { hubPeeringFile, hubPeeringPath } from './hub.js';
import { BACKUP_POLICY_NAME, backupInstanceFile, backupPolicyProperties, clusterBackupFile } from './azure-backup.js';
import { azureBackupOn, backupVaultName } from '../../spec/backup.js';
import { hubOf, sharedPublicNetworkAccess, usesPrivateLink } from '../../spec/network.js';
import { sharedResourceGroup, type ClusterPlan, type RoleAssignmentPlan, type ScopeRef } from './plan.js';
import type { GeneratedFile } from '../types.js';

const MODULES = '../../modules';

export function infraDir(cluster: Cluster): string {
  return `infra/${clusterPath(cluster)}`;
}

/** The deployment name used by the README, the az script and publish-outputs.sh. */
export function deploymentName(cluster: Cluster): string {
  return `aksfleet-${cluster.name}`;
}

function tagsOf(fleet: Fleet, cluster: Cluster): Record<string, string> {
  return {
    fleet: fleet.metadata.name,
    environment: cluster.environment,
    cluster: cluster.name,
    'managed-by': 'aksfleet',
  };
}

/** Role assignments grouped by target resource group (module scope), in first-seen order. */
export function roleGroups(
  plan: ClusterPlan,
): { key: string; subscriptionId?: string; resourceGroup: string; roles: RoleAssignmentPlan[] }[] {
  const groups: { key: string; subscriptionId?: string; resourceGroup: string; roles: RoleAssignmentPlan[] }[] = [];
  for (const r of plan.roles) {
    const sub = r.scope.subscriptionId ?? plan.subscriptionId;
    const key = `${sub ?? ''}/${r.scope.resourceGroup.toLowerCase()}`;
    let g = groups.find((x) => x.key === key);
    if (!g) groups.push((g = { key, subscriptionId: sub, resourceGroup: r.scope.resourceGroup, roles: [] }));
    g.roles.push(r);
  }
  return groups;
}

function scopeKey(s: ScopeRef): string {
  return `${s.type ?? ''}/${s.name ?? ''}`.toLowerCase();
}

/** One roles-<n>.bicep: existing scopes and the role assignments on them. */
export function rolesModuleFile(plan: ClusterPlan, group: ReturnType<typeof roleGroups>[number]): BicepFile {
  const decls: Declaration[] = [
    {
      kind: 'param',
      name: 'kubeletObjectId',
      type: 'string',
      description: "The cluster's kubelet identity (pulls images).",
    },
    {
      kind: 'param',
      name: 'identities',
      type: 'array',
      description: 'Outputs of identity.bicep: { name, clientId, principalId } in plan order.',
    },
  ];
  const scopes = new Map<string, string>();
  group.roles.forEach((r) => {
    if (!r.scope.type || scopes.has(scopeKey(r.scope))) return;
    const sym = `scope${scopes.size}`;
    scopes.set(scopeKey(r.scope), sym);
    decls.push(resource(sym, r.scope.type, { name: r.scope.name! }, { existing: true }));
  });
  group.roles.forEach((r, i) => {
    const principal =
      r.principal.kind === 'kubelet' ? expr('kubeletObjectId') : expr(`identities[${r.principal.index}].principalId`);
    const who =
      r.principal.kind === 'kubelet'
        ? `kubelet identity of ${plan.cluster.name}`
        : `identity ${plan.identities[r.principal.index]!.name}`;
    const sym = r.scope.type ? scopes.get(scopeKey(r.scope))! : undefined;
    const scopeId = sym ? `${sym}.id` : 'resourceGroup().id';
    const body: Bicepable<RoleAssignmentCreateParameters> = {
      roleDefinitionId: call('subscriptionResourceId', 'Microsoft.Authorization/roleDefinitions', r.roleDefinitionId),
      principalId: principal,
      principalType: 'ServicePrincipal',
      description: `${r.role} for the ${who}`,
    };
    decls.push(
      resource(
        `assignment${i}`,
        'Microsoft.Authorization/roleAssignments',
        armBody(body, {
          scope: sym ? expr(sym) : undefined,
          name: call('guid', expr(scopeId), principal, r.roleDefinitionId),
        }),
        {
          comment: [
            `${r.role} -> ${who} ` +
              `on ${r.scope.type ? `${r.scope.type} ${r.scope.name}` : `resource group ${r.scope.resourceGroup}`}:`,
            r.why,
          ],
        },
      ),
    );
  });
  return {
    header: [GENERATED, `Role assignments of cluster ${plan.cluster.name} in resource group ${group.resourceGroup}.`],
    declarations: decls,
  };
}

function rgScope(sub: string | undefined, rg: string): BicepExpr {
  return sub ? call('resourceGroup', sub, rg) : call('resourceGroup', rg);
}

/** Outputs of main.bicep: name -> expression. The names are the keys of OUTPUTS_CONFIGMAP. */
export function mainOutputs(fleet: Fleet, plan: ClusterPlan): Record<string, BicepExpr> {
  const out: Record<string, BicepExpr> = {
    [OUTPUT_VARS.tenantId]: expr('tenant().tenantId'),
    [OUTPUT_VARS.oidcIssuer]: expr('aks.outputs.oidcIssuerUrl'),
    [OUTPUT_VARS.keyVaultName]: str(fleet.spec.keyVault.name),
    [OUTPUT_VARS.acrLoginServer]: expr('registry.properties.loginServer'),
  };
  plan.identities.forEach((i, idx) => (out[i.clientIdVar] = expr(`identities.outputs.identities[${idx}].clientId`)));
  if (ownsEgressIps(fleet, plan.cluster)) out[EGRESS_IPS_OUTPUT] = expr("join(network.outputs.egressIps, ',')");
  return out;
}

/**
 * backup.engine azureBackup: the vault (existing, shared), backup.bicep here, backup-instance.bicep in the vault's
 * resource group.
 */
function azureBackupModules(fleet: Fleet, plan: ClusterPlan): Declaration[] {
  const c = plan.cluster;
  const storage = plan.backupStorage!;
  const shared = rgScope(storage.subscriptionId, storage.resourceGroup);
  const vault = backupVaultName(fleet);
  return [
    resource(
      'backupVault',
      'Microsoft.DataProtection/backupVaults',
      { name: vault, scope: shared },
      { existing: true, comment: 'The fleet Backup vault (infra/shared).' },
    ),
    {
      kind: 'module',
      symbol: 'backup',
      path: './backup.bicep',
      body: {
        name: interp`backup-${expr('clusterName')}`,
        params: {
          clusterName: expr('aks.outputs.name'),
          clusterPrincipalId: c.network.vnet
            ? expr('controlPlane.properties.principalId')
            : expr('aks.outputs.principalId'),
          vaultId: expr('backupVault.id'),
          vaultPrincipalId: expr('backupVault.identity.principalId'),
          storageAccountName: storage.name,
          storageResourceGroup: storage.resourceGroup,
          container: storage.container,
        },
      },
      comment: 'Azure Backup for AKS (backup.engine: azureBackup): extension, trusted access, roles.',
    },
    {
      kind: 'module',
      symbol: 'backupInstance',
      path: './backup-instance.bicep',
      body: {
        name: interp`backup-instance-${expr('clusterName')}`,
        scope: shared,
        params: {
          clusterId: expr('aks.outputs.id'),
          clusterName: expr('aks.outputs.name'),
          clusterLocation: expr('location'),
          snapshotResourceGroupId: expr('resourceGroup().id'),
          extensionPrincipalId: expr('backup.outputs.extensionPrincipalId'),
          vaultName: vault,
          policyName: BACKUP_POLICY_NAME,
          storageAccountName: storage.name,
        },
      },
      comment: `The backup instance of ${c.name} in vault ${vault}, after the extension, trusted access and roles.`,
    },
  ];
}

export function mainFile(fleet: Fleet, plan: ClusterPlan): BicepFile {
  const c = plan.cluster;
  const extension = fleet.spec.gitops.mode === 'extension';
  const hasWindows = c.userPools.some((p) => p.osType === 'Windows');
  const p = (
    name: string,
    type: string,
    description?: string,
    def?: ParamDecl['default'],
    decorators?: string[],
  ): ParamDecl => ({ kind: 'param', name, type, description, default: def, decorators });
  const decls: Declaration[] = [
    { kind: 'targetScope', scope: 'resourceGroup' },
    p('clusterName', 'string'),
    p('location', 'string', undefined, expr('resourceGroup().location')),
    p('tags', 'object', undefined, {}),
    ...Object.keys(aksParamValues(c)).map((k) =>
      p(
        k,
        typeof aksParamValues(c)[k] === 'string' ? 'string' : Array.isArray(aksParamValues(c)[k]) ? 'array' : 'object',
      ),
    ),
    p('disableLocalAccounts', 'bool', 'Entra ID only (no local admin kubeconfig).', false),
    p('monitoringSettings', 'object', 'containerInsights, retentionDays, managedPrometheus, managedGrafana.'),
  ];
  if (hasWindows)
    decls.push(
      p('windowsAdminUsername', 'string'),
      p('windowsAdminPassword', 'string', undefined, undefined, ['secure()']),
    );
  if (extension)
    decls.push(
      p('gitUrl', 'string'),
      p('branch', 'string'),
      p('gitHttpsUser', 'string', undefined, ''),
      p('gitHttpsToken', 'string', 'Private HTTPS repositories: token.', '', ['secure()']),
    );

  const mod = (symbol: string, path: string, body: BicepObject, more: Partial<ModuleDecl> = {}): ModuleDecl => ({
    kind: 'module',
    symbol,
    path,
    body,
    ...more,
  });
  decls.push(
    mod('monitoring', `${MODULES}/monitoring.bicep`, {
      name: interp`monitoring-${expr('clusterName')}`,
      params: {
        clusterName: expr('clusterName'),
        location: expr('location'),
        tags: expr('tags'),
        containerInsights: expr('monitoringSettings.containerInsights'),
        retentionDays: expr('monitoringSettings.retentionDays'),
        managedPrometheus: expr('monitoringSettings.managedPrometheus'),
        managedGrafana: expr('monitoringSettings.managedGrafana'),
      },
    }),
  );
  const aksParams: Record<string, BicepExpr> = {
    clusterName: expr('clusterName'),
    location: expr('location'),
    tags: expr('tags'),
  };
  for (const k of Object.keys(aksParamValues(c))) aksParams[k] = expr(k);
  aksParams.disableLocalAccounts = expr('disableLocalAccounts');
  if (hasWindows) {
    aksParams.windowsAdminUsername = expr('windowsAdminUsername');
    aksParams.windowsAdminPassword = expr('windowsAdminPassword');
  }
  const vnet = c.network.vnet;
  if (vnet) {
    decls.push(
      resource(
        'controlPlane',
        'Microsoft.ManagedIdentity/userAssignedIdentities',
        { name: `id-${c.name}-control-plane`, location: expr('location'), tags: expr('tags') },
        {
          comment:
            'The control plane identity: user-assigned so it has Network ' +
            'Contributor on the VNet before the cluster is created.',
        },
      ),
      mod('network', './network.bicep', {
        name: interp`network-${expr('clusterName')}`,
        params: {
          location: expr('location'),
          tags: expr('tags'),
          controlPlanePrincipalId: expr('controlPlane.properties.principalId'),
        },
      }),
    );
    const hub = hubOf(fleet);
    if (hub?.kind === 'ours')
      decls.push(
        mod(
          'hubPeering',
          './hub-peering.bicep',
          {
            name: interp`hub-peering-${expr('clusterName')}`,
            scope: call('resourceGroup', hub.resourceGroup),
            params: { spokeVnetId: expr('network.outputs.vnetId') },
          },
          {
            comment: `The hub -> spoke peering, in the hub's resource group ${hub.resourceGroup} (infra/hub).`,
          },
        ),
      );
    aksParams.vnetSubnetId = expr('network.outputs.nodeSubnetId');
    aksParams.podSubnetId = expr('network.outputs.podSubnetId');
    aksParams.controlPlaneIdentityId = expr('controlPlane.id');
  }
  if (usesPrivateLink(plan.environment)) {
    const existing = c.network.existingSubnets?.privateEndpoints;
    decls.push(
      mod(
        'privateEndpoints',
        './private-endpoints.bicep',
        {
          name: interp`private-endpoints-${expr('clusterName')}`,
          params: {
            location: expr('location'),
            tags: expr('tags'),
            vnetId: existing ? existing.replace(/\/subnets\/[^/]+$/, '') : expr('network.outputs.vnetId'),
            subnetId: existing ?? expr('network.outputs.privateEndpointSubnetId'),
          },
        },
        {
          comment:
            `Environment ${plan.environment.name} uses Private Link: ` +
            `the registry, Key Vault and backup storage through private endpoints.`,
        },
      ),
    );
  }
  aksParams.logAnalyticsWorkspaceId = expr('monitoring.outputs.logAnalyticsWorkspaceId');
  aksParams.containerInsightsDataCollectionRuleId = expr('monitoring.outputs.containerInsightsDataCollectionRuleId');
  aksParams.prometheusDataCollectionRuleId = expr('monitoring.outputs.prometheusDataCollectionRuleId');
  aksParams.prometheusDataCollectionEndpointId = expr('monitoring.outputs.prometheusDataCollectionEndpointId');
  decls.push(mod('aks', `${MODULES}/aks.bicep`, { name: interp`aks-${expr('clusterName')}`, params: aksParams }));
  decls.push(
    mod(
      'identities',
      `${MODULES}/identity.bicep`,
      {
        name: interp`identities-${expr('clusterName')}`,
        params: {
          location: expr('location'),
          tags: expr('tags'),
          clusterName: expr('aks.outputs.name'),
          oidcIssuerUrl: expr('aks.outputs.oidcIssuerUrl'),
          identities: identityParam(plan),
        },
      },
      {
        comment: plan.identities.map((i, n) => `identities[${n}] ${i.name}: ${i.subject} (${i.owner})`),
      },
    ),
  );
  decls.push(
    resource(
      'registry',
      plan.registry.type,
      { name: plan.registry.name, scope: rgScope(plan.registry.subscriptionId, plan.registry.resourceGroup) },
      { existing: true, comment: 'The fleet registry (infra/shared).' },
    ),
  );
  roleGroups(plan).forEach((g, n) => {
    decls.push(
      mod(
        `roles${n}`,
        `./roles-${n}.bicep`,
        {
          name: interp`roles-${expr('clusterName')}-${n}`,
          scope: rgScope(g.subscriptionId, g.resourceGroup),
          params: {
            kubeletObjectId: expr('aks.outputs.kubeletObjectId'),
            identities: expr('identities.outputs.identities'),
          },
        },
        { comment: `Role assignments in resource group ${g.resourceGroup}.` },
      ),
    );
  });
  if (azureBackupOn(fleet)) decls.push(...azureBackupModules(fleet, plan));
  const outputs = mainOutputs(fleet, plan);
  if (extension) {
    const env = plan.environment;
    const flux = fluxKustomizations(clusterKustomizations(fleet, c), c, outputs, fleet.spec.gitops.interval);
    if (flux.shared)
      decls.push({
        kind: 'var',
        name: 'fluxSubstitute',
        value: flux.shared,
        comment: "Variables every Flux Kustomization substitutes: the cluster's own, and the deployment outputs.",
      });
    decls.push(
      mod(
        'flux',
        `${MODULES}/flux.bicep`,
        {
          name: interp`flux-${expr('clusterName')}`,
          params: {
            clusterName: expr('aks.outputs.name'),
            gitUrl: expr('gitUrl'),
            branch: expr('branch'),
            gitSyncIntervalSeconds: durationSeconds(fleet.spec.git.interval),
            gitHttpsUser: expr('gitHttpsUser'),
            gitHttpsToken: expr('gitHttpsToken'),
            kustomizations: flux.kustomizations,
          },
        },
        {
          comment: [
            `Flux through the AKS extension, on branch ${env.branch}: the same Kustomizations as clusters/${c.name}/,`,
            'with the deployment outputs written into postBuild.substitute.',
          ],
        },
      ),
    );
  }
  for (const [name, value] of Object.entries(outputs)) {
    decls.push({
      kind: 'output',
      name,
      type: 'string',
      value,
      description: `ConfigMap ${'aksfleet-outputs'} key ${name}.`,
    });
  }
  return {
    header: [
      GENERATED,
      `Cluster ${c.name} (environment ${c.environment}) in resource group ${c.resourceGroup}.`,
      `Deploy: az deployment group create -g ${c.resourceGroup} -n ${deploymentName(c)} --parameters main.bicepparam`,
      'Then: ./publish-outputs.sh (turns the outputs into the aksfleet-outputs ConfigMap Flux substitutes from).',
    ],
    declarations: decls,
  };
}

export function mainParamFile(fleet: Fleet, plan: ClusterPlan): string {
  const c = plan.cluster;
  const values = aksParamValues(c);
  const params: { name: string; value: import('../../bicep/index.js').BicepValue; comment?: string }[] = [
    { name: 'clusterName', value: c.name },
    { name: 'location', value: c.location },
    { name: 'tags', value: tagsOf(fleet, c) },
  ];
  for (const [k, v] of Object.entries(values)) params.push({ name: k, value: v });
  params.push({ name: 'disableLocalAccounts', value: false });
  params.push({ name: 'monitoringSettings', value: { ...c.monitoring } });
  if (c.userPools.some((p) => p.osType === 'Windows')) {
    params.push({ name: 'windowsAdminUsername', value: 'azureuser' });
    params.push({
      name: 'windowsAdminPassword',
      value: expr("readEnvironmentVariable('WINDOWS_ADMIN_PASSWORD')"),
      comment: 'Set WINDOWS_ADMIN_PASSWORD in the environment.',
    });
  }
  if (fleet.spec.gitops.mode === 'extension') {
    params.push({ name: 'gitUrl', value: fleet.spec.git.url });
    params.push({ name: 'branch', value: plan.environment.branch });
    params.push({
      name: 'gitHttpsUser',
      value: expr("readEnvironmentVariable('GIT_HTTPS_USER', '')"),
      comment: 'Private HTTPS repositories only.',
    });
    params.push({ name: 'gitHttpsToken', value: expr("readEnvironmentVariable('GIT_HTTPS_TOKEN', '')") });
  }
  return emitBicepParam({ header: [GENERATED, `Values of cluster ${c.name}.`], using: './main.bicep', params });
}

export function clusterBicepFiles(fleet: Fleet, plan: ClusterPlan): GeneratedFile[] {
  const dir = infraDir(plan.cluster);
  const files: GeneratedFile[] = [
    { path: `${dir}/main.bicep`, content: emitBicep(mainFile(fleet, plan)) },
    { path: `${dir}/main.bicepparam`, content: mainParamFile(fleet, plan) },
  ];
  roleGroups(plan).forEach((g, n) =>
    files.push({ path: `${dir}/roles-${n}.bicep`, content: emitBicep(rolesModuleFile(plan, g)) }),
  );
  if (plan.cluster.network.vnet)
    files.push({ path: `${dir}/network.bicep`, content: emitBicep(networkFile(fleet, plan.cluster)) });
  const hub = hubOf(fleet);
  if (plan.cluster.network.vnet && hub?.kind === 'ours')
    files.push({ path: hubPeeringPath(hub, plan.cluster), content: emitBicep(hubPeeringFile(plan.cluster, hub)) });
  if (usesPrivateLink(plan.environment))
    files.push({ path: `${dir}/private-endpoints.bicep`, content: emitBicep(privateEndpointsFile(fleet, plan)) });
  if (azureBackupOn(fleet))
    files.push(
      { path: `${dir}/backup.bicep`, content: emitBicep(clusterBackupFile(plan.cluster.name)) },
      { path: `${dir}/backup-instance.bicep`, content: emitBicep(backupInstanceFile(fleet, plan.cluster.name)) },
    );
  return files;
}

/** infra/shared/main.bicep + main.bicepparam: registry, Key Vault, Velero backup storage. */
export function sharedFiles(fleet: Fleet): GeneratedFile[] {
  const rg = sharedResourceGroup(fleet);
  const kvRg = fleet.spec.keyVault.resourceGroup ?? rg;
  const velero = fleet.spec.addons.velero;
  const azureBackup = azureBackupOn(fleet);
  const backup = fleet.spec.backup;
  const storage = azureBackup
    ? { storageAccount: backup.storageAccount, container: backup.container }
    : velero.enabled
      ? velero
      : undefined;
  const decls: Declaration[] = [
    { kind: 'targetScope', scope: 'resourceGroup' },
    { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
    { kind: 'param', name: 'tags', type: 'object', default: {} },
    { kind: 'param', name: 'registryName', type: 'string' },
    { kind: 'param', name: 'registrySku', type: 'string' },
    { kind: 'param', name: 'keyVaultName', type: 'string' },
    { kind: 'param', name: 'keyVaultResourceGroup', type: 'string', default: expr('resourceGroup().name') },
    {
      kind: 'param',
      name: 'publicNetworkAccess',
      type: 'string',
      allowed: ['Enabled', 'Disabled'],
      description: 'Public access of the registry, Key Vault and backup storage (Disabled: private endpoints only).',
    },
    {
      kind: 'module',
      symbol: 'registry',
      path: '../modules/acr.bicep',
      body: {
        name: 'registry',
        params: {
          name: expr('registryName'),
          sku: expr('registrySku'),
          location: expr('location'),
          tags: expr('tags'),
          publicNetworkAccess: expr('publicNetworkAccess'),
        },
      },
    },
    {
      kind: 'module',
      symbol: 'keyVault',
      path: '../modules/keyvault.bicep',
      body: {
        name: 'key-vault',
        scope: expr('resourceGroup(keyVaultResourceGroup)'),
        params: {
          name: expr('keyVaultName'),
          location: expr('location'),
          tags: expr('tags'),
          publicNetworkAccess: expr('publicNetworkAccess'),
        },
      },
    },
  ];
  if (storage) {
    decls.push(
      { kind: 'param', name: 'backupStorageAccount', type: 'string' },
      { kind: 'param', name: 'backupContainer', type: 'string' },
      {
        kind: 'module',
        symbol: 'backups',
        path: '../modules/backup-storage.bicep',
        body: {
          name: 'backup-storage',
          params: {
            name: expr('backupStorageAccount'),
            container: expr('backupContainer'),
            location: expr('location'),
            tags: expr('tags'),
            publicNetworkAccess: expr('publicNetworkAccess'),
          },
        },
      },
    );
  }
  if (azureBackup)
    decls.push(
      { kind: 'param', name: 'backupVaultName', type: 'string' },
      {
        kind: 'param',
        name: 'backupRedundancy',
        type: 'string',
        allowed: ['LocallyRedundant', 'ZoneRedundant', 'GeoRedundant'],
      },
      {
        kind: 'var',
        name: 'backupPolicy',
        value: backupPolicyProperties(fleet) as BicepObject,
        comment:
          `backup.schedule '${backup.schedule}' and backup.retention ` +
          `${backup.retention}, as Azure Backup's policy.`,
      },
      {
        kind: 'module',
        symbol: 'backupVault',
        path: '../modules/backup-vault.bicep',
        body: {
          name: 'backup-vault',
          params: {
            name: expr('backupVaultName'),
            location: expr('location'),
            tags: expr('tags'),
            redundancy: expr('backupRedundancy'),
            policyName: BACKUP_POLICY_NAME,
            policyProperties: expr('backupPolicy'),
          },
        },
      },
    );
  decls.push(
    { kind: 'output', name: 'registryLoginServer', type: 'string', value: expr('registry.outputs.loginServer') },
    { kind: 'output', name: 'keyVaultUri', type: 'string', value: expr('keyVault.outputs.uri') },
  );
  const params: { name: string; value: import('../../bicep/index.js').BicepValue }[] = [
    { name: 'tags', value: { fleet: fleet.metadata.name, 'managed-by': 'aksfleet' } },
    { name: 'registryName', value: fleet.spec.registry.name },
    { name: 'registrySku', value: fleet.spec.registry.sku },
    { name: 'keyVaultName', value: fleet.spec.keyVault.name },
    { name: 'keyVaultResourceGroup', value: kvRg },
    { name: 'publicNetworkAccess', value: sharedPublicNetworkAccess(fleet) },
  ];
  if (storage)
    params.push(
      { name: 'backupStorageAccount', value: storage.storageAccount },
      { name: 'backupContainer', value: storage.container },
    );
  if (azureBackup)
    params.push(
      { name: 'backupVaultName', value: backupVaultName(fleet) },
      { name: 'backupRedundancy', value: backup.redundancy },
    );
  return [
    {
      path: 'infra/shared/main.bicep',
      content: emitBicep({
        header: [
          GENERATED,
          `Shared fleet resources in resource group ${rg}: deploy before the clusters.`,
          `Deploy: az deployment group create -g ${rg} -n aksfleet-shared --parameters main.bicepparam`,
        ],
        declarations: decls,
      }),
    },
    {
      path: 'infra/shared/main.bicepparam',
      content: emitBicepParam({ header: [GENERATED], using: './main.bicep', params }),
    },
  ];
}
