/**
 * Where tenants run, expressed as repository paths. A tenant is placed by environment (every
 * cluster of the environment) or by cluster labels (only the matching clusters, possibly a subset
 * of an environment). The seed's `workloads/<env>` folder is used whenever it is exact: every
 * cluster of the environment runs the same tenants. When label placement splits an environment,
 * each cluster of that environment gets its own `workloads/<env>/clusters/<cluster>` (and
 * `tenants/<env>/clusters/<cluster>`) folder listing exactly its tenants; the environment folder is
 * then not generated, so no folder claims a placement that is not true.
 */
import { InputError } from '../../errors.js';
import { clustersOf } from '../../model/fleet-model.js';
import { tenantsOn } from '../../spec/placement.js';
import type { Cluster, Environment, Fleet, Tenant } from '../../spec/schema.js';

export interface EnvPlacement {
  readonly env: Environment;
  readonly clusters: readonly Cluster[];
  /** Tenants placed on at least one cluster of the environment, in spec order. */
  readonly tenants: readonly Tenant[];
  /** Every cluster of the environment runs exactly `tenants`. */
  readonly exact: boolean;
}

/** Folder names the generator uses beside environment folders. */
const RESERVED_ENV_NAMES = ['base', 'clusters'];

/** Environments that have clusters, in promotion order, with their tenants. */
export function envPlacements(fleet: Fleet): EnvPlacement[] {
  const out: EnvPlacement[] = [];
  fleet.spec.environments.forEach((env, i) => {
    if (RESERVED_ENV_NAMES.includes(env.name))
      throw new InputError(
        `environment name '${env.name}' is reserved: ` +
          `the generated repository uses workloads/${env.name}/ for another purpose; rename the environment`,
        {
          fieldPath: `spec.environments[${i}].name`,
        },
      );
    const clusters = clustersOf(fleet, env.name);
    if (clusters.length === 0) return;
    const sets = clusters.map((c) => tenantsOn(fleet, c).map((t) => t.name));
    const tenants = fleet.spec.tenants.filter((t) => sets.some((s) => s.includes(t.name)));
    const exact = sets.every((s) => s.length === tenants.length);
    out.push({ env, clusters, tenants, exact });
  });
  return out;
}

function placementOf(fleet: Fleet, cluster: Cluster): EnvPlacement {
  const p = envPlacements(fleet).find((e) => e.env.name === cluster.environment);
  if (!p) throw new Error(`internal: no placement for cluster ${cluster.name}`);
  return p;
}

/** The folder (repo-relative) whose build is the tenants of this cluster. */
export function tenantsDir(fleet: Fleet, cluster: Cluster): string {
  const p = placementOf(fleet, cluster);
  return p.exact ? `tenants/${p.env.name}` : `tenants/${p.env.name}/clusters/${cluster.name}`;
}

/** The folder (repo-relative) whose build is the workloads of this cluster. */
export function workloadsDir(fleet: Fleet, cluster: Cluster): string {
  const p = placementOf(fleet, cluster);
  return p.exact ? `workloads/${p.env.name}` : `workloads/${p.env.name}/clusters/${cluster.name}`;
}
