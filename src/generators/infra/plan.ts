/**
 * What the IaC of one cluster must create, as plain data: the workload identities (tenant
 * identities of the tenants placed on the cluster plus the platform add-ons' identities), their
 * federated credentials, every role assignment with its reason, and the outputs that become the
 * Flux variables. The Bicep, the az CLI script and the tests all read this one plan.
 */
import { InputError } from '../../errors.js';
import { OUTPUT_VARS, environmentOf, identityNamespace } from '../../model/fleet-model.js';
import { tenantsOn } from '../../spec/placement.js';
import { identityClientIdVar, platformIdentities } from '../../spec/identities.js';
import type { Cluster, Environment, Fleet, WorkloadIdentity } from '../../spec/schema.js';
import { parseScopeId, roleId, type ScopeRef } from './data.js';
import { EGRESS_IPS_OUTPUT, ownsEgressIps } from './network.js';
import { azureBackupOn } from '../../spec/backup.js';

export type { ScopeRef };

export interface IdentityPlan {
  /** User-assigned managed identity name (in the cluster's resource group). */
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** `system:serviceaccount:<ns>:<sa>` */
  readonly subject: string;
  /** Federated credential name (one per cluster and service account). */
  readonly credentialName: string;
  /** Output / Flux variable with the identity's client ID. */
  readonly clientIdVar: string;
  /** `tenant app` or `platform add-on` */
  readonly owner: string;
  /** Field path of the spec entry, for errors. */
  readonly fieldPath: string;
}

export type Principal = { readonly kind: 'kubelet' } | { readonly kind: 'identity'; readonly index: number };

export interface RoleAssignmentPlan {
  readonly principal: Principal;
  readonly role: string;
  readonly roleDefinitionId: string;
  readonly scope: ScopeRef;
  /** A comment saying why. */
  readonly why: string;
}

export interface ClusterPlan {
  readonly cluster: Cluster;
  readonly environment: Environment;
  readonly subscriptionId?: string;
  readonly identities: readonly IdentityPlan[];
  readonly roles: readonly RoleAssignmentPlan[];
  readonly registry: ScopeRef & { readonly type: string; readonly name: string };
  readonly keyVault: ScopeRef & { readonly type: string; readonly name: string };
  /**
   * The backup storage account: Velero's when the add-on is on, the Backup extension's with backup.engine azureBackup.
   */
  readonly backupStorage?: ScopeRef & { readonly type: string; readonly name: string; readonly container: string };
  /** Output names in order (each becomes a key of OUTPUTS_CONFIGMAP). */
  readonly outputNames: readonly string[];
}

/** Resource group of the fleet's shared resources (registry, Key Vault, backups). */
export function sharedResourceGroup(fleet: Fleet): string {
  if (fleet.spec.registry.resourceGroup) return fleet.spec.registry.resourceGroup;
  const last = fleet.spec.environments.at(-1)!;
  const c = fleet.spec.clusters.find((x) => x.environment === last.name) ?? fleet.spec.clusters[0]!;
  return c.resourceGroup;
}

