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
  const json = JSON.stringify(obj);
  if (!json.includes('${') && !json.includes('$$')) return { status: 'substituted', object: obj, missing: [] };
  const text = emitForSubstitution(obj);
  let r;
  try {
    r = envsubstDetailed(text, (k) => opts.vars.get(k), { strict: opts.strict });
  } catch (e) {
    if (e instanceof EnvsubstError) return { status: 'error', object: obj, message: `envsubst error: ${e.message}`, variable: e.variable };
    throw e;
  }
  if (r.output === text) return { status: 'substituted', object: obj, missing: [] };
  let parsed: unknown;
  try {
    parsed = parseYaml11Object(r.output);
  } catch (e) {
    if (e instanceof Yaml11Error) {
      return { status: 'error', object: obj, message: `the substituted YAML does not parse (a value with YAML syntax was inserted?): ${e.message}` };
    }
    throw e;
  }
  if (!isPlainObject(parsed)) return { status: 'error', object: obj, message: 'the substituted YAML is not an object' };
  return { status: 'substituted', object: parsed as KObject, missing: r.missing };
}
