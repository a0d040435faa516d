/**
 * The template engine the renderer uses by default: aksfleet's Go text/template
 * (src/gotemplate) with Helm's function map (src/helm/funcs) when that library is present.
 */
import { newTemplateSet } from '../gotemplate/index.js';
import type { GoFunc } from '../gotemplate/value.js';
import type { TemplateEngine } from './render/engine.js';

/** A {@link TemplateEngine} over src/gotemplate with the given function map. */
export function templateEngine(funcs: Readonly<Record<string, GoFunc>>): TemplateEngine {
  return { newTemplateSet, funcs };
}

/** The default engine: src/gotemplate and Helm's functions. */
export function defaultTemplateEngine(): TemplateEngine {
  return templateEngine({});
}
