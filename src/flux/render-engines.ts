/**
 * The engines a cluster build needs only for what some repositories hold: HelmReleases whose chart
 * is found (src/helm: chart loader, values and their schema with ajv, Go templates with Helm's
 * functions and re2js) and Flux Operator ResourceSets (Go templates with sprig). One module, so
 * that it can be loaded apart: the build takes it as `engines` (src/flux/build/engines.ts), and a
 * command that renders no chart and expands no ResourceSet never loads it (`aksfleet build` imports
 * it only when its first build asked for it; docs/architecture.md).
 */
import { loadFiles } from '../helm/chart/index.js';
import { defaultTemplateEngine } from '../helm/default-engine.js';
import { renderRelease, type HelmTemplateOptions, type RenderedRelease } from '../helm/template.js';
import { loadValuesText, mergeMaps } from '../helm/values/index.js';
import { builtinKindVersions } from './helmrelease/builtin-api-versions.js';
import { decodeRender, encodeRender, parsedDocuments, renderStoreKey } from './helmrelease/render-store.js';
import { releaseValues } from './helmrelease/values.js';
import { buildResourceSet, ResourceSetBuildError } from './resourceset/render.js';

export const RENDER_ENGINES = {
  /** A chart from its files (Chart.yaml, values, templates, subcharts). */
  loadChart: (files: Parameters<typeof loadFiles>[0]) => loadFiles(files),
  /** src/helm renderRelease with the default template engine (src/gotemplate, Helm's functions). */
  renderRelease: (opts: HelmTemplateOptions): RenderedRelease => renderRelease(opts, defaultTemplateEngine()),
  loadValuesText,
  mergeMaps,
  releaseValues,
  builtinKindVersions,
  renderStoreKey,
  encodeRender,
  decodeRender,
  parsedDocuments,
  buildResourceSet,
  ResourceSetBuildError,
};

/** What `RENDER_ENGINES` holds (the type alone: importing it loads nothing). */
export type RenderEngines = typeof RENDER_ENGINES;
