/**
 * The CEL environment: cel-js configured like Kubernetes' base environment
 * (k8s.io/apiserver/pkg/cel/environment/base.go: homogeneous aggregate literals, optional types,
 * cross-type numeric comparisons) plus the Kubernetes libraries, each registered by its module.
 * Built once per set of declared variables and frozen.
 */
import { Environment } from '@marcbachmann/cel-js';
import { registerConversions } from './library/conversions.js';
import { registerFormat } from './library/format.js';
import { registerIP } from './library/ip.js';
import { KYVERNO_FUNCTION_NAMESPACES, KYVERNO_LIBRARY_VARIABLES, registerKyverno } from './library/kyverno.js';
import { registerLists } from './library/lists.js';
import { registerListsExt } from './library/lists-ext.js';
import { registerOptionals } from './library/optionals.js';
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
  registerOptionals,
  registerConversions,
];

/** Receivers that are namespaces of global functions (`sets.contains`), not variables. */
export const FUNCTION_NAMESPACES: ReadonlySet<string> = new Set(['sets', 'lists', 'strings', 'format', 'ip']);

/** The function namespaces of an environment with Kyverno's libraries. */
export const KYVERNO_NAMESPACES: ReadonlySet<string> = new Set([
  ...FUNCTION_NAMESPACES,
  ...KYVERNO_FUNCTION_NAMESPACES,
]);

/** Which libraries beyond the Kubernetes ones: none, or Kyverno's (for its policies). */
export type CelLibraries = 'kubernetes' | 'kyverno';

/** The cel-js environment type (its d.ts is partial; we use these members). */
export interface CelJsEnvironment extends CelRegistrar {
  parse(
    expression: string,
  ): ((ctx?: unknown) => unknown) & { ast: unknown; check(): { valid: boolean; type?: string; error?: Error } };
  clone(opts?: Record<string, unknown>): CelJsEnvironment;
  registerVariable(name: string, type: string): CelJsEnvironment;
  hasVariable(name: string): boolean;
}

/** Parse-time caps on untrusted expressions. */
export const LIMITS = {
  maxAstNodes: 10_000,
  maxDepth: 100,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  maxCallArguments: 32,
};

let base: CelJsEnvironment | undefined;
/** The base environment with Kyverno's libraries (one entry), built once. */
const kyvernoBases = new Map<'kyverno', CelJsEnvironment>();

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

function kyvernoEnvironment(): CelJsEnvironment {
  let env = kyvernoBases.get('kyverno');
  if (!env) {
    env = baseEnvironment().clone();
    registerKyverno(env);
    for (const [name, type] of KYVERNO_LIBRARY_VARIABLES) env.registerVariable(name, type);
    kyvernoBases.set('kyverno', env);
  }
  return env;
}

/** cel-js operators captured once from parsed templates (cel-js does not export them). */
const capturedOps = new Map<string, { name: string; check: Function; evaluate: Function }>();

/**
 * The operator of the node at `path` (indexes into `args`) of `template` parsed, captured once:
 * `operatorOf('a.?b.hasValue()', [])` is the receiver call, `[1]` its optional selection.
 */
export function operatorOf(
  name: string,
  template: string,
  path: readonly number[],
): { name: string; check: Function; evaluate: Function } {
  const key = `${template}#${path.join('.')}`;
  let op = capturedOps.get(key);
  if (!op) {
    let node = environmentFor(undefined).parse(template).ast as {
      args: unknown;
      meta: { check?: unknown; evaluate?: unknown };
    };
    for (const i of path) node = (node.args as (typeof node)[])[i]!;
    op = { name, check: node.meta.check as Function, evaluate: node.meta.evaluate as Function };
    capturedOps.set(key, op);
  }
  return op;
}

const byVariables = new Map<string, CelJsEnvironment>();

/** The environment with `variables` declared (dyn); undefined: any name is a dyn variable. */
export function environmentFor(
  variables: readonly string[] | undefined,
  libraries: CelLibraries = 'kubernetes',
): CelJsEnvironment {
  const key = `${libraries}:${variables === undefined ? '*' : [...new Set(variables)].sort().join('\0')}`;
  let env = byVariables.get(key);
  if (!env) {
    env = (libraries === 'kyverno' ? kyvernoEnvironment() : baseEnvironment()).clone(
      variables === undefined ? { unlistedVariablesAreDyn: true } : {},
    );
    for (const v of variables ?? []) if (!env.hasVariable(v)) env.registerVariable(v, 'dyn');
    if (byVariables.size > 100) byVariables.clear();
    byVariables.set(key, env);
  }
  return env;
}
