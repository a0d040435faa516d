/**
 * Reading one kustomization file: the accepted file names, YAML 1.1 typing (sigs.k8s.io/yaml,
 * go-yaml v2), strict decoding (unknown fields and wrong types are errors, field names match
 * case-insensitively as Go's encoding/json does), FixKustomization, CheckEmpty and EnforceFields.
 */
import { InputError } from '../errors.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { isPlainObject } from '../resources/resource.js';
import { parseGoYaml, type GoDoc } from '../yaml/go-yaml.js';
import type { FieldSpec } from './fieldspecs/index.js';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchArgs {
  path?: string;
  patch?: string;
  target?: Selector;
  /** kustomize v5.8's types.PatchArgs (v5.7.1 took any map of booleans). */
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  files?: string[];
  literals?: string[];
  envs?: string[];
  env?: string;
  options?: GeneratorOptions;
  type?: string;
}

export interface Image {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export interface Label {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface Replica {
  name?: string;
  count?: number;
}

export interface Var {
  name: string;
  objref: { kind?: string; name?: string; apiVersion?: string; group?: string; version?: string; namespace?: string };
  fieldref?: { fieldpath?: string };
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: Label[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchArgs[];
  patches?: PatchArgs[];
  images?: Image[];
  imageTags?: Image[];
  replacements?: Record<string, unknown>[];
  replicas?: Replica[];
  vars?: Var[];
  sortOptions?: { order?: string; legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] } };
  resources?: string[];
  components?: string[];
  crds?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  helmGlobals?: Record<string, unknown>;
  helmCharts?: Record<string, unknown>[];
  helmChartInflationGenerator?: Record<string, unknown>[];
  generatorOptions?: GeneratorOptions;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
}

/** A loaded kustomization: the fixed object, where it came from, and positions for messages. */
export interface LoadedKustomization {
  readonly k: Kustomization;
  /** Repo-relative file path ('' plus dir when given in memory). */
  readonly file: string;
  readonly dir: string;
  /** Line of a top-level field, for messages. */
  lineOf(path: (string | number)[]): number | undefined;
}

type Spec = 'string' | 'bool' | 'int' | 'any' | { list: Spec } | { map: Spec } | { obj: Record<string, Spec> };

const S = 'string' as const;
const B = 'bool' as const;
const strList: Spec = { list: S };
const strMap: Spec = { map: S };
const fieldSpec: Spec = { obj: { group: S, version: S, kind: S, path: S, create: B } };
const selector: Spec = {
  obj: { group: S, version: S, kind: S, name: S, namespace: S, labelSelector: S, annotationSelector: S },
};
const patch: Spec = {
  obj: { path: S, patch: S, target: selector, options: { obj: { allowNameChange: B, allowKindChange: B } } },
};
const genOptions: Spec = { obj: { labels: strMap, annotations: strMap, disableNameSuffixHash: B, immutable: B } };
const genArgs: Record<string, Spec> = {
  name: S,
  namespace: S,
  behavior: S,
  files: strList,
  literals: strList,
  envs: strList,
  env: S,
  options: genOptions,
};
const image: Spec = { obj: { name: S, newName: S, newTag: S, digest: S, tagSuffix: S } };
const replSelector: Spec = {
  obj: { group: S, version: S, kind: S, name: S, namespace: S, labelSelector: S, annotationSelector: S },
};
const replacement: Spec = {
  obj: {
    path: S,
    sourceValue: S,
    source: {
      obj: {
        group: S,
        version: S,
        kind: S,
        name: S,
        namespace: S,
        fieldPath: S,
        options: { obj: { delimiter: S, index: 'int', encoding: S, create: B } },
      },
    },
    targets: {
      list: {
        obj: {
          select: replSelector,
          reject: { list: replSelector },
          fieldPaths: strList,
          options: { obj: { delimiter: S, index: 'int', encoding: S, create: B } },
        },
      },
    },
  },
};

const KUSTOMIZATION_SPEC: Record<string, Spec> = {
  apiVersion: S,
  kind: S,
  metadata: 'any',
  openapi: strMap,
  namePrefix: S,
  nameSuffix: S,
  namespace: S,
  commonLabels: strMap,
  labels: { list: { obj: { pairs: strMap, includeSelectors: B, includeTemplates: B, fields: { list: fieldSpec } } } },
  commonAnnotations: strMap,
  patchesStrategicMerge: strList,
  patchesJson6902: { list: patch },
  patches: { list: patch },
  images: { list: image },
  imageTags: { list: image },
  replacements: { list: replacement },
  replicas: { list: { obj: { name: S, count: 'int' } } },
  vars: {
    list: {
      obj: {
        name: S,
        objref: { obj: { kind: S, name: S, apiVersion: S, group: S, version: S, namespace: S } },
        fieldref: { obj: { fieldpath: S } },
      },
    },
  },
  sortOptions: { obj: { order: S, legacySortOptions: { obj: { orderFirst: strList, orderLast: strList } } } },
  resources: strList,
  components: strList,
  crds: strList,
  bases: strList,
  configMapGenerator: { list: { obj: genArgs } },
  secretGenerator: { list: { obj: { ...genArgs, type: S } } },
  helmGlobals: 'any',
  helmCharts: { list: 'any' },
  helmChartInflationGenerator: { list: 'any' },
  generatorOptions: genOptions,
  configurations: strList,
  generators: strList,
  transformers: strList,
  validators: strList,
  buildMetadata: strList,
};

function goType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  return typeof v;
}

