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
import { buildMemoEnabled, cloneData } from '../build/build-memo.js';

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
}

export type SubstituteOutcome =
  | { readonly status: 'disabled' | 'skipped'; readonly object: KObject }
  | { readonly status: 'substituted'; readonly object: KObject; readonly missing: readonly string[] }
  | { readonly status: 'error'; readonly object: KObject; readonly message: string; readonly variable?: string };

export function isSubstitutionDisabled(obj: KObject): boolean {
  return obj.metadata?.labels?.[SUBSTITUTE_KEY] === 'disabled' || obj.metadata?.annotations?.[SUBSTITUTE_KEY] === 'disabled';
}

export function substituteObject(obj: KObject, opts: SubstituteOptions): SubstituteOutcome {
  if (isSubstitutionDisabled(obj)) return { status: 'disabled', object: obj };
  if (opts.vars.size === 0 && !opts.always && !opts.unknownVars) return { status: 'skipped', object: obj };
  // Fast path: envsubst only changes text with `${` or the `$$` escape.
  if (!hasDollarText(obj)) return { status: 'substituted', object: obj, missing: [] };
  const json = dataKey(obj);
  if (!buildMemoEnabled()) return replay(substituteText(emitForSubstitution(obj), (k) => opts.vars.get(k), opts.strict), obj);
  // The same object with the same values of the variables it looked up substitutes the same:
  // clusters of an environment share most objects and most variable values (see MEMO below).
  const key = `${opts.strict ? 's' : ''}\0${json}`;
  const entry = MEMO.get(key);
  for (const v of entry?.variants ?? []) {
    if (v.lookups.every(([k, val]) => opts.vars.get(k) === val)) return replay(v.outcome, obj);
  }
  // The same object emits the same text, whatever the variables' values.
  const text = entry?.text ?? emitForSubstitution(obj);
  const lookups: [string, string | undefined][] = [];
  const outcome = substituteText(text, (k) => {
    const v = opts.vars.get(k);
    lookups.push([k, v]);
    return v;
  }, opts.strict);
  if (!entry) {
    if (MEMO.size >= MEMO_MAX_TEXTS) MEMO.delete(MEMO.keys().next().value!);
    MEMO.set(key, { text, variants: [{ lookups, outcome }] });
  } else if (entry.variants.length < MEMO_MAX_VARIANTS) {
    entry.variants.push({ lookups, outcome });
  }
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
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { '\u0000number': String(Object.is(v, -0) ? '-0' : v) };
    if (typeof v === 'bigint') return { '\u0000bigint': v.toString() };
    if (v === undefined) return { '\u0000undefined': true };
    return v;
  });
}

/** What envsubst + the YAML 1.1 read made of one text (the object it came from aside). */
type TextOutcome =
  | { readonly kind: 'same' }
  | { readonly kind: 'error'; readonly message: string; readonly variable?: string }
  | { readonly kind: 'parsed'; readonly object: KObject; readonly missing: readonly string[] };

/**
 * Memo of substitutions: object (dataKey) -> its emitted text, and per variant the variables
 * envsubst looked up, their values, and the outcome. envsubst is a function of the text and of the answers to its lookups, so an
 * entry applies when every recorded lookup gets the same value. Parsed objects are copied on
 * every use.
 */
const MEMO = new Map<string, { text: string; variants: { lookups: [string, string | undefined][]; outcome: TextOutcome }[] }>();
const MEMO_MAX_TEXTS = 50_000;
const MEMO_MAX_VARIANTS = 8;

function replay(o: TextOutcome, obj: KObject): SubstituteOutcome {
  if (o.kind === 'same') return { status: 'substituted', object: obj, missing: [] };
  if (o.kind === 'error') return { status: 'error', object: obj, message: o.message, ...(o.variable !== undefined ? { variable: o.variable } : {}) };
  return { status: 'substituted', object: cloneData(o.object), missing: [...o.missing] };
}

function substituteText(text: string, lookup: (k: string) => string | undefined, strict: boolean | undefined): TextOutcome {
  let r;
  try {
    r = envsubstDetailed(text, lookup, { strict });
  } catch (e) {
    if (e instanceof EnvsubstError) return { kind: 'error', message: `envsubst error: ${e.message}`, variable: e.variable };
    throw e;
  }
  if (r.output === text) return { kind: 'same' };
  let parsed: unknown;
  try {
    parsed = parseYaml11Object(r.output);
  } catch (e) {
    if (e instanceof Yaml11Error) {
      return { kind: 'error', message: `the substituted YAML does not parse (a value with YAML syntax was inserted?): ${e.message}` };
    }
    throw e;
  }
  if (!isPlainObject(parsed)) return { kind: 'error', message: 'the substituted YAML is not an object' };
  return { kind: 'parsed', object: parsed as KObject, missing: r.missing };
}
