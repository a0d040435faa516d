/**
 * Kyverno's `resource` library (github.com/kyverno/sdk extensions/cel/libs/resource), for
 * ValidatingPolicy: `resource.Get(apiVersion, resource, namespace, name)` and
 * `resource.List(apiVersion, resource, namespace[, labels])` (and their camel-case forms), read
 * from the cluster state a Kyverno CLI context file gives, as the CLI's fake context provider
 * does: an object not found is `null`, a list of a resource type the context has none of is an
 * error. Without any cluster state the calls are not evaluable offline (an error, never a value).
 * `resource.Post` creates objects: never evaluable offline. `resource.ToGVR(apiVersion, kind)`
 * asks the cluster's API discovery (its REST mapper) for the resource of a kind: not evaluable
 * offline either (the Kyverno CLI's fake provider does not implement it); the Get/List overloads
 * that take its `schema.GroupVersionResource` are declared so that such policies load.
 */
import { CelEvalError } from '../errors.js';
import { charge } from '../cost.js';
import { CelLibraryValue, toCel } from '../values.js';
import type { CelRegistrar } from './types.js';

/** The CEL type of the `resource` variable. */
export const RESOURCE_CONTEXT_TYPE = 'kyverno.resource.Context';

type Obj = Record<string, unknown>;

/** The value of the `resource` variable: the cluster state known, if any. */
export class ResourceContext extends CelLibraryValue {
  /**
   * @param objects the cluster's objects (a context file's `spec.resources`); undefined: unknown.
   * @param namespace the namespace of a NamespacedValidatingPolicy, which confines every call.
   */
  constructor(
    readonly objects: readonly Obj[] | undefined,
    readonly namespace?: string,
  ) {
    super();
  }
}

/**
 * The resource (plural) name of a kind, as Kubernetes guesses it
 * (apimachinery meta.UnsafeGuessKindToResource): lower case; `endpoints` stays; `s` -> `ses`,
 * `y` -> `ies`, else `s`.
 */
export function resourceOfKind(kind: string): string {
  const s = kind.toLowerCase();
  if (s === '' || s.endsWith('endpoints')) return s;
  if (s.endsWith('s')) return `${s}es`;
  if (s.endsWith('y')) return `${s.slice(0, -1)}ies`;
  return `${s}s`;
}

/** `group/version` of an apiVersion with its group ('' for the core group), or an error. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (apiVersion === '' || parts.length > 2 || parts.some((p) => p === '')) {
    throw new CelEvalError(`unexpected GroupVersion string: ${apiVersion}`);
  }
  return parts.length === 1 ? { group: '', version: parts[0]! } : { group: parts[0]!, version: parts[1]! };
}

const metadata = (o: Obj): Obj => (o.metadata && typeof o.metadata === 'object' ? (o.metadata as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The context's objects of one apiVersion and resource, or undefined when it has none of them. */
function objectsOf(objects: readonly Obj[], apiVersion: string, resource: string): Obj[] | undefined {
  const gv = groupVersion(apiVersion);
  const found = objects.filter((o) => {
    const ogv = groupVersion(str(o.apiVersion) || 'v1');
    return ogv.group === gv.group && ogv.version === gv.version && resourceOfKind(str(o.kind)) === resource;
  });
  return found.length ? found : undefined;
}

function known(ctx: ResourceContext, call: string): readonly Obj[] {
  if (ctx.objects === undefined) {
    throw new CelEvalError(
      `${call}: not evaluable offline: it reads the cluster's state, and no context (spec.resources) was given`,
      'offline',
    );
  }
  charge(ctx.objects.length);
  return ctx.objects;
}

function groupResource(apiVersion: string, resource: string): string {
  const { group } = groupVersion(apiVersion);
  return group ? `${resource}.${group}` : resource;
}

/** resource.Get: the object, or null when the context does not have it. */
export function getResource(
  ctx: ResourceContext,
  apiVersion: string,
  resource: string,
  namespace: string,
  name: string,
): Obj | null {
  const all =
    objectsOf(
      known(ctx, `resource.Get(${JSON.stringify(apiVersion)}, ${JSON.stringify(resource)}, ...)`),
      apiVersion,
      resource,
    ) ?? [];
  return all.find((o) => str(metadata(o).namespace) === namespace && str(metadata(o).name) === name) ?? null;
}

function labelsMatch(o: Obj, selector: ReadonlyMap<string, string> | undefined): boolean {
  if (!selector) return true;
  const labels = (metadata(o).labels ?? {}) as Obj;
  return [...selector].every(([k, v]) => labels[k] === v);
}

/**
 * resource.List: `{items: [...]}` in the namespace ('' for cluster-scoped objects), sorted by
 * name; the label selector (equality on every label given) filters as the API server does.
 */
export function listResources(
  ctx: ResourceContext,
  apiVersion: string,
  resource: string,
  namespace: string,
  labels?: ReadonlyMap<string, string>,
): Obj {
  const all = objectsOf(
    known(ctx, `resource.List(${JSON.stringify(apiVersion)}, ${JSON.stringify(resource)}, ...)`),
    apiVersion,
    resource,
  );
  if (!all)
    throw new CelEvalError(`failed to list resource: ${groupResource(apiVersion, resource)} resource not found`);
  const items = all
    .filter((o) => str(metadata(o).namespace) === namespace && labelsMatch(o, labels))
    .sort((a, b) => str(metadata(a).name).localeCompare(str(metadata(b).name)));
  return { items };
}

