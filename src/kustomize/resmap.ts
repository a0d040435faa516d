/**
 * The engine's working set: resources in accumulation order, each with the build-time
 * bookkeeping kustomize keeps in `config.kubernetes.io/*` build annotations (previous ids,
 * name prefixes/suffixes, needs-hash, generator behavior). We keep that bookkeeping beside the
 * object instead of inside it; `finish()` produces what kustomize's RemoveBuildAnnotations leaves.
 */
import { InputError } from '../errors.js';
import type { KObject, Origin } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { isCertainlyClusterScoped } from './fieldspecs/cluster-scoped.js';

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ResId {
  readonly gvk: Gvk;
  readonly name: string;
  readonly namespace: string;
}

export function parseGroupVersion(apiVersion: string | undefined): { group: string; version: string } {
  const av = apiVersion ?? '';
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

export function gvkOf(obj: KObject): Gvk {
  const { group, version } = parseGroupVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  return { group, version, kind: typeof obj.kind === 'string' ? obj.kind : '' };
}

export function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

export function isClusterScopedGvk(g: Gvk): boolean {
  return isCertainlyClusterScoped(apiVersionOf(g), g.kind);
}

/** kustomize's EffectiveNamespace: cluster-scoped -> a sentinel; empty or `default` -> `default`. */
export const NOT_A_NAMESPACE = '_non_namespaceable_';
export function effectiveNamespace(id: ResId): string {
  if (isClusterScopedGvk(id.gvk)) return NOT_A_NAMESPACE;
  if (id.namespace === '' || id.namespace === 'default') return 'default';
  return id.namespace;
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** Gvk.IsSelected: empty selector parts match anything. */
export function gvkSelected(x: Gvk, sel: Partial<Gvk> | undefined): boolean {
  if (!sel) return true;
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return true;
}

export function idEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a.gvk, b.gvk) && effectiveNamespace(a) === effectiveNamespace(b);
}

/** A key equal for two ids exactly when {@link idEquals} holds. */
export function idKey(id: ResId): string {
  return JSON.stringify([id.gvk.group, id.gvk.version, id.gvk.kind, id.name, effectiveNamespace(id)]);
}

