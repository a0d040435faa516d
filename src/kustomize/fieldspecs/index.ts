/**
 * Transformer configuration: which fields each transformer touches (kustomize's
 * TransformerConfig). The defaults come from the builtin tables (builtin-tables.ts); the
 * `configurations:` files of a kustomization are merged on top.
 */
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import * as T from './builtin-tables.js';

export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
  readonly create?: boolean;
}

export interface NameBackReference {
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  nameSpace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  labels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReference[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

const KEYS: Record<string, keyof TransformerConfig> = {
  namePrefix: 'namePrefix',
  nameSuffix: 'nameSuffix',
  namespace: 'nameSpace',
  commonLabels: 'commonLabels',
  templateLabels: 'templateLabels',
  labels: 'labels',
  commonAnnotations: 'commonAnnotations',
  nameReference: 'nameReference',
  varReference: 'varReference',
  images: 'images',
  replicas: 'replicas',
};

export function emptyConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    nameSpace: [],
    commonLabels: [],
    templateLabels: [],
    labels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}

function fieldSpecOf(v: unknown, file: string, where: string): FieldSpec {
  if (!isPlainObject(v)) throw new InputError(`${where}: a fieldSpec must be a map`, { pos: { file } });
  const allowed = new Set(['group', 'version', 'kind', 'path', 'create']);
  for (const k of Object.keys(v)) {
    if (!allowed.has(k)) throw new InputError(`${where}: unknown field "${k}" in fieldSpec`, { pos: { file } });
  }
  const s = (k: string): string | undefined => {
    const x = v[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'string') throw new InputError(`${where}.${k}: expected a string`, { pos: { file } });
    return x;
  };
  const create = v.create;
  if (create !== undefined && create !== null && typeof create !== 'boolean') {
    throw new InputError(`${where}.create: expected a boolean`, { pos: { file } });
  }
  return { group: s('group'), version: s('version'), kind: s('kind'), path: s('path') ?? '', create: create === true };
}

/** Parses a TransformerConfig YAML text (the builtin tables or a `configurations:` file). */
export function parseTransformerConfig(text: string, file: string): TransformerConfig {
  const cfg = emptyConfig();
  for (const doc of parseGoYaml(text, file, { dialect: 'v2' })) {
    if (!isPlainObject(doc.value)) throw new InputError('a transformer configuration must be a map', { pos: { file, line: doc.line } });
    for (const [k, v] of Object.entries(doc.value)) {
      const key = KEYS[k];
      if (!key) throw new InputError(`unknown field "${k}" in transformer configuration`, { pos: { file, line: doc.posOf([k]).line } });
      if (v === null) continue;
      if (!Array.isArray(v)) throw new InputError(`${k}: expected a list`, { pos: { file, line: doc.posOf([k]).line } });
      if (key === 'nameReference') {
        for (const [i, e] of v.entries()) {
          if (!isPlainObject(e)) throw new InputError(`${k}[${i}]: expected a map`, { pos: { file } });
          const fss = Array.isArray(e.fieldSpecs) ? e.fieldSpecs.map((f, j) => fieldSpecOf(f, file, `${k}[${i}].fieldSpecs[${j}]`)) : [];
          cfg.nameReference.push({
            group: typeof e.group === 'string' ? e.group : undefined,
            version: typeof e.version === 'string' ? e.version : undefined,
            kind: typeof e.kind === 'string' ? e.kind : '',
            fieldSpecs: fss,
          });
        }
      } else {
        (cfg[key] as FieldSpec[]).push(...v.map((f, i) => fieldSpecOf(f, file, `${k}[${i}]`)));
      }
    }
  }
  return cfg;
}

function fsKey(f: FieldSpec): string {
  return `${f.group ?? ''}|${f.version ?? ''}|${f.kind ?? ''}|${f.path}`;
}

/** FsSlice.MergeAll: adds specs not already present (same gvk+path); conflicting `create` is an error. */
export function mergeFieldSpecs(a: readonly FieldSpec[], b: readonly FieldSpec[]): FieldSpec[] {
  const out = [...a];
  for (const f of b) {
    const i = out.findIndex((x) => fsKey(x) === fsKey(f));
    if (i < 0) out.push(f);
    else if ((out[i]!.create ?? false) !== (f.create ?? false)) {
      throw new InputError(`conflicting fieldspecs for path '${f.path}' (kind '${f.kind ?? ''}'): create differs`);
    }
  }
  return out;
}

/** TransformerConfig.Merge: field lists merged; nameReference merged by referral GVK. */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  // Merging a config into itself, or the builtin defaults into a config that already holds them,
  // changes nothing (the common case: every accumulator starts from the defaults).
  if (a === b || (b === defaults && containsDefaults.has(a))) return a;
  const out = emptyConfig();
  for (const key of Object.values(KEYS)) {
    if (key === 'nameReference') continue;
    (out[key] as FieldSpec[]) = mergeFieldSpecs(a[key] as FieldSpec[], b[key] as FieldSpec[]);
  }
  const refs: NameBackReference[] = a.nameReference.map((r) => ({ ...r, fieldSpecs: [...r.fieldSpecs] }));
  for (const r of b.nameReference) {
    const i = refs.findIndex((x) => (x.group ?? '') === (r.group ?? '') && (x.version ?? '') === (r.version ?? '') && x.kind === r.kind);
    if (i < 0) refs.push({ ...r, fieldSpecs: [...r.fieldSpecs] });
    else refs[i] = { ...refs[i]!, fieldSpecs: mergeFieldSpecs(refs[i]!.fieldSpecs, r.fieldSpecs) };
  }
  out.nameReference = refs;
  if (containsDefaults.has(a) || containsDefaults.has(b)) containsDefaults.add(out);
  return out;
}

/** Configs known to include the builtin defaults (so merging the defaults again is a no-op). */
const containsDefaults = new WeakSet<TransformerConfig>();

let defaults: TransformerConfig | undefined;

/** The builtin configuration (parsed once; callers must not mutate it). */
export function defaultConfig(): TransformerConfig {
  if (!defaults) {
    const text = [
      T.namePrefixFieldSpecs,
      T.nameSuffixFieldSpecs,
      T.commonLabelFieldSpecs,
      T.templateLabelFieldSpecs,
      T.commonAnnotationFieldSpecs,
      T.namespaceFieldSpecs,
      T.varReferenceFieldSpecs,
      T.nameReferenceFieldSpecs,
      T.imagesFieldSpecs,
      T.replicasFieldSpecs,
    ];
    let cfg = emptyConfig();
    for (const t of text) cfg = mergeConfig(cfg, parseTransformerConfig(t, 'builtin'));
    defaults = cfg;
    containsDefaults.add(cfg);
  }
  return defaults;
}
