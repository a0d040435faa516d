/**
 * The public shape of the Go text/template engine (implemented in this folder; see value.ts for the
 * values it works on). The function libraries (src/helm/funcs) and the chart renderer (src/helm) use
 * only what is declared here, so the engine can change inside without touching them.
 *
 * Mirrors Go's text/template: a set of named templates sharing one function map (Go's
 * `template.New(..).Funcs(..).Option(..)`, `Parse`, `Lookup`, `Clone`, `ExecuteTemplate`).
 */
import type { GoFunc, GoValue } from './value.js';
import type { WorkBudget } from '../work-budget.js';

export interface TemplateSetOptions {
  /** The function map (Go: `Funcs`). Go's builtins (and, or, not, len, index, slice, print, printf,
   * println, html, js, urlquery, call, eq, ne, lt, le, gt, ge) are always there and may be overridden. */
  readonly funcs?: Readonly<Record<string, GoFunc>>;
  /**
   * Go: `Option("missingkey=...")`. Default 'default' (prints `<no value>`). Helm uses 'zero' (or 'error' when strict).
   */
  readonly missingKey?: 'default' | 'zero' | 'error';
  /** Go: `Delims`. Default `{{` and `}}`. */
  readonly delims?: readonly [string, string];
  /** Safety caps (untrusted templates). */
  readonly limits?: TemplateLimits;
}

export interface TemplateLimits {
  /** Max nested template calls (`template`/`include` depth). Go's text/template has 100000; Helm's include 1000. */
  readonly maxExecDepth?: number;
  /**
   * The work budget (src/work-budget.ts), shared by every execution of the set and its clones
   * (one chart render): each node walked is a step; its step cap fails execution deterministically
   * (`execution exceeded N steps`), its time backstop (running time, not waiting) with
   * `execution deadline exceeded`. Go's text/template has neither.
   */
  readonly budget?: WorkBudget;
  /** Max bytes of output of one execution. */
  readonly maxOutputBytes?: number;
}

/** A set of associated templates (Go's *template.Template with its namespace). */
export interface TemplateSet {
  /**
   * Parses `text` as the template `name` (and every `define`/`block` in it into the set), replacing
   * an existing definition as Go does. Throws {@link GoTemplateError} with Go's parse message,
   * e.g. `template: NAME:LINE: unexpected "}" in operand`.
   */
  parse(name: string, text: string): void;
  /** True when a template of that name is defined (Go: `Lookup(name) != nil` and it has content). */
  has(name: string): boolean;
  /** Names of all templates in the set, sorted. */
  names(): string[];
  /** Executes template `name` with `data` as dot and returns the output. Throws {@link GoTemplateError}
   * with Go's execution message, e.g. `template: NAME:LINE:COL: executing "NAME" at <.x>: ...`. */
  execute(name: string, data: GoValue): string;
  /** An independent copy (Go: `Clone`), sharing nothing mutable with this set; used by Helm's `tpl`. */
  clone(): TemplateSet;
  /** Adds or replaces functions (Go: `Funcs`), e.g. closures over the set for Helm's include/tpl. */
  funcs(extra: Readonly<Record<string, GoFunc>>): void;
}

/** A template parse or execution error; `message` is exactly what Go's error.Error() returns. */
export class GoTemplateError extends Error {
  override name = 'GoTemplateError';
  constructor(
    message: string,
    readonly templateName?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
