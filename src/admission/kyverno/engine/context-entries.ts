/**
 * The `context` entries of a rule or foreach: `variable` (value / jmesPath / default) and
 * `configMap` (from the resources given) are evaluated; `apiCall`, `imageRegistry` and
 * `globalReference` need a cluster or a registry and are not evaluable offline, unless the values
 * file supplies the variable (as `kyverno apply --values-file` allows). Entries load lazily. A
 * `configMap` entry whose ConfigMap is not given is left unset, as `kyverno apply` leaves every
 * such entry (it reads no ConfigMap), and the reason is noted in `unset`.
 */
import { isMap } from '../pattern/go-values.js';
import type { EvalContext } from '../variables/context.js';
import { searchJmesPath } from '../jmespath/interpreter.js';
import { KYVERNO_FUNCTIONS } from '../jmespath/kyverno-functions.js';

/** An entry that cannot be evaluated here: the rule reports `error` with this reason when it is read. */
export class NotEvaluableError extends Error {}

export interface EntryEnvironment {
  /** ConfigMaps given with the resources, by `namespace/name`. */
  readonly configMaps: ReadonlyMap<string, Record<string, unknown>>;
  /** Variable names the values file supplies for this rule (top-level names). */
  readonly supplied: ReadonlySet<string>;
  /**
   * Why entries the rule read were left unset (a `configMap` entry whose ConfigMap is not among the
   * resources), for its result's message; filled as they load.
   */
  readonly unset?: string[];
}

/** Registers the entries in the context (deferred, Kyverno's default). */
export function loadContextEntries(ctx: EvalContext, entries: unknown, env: EntryEnvironment): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries.filter(isMap)) {
    const name = typeof entry.name === 'string' ? entry.name : '';
    if (!name) throw new Error('context entry without a name');
    if (env.supplied.has(name) && !isMap(entry.variable)) continue;
    if (isMap(entry.variable)) {
      const variable = entry.variable;
      ctx.defer(name, (c) => loadVariable(c, name, variable));
    } else if (isMap(entry.configMap)) {
      const cm = entry.configMap;
      ctx.defer(name, (c) => loadConfigMap(c, name, cm, env));
    } else {
      const kind = ['apiCall', 'imageRegistry', 'globalReference'].find((k) => entry[k] !== undefined) ?? 'unknown';
      if (kind === 'unknown')
        throw new Error(`missing ConfigMap|APICall|ImageRegistry|Variable in context entry ${name}`);
      ctx.defer(name, () => {
        throw new NotEvaluableError(
          `context entry '${name}' (${kind}) needs a cluster or registry and is not evaluable offline; ` +
            `supply '${name}' in --values-file`,
        );
      });
    }
  }
}

function loadVariable(ctx: EvalContext, name: string, v: Record<string, unknown>): void {
  let path = '';
  if (v.jmesPath !== undefined) {
    const p = ctx.substitute(v.jmesPath);
    if (typeof p !== 'string') throw new Error(`jmespath value must be a string ${name}`);
    path = p;
  }
  const defaultValue = v.default !== undefined ? ctx.substitute(v.default) : null;
  let output: unknown = defaultValue;
  if (v.value !== undefined) {
    const value = ctx.substitute(v.value);
    if (path !== '') {
      try {
        output = searchJmesPath(path, value, KYVERNO_FUNCTIONS);
      } catch (e) {
        if (defaultValue === null)
          throw new Error(`failed to apply jmespath ${path} to variable: ${(e as Error).message}`, { cause: e });
      }
    } else output = value;
  } else if (path !== '') {
    try {
      const r = ctx.query(path);
      if (r !== null && r !== undefined) output = r;
    } catch (e) {
      if (defaultValue === null)
        throw new Error(`failed to apply jmespath ${path} to variable: ${(e as Error).message}`, { cause: e });
    }
  }
  if (output === null || output === undefined)
    throw new Error(`failed to add context entry for variable ${name} since it evaluated to nil`);
  ctx.setPath([name], JSON.parse(JSON.stringify(output)));
}

function loadConfigMap(ctx: EvalContext, name: string, cm: Record<string, unknown>, env: EntryEnvironment): void {
  const cmName = ctx.substitute(cm.name ?? '');
  const cmNs = ctx.substitute(cm.namespace ?? '');
  const key = `${typeof cmNs === 'string' && cmNs !== '' ? cmNs : 'default'}/${String(cmName)}`;
  const found = env.configMaps.get(key);
  if (!found) {
    // `kyverno apply` has no ConfigMap resolver: the entry is not loaded and the variable stays
    // unknown (pkg/engine/factories contextloaderfactory.go), which the rule's result then shows.
    env.unset?.push(`context entry '${name}' left unset: ConfigMap ${key} is not among the resources given`);
    return;
  }
  ctx.setPath([name], { data: isMap(found.data) ? found.data : {}, metadata: found.metadata ?? {} });
}
