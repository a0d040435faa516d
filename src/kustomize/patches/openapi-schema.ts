/**
 * The slice of the Kubernetes v1.21.2 OpenAPI schema that kustomize's strategic merge (kyaml
 * merge2) consults: which built-in kinds have a schema, the field -> type graph down to every list
 * with a patch strategy, and each such list's strategy and merge keys.
 *
 * Data files (read once, at module load, from the package root's `data/` folder):
 * - `data/openapi-k8s-1.21.2-types.json`: kinds and the type graph (see data/README.md for its
 *   source and how it is regenerated);
 * - `data/merge-keys-k8s-1.21.2.tsv`: the patch strategy and merge keys per `definition.field`.
 */
import { readFileSync } from 'node:fs';
import { InternalError } from '../../errors.js';
import { dataFile } from '../../package-root.js';

/** What the schema says about one node of a resource. `undefined` (no schema) is a separate case. */
export type Schema =
  /** An object type from the graph: its fields may lead to merge-keyed lists. */
  | { readonly kind: 'object'; readonly def: string }
  /** A map (additionalProperties) whose values are of an object type from the graph. */
  | { readonly kind: 'map'; readonly def: string }
  /** A list with a patch strategy; `keys` empty = a primitive (set-like) list such as finalizers. */
  | { readonly kind: 'list'; readonly strategy: string; readonly keys: readonly string[]; readonly item: Schema }
  /** A known field with nothing merge-relevant below it: every list under it is replaced. */
  | { readonly kind: 'opaque' };

type FieldRef = 0 | { t: string } | { m: string } | { a: string | 0 };
interface TypesFile {
  kinds: Record<string, string>;
  types: Record<string, Record<string, FieldRef>>;
}
interface ListStrategy {
  readonly strategy: string;
  readonly keys: readonly string[];
}
interface SchemaTables {
  readonly kinds: ReadonlyMap<string, string>;
  readonly types: ReadonlyMap<string, ReadonlyMap<string, FieldRef>>;
  readonly strategies: ReadonlyMap<string, ListStrategy>;
}

const TYPES_FILE = 'openapi-k8s-1.21.2-types.json';
const MERGE_KEYS_FILE = 'merge-keys-k8s-1.21.2.tsv';

function loadTables(): SchemaTables {
  const file = JSON.parse(readFileSync(dataFile(TYPES_FILE), 'utf8')) as TypesFile;
  const strategies = new Map<string, ListStrategy>();
  const lines = readFileSync(dataFile(MERGE_KEYS_FILE), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [def, field, strategy = '', mergeKey = '', mapKeys = ''] = line.split('\t');
    const keys = mapKeys ? mapKeys.split(',') : mergeKey ? [mergeKey] : [];
    strategies.set(`${def}.${field}`, Object.freeze({ strategy, keys: Object.freeze(keys) }));
  }
  const types = new Map<string, ReadonlyMap<string, FieldRef>>();
  for (const [def, fields] of Object.entries(file.types)) {
    for (const [field, ref] of Object.entries(fields)) {
      if (ref !== 0 && 'a' in ref && !strategies.has(`${def}.${field}`)) {
        throw new InternalError(`data/${TYPES_FILE}: list ${def}.${field} has no row in data/${MERGE_KEYS_FILE}`);
      }
    }
    types.set(def, new Map(Object.entries(fields)));
  }
  return { kinds: new Map(Object.entries(file.kinds)), types, strategies };
}

/** Loaded once; never mutated. */
const TABLES: SchemaTables = loadTables();
const OPAQUE: Schema = Object.freeze({ kind: 'opaque' });

function objectOrOpaque(def: string): Schema {
  return TABLES.types.has(def) ? { kind: 'object', def } : OPAQUE;
}

/** The schema of a resource of this apiVersion and kind, or undefined (CRDs and unknown kinds). */
export function schemaForKind(apiVersion: unknown, kind: unknown): Schema | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  const def = TABLES.kinds.get(`${apiVersion} ${kind}`);
  return def === undefined ? undefined : objectOrOpaque(def);
}

/** The schema of field `name` of a map node with schema `s` (kyaml `ResourceSchema.Field`). */
export function fieldSchema(s: Schema | undefined, name: string): Schema | undefined {
  if (s === undefined) return undefined;
  switch (s.kind) {
    case 'opaque':
      return OPAQUE;
    case 'list':
      return undefined;
    case 'map':
      return objectOrOpaque(s.def);
    case 'object': {
      const ref = TABLES.types.get(s.def)?.get(name);
      if (ref === undefined) return undefined;
      if (ref === 0) return OPAQUE;
      if ('t' in ref) return objectOrOpaque(ref.t);
      if ('m' in ref) return { kind: 'map', def: ref.m };
      const st = TABLES.strategies.get(`${s.def}.${name}`)!;
      return { kind: 'list', strategy: st.strategy, keys: st.keys, item: ref.a === 0 ? OPAQUE : objectOrOpaque(ref.a) };
    }
  }
}

/** The schema of the items of a list (kyaml `ResourceSchema.Elements`). */
export function elementSchema(s: Schema | undefined): Schema | undefined {
  if (s === undefined) return undefined;
  if (s.kind === 'list') return s.item;
  if (s.kind === 'opaque') return OPAQUE;
  return undefined;
}

/** A list is merged element by element only when its schema has the `merge` patch strategy. */
export function isAssociative(s: Schema | undefined): s is Extract<Schema, { kind: 'list' }> {
  return s !== undefined && s.kind === 'list' && s.strategy.split(',').includes('merge');
}
