/**
 * Flux's HelmRelease semantics inside the Flux build (layer 5, over src/helm): the chart of each
 * HelmRelease found offline, its values merged as helm-controller does, rendered, post-rendered
 * and labelled; see stages.ts (HELMRELEASE_STAGES).
 */
export {
  buildHelmReleases,
  isHelmRelease,
  HELMRELEASE_GROUP,
  HELMRELEASE_VERSIONS,
  type AppliedHelmRelease,
} from './build-helmreleases.js';
export { HELMRELEASE_STAGES, type HelmReleaseContext, type HelmReleaseStage } from './stages.js';
export { releaseNames, shortenReleaseName } from './release-name.js';
export { releaseValues } from './values.js';
export { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL, crdApiVersions } from './post-render.js';
export { resolveChart, artifactChartFiles, filesDigest } from './chart-source.js';
export type { HelmReleaseBuild, HelmReleaseStatus, HelmBuildOptions, HelmRenderCache } from './types.js';