export function gvkString(g: Gvk): string {
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`;
}

export function idString(id: ResId): string {
  return `${gvkString(id.gvk)}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

/** `Kind/namespace/name` for messages. */
export function idLabel(id: ResId): string {
  return id.namespace ? `${id.gvk.kind}/${id.namespace}/${id.name}` : `${id.gvk.kind}/${id.name}`;
}

export type Behavior = 'create' | 'merge' | 'replace';

/** The builtin plugin that produced or changed a resource (kustomize's Origin.configuredBy). */
export interface PluginRef {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** One entry of kustomize's transformations annotation. */
export interface TransformationRef extends PluginRef {
  /** Repo-relative file that configured the transformer. */
  readonly configuredIn: string;
}

export class KRes {
  obj: KObject;
  origin: Origin;
  /** Previous ids, oldest first (kustomize's previousNames/Namespaces/Kinds; namespaces stored effective). */
  prevIds: ResId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  needsHash = false;
  behavior: Behavior = 'create';
  /** Whether a generator named its behavior (kustomize's error says `unspecified` otherwise). */
  behaviorWritten = false;
  /** For patch documents: options.allowNameChange / allowKindChange. */
  allowNameChange = false;
  allowKindChange = false;
  /** True once kustomize would have written a build annotation into metadata.annotations. */
  buildAnnotated = false;
  /** Set on generator output: the builtin generator that made it (for origin annotations). */
  generatedBy?: PluginRef;
  /** Transformers applied to it (for buildMetadata transformerAnnotations), oldest first. */
  transformations: TransformationRef[] = [];
  /** Names of vars that refer to this resource (for unused-var checks; informational). */
  refVarNames: string[] = [];

  constructor(obj: KObject, origin: Origin) {
    this.obj = obj;
    this.origin = origin;
  }

  get gvk(): Gvk {
    return gvkOf(this.obj);
  }
  get name(): string {
    const n = this.obj.metadata?.name;
    return typeof n === 'string' ? n : n === undefined || n === null ? '' : String(n);
  }
  get namespace(): string {
    const n = this.obj.metadata?.namespace;
    return typeof n === 'string' ? n : n === undefined || n === null ? '' : String(n);
  }
  curId(): ResId {
    return { gvk: this.gvk, name: this.name, namespace: this.namespace };
  }
  orgId(): ResId {
    return this.prevIds[0] ?? this.curId();
  }
  /** Previous ids rebuilt with the current apiVersion (as kustomize's PrevIds does). */
  prevIdsNow(): ResId[] {
    const g = this.gvk;
    return this.prevIds.map((p) => ({
      gvk: { group: g.group, version: g.version, kind: p.gvk.kind },
      name: p.name,
      namespace: p.namespace,
    }));
  }
  storePreviousId(): void {
    const id = this.curId();
    this.prevIds.push({ gvk: id.gvk, name: id.name, namespace: effectiveNamespace(id) });
    this.buildAnnotated = true;
  }
  setName(n: string): void {
    this.meta().name = n;
  }
  setNamespace(ns: string): void {
    if (ns === '') {
      if (this.obj.metadata) delete this.obj.metadata.namespace;
    } else this.meta().namespace = ns;
  }
  meta(): NonNullable<KObject['metadata']> {
    if (!isPlainObject(this.obj.metadata)) this.obj.metadata = {};
    return this.obj.metadata!;
  }
  labels(): Record<string, unknown> {
    const l = this.obj.metadata?.labels;
    return isPlainObject(l) ? (l as Record<string, unknown>) : {};
  }
  annotations(): Record<string, unknown> {
    const a = this.obj.metadata?.annotations;
    return isPlainObject(a) ? (a as Record<string, unknown>) : {};
  }
  clone(): KRes {
    const r = new KRes(structuredClone(this.obj), this.origin);
    r.prevIds = [...this.prevIds];
    r.prefixes = [...this.prefixes];
    r.suffixes = [...this.suffixes];
    r.needsHash = this.needsHash;
    r.behavior = this.behavior;
    r.behaviorWritten = this.behaviorWritten;
    r.allowNameChange = this.allowNameChange;
    r.allowKindChange = this.allowKindChange;
    r.buildAnnotated = this.buildAnnotated;
    r.refVarNames = [...this.refVarNames];
    r.generatedBy = this.generatedBy;
    r.transformations = [...this.transformations];
    return r;
  }
}

/** An ordered set of resources with kustomize's id rules. */
export class ResMap {
  list: KRes[] = [];

  get size(): number {
    return this.list.length;
  }

  byCurrentId(id: ResId): KRes[] {
    return this.list.filter((r) => idEquals(r.curId(), id));
  }

  byAnyId(id: ResId): KRes[] {
    return this.list.filter((r) => [...r.prevIdsNow(), r.curId()].some((x) => idEquals(x, id)));
  }

  /** Append; an already registered current id is an error. */
  append(r: KRes, where?: string): void {
    const id = r.curId();
    if (this.byCurrentId(id).length > 0) {
      throw new InputError(`may not add resource with an already registered id: ${idString(id)}`, {
        pos: r.origin.file ? { file: r.origin.file, line: r.origin.line } : undefined,
        fieldPath: where,
      });
    }
    this.list.push(r);
  }

  appendAll(other: ResMap, where?: string): void {
    this.appendEach(other.list, where);
  }

  /**
   * Appends each resource in order, as repeated {@link append} calls would (the same error at the
   * same first duplicate), in time linear in the map's size: the current ids are indexed once, and
   * nothing can rename a resource between two appends of the batch.
   */
  appendEach(rs: Iterable<KRes>, where?: string): void {
    const ids = new Set(this.list.map((r) => idKey(r.curId())));
    for (const r of rs) {
      const key = idKey(r.curId());
      if (ids.has(key)) this.append(r, where);
      else {
        ids.add(key);
        this.list.push(r);
      }
    }
  }

  /** Generator output: create / merge / replace (kustomize's appendReplaceOrMerge). */
  absorb(r: KRes): void {
    const id = r.curId();
    const matches = this.byAnyId(id);
    if (matches.length === 0) {
      if (r.behavior === 'merge' || r.behavior === 'replace') {
        throw new InputError(`generator ${idLabel(id)}: id ${idString(id)} does not exist; cannot merge or replace`, {
          pos: { file: r.origin.file },
        });
      }
      this.append(r);
      return;
    }
    if (matches.length > 1) {
      throw new InputError(`found multiple objects that could accept merge of ${idString(id)}`, {
        pos: { file: r.origin.file },
      });
    }
    const old = matches[0]!;
    const idx = this.list.indexOf(old);
    if (r.behavior === 'create') {
      // kustomize v5.8.1's words (resmap/reswrangler.go names the behavior since v5.8)
      throw new InputError(
        `generator ${idLabel(id)}: id ${idString(id)} exists; can not use behavior: ` +
          `'${r.behaviorWritten ? 'create' : 'unspecified'}', behavior must be merge or replace`,
        {
          pos: { file: r.origin.file },
        },
      );
    }
    copyMergeMetaData(r, old);
    if (r.behavior === 'merge') {
      mergeMapField(r, old, 'data');
      mergeMapField(r, old, 'binaryData');
      r.origin = old.origin;
    }
    this.list[idx] = r;
  }
}

function stringMap(v: unknown): Record<string, unknown> {
  return isPlainObject(v) ? (v as Record<string, unknown>) : {};
}

/** CopyMergeMetaDataFieldsFrom(other): labels/annotations merged (r wins), name/namespace and build data from `old`. */
function copyMergeMetaData(r: KRes, old: KRes): void {
  const labels = { ...old.labels(), ...r.labels() };
  setMapOrDelete(r, 'labels', labels);
  const ann = { ...old.annotations(), ...r.annotations() };
  setMapOrDelete(r, 'annotations', ann);
  r.setName(old.name);
  r.setNamespace(old.namespace);
  r.prevIds = [...old.prevIds];
  r.prefixes = [...old.prefixes];
  r.suffixes = [...old.suffixes];
  r.refVarNames = [...old.refVarNames];
  // Build annotations come from the old resource; needsHashSuffix survives only if both had it
  // (mergeStringMapsWithBuildAnnotations then the enableNameSuffixHash check).
  r.needsHash = r.needsHash && old.needsHash;
  r.buildAnnotated = true;
}

function setMapOrDelete(r: KRes, field: 'labels' | 'annotations', m: Record<string, unknown>): void {
  if (Object.keys(m).length === 0) {
    if (r.obj.metadata) delete r.obj.metadata[field];
  } else {
    (r.meta() as Record<string, unknown>)[field] = m;
  }
}

function mergeMapField(r: KRes, old: KRes, field: 'data' | 'binaryData'): void {
  const m = { ...stringMap(old.obj[field]), ...stringMap(r.obj[field]) };
  if (Object.keys(m).length === 0) delete r.obj[field];
  else r.obj[field] = m;
}
