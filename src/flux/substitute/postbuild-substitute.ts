/**
 * Flux's postBuild substitution of one resource (fluxcd/pkg kustomize_varsub.go
 * SubstituteVariables): skipped when the resource is labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled`; runs only when there are variables (or
 * `substituteStrategy: Always`); the whole object's YAML goes through envsubst and is read back
 * with YAML 1.1 typing.
 */
import type { KObject } from '../../resources/resource.js';
import { envsubstDetailed, EnvsubstError } from '../envsubst/index.js';
import { emitForSubstitution, parseYaml11Object, Yaml11Error } from './yaml11.js';
import { isPlainObject } from '../../resources/resource.js';
import { cloneData } from '../build/clone-data.js';
import type { SubstitutionMemo, TextOutcome } from './substitution-memo.js';

export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

export interface SubstituteOptions {
  readonly vars: ReadonlyMap<string, string>;
  /** `substituteStrategy: Always`: substitute even with no variables (defaults apply). */
  readonly always?: boolean;
  /**
   * The cluster has variables we could not read (a required substituteFrom missing offline):
   * substitute as Flux would, and treat unknown variables as missing.
   */
  readonly unknownVars?: boolean;
  /** Strict mode: a missing variable is an error (Flux's StrictPostBuildSubstitutions). */
  readonly strict?: boolean;
  /** The session's memo of substitutions (substitution-memo.ts); none: every object is substituted afresh. */
  readonly memo?: SubstitutionMemo;
}

export type SubstituteOutcome =
  | { readonly status: 'disabled' | 'skipped'; readonly object: KObject }
  | { readonly status: 'substituted'; readonly object: KObject; readonly missing: readonly string[] }
  | { readonly status: 'error'; readonly object: KObject; readonly message: string; readonly variable?: string };

export function isSubstitutionDisabled(obj: KObject): boolean {
  return (
    obj.metadata?.labels?.[SUBSTITUTE_KEY] === 'disabled' || obj.metadata?.annotations?.[SUBSTITUTE_KEY] === 'disabled'
  );
}

export function substituteObject(obj: KObject, opts: SubstituteOptions): SubstituteOutcome {
  if (isSubstitutionDisabled(obj)) return { status: 'disabled', object: obj };
  if (opts.vars.size === 0 && !opts.always && !opts.unknownVars) return { status: 'skipped', object: obj };
  // Fast path: envsubst only changes text with `${` or the `$$` escape.
  if (!hasDollarText(obj)) return { status: 'substituted', object: obj, missing: [] };
  if (!opts.memo)
    return replay(
      substituteText(emitForSubstitution(obj), (k) => opts.vars.get(k), opts.strict),
      obj,
    );
  const json = dataKey(obj);
  // The same object with the same values of the variables it looked up substitutes the same:
  // clusters of an environment share most objects and most variable values.
  const memo = opts.memo;
  const key = `${opts.strict ? 's' : ''}\0${json}`;
  const known = memo.find(key, opts.vars);
  if (known) return replay(known, obj);
  // The same object emits the same text, whatever the variables' values.
  const emitted = memo.text(key) ?? emitForSubstitution(obj);
  const lookups: [string, string | undefined][] = [];
  const outcome = substituteText(
    emitted,
    (k) => {
      const v = opts.vars.get(k);
      lookups.push([k, v]);
      return v;
    },
    opts.strict,
  );
  memo.remember(key, emitted, lookups, outcome);
  return replay(outcome, obj);
}

/**
 * Whether a key or string anywhere in the value contains `${` or `$$` (what its YAML or JSON text
 * would contain: neither escaping nor the text between strings can make one).
 */
function hasDollarText(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('$') && (v.includes('${') || v.includes('$$'));
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (hasDollarText(x)) return true;
    return false;
  }
  for (const k of Object.keys(v)) {
    if (hasDollarText(k) || hasDollarText((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * The object as JSON, with the values JSON cannot tell apart from others (non-finite numbers,
 * -0, undefined, bigints, Dates) spelled out, so that equal keys mean equal emitted YAML.
 */
function dataKey(obj: KObject): string {
  return JSON.stringify(obj, function (this: Record<string, unknown>, k: string, v: unknown) {
    if (this[k] instanceof Date) return { '\u0000date': v }; // v is already toJSON()'s string
    if (typeof v === 'number')
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { '\u0000number': String(Object.is(v, -0) ? '-0' : v) };
    if (typeof v === 'bigint') return { '\u0000bigint': v.toString() };
    if (v === undefined) return { '\u0000undefined': true };
    return v;
  });
}

function replay(o: TextOutcome, obj: KObject): SubstituteOutcome {
  if (o.kind === 'same') return { status: 'substituted', object: obj, missing: [] };
  if (o.kind === 'error')
    return {
      status: 'error',
      object: obj,
      message: o.message,
      ...(o.variable !== undefined ? { variable: o.variable } : {}),
    };
  return { status: 'substituted', object: cloneData(o.object), missing: [...o.missing] };
}

function substituteText(
  text: string,
  lookup: (k: string) => string | undefined,
  strict: boolean | undefined,
): TextOutcome {
  let r;
  try {
    r = envsubstDetailed(text, lookup, { strict });
  } catch (e) {
    if (e instanceof EnvsubstError)
      return { kind: 'error', message: `envsubst error: ${e.message}`, variable: e.variable };
    throw e;
  }
  if (r.output === text) return { kind: 'same' };
  let parsed: unknown;
  try {
    parsed = parseYaml11Object(r.output);
  } catch (e) {
    if (e instanceof Yaml11Error) {
      return {
        kind: 'error',
        message: `the substituted YAML does not parse (a value with YAML syntax was inserted?): ${e.message}`,
      };
    }
    throw e;
  }
  if (!isPlainObject(parsed)) return { kind: 'error', message: 'the substituted YAML is not an object' };
  return { kind: 'parsed', object: parsed as KObject, missing: r.missing };
}
