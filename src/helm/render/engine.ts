/**
 * Rendering a chart's templates as Helm's engine does (pkg/engine/engine.go): every template of
 * the chart and its subcharts parsed into one set (deepest charts first, so a parent's `define`
 * wins), each non-partial template (`_*` skipped) executed with its chart's own dot (`.Values` of
 * that subchart, `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Subcharts`, `.Template`),
 * `<no value>` removed; `include` and `tpl` as closures over the set (recursion capped at 1000 per
 * name, as in Helm), `required`/`fail` errors reworded as Helm does. Library charts contribute
 * only their partials.
 *
 * The Go template engine and the function map are passed in (see {@link TemplateEngine}): this
 * module knows charts, not template syntax.
 */
import {
  GoTemplateError,
  type TemplateLimits,
  type TemplateSet,
  type TemplateSetOptions,
} from '../../gotemplate/contract.js';
import { GoError, goFunc, type GoFunc, type GoMap, type GoValue } from '../../gotemplate/value.js';
import { InputError } from '../../errors.js';
import { WorkBudget, type EngineClock } from '../../work-budget.js';
import type { Chart } from '../chart/types.js';
import { chartObject } from './chart-object.js';
import { chartFilesObject } from './files.js';
import { cleanupParseError, reformatExecError, warnWrap } from './template-errors.js';
import { MAX_INCLUDE_DEPTH, includeFunc, newIncludeState, tplFunc } from '../funcs/template.js';

/** What the renderer needs from the Go template engine and the function libraries. */
export interface TemplateEngine {
  /** Go's template.New (src/gotemplate newTemplateSet). */
  newTemplateSet(options: TemplateSetOptions): TemplateSet;
  /**
   * The function map for one render: sprig (minus env/expandenv) and Helm's own functions
   * (toYaml, fromYaml, lookup...). The renderer adds engine.go's include, tpl, required, fail
   * and getHostByName over its template set (replacing any of the same name).
   */
  funcs(): Readonly<Record<string, GoFunc>>;
}

/** Options of one render. */
export interface RenderOptions {
  /** Helm's --strict rendering (missingkey=error). Default false (missingkey=zero). */
  readonly strict?: boolean;
  /** Safety caps for untrusted templates (each overrides the default below). */
  readonly limits?: TemplateLimits;
  /** Time backstop of the whole render, ms of running time, not of waiting (src/work-budget.ts). Default 120000. */
  readonly timeoutMs?: number;
  /** Template nodes walked in the whole render, the deterministic cap. Default DEFAULT_MAX_RENDER_STEPS. */
  readonly maxSteps?: number;
  /** The backstop's clocks (tests). Default threadClock. */
  readonly clock?: EngineClock;
}

/**
 * Default cap on the template nodes one render walks (includes and tpl too): far above the largest
 * chart we render (docs/helm.md); Helm has no such cap (nor a time one).
 */
export const DEFAULT_MAX_RENDER_STEPS = 50_000_000;

/** Default cap on the output of one template execution (bytes). */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** A render error: Helm's message (file, template, line) in `message`. */
export class RenderError extends InputError {}

interface Renderable {
  readonly text: string;
  readonly dot: GoMap;
  readonly basePath: string;
}

/** Our cap on all nested include/tpl calls together (Helm's per-name cap is INCLUDE_RECURSION_MAX). */
export { MAX_INCLUDE_DEPTH };

function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/+/g, '/');
}

function isPartial(name: string): boolean {
  return name.slice(name.lastIndexOf('/') + 1).startsWith('_');
}