/**
 * Decodes `v` against `spec` as Go's json.Decoder with DisallowUnknownFields would: wrong types
 * and unknown fields are errors; null leaves the zero value; keys match case-insensitively.
 */
function decode(
  v: unknown,
  spec: Spec,
  path: (string | number)[],
  err: (path: (string | number)[], msg: string) => never,
): unknown {
  if (v === null || v === undefined) return undefined;
  const where = path.join('.');
  if (spec === 'any') return v;
  if (spec === 'string') {
    if (typeof v !== 'string')
      err(path, `cannot unmarshal ${goType(v)} into a string field (${where}); quote the value`);
    return v;
  }
  if (spec === 'bool') {
    if (typeof v !== 'boolean') err(path, `cannot unmarshal ${goType(v)} into a bool field (${where})`);
    return v;
  }
  if (spec === 'int') {
    if (typeof v !== 'number' || !Number.isInteger(v))
      err(path, `cannot unmarshal ${goType(v)} into an int field (${where})`);
    return v;
  }
  if ('list' in spec) {
    if (!Array.isArray(v)) err(path, `cannot unmarshal ${goType(v)} into a list field (${where})`);
    return v.map((x, i) => {
      const d = decode(x, spec.list, [...path, i], err);
      return d === undefined ? (spec.list === 'string' ? '' : spec.list === 'any' ? null : {}) : d;
    });
  }
  if ('map' in spec) {
    if (!isPlainObject(v)) err(path, `cannot unmarshal ${goType(v)} into a map field (${where})`);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const d = decode(x, spec.map, [...path, k], err);
      out[k] = d === undefined ? (spec.map === 'string' ? '' : spec.map === 'bool' ? false : null) : d;
    }
    return out;
  }
  if (!isPlainObject(v)) err(path, `cannot unmarshal ${goType(v)} into an object field (${where})`);
  const out: Record<string, unknown> = {};
  const lower = new Map(Object.keys(spec.obj).map((k) => [k.toLowerCase(), k]));
  for (const [k, x] of Object.entries(v)) {
    const canon = k in spec.obj ? k : lower.get(k.toLowerCase());
    if (!canon)
      err([...path, k], `unknown field "${k}"${path.length ? ` in ${where}` : ''} (kustomize rejects unknown fields)`);
    const d = decode(x, spec.obj[canon]!, [...path, k], err);
    if (d !== undefined) out[canon] = d;
  }
  return out;
}