/** `system:serviceaccount:<ns>:<sa>`: the subject a projected service account token carries. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

export function clusterPlan(fleet: Fleet, cluster: Cluster): ClusterPlan {
  const shared = sharedResourceGroup(fleet);
  const registry = {
    resourceGroup: fleet.spec.registry.resourceGroup ?? shared,
    type: 'Microsoft.ContainerRegistry/registries',
    name: fleet.spec.registry.name,
  };
  const keyVault = {
    resourceGroup: fleet.spec.keyVault.resourceGroup ?? shared,
    type: 'Microsoft.KeyVault/vaults',
    name: fleet.spec.keyVault.name,
  };
  const velero = fleet.spec.addons.velero;
  const backup = fleet.spec.backup;
  const backupStorage = azureBackupOn(fleet)
    ? {
        resourceGroup: shared,
        type: 'Microsoft.Storage/storageAccounts',
        name: backup.storageAccount,
        container: backup.container,
      }
    : velero.enabled
      ? {
          resourceGroup: shared,
          type: 'Microsoft.Storage/storageAccounts',
          name: velero.storageAccount,
          container: velero.container,
        }
      : undefined;

  const identities: IdentityPlan[] = [];
  const roles: RoleAssignmentPlan[] = [];
  const errors: InputError[] = [];
  const byName = new Map<string, IdentityPlan>();
  const byVar = new Map<string, IdentityPlan>();
  const add = (wi: WorkloadIdentity, namespace: string, owner: string, fieldPath: string): number | undefined => {
    const plan: IdentityPlan = {
      name: wi.identityName,
      namespace,
      serviceAccount: wi.serviceAccount,
      subject: serviceAccountSubject(namespace, wi.serviceAccount),
      credentialName: `${cluster.name}-${namespace}-${wi.serviceAccount}`.slice(0, 120),
      clientIdVar: identityClientIdVar(wi),
      owner,
      fieldPath,
    };
    const clash = byName.get(plan.name) ?? byVar.get(plan.clientIdVar);
    if (clash) {
      errors.push(
        new InputError(
          `identity '${plan.name}' (${owner}) clashes on cluster '${cluster.name}' with ` +
            `'${clash.name}' (${clash.owner}): both would be ` +
            `${clash.name === plan.name ? 'the same managed identity' : `the Flux variable ${plan.clientIdVar}`}; ` +
            `rename one`,
          { fieldPath },
        ),
      );
      return undefined;
    }
    byName.set(plan.name, plan);
    byVar.set(plan.clientIdVar, plan);
    identities.push(plan);
    return identities.length - 1;
  };

  for (const wi of platformIdentities(fleet)) {
    const idx = add(wi, wi.namespace ?? wi.serviceAccount, `platform add-on ${wi.serviceAccount}`, `spec.addons`);
    if (idx !== undefined && wi.identityName === 'velero' && backupStorage)
      roles.push({
        principal: { kind: 'identity', index: idx },
        role: 'Storage Blob Data Contributor',
        roleDefinitionId: roleId('Storage Blob Data Contributor'),
        scope: backupStorage,
        why: 'Velero writes backups to the backup storage account with workload identity (no storage key).',
      });
    if (idx !== undefined && wi.identityName === 'ratify')
      roles.push({
        principal: { kind: 'identity', index: idx },
        role: 'AcrPull',
        roleDefinitionId: roleId('AcrPull'),
        scope: registry,
        why:
          'Ratify reads image signatures (OCI referrers) ' +
          'from the fleet registry with workload identity, for Gatekeeper.',
      });
  }

  for (const tenant of tenantsOn(fleet, cluster)) {
    const ti = fleet.spec.tenants.indexOf(tenant);
    tenant.workloadIdentities.forEach((wi, j) => {
      const fp = `spec.tenants[${ti}].workloadIdentities[${j}]`;
      const idx = add(wi, identityNamespace(tenant, wi), `tenant ${tenant.name}`, fp);
      if (idx === undefined) return;
      if (tenant.keyVaultSecrets.some((s) => s.serviceAccount === wi.serviceAccount))
        roles.push({
          principal: { kind: 'identity', index: idx },
          role: 'Key Vault Secrets User',
          roleDefinitionId: roleId('Key Vault Secrets User'),
          scope: keyVault,
          why: `mounts Key Vault secrets of tenant ${tenant.name} through the Secrets Store CSI driver.`,
        });
      wi.roles.forEach((r, k) => {
        const rp = `${fp}.roles[${k}]`;
        let id: string;
        try {
          id = roleId(r.role);
        } catch (e) {
          errors.push(new InputError((e as Error).message, { fieldPath: `${rp}.role` }));
          return;
        }
        let scope: ScopeRef | undefined;
        if (r.scope === 'keyvault') scope = keyVault;
        else if (r.scope === 'registry') scope = registry;
        else scope = parseScopeId(r.scope);
        if (!scope) {
          errors.push(
            new InputError(
              `scope '${r.scope}' must be 'keyvault', 'registry', ` +
                `a resource group ID (/subscriptions/<id>/resourceGroups/<name>) or a resource ID under one`,
              {
                fieldPath: `${rp}.scope`,
              },
            ),
          );
          return;
        }
        roles.push({
          principal: { kind: 'identity', index: idx },
          role: r.role,
          roleDefinitionId: id,
          scope,
          why: `declared in the spec (${rp}).`,
        });
      });
    });
  }

  roles.unshift({
    principal: { kind: 'kubelet' },
    role: 'AcrPull',
    roleDefinitionId: roleId('AcrPull'),
    scope: registry,
    why:
      'Image pulls are done by the kubelet identity (identityProfile.kubeletidentity), ' +
      "not by the cluster's own identity: the seed granted AcrPull to aks.identity.principalId, " +
      'which never pulls. `az aks update --attach-acr` grants the kubelet identity too.',
  });

  if (errors.length > 0) {
    const [first, ...rest] = errors;
    throw new InputError(first!.message, { fieldPath: first!.fieldPath, more: rest });
  }
  const outputNames = [
    OUTPUT_VARS.tenantId,
    OUTPUT_VARS.oidcIssuer,
    OUTPUT_VARS.keyVaultName,
    OUTPUT_VARS.acrLoginServer,
    ...identities.map((i) => i.clientIdVar),
  ];
  if (ownsEgressIps(fleet, cluster)) outputNames.push(EGRESS_IPS_OUTPUT);
  return {
    cluster,
    environment: environmentOf(fleet, cluster),
    subscriptionId: cluster.subscriptionId,
    identities,
    roles,
    registry,
    keyVault,
    backupStorage,
    outputNames,
  };
}
