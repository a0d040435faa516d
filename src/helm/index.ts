/**
 * Helm charts in TypeScript, as Helm 4.2 (the library of Flux 2.9's helm-controller) handles them:
 * loading (chart/), values (values/), rendering (render/) and `helm template` (template.ts).
 * No helm binary, no network, no cluster. Untrusted charts are capped in size, depth and time.
 */
export {
  loadChart,
  loadFiles,
  type Chart,
  type ChartFile,
  type Metadata,
  type Dependency,
  type LoadLimits,
} from './chart/index.js';
export {
  coalesceValues,
  mergeUserValues,
  processDependencies,
  validateValuesAgainstSchema,
  type ValueOptions,
} from './values/index.js';
export { renderTemplates, RenderError, type TemplateEngine, type RenderOptions } from './render/engine.js';
export { sortManifests, splitManifests, INSTALL_ORDER } from './render/manifests.js';
export {
  helmTemplate,
  prepareRender,
  HELM_TEMPLATE_STAGES,
  type HelmTemplateOptions,
  type PreparedRender,
} from './template.js';
export { defaultTemplateEngine, templateEngine } from './default-engine.js';
