/**
 * Facts derived from the fleet spec that every generator needs: which tenants run on which
 * cluster, each cluster's environment, defaults that depend on other fields. Pure functions.
 */
import type { App, Cluster, Environment, Fleet, Tenant, WorkloadIdentity } from '../spec/schema.js';

export function environmentOf(fleet: Fleet, cluster: Cluster): Environment {
  const env = fleet.spec.environments.find((e) => e.name === cluster.environment);
  if (!env) throw new Error(`cluster ${cluster.name}: unknown environment ${cluster.environment}`);
  return env;
}

export function clustersOf(fleet: Fleet, envName: string): Cluster[] {
  return fleet.spec.clusters.filter((c) => c.environment === envName);
}

/** The Flux path of a cluster in the GitOps repository. */
export function clusterPath(cluster: Cluster | string): string {
  return `clusters/${typeof cluster === 'string' ? cluster : cluster.name}`;
}

/** Does the tenant run on this cluster? Empty placement means every cluster. */
export function tenantPlacedOn(tenant: Tenant, cluster: Cluster): boolean {
  const p = tenant.placement;
  if (p.environments) return p.environments.includes(cluster.environment);
  if (p.clusterSelector) {
    return Object.entries(p.clusterSelector.matchLabels).every(([k, v]) => cluster.labels[k] === v);
  }
  return true;
}

export function tenantsOn(fleet: Fleet, cluster: Cluster): Tenant[] {
  return fleet.spec.tenants.filter((t) => tenantPlacedOn(t, cluster));
}

/** Clusters where a tenant runs, in spec order. */
export function clustersOfTenant(fleet: Fleet, tenant: Tenant): Cluster[] {
  return fleet.spec.clusters.filter((c) => tenantPlacedOn(tenant, c));
}

export function appNamespace(tenant: Tenant, app: App): string {
  return app.namespace ?? tenant.namespaces[0]!;
}

export function identityNamespace(tenant: Tenant, wi: WorkloadIdentity): string {
  return wi.namespace ?? tenant.namespaces[0]!;
}

/** The app's settings in one environment, after its per-environment overrides. */
export function appIn(app: App, envName: string): { replicas: number; image: string } {
  const o = app.overrides[envName] ?? {};
  return { replicas: o.replicas ?? app.replicas, image: o.image ?? app.image };
}

/** The ACR login server of the fleet registry. */
export function registryLoginServer(fleet: Fleet): string {
  return `${fleet.spec.registry.name.toLowerCase()}.azurecr.io`;
}

/**
 * Variable names (postBuild.substitute / substituteFrom) shared by the IaC outputs and the
 * Flux repo. The IaC writes a ConfigMap `aksfleet-outputs` in flux-system with these keys;
 * the Flux Kustomizations read it with substituteFrom. One list, used by both sides.
 */
export const OUTPUT_VARS = {
  tenantId: 'AZURE_TENANT_ID',
  oidcIssuer: 'OIDC_ISSUER_URL',
  keyVaultName: 'KEY_VAULT_NAME',
  acrLoginServer: 'ACR_LOGIN_SERVER',
} as const;

/** Variable holding the client ID of a workload identity (`IDENTITY_CLIENT_ID_<NAME>`). */
export function identityClientIdVar(wi: WorkloadIdentity): string {
  return `IDENTITY_CLIENT_ID_${wi.identityName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Name of the per-cluster ConfigMap of IaC outputs read by Flux substituteFrom. */
export const OUTPUTS_CONFIGMAP = 'aksfleet-outputs';

/**
 * Workload identities of the platform add-ons (enabled ones only): Velero (writes backups to
 * the backup storage account), cert-manager (ready for DNS-01 on Azure DNS) and, with the
 * Gatekeeper engine, Ratify (reads image signatures from the fleet registry: AcrPull). The IaC creates
 * them (Velero's needs Storage Blob Data Contributor on addons.velero.storageAccount; cert-manager's
 * needs DNS Zone Contributor on a zone when DNS-01 is used) and writes their client IDs under `identityClientIdVar(...)` in OUTPUTS_CONFIGMAP; the Flux
 * repo annotates the add-ons' service accounts with `${IDENTITY_CLIENT_ID_VELERO}` and
 * `${IDENTITY_CLIENT_ID_CERT_MANAGER}`.
 */
/** The service account of Ratify's chart (`serviceAccount.name`), whose identity reads signatures from the registry. */
export const RATIFY_SERVICE_ACCOUNT = 'ratify-admin';

export function platformIdentities(fleet: Fleet): WorkloadIdentity[] {
  const a = fleet.spec.addons;
  const out: WorkloadIdentity[] = [];
  if (a.certManager.enabled)
    out.push({ serviceAccount: 'cert-manager', namespace: 'cert-manager', identityName: 'cert-manager', roles: [] });
  if (a.velero.enabled) out.push({ serviceAccount: 'velero', namespace: 'velero', identityName: 'velero', roles: [] });
  if (a.policy.enabled && a.policy.engine === 'gatekeeper')
    out.push({
      serviceAccount: RATIFY_SERVICE_ACCOUNT,
      namespace: 'gatekeeper-system',
      identityName: 'ratify',
      roles: [],
    });
  return out;
}
