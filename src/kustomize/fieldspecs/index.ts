/**
 * Transformer configuration: which fields each transformer touches (kustomize's
 * TransformerConfig). The defaults come from kustomize's builtin tables, kept as data in
 * data/kustomize-fieldspecs/ (one file per upstream Go file, read once); the `configurations:`
 * files of a kustomization are merged on top.
 */
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from '../../package-root.js';

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
    if (!isPlainObject(doc.value))
      throw new InputError('a transformer configuration must be a map', { pos: { file, line: doc.line } });
    for (const [k, v] of Object.entries(doc.value)) {
      const key = KEYS[k];
      if (!key)
        throw new InputError(`unknown field "${k}" in transformer configuration`, {
          pos: { file, line: doc.posOf([k]).line },
        });
      if (v === null) continue;
      if (!Array.isArray(v))
        throw new InputError(`${k}: expected a list`, { pos: { file, line: doc.posOf([k]).line } });
      if (key === 'nameReference') {
        for (const [i, e] of v.entries()) {
          if (!isPlainObject(e)) throw new InputError(`${k}[${i}]: expected a map`, { pos: { file } });
          const fss = Array.isArray(e.fieldSpecs)
            ? e.fieldSpecs.map((f, j) => fieldSpecOf(f, file, `${k}[${i}].fieldSpecs[${j}]`))
            : [];
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

function gvkSelectedBy(x: FieldSpec, sel: FieldSpec): boolean {
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return true;
}

/**
 * FsSlice.MergeAll: adds the specs of `b` that are not "effectively" present in `a` (an entry
 * with the same path whose GVK the incoming spec's GVK selects); a conflicting `create` is an
 * error. So a kind-less default spec merged after a kinded custom spec on the same path is
 * dropped (observed with kubectl kustomize: a custom `namePrefix: [{path: metadata/name,
 * kind: Foo}]` stops the prefixing of every other kind).
 */
export function mergeFieldSpecs(a: readonly FieldSpec[], b: readonly FieldSpec[]): FieldSpec[] {
  const out = [...a];
  for (const f of b) {
    const i = out.findIndex((x) => gvkSelectedBy(x, f) && x.path === f.path);
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
  // changes nothing (the common case).
  if (a === b || ((b === defaults || b === dedupedDefaults) && containsDefaults.has(a))) return a;
  // Results of merges are already de-duplicated, so merging one into nothing is the identity.
  if (isEmpty(a) && b !== defaults && containsDefaults.has(b)) return b;
  const out = emptyConfig();
  for (const key of Object.values(KEYS)) {
    if (key === 'nameReference') continue;
    (out[key] as FieldSpec[]) = mergeFieldSpecs(a[key] as FieldSpec[], b[key] as FieldSpec[]);
  }
  const refs: NameBackReference[] = a.nameReference.map((r) => ({ ...r, fieldSpecs: [...r.fieldSpecs] }));
  for (const r of b.nameReference) {
    const i = refs.findIndex(
      (x) => (x.group ?? '') === (r.group ?? '') && (x.version ?? '') === (r.version ?? '') && x.kind === r.kind,
    );
    if (i < 0) refs.push({ ...r, fieldSpecs: [...r.fieldSpecs] });
    else refs[i] = { ...refs[i]!, fieldSpecs: mergeFieldSpecs(refs[i]!.fieldSpecs, r.fieldSpecs) };
  }
  out.nameReference = refs;
  if (containsDefaults.has(a) || containsDefaults.has(b)) containsDefaults.add(out);
  return out;
}

function isEmpty(c: TransformerConfig): boolean {
  return Object.values(KEYS).every((k) => (c[k] as unknown[]).length === 0);
}

/**
 * The configuration one kustomization level contributes (kustomize MakeTransformerConfig): the
 * builtin defaults, or, with `configurations:`, the custom specs with the defaults merged after
 * them (custom entries win, see mergeFieldSpecs).
 */
export function levelConfig(custom: TransformerConfig | undefined): TransformerConfig {
  if (!custom) {
    dedupedDefaults ??= mergeConfig(emptyConfig(), defaultConfig());
    return dedupedDefaults;
  }
  return mergeConfig(custom, defaultConfig());
}

let dedupedDefaults: TransformerConfig | undefined;

/** Configs known to include the builtin defaults (so merging the defaults again is a no-op). */
const containsDefaults = new WeakSet<TransformerConfig>();

let defaults: TransformerConfig | undefined;

/** The builtin tables (data/kustomize-fieldspecs/NAME.yaml), in the order kustomize joins them. */
const BUILTIN_TABLES = [
  'nameprefix',
  'namesuffix',
  'commonlabels',
  'templatelabels',
  'commonannotations',
  'namespace',
  'varreference',
  'namereference',
  'images',
  'replicas',
] as const;

/** The builtin configuration (parsed once; callers must not mutate it). */
export function defaultConfig(): TransformerConfig {
  if (!defaults) {
    const text = BUILTIN_TABLES.map((name) =>
      readFileSync(join(dataFile('kustomize-fieldspecs'), `${name}.yaml`), 'utf8'),
    );
    // kustomize reads the joined tables in one go (no de-duplication), so concatenate.
    const cfg = emptyConfig();
    for (const t of text) {
      const part = parseTransformerConfig(t, 'builtin');
      for (const key of Object.values(KEYS)) (cfg[key] as unknown[]).push(...(part[key] as unknown[]));
    }
    defaults = cfg;
    containsDefaults.add(cfg);
  }
  return defaults;
}