/** Helm's recAllTpls: the dot of each chart and the templates to parse, keyed by full path. */
function allTemplates(
  chart: Chart,
  parentDot: GoMap,
  isRoot: boolean,
  fullPath: string,
  out: Map<string, Renderable>,
): GoMap {
  const subcharts: GoMap = {};
  const values = parentDot.Values as GoMap;
  const dot: GoMap = {
    Chart: chartObject(chart.metadata, isRoot),
    Files: chartFilesObject(chart.files),
    Release: parentDot.Release,
    Capabilities: parentDot.Capabilities,
    Values: {},
    Subcharts: subcharts,
  };
  if (isRoot) dot.Values = values;
  else {
    // Helm: values.Table("Values." + name), a dotted path (so a name with dots finds nothing).
    let t: GoValue = parentDot;
    for (const seg of `Values.${chart.metadata.name}`.split('.')) {
      t =
        t !== null && typeof t === 'object' && !Array.isArray(t) && Object.prototype.hasOwnProperty.call(t, seg)
          ? (t as GoMap)[seg]
          : undefined;
    }
    if (t !== null && typeof t === 'object' && !Array.isArray(t) && Object.getPrototypeOf(t) === Object.prototype)
      dot.Values = t;
  }
  for (const child of chart.dependencies) {
    subcharts[child.metadata.name] = allTemplates(child, dot, false, `${fullPath}/charts/${child.metadata.name}`, out);
  }
  const library = chart.metadata.type.toLowerCase() === 'library';
  for (const t of chart.templates) {
    if (library && !isPartial(t.name)) continue;
    out.set(joinPath(fullPath, t.name), {
      text: new TextDecoder().decode(t.data),
      dot,
      basePath: joinPath(fullPath, 'templates'),
    });
  }
  return dot;
}

/** Helm's sortTemplates: deepest paths first, then reverse lexical order. */
export function parseOrder(names: Iterable<string>): string[] {
  const depth = (s: string): number => s.split('/').length - 1;
  return [...names].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A JavaScript stack overflow, however the engine wrapped it. */
function isStackOverflow(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c instanceof Error && i < 50; c = c.cause, i++) {
    if (c instanceof RangeError || /Maximum call stack size exceeded/.test(c.message)) return true;
  }
  return false;
}

/**
 * Renders every template of `chart` with the top-level render values (`Values`, `Release`,
 * `Capabilities`; see toRenderValues). Returns rendered text by template path
 * (`chart/templates/x.yaml`, `chart/charts/sub/templates/y.yaml`), partials excluded.
 */
export function renderTemplates(
  chart: Chart,
  top: GoMap,
  engine: TemplateEngine,
  opts: RenderOptions = {},
): Map<string, string> {
  const tpls = new Map<string, Renderable>();
  allTemplates(chart, top, true, chart.metadata.name, tpls);
  const missingKey = opts.strict ? 'error' : 'zero';
  const limits: TemplateLimits = {
    budget: new WorkBudget({
      maxSteps: opts.maxSteps ?? DEFAULT_MAX_RENDER_STEPS,
      timeoutMs: opts.timeoutMs ?? 120_000,
      ...(opts.clock ? { clock: opts.clock } : {}),
    }),
    maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
    ...opts.limits,
  };
  const set = engine.newTemplateSet({ funcs: engine.funcs(), missingKey, limits });
  // engine.go's include and tpl (one implementation: src/helm/funcs/template.ts), one nesting count per render.
  const nesting = newIncludeState();
  set.funcs({
    include: includeFunc(() => set, nesting),
    tpl: tplFunc(() => set, nesting),
    required: goFunc(['string', 'interface{}'], ['interface{}', 'error'], ([warn, val]) => {
      if (val === null || val === undefined || val === '') throw new GoError(warnWrap(String(warn)));
      return val;
    }),
    fail: goFunc(['string'], ['string', 'error'], ([msg]) => {
      throw new GoError(warnWrap(String(msg)));
    }),
    getHostByName: goFunc(['string'], ['string'], () => ''),
  });
  const order = parseOrder(tpls.keys());
  for (const filename of order) {
    try {
      set.parse(filename, tpls.get(filename)!.text);
    } catch (e) {
      throw new RenderError(
        e instanceof GoTemplateError
          ? cleanupParseError(filename, e.message)
          : `rendering template failed: ${errText(e)}`,
        { cause: e },
      );
    }
  }
  const rendered = new Map<string, string>();
  for (const filename of order) {
    if (isPartial(filename)) continue;
    const r = tpls.get(filename)!;
    r.dot.Template = { Name: filename, BasePath: r.basePath };
    let out: string;
    try {
      out = set.execute(filename, r.dot);
    } catch (e) {
      if (isStackOverflow(e))
        throw new RenderError(
          `rendering template failed: ${filename}: templates nested too deeply (the stack is exhausted)`,
          { cause: e },
        );
      throw new RenderError(
        e instanceof GoTemplateError
          ? reformatExecError(filename, e.message)
          : `rendering template failed: ${errText(e)}`,
        { cause: e },
      );
    }
    rendered.set(filename, out.replaceAll('<no value>', ''));
  }
  return rendered;
}
