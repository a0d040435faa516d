/**
 * The template engine the renderer uses by default: aksfleet's Go text/template
 * (src/gotemplate) with Helm's function map (src/helm/funcs: sprig v3.3.0 and Helm 4.2's own).
 */
import { newTemplateSet } from '../gotemplate/index.js';
import type { GoFunc } from '../gotemplate/value.js';
import { helmFuncMap } from './funcs/index.js';
import type { TemplateEngine } from './render/engine.js';

/** A {@link TemplateEngine} over src/gotemplate with the function map `funcs` makes for each render. */
export function templateEngine(funcs: () => Readonly<Record<string, GoFunc>>): TemplateEngine {
  return { newTemplateSet, funcs };
}

/** The default engine: src/gotemplate and Helm's functions (a fresh map per render). */
export function defaultTemplateEngine(): TemplateEngine {
  return templateEngine(() => helmFuncMap());
}
