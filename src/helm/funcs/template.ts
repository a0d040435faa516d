/**
 * Helm's late-bound functions (pkg/engine/engine.go): `include` and `tpl` as closures over the
 * template set being rendered, sharing one count of nested includes per render (Helm's cap: a name
 * may be entered 1000 times at once), and `tpl` rendering its text in a clone of the set named
 * "gotpl" with Helm's error wrapping.
 */
import { GoTemplateError, type TemplateSet } from '../../gotemplate/contract.js';
import { GoError, goFunc, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { goQuote } from './go-fmt.js';

/** Helm's recursionMaxNums. */
export const INCLUDE_RECURSION_MAX = 1000;
/** The name of Helm's root template (`template.New("gotpl")`), under which `tpl` text is parsed. */
export const TPL_NAME = 'gotpl';

/** A Go error from the template engine's error (its message is Go's Error()). */
function asGoError(e: unknown): unknown {
  if (e instanceof GoTemplateError) return new GoError(e.message);
  return e;
}

/** Helm's includeFun over `set`. */
export function includeFunc(set: () => TemplateSet, included: Map<string, number>): GoFunc {
  return goFunc(['string', 'interface{}'], ['string', 'error'], ([n, data]) => {
    const name = n as string;
    const count = included.get(name);
    if (count !== undefined) {
      if (count > INCLUDE_RECURSION_MAX) {
        throw new GoError(`rendering template has a nested reference name: ${name}: unable to execute template`);
      }
      included.set(name, count + 1);
    } else included.set(name, 1);
    try {
      return set().execute(name, data ?? null);
    } catch (e) {
      // Helm executes from its root template "gotpl", which Go names in this message.
      const missing = `template: no template ${goQuote(name)} associated with template `;
      if (e instanceof GoTemplateError && e.message.startsWith(missing)) throw new GoError(`${missing}${goQuote(TPL_NAME)}`);
      throw asGoError(e);
    } finally {
      included.set(name, (included.get(name) ?? 1) - 1);
    }
  });
}

/** Helm's tplFun over `parent`. */
export function tplFunc(parent: () => TemplateSet, included: Map<string, number>): GoFunc {
  return goFunc(['string', 'interface{}'], ['string', 'error'], ([text, vals]) => {
    const tpl = text as string;
    let t: TemplateSet;
    try {
      t = parent().clone();
    } catch (e) {
      throw new GoError(`cannot clone template: ${(asGoError(e) as Error).message}`);
    }
    t.funcs({ include: includeFunc(() => t, included), tpl: tplFunc(() => t, included) });
    try {
      t.parse(TPL_NAME, tpl);
    } catch (e) {
      throw new GoError(`cannot parse template ${goQuote(tpl)}: ${(asGoError(e) as Error).message}`);
    }
    let out: string;
    try {
      out = t.execute(TPL_NAME, vals ?? null);
    } catch (e) {
      throw new GoError(`error during tpl function execution for ${goQuote(tpl)}: ${(asGoError(e) as Error).message}`);
    }
    return out.split('<no value>').join('');
  });
}

/** Helm's `lookup` without a cluster (as `helm template`): always an empty map. */
export const lookupFunc: GoFunc = goFunc(['string', 'string', 'string', 'string'], ['map[string]interface{}', 'error'], () => ({}) as GoValue);
