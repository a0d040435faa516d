/**
 * Kyverno's `globalcontext` library (github.com/kyverno/sdk extensions/cel/libs/globalcontext):
 * the variable `globalContext` with `Get(entry)` / `Get(entry, projection)` (and `get`, since
 * 1.18) reading a GlobalContextEntry's cached data. Offline the entries come only from a Kyverno
 * CLI test's `globalContextEntries` (resolved by the caller), read as the CLI's fake provider
 * does: an entry not given is null, a projection looked up in the entry's object (not found: an
 * error). Without any entries the call is not evaluable offline: the data lives in the cluster.
 * A namespaced policy may not use it (as Kyverno confines it).
 */
import { CelEvalError } from '../errors.js';
import { CelLibraryValue, isCelMap, mapEntries, toCel } from '../values.js';
import type { CelRegistrar } from './types.js';

export const GLOBAL_CONTEXT_TYPE = 'globalcontext.Context';

/** The value of the `globalContext` variable. */
export class GlobalContext extends CelLibraryValue {
  /**
   * @param entries resolved entry data by name (undefined: none known, not evaluable offline).
   * @param namespaced true in a NamespacedValidatingPolicy, where Kyverno refuses the library.
   */
  constructor(
    readonly entries: ReadonlyMap<string, unknown> | undefined,
    readonly namespaced = false,
  ) {
    super();
  }
}

/** globalContext.Get(name, projection): the entry's data, its projection, or null. */
export function getGlobalReference(ctx: GlobalContext, name: string, projection: string): unknown {
  if (ctx.namespaced)
    throw new CelEvalError('failed to get global reference: globalContext.* is not allowed in namespaced policies');
  if (ctx.entries === undefined) {
    throw new CelEvalError(
      `globalContext.Get(${JSON.stringify(name)}): not evaluable offline: ` +
        `it reads a GlobalContextEntry cached in the cluster, and no entries (a test's globalContextEntries) ` +
        `were given`,
      'offline',
    );
  }
  if (!ctx.entries.has(name)) return null;
  const data = ctx.entries.get(name);
  if (projection === '') return toCel(data);
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const m = new Map(isCelMap(data) ? mapEntries(data) : Object.entries(data as Record<string, unknown>));
    if (m.has(projection)) return toCel(m.get(projection));
    throw new CelEvalError(
      `failed to get global reference: projection ${JSON.stringify(projection)} ` +
        `not found in global context entry ${JSON.stringify(name)}`,
    );
  }
  throw new CelEvalError(
    `failed to get global reference: projection ${JSON.stringify(projection)} not found ` +
      `in global context entry ${JSON.stringify(name)}: stored value is not an object`,
  );
}

export function registerKyvernoGlobalContext(env: CelRegistrar): void {
  const T = GLOBAL_CONTEXT_TYPE;
  env.registerType(T, GlobalContext);
  for (const get of ['Get', 'get']) {
    env.registerFunction(`${T}.${get}(string): dyn`, (c: GlobalContext, n: string) => getGlobalReference(c, n, ''));
    env.registerFunction(`${T}.${get}(string, string): dyn`, (c: GlobalContext, n: string, p: string) =>
      getGlobalReference(c, n, p),
    );
  }
}
