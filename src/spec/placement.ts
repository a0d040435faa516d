/**
 * Where a tenant runs, as `spec.tenants[].placement` says: by environments, by cluster labels,
 * or (empty placement) on every cluster. One meaning for the rules (rules.ts), the generators,
 * the checks, day-2 plans and the console.
 */
import type { Cluster, Fleet, Tenant } from './schema.js';

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
