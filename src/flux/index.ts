/**
 * The Flux layer of the build engine: what kustomize-controller applies to a cluster, built
 * offline from the repository (generator, overrides, postBuild substitution, owner labels,
 * commonMetadata, normalisation, recursion, dependsOn order) over the kustomize engine.
 *
 * Entry point: `buildCluster(fs, { path | cluster, sources, vars, allowMissingVars })`.
 */
export { buildCluster, expandResourceSet } from './with-engines.js';
export { allResources, allErrors, allWarnings, clusterPath, sourceRefOf } from './build/build-cluster.js';
export { substitutedSecretValues } from './build/secret-values.js';
export { resourcesByTarget, kustomizationTargets, type TargetResources } from './build/resources-by-target.js';
export {
  buildFluxKustomization,
  applyMode,
  FLUX_BUILD_STAGES,
  type FluxBuildInput,
  type FluxBuildOutput,
} from './build/build-kustomization.js';
export type {
  BuildClusterOptions,
  BuildIssue,
  ClusterBuild,
  KustomizationBuild,
  KustomizationStatus,
  RootBuild,
  SourceRefInfo,
  ResourceSetRecord,
} from './build/types.js';
export { formatIssue } from './build/issue.js';
export { dependencyOrder, type DependencyNode, type DependencyOrder } from './build/dependency-order.js';
export { normalize } from './build/normalize.js';
export { ownerLabels, OWNER_NAME_LABEL, OWNER_NAMESPACE_LABEL } from './build/owner-labels.js';
export { commonMetadata } from './build/common-metadata.js';
export { SourceResolver, DEFAULT_REPO_SOURCE } from './build/source-resolver.js';
export { generateKustomization, type GeneratedKustomization } from './generator/index.js';
export { SourceFs } from './source/source-fs.js';
export { substituteObject, loadVariables, parseVarsFile } from './substitute/index.js';
export { envsubst, envsubstDetailed, EnvsubstError } from './envsubst/index.js';
export {
  maskObject as redactObject,
  maskResources as redactResources,
  maskKustomization as redactKustomization,
  needsMasking as needsRedaction,
  isSopsEncrypted,
  SECRET_MASK,
  SECRET_MASK_BASE64,
} from '../resources/mask.js';
export { isFluxKustomization, type FluxKustomization, type FluxKustomizationSpec } from './types.js';
export {
  HELMRELEASE_STAGES,
  buildHelmReleases,
  isHelmRelease,
  releaseNames,
  shortenReleaseName,
  HELM_NAME_LABEL,
  HELM_NAMESPACE_LABEL,
  type HelmReleaseBuild,
  type HelmReleaseStatus,
  type HelmBuildOptions,
} from './helmrelease/index.js';
export { isResourceSet, isInputProvider, type ResourceSetExpansion } from './resourceset/index.js';
