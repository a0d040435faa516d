/**
 * The HelmRelease flags: now part of the render options (src/cli/render-options.ts), which parse
 * them once with the other render flags and `.aksfleet.yaml`. Kept for the callers of this name.
 */
export { HELM_FLAGS, HELM_USAGE, readClusterObjects, renderSession as helmSession } from './render-options.js';