/** Finds the kustomization file in `dir`; undefined when there is none. Several = error. */
export function findKustomizationFile(fs: RepoFs, dir: string): string | undefined {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => fs.isFile(join(dir, n)));
  if (found.length > 1) {
    throw new InputError(
      `Found multiple kustomization files under: ${dir || '.'} (${found.join(', ')}); keep exactly one`,
      {
        pos: { file: join(dir, found[1]!) },
      },
    );
  }
  return found.length === 1 ? join(dir, found[0]!) : undefined;
}

export function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Reads, decodes, fixes and checks the kustomization of `dir` (or `inline` when given). */
export function loadKustomization(fs: RepoFs, dir: string, inline?: Record<string, unknown>): LoadedKustomization {
  let raw: unknown;
  let file: string;
  let doc: GoDoc | undefined;
  if (inline) {
    raw = inline;
    file = join(dir, 'kustomization.yaml');
  } else {
    const f = findKustomizationFile(fs, dir);
    if (!f) {
      throw new InputError(
        `unable to find one of 'kustomization.yaml', ` +
          `'kustomization.yml' or 'Kustomization' in directory '${dir || '.'}'`,
        { pos: { file: dir || '.' } },
      );
    }
    file = f;
    const docs = parseGoYaml(fs.readFile(f), f, { dialect: 'v2' });
    if (docs.length > 1) {
      throw new InputError('a kustomization file must hold one YAML document', {
        pos: { file: f, line: docs[1]!.line },
      });
    }
    doc = docs[0];
    raw = doc?.value ?? {};
  }
  const lineOf = (path: (string | number)[]) => (doc ? doc.posOf(path).line : undefined);
  const err = (path: (string | number)[], msg: string): never => {
    const p = /unknown field/.test(msg) ? doc?.keyPosOf(path) : doc?.posOf(path);
    throw new InputError(`invalid Kustomization: ${msg}`, {
      pos: { file, line: p?.line, column: p?.column },
      fieldPath: path.length ? path.join('.') : undefined,
    });
  };
  if (!isPlainObject(raw)) err([], `expected a map, got ${goType(raw)}`);
  const k = decode(raw, { obj: KUSTOMIZATION_SPEC }, [], err) as Kustomization;

  // FixKustomization
  const kindGiven = k.kind;
  if (!k.kind) k.kind = 'Kustomization';
  if (!k.apiVersion)
    k.apiVersion = k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (k.bases) {
    k.resources = [...(k.resources ?? []), ...k.bases];
    delete k.bases;
  }
  if (k.imageTags) {
    k.images = [...(k.images ?? []), ...k.imageTags];
    delete k.imageTags;
  }
  for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    if (g.env) {
      g.envs = [...(g.envs ?? []), g.env];
      delete g.env;
    }
  }
  if (k.helmChartInflationGenerator && k.helmChartInflationGenerator.length > 0) {
    k.helmCharts = [...(k.helmCharts ?? []), ...k.helmChartInflationGenerator];
  }
  delete k.helmChartInflationGenerator;

  // CheckEmpty: nothing but apiVersion/kind.
  const meaningful = Object.keys(k).filter((x) => x !== 'apiVersion' && x !== 'kind');
  if (meaningful.length === 0) {
    throw new InputError('kustomization.yaml is empty', { pos: { file } });
  }
  // EnforceFields
  if (k.kind !== 'Kustomization' && k.kind !== 'Component') {
    err(['kind'], `kind should be Kustomization or Component, not '${kindGiven}'`);
  }
  if (k.kind === 'Component' && k.apiVersion !== 'kustomize.config.k8s.io/v1alpha1') {
    err(['apiVersion'], `apiVersion for Component should be kustomize.config.k8s.io/v1alpha1, not '${k.apiVersion}'`);
  }
  if (k.kind === 'Kustomization' && k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    err(
      ['apiVersion'],
      `apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1, not '${k.apiVersion}'`,
    );
  }
  return { k, file, dir, lineOf };
}
