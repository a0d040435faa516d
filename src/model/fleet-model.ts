/**
 * Facts derived from the fleet spec that every generator needs: each cluster's environment and
 * Flux path, defaults that depend on other fields, the variables the IaC hands to Flux. Pure
 * functions. Which tenants run where (spec/placement.ts) and the platform identities with their
 * variables (spec/identities.ts) are the spec's own: its rules read them.
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

/** Name of the per-cluster ConfigMap of IaC outputs read by Flux substituteFrom. */
export const OUTPUTS_CONFIGMAP = 'aksfleet-outputs';
