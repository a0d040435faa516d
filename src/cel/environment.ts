/**
 * The CEL environment: cel-js configured like Kubernetes' base environment
 * (k8s.io/apiserver/pkg/cel/environment/base.go: homogeneous aggregate literals, optional types,
 * cross-type numeric comparisons) plus the Kubernetes libraries, each registered by its module.
 * Built once per set of declared variables and frozen.
 */
import { Environment } from '@marcbachmann/cel-js';
import { registerFormat } from './library/format.js';
import { registerIP } from './library/ip.js';
import { registerLists } from './library/lists.js';
import { registerListsExt } from './library/lists-ext.js';
import { registerQuantity } from './library/quantity.js';
import { registerRegex } from './library/regex.js';
import { registerSets } from './library/sets.js';
import { registerSemver } from './library/semver.js';
import { registerStringsExt } from './library/strings-ext.js';
import { registerURL } from './library/url.js';
import type { CelRegistrar } from './library/types.js';

/** The libraries, in registration order. */
const LIBRARIES: readonly ((env: CelRegistrar) => void)[] = [
  registerStringsExt,
  registerRegex,
  registerLists,
  registerListsExt,
  registerSets,
  registerQuantity,
  registerIP,
  registerURL,
  registerFormat,
  registerSemver,
];

/** Receivers that are namespaces of global functions (`sets.contains`), not variables. */
export const FUNCTION_NAMESPACES: ReadonlySet<string> = new Set(['sets', 'lists', 'strings', 'format', 'ip']);

/** The cel-js environment type (its d.ts is partial; we use these members). */
export interface CelJsEnvironment extends CelRegistrar {
  parse(expression: string): ((ctx?: unknown) => unknown) & { ast: unknown; check(): { valid: boolean; type?: string; error?: Error } };
  clone(opts?: Record<string, unknown>): CelJsEnvironment;
  registerVariable(name: string, type: string): CelJsEnvironment;
  hasVariable(name: string): boolean;
}

/** Parse-time caps on untrusted expressions. */
export const LIMITS = { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 32 };

let base: CelJsEnvironment | undefined;

function baseEnvironment(): CelJsEnvironment {
  if (!base) {
    const env = new Environment({
      unlistedVariablesAreDyn: false,
      homogeneousAggregateLiterals: true,
      enableOptionalTypes: true,
      limits: LIMITS,
    }) as unknown as CelJsEnvironment;
    for (const register of LIBRARIES) register(env);
    base = env;
  }
  return base;
}

const byVariables = new Map<string, CelJsEnvironment>();

/** The environment with `variables` declared (dyn); undefined: any name is a dyn variable. */
export function environmentFor(variables: readonly string[] | undefined): CelJsEnvironment {
  const key = variables === undefined ? '*' : [...new Set(variables)].sort().join('\0');
  let env = byVariables.get(key);
  if (!env) {
    env = baseEnvironment().clone(variables === undefined ? { unlistedVariablesAreDyn: true } : {});
    for (const v of variables ?? []) env.registerVariable(v, 'dyn');
    if (byVariables.size > 100) byVariables.clear();
    byVariables.set(key, env);
  }
  return env;
}
