/**
 * The Flux repository tree, from one fleet spec. Each area is a pure generator; this list is the
 * whole Flux output (infra/, CI and SLO tests come from their own generators).
 *
 *   clusters/<cluster>/aksfleet/   GitRepository `gitops` + Flux Kustomizations (clusters.ts)
 *   platform/controllers|configs/  add-on Helm releases, then objects of their CRDs (platform.ts)
 *   platform/policies/             Kyverno or Gatekeeper policies (policies.ts)
 *   tenants/base/<tenant>/         namespaces, RBAC, network policies, identities (tenants.ts)
 *   tenants/<env>/                 the tenants placed in an environment (placement.ts)
 *   workloads/base/<tenant>/<app>/ Deployments, Services, PDBs, HTTPRoutes, SLOs (workloads.ts)
 *   workloads/<env>/               the apps of an environment with its overrides
 *   cluster-bootstrap/<cluster>.sh az aks get-credentials + flux bootstrap (bootstrap.ts)
 */
import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { generateBootstrap } from './bootstrap.js';
import { generateClusters } from './clusters.js';
import { generatePlatform } from './platform.js';
import { generateTenants } from './tenants.js';
import { generateWorkloads } from './workloads.js';

/** The areas, in order. */
export const fluxAreas: readonly { readonly name: string; readonly generate: (fleet: Fleet) => GeneratedFile[] }[] = [
  { name: 'clusters', generate: generateClusters },
  { name: 'platform', generate: generatePlatform },
  { name: 'tenants', generate: generateTenants },
  { name: 'workloads', generate: generateWorkloads },
  { name: 'cluster-bootstrap', generate: generateBootstrap },
];

/** The Flux repository tree: clusters/, platform/, tenants/, workloads/, cluster-bootstrap/. */
export function generateFluxRepo(fleet: Fleet): GeneratedFile[] {
  return fluxAreas.flatMap((a) => a.generate(fleet));
}