function post(): never {
  throw new CelEvalError('resource.Post: not evaluable offline: it creates an object in the cluster', 'offline');
}

function toGVR(_c: ResourceContext, apiVersion: string, kind: string): never {
  throw new CelEvalError(
    `resource.ToGVR(${JSON.stringify(apiVersion)}, ${JSON.stringify(kind)}): ` +
      `not evaluable offline: it asks the cluster's API discovery for the resource of a kind`,
    'offline',
  );
}

/** The CEL type of `resource.ToGVR(...)` (never produced offline). */
export const GVR_TYPE = 'schema.GroupVersionResource';

/** A GroupVersionResource value (declared for the type checker; ToGVR never yields one offline). */
export class GroupVersionResource {
  constructor(
    readonly group: string,
    readonly version: string,
    readonly resource: string,
  ) {}
}

function stringMap(m: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const entries = m instanceof Map ? [...m] : Object.entries((m ?? {}) as Obj);
  for (const [k, v] of entries) out.set(String(k), String(v));
  return out;
}

function clusterScoped(ctx: ResourceContext, call: string): void {
  if (ctx.namespace !== undefined)
    throw new CelEvalError(`found no matching overload for '${call}' in a namespaced policy`);
}

export function registerKyvernoResource(env: CelRegistrar): void {
  const T = RESOURCE_CONTEXT_TYPE;
  env.registerType(T, ResourceContext);
  const M = 'map<string, dyn>';
  env.registerType(GVR_TYPE, GroupVersionResource);
  const G = GVR_TYPE;
  const apiVersionOf = (g: GroupVersionResource): string => (g.group ? `${g.group}/${g.version}` : g.version);
  for (const [get, list, postName, gvr] of [
    ['Get', 'List', 'Post', 'ToGVR'],
    ['get', 'list', 'post', 'toGVR'],
  ] as const) {
    env.registerFunction(`${T}.${gvr}(string, string): ${G}`, toGVR);
    env.registerFunction(
      `${T}.${get}(${G}, string, string): ${M}`,
      (c: ResourceContext, g: GroupVersionResource, ns: string, n: string) => {
        clusterScoped(c, `${get}(gvr, string, string)`);
        return toCel(getResource(c, apiVersionOf(g), g.resource, ns, n));
      },
    );
    env.registerFunction(
      `${T}.${list}(${G}, string): ${M}`,
      (c: ResourceContext, g: GroupVersionResource, ns: string) => {
        clusterScoped(c, `${list}(gvr, string)`);
        return toCel(listResources(c, apiVersionOf(g), g.resource, ns));
      },
    );
    env.registerFunction(
      `${T}.${list}(${G}, string, map<string, string>): ${M}`,
      (c: ResourceContext, g: GroupVersionResource, ns: string, l: unknown) => {
        clusterScoped(c, `${list}(gvr, string, map)`);
        return toCel(listResources(c, apiVersionOf(g), g.resource, ns, stringMap(l)));
      },
    );
    env.registerFunction(
      `${T}.${get}(string, string, string, string): ${M}`,
      (c: ResourceContext, av: string, r: string, ns: string, n: string) => {
        clusterScoped(c, `${get}(string, string, string, string)`);
        return toCel(getResource(c, av, r, ns, n));
      },
    );
    env.registerFunction(
      `${T}.${get}(string, string, string): ${M}`,
      (c: ResourceContext, av: string, r: string, n: string) => {
        if (c.namespace === undefined)
          throw new CelEvalError(`found no matching overload for '${get}(string, string, string)' in a cluster policy`);
        return toCel(getResource(c, av, r, c.namespace, n));
      },
    );
    env.registerFunction(
      `${T}.${list}(string, string, string): ${M}`,
      (c: ResourceContext, av: string, r: string, ns: string) => {
        clusterScoped(c, `${list}(string, string, string)`);
        return toCel(listResources(c, av, r, ns));
      },
    );
    env.registerFunction(
      `${T}.${list}(string, string, string, map<string, string>): ${M}`,
      (c: ResourceContext, av: string, r: string, ns: string, l: unknown) => {
        clusterScoped(c, `${list}(string, string, string, map)`);
        return toCel(listResources(c, av, r, ns, stringMap(l)));
      },
    );
    env.registerFunction(`${T}.${list}(string, string): ${M}`, (c: ResourceContext, av: string, r: string) => {
      if (c.namespace === undefined)
        throw new CelEvalError(`found no matching overload for '${list}(string, string)' in a cluster policy`);
      return toCel(listResources(c, av, r, c.namespace));
    });
    env.registerFunction(
      `${T}.${list}(string, string, map<string, string>): ${M}`,
      (c: ResourceContext, av: string, r: string, l: unknown) => {
        if (c.namespace === undefined)
          throw new CelEvalError(`found no matching overload for '${list}(string, string, map)' in a cluster policy`);
        return toCel(listResources(c, av, r, c.namespace, stringMap(l)));
      },
    );
    env.registerFunction(`${T}.${postName}(string, string, string, map<string, dyn>): ${M}`, post);
    env.registerFunction(`${T}.${postName}(string, string, map<string, dyn>): ${M}`, post);
  }
}
