/**
 * The one resource type that flows through aksfleet: generate, build, check, diff and the
 * console all pass `Resource[]` around.
 */

/** Object metadata, as much of it as aksfleet reads. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A Kubernetes object as plain JSON data. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** Where an object came from: the file (relative to the repo root), and line/column of its document. */
export interface Origin {
  /** Path relative to the repository root, with `/` separators. */
  readonly file: string;
  /** 1-based line of the document's first content line. */
  readonly line?: number;
  readonly column?: number;
  /** The kustomization directory (repo-relative) whose build produced it, if any. */
  readonly kustomization?: string;
  /** The Flux Kustomization (`namespace/name`) that applies it, if any. */
  readonly fluxKustomization?: string;
  /**
   * For an object a HelmRelease installs (src/flux/helmrelease): the HelmRelease
   * (`HelmRelease/ns/name`), the chart as `name@version`, and the chart's template file
   * (`chart/templates/x.yaml`). `file`/`line` then point at the HelmRelease.
   */
  readonly helm?: { readonly release: string; readonly chart: string; readonly template: string };
  /**
   * For an object a Flux Operator ResourceSet generates (src/flux/resourceset): the ResourceSet
   * (`ResourceSet/ns/name`), the index of the input set, the step, and the spec field it comes
   * from. `file`/`line` then point at the ResourceSet.
   */
  readonly resourceSet?: {
    readonly id: string;
    readonly input?: number;
    readonly step?: string;
    readonly fieldPath: string;
  };
  /**
   * JSON pointers (`/spec/parameters/tenantId`) of the values that held a postBuild `${VAR}` the
   * build could not substitute (not set, or set only in the cluster): substituted as Flux does
   * when it is missing (empty), so their value here is not the one the cluster gets.
   */
  readonly unsubstituted?: readonly string[];
}

/** An object and where it came from. */
export interface Resource {
  object: KObject;
  origin?: Origin;
}

/** `Kind/namespace/name`, or `Kind/name` for objects without a namespace. */
export type ResourceId = string;

export function resourceId(obj: KObject): ResourceId {
  const kind = obj.kind ?? '<no kind>';
  const name = obj.metadata?.name ?? '<no name>';
  const ns = obj.metadata?.namespace;
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroup(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Label or annotation lookup that tolerates missing maps. */
export function label(obj: KObject, key: string): string | undefined {
  return obj.metadata?.labels?.[key];
}
export function annotation(obj: KObject, key: string): string | undefined {
  return obj.metadata?.annotations?.[key];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy of JSON data. */
export function cloneJson<T>(v: T): T {
  return structuredClone(v);
}
