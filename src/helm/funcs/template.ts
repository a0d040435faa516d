/**
 * Helm's late-bound functions (pkg/engine/engine.go): `include` and `tpl` as closures over the
 * template set being rendered, sharing one count of nested includes per render (Helm's cap: a name
 * may be entered 1000 times at once), and `tpl` rendering its text in a clone of the set named
 * "gotpl" with Helm's error wrapping.
 */
import { GoTemplateError, type TemplateSet } from '../../gotemplate/contract.js';
import { GoError, goFunc, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { goQuote } from './go-fmt.js';

/** Helm's recursionMaxNums: a name may be entered this many times at once (one more is refused). */
export const INCLUDE_RECURSION_MAX = 1000;
/** The name of Helm's root template (`template.New("gotpl")`), under which `tpl` text is parsed. */
export const TPL_NAME = 'gotpl';
/**
 * Our cap on all nested include/tpl calls together: the JavaScript stack holds about 430 nested
 * includes of the simplest template, so recursion stops here, before the stack does (Helm's
 * per-name 1000 is never reached; docs/helm.md). The error is Helm's.
 */
export const MAX_INCLUDE_DEPTH = 250;

/**
 * The nesting of one render (Helm's `includedNames`, shared by every include and tpl of an
 * `Engine.Render`), plus our overall depth.
 */
export interface IncludeState {
  readonly included: Map<string, number>;
  depth: number;
  /** Cap on `depth` (default {@link MAX_INCLUDE_DEPTH}). */
  readonly maxDepth: number;
}

/** A fresh nesting state for one render. */
export function newIncludeState(maxDepth = MAX_INCLUDE_DEPTH): IncludeState {
  return { included: new Map(), depth: 0, maxDepth };
}

/** A Go error from the template engine's error (its message is Go's Error()). */
function asGoError(e: unknown): unknown {
  if (e instanceof GoTemplateError) return new GoError(e.message);
  return e;
}

const nested = (name: string): GoError =>
  new GoError(`rendering template has a nested reference name: ${name}: unable to execute template`);

/** Helm's includeFun over `set`. */
export function includeFunc(set: () => TemplateSet, state: IncludeState): GoFunc {
  return goFunc(['string', 'interface{}'], ['string', 'error'], ([n, data]) => {
    const name = n as string;
    const { included } = state;
    const count = included.get(name);
    if (count !== undefined) {
      if (count > INCLUDE_RECURSION_MAX || state.depth >= state.maxDepth) throw nested(name);
      included.set(name, count + 1);
    } else included.set(name, 1);
    state.depth++;
    try {
      const t = set();
      // Helm executes from its root template "gotpl", which Go names in this message.
      if (typeof t.has === 'function' && !t.has(name))
        throw new GoError(`template: no template ${goQuote(name)} associated with template ${goQuote(TPL_NAME)}`);
      return t.execute(name, data ?? null);
    } catch (e) {
      throw asGoError(e);
    } finally {
      state.depth--;
      included.set(name, (included.get(name) ?? 1) - 1);
    }
  });
}

/** Helm's tplFun over `parent`: the text parsed as "gotpl" in a clone of the set, `<no value>` removed. */
export function tplFunc(parent: () => TemplateSet, state: IncludeState): GoFunc {
  return goFunc(['string', 'interface{}'], ['string', 'error'], ([text, vals]) => {
    const tpl = text as string;
    let t: TemplateSet;
    try {
      t = parent().clone();
    } catch (e) {
      throw new GoError(`cannot clone template: ${(asGoError(e) as Error).message}`);
    }
    t.funcs({ include: includeFunc(() => t, state), tpl: tplFunc(() => t, state) });
    if (state.depth >= state.maxDepth) throw nested('tpl');
    try {
      t.parse(TPL_NAME, tpl);
    } catch (e) {
      throw new GoError(`cannot parse template ${goQuote(tpl)}: ${(asGoError(e) as Error).message}`);
    }
    let out: string;
    state.depth++;
    try {
      out = t.execute(TPL_NAME, vals ?? null);
    } catch (e) {
      throw new GoError(`error during tpl function execution for ${goQuote(tpl)}: ${(asGoError(e) as Error).message}`);
    } finally {
      state.depth--;
    }
    return out.split('<no value>').join('');
  });
}

/** Helm's `lookup` without a cluster (as `helm template`): always an empty map. */
export const lookupFunc: GoFunc = goFunc(
  ['string', 'string', 'string', 'string'],
  ['map[string]interface{}', 'error'],
  () => ({}) as GoValue,
);
