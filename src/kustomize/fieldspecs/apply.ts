/**
 * Walking a fieldSpec path (`spec/template/spec/containers[]/image`) through an object, as
 * kustomize's `api/filters/fieldspec` does: lists on the way are visited element by element,
 * `[]` marks a list field, missing fields are created only when `create` is set.
 */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { isPlainObject } from '../../resources/resource.js';
import { gvkOf } from '../resmap.js';
import type { FieldSpec } from './index.js';

/** A place holding a value: read it and replace it. */
export interface Slot {
  get(): unknown;
  set(v: unknown): void;
  /** The containing map, for setters that need siblings (name references with namespace). */
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

export type CreateKind = 'map' | 'scalar' | 'seq';

export function fieldSpecMatches(fs: FieldSpec, obj: KObject): boolean {
  const g = gvkOf(obj);
  if (fs.kind && fs.kind !== g.kind) return false;
  if (fs.group && fs.group !== g.group) return false;
  if (fs.version && fs.version !== g.version) return false;
  return true;
}

/** Splits a path on `/`, keeping `[...]` groups whole (kustomize's PathSplitter). */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '/' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Calls `set` on every slot the fieldSpec reaches in `obj` (when its GVK matches).
 * `createKind` is what to create at the last segment when `fs.create` is set.
 */
export function applyFieldSpec(
  obj: KObject,
  fs: FieldSpec,
  createKind: CreateKind | undefined,
  set: (slot: Slot) => void,
): void {
  if (!fieldSpecMatches(fs, obj)) return;
  const path = splitPath(fs.path);
  const root: Slot = {
    get: () => obj,
    set: () => {
      throw new InputError('cannot replace a whole object through a fieldSpec');
    },
    parent: [],
    key: 0,
  };
  walk(root, path, fs, createKind, set);
}

function walk(
  slot: Slot,
  path: string[],
  fs: FieldSpec,
  createKind: CreateKind | undefined,
  set: (slot: Slot) => void,
): void {
  if (path.length === 0) {
    set(slot);
    return;
  }
  const node = slot.get();
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    node.forEach((_, i) => {
      walk({ get: () => node[i], set: (v) => (node[i] = v), parent: node, key: i }, path, fs, createKind, set);
    });
    return;
  }
  if (!isPlainObject(node)) {
    throw new InputError(`considering field '${fs.path}': expected sequence or mapping node`);
  }
  const seg = path[0]!;
  const isSeq = seg.endsWith('[]');
  const field = isSeq ? seg.slice(0, -2) : seg;
  if (field === '') throw new InputError(`considering field '${fs.path}': cannot set or create an empty field name`);
  const rest = path.slice(1);
  const map = node;
  if (!fs.create || createKind === undefined || isSeq) {
    if (!(field in map)) return;
  } else {
    const kind: CreateKind = rest.length === 0 ? createKind : 'map';
    if (!(field in map) || map[field] === null) {
      map[field] = kind === 'map' ? {} : kind === 'seq' ? [] : kind === 'scalar' ? '' : null;
    }
  }
  walk({ get: () => map[field], set: (v) => (map[field] = v), parent: map, key: field }, rest, fs, createKind, set);
}
