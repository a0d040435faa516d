/**
 * Evaluation of Flux's envsubst dialect: `Eval(text, mapping)` of fluxcd/pkg envsubst.
 */
import { fromBytes, toBytes } from './bytes.js';
import { isDefaultOp, lookupFunc } from './funcs.js';
import { EnvsubstParseError, parseTemplate, type EnvNode } from './parse.js';

/** Looks a variable up: its value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export interface EnvsubstOptions {
  /**
   * Strict mode (`--strict-substitute`, feature gate StrictPostBuildSubstitutions): an unset
   * variable read without a default operator is an error. Default false: it reads as ''.
   */
  readonly strict?: boolean;
}

export interface EnvsubstResult {
  readonly output: string;
  /**
   * Variables that were read without a default operator while unset, in order of first use
   * (what strict mode would reject). In non-strict mode they were replaced by ''.
   */
  readonly missing: readonly string[];
}

/** An error of the dialect: a parse error, or (strict mode) `variable not set (strict mode): "X"`. */
export class EnvsubstError extends Error {
  readonly variable?: string;
  constructor(message: string, variable?: string) {
    super(message);
    this.name = 'EnvsubstError';
    this.variable = variable;
  }
}

/** Substitutes `${...}` expressions in `text`. Throws EnvsubstError. */
export function envsubst(text: string, lookup: Lookup, opts: EnvsubstOptions = {}): string {
  return envsubstDetailed(text, lookup, opts).output;
}

/** Like envsubst, and also tells which variables were missing (non-strict mode). */
export function envsubstDetailed(text: string, lookup: Lookup, opts: EnvsubstOptions = {}): EnvsubstResult {
  let nodes: EnvNode[];
  try {
    nodes = parseTemplate(toBytes(text));
  } catch (e) {
    if (e instanceof EnvsubstParseError) throw new EnvsubstError(e.message);
    throw e;
  }
  const missing: string[] = [];
  const cache = new Map<string, string | undefined>();
  const get = (name: string): string | undefined => {
    if (!cache.has(name)) {
      const v = lookup(fromBytes(name));
      cache.set(name, v === undefined ? undefined : toBytes(v));
    }
    return cache.get(name);
  };
  const evalNode = (n: EnvNode): string => {
    if (n.type === 'text') return n.value;
    const args = n.args.map(evalNode);
    const v = get(n.param);
    if (v === undefined && !isDefaultOp(n.name)) {
      if (opts.strict)
        throw new EnvsubstError(
          `variable not set (strict mode): ${JSON.stringify(fromBytes(n.param))}`,
          fromBytes(n.param),
        );
      const name = fromBytes(n.param);
      if (!missing.includes(name)) missing.push(name);
    }
    return lookupFunc(n.name, args.length)(v ?? '', args);
  };
  let out = '';
  for (const n of nodes) out += evalNode(n);
  return { output: fromBytes(out), missing };
}

/** The parse tree (text and function nodes), values as UTF-8 text: for tests and tooling. */
export function parseEnvsubst(text: string): EnvNode[] {
  const conv = (n: EnvNode): EnvNode =>
    n.type === 'text'
      ? { type: 'text', value: fromBytes(n.value) }
      : { type: 'func', param: fromBytes(n.param), name: n.name, args: n.args.map(conv) };
  try {
    return parseTemplate(toBytes(text)).map(conv);
  } catch (e) {
    if (e instanceof EnvsubstParseError) throw new EnvsubstError(e.message);
    throw e;
  }
}
