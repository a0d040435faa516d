/**
 * Flux reads an existing kustomization file leniently: it is unmarshalled into kustomize's
 * `types.Kustomization` and marshalled again, so unknown fields are silently dropped (kustomize
 * alone would reject them) and empty fields disappear. The file is read as YAML 1.1 (go-yaml v2).
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { isPlainObject } from '../../resources/resource.js';

/** The JSON fields of kustomize api/types.Kustomization (v5.8). */
export const KUSTOMIZATION_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
] as const;

const STRING_FIELDS = ['namePrefix', 'nameSuffix', 'namespace', 'apiVersion', 'kind'];
const STRING_LIST_FIELDS = [
  'resources',
  'components',
  'crds',
  'bases',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
  'patchesStrategicMerge',
];
const STRING_MAP_FIELDS = ['commonLabels', 'commonAnnotations'];

export type KustomizationData = Record<string, unknown>;

/** Reads and leniently decodes a kustomization file. Fields with wrong types are InputErrors. */
export function readKustomizationLenient(
  fs: RepoFs,
  file: string,
): { kustomization: KustomizationData; dropped: string[] } {
  const docs = parseYamlDocuments(fs.readFile(file), file, { version: '1.1' });
  const first = docs[0];
  const raw = first?.value ?? {};
  if (!isPlainObject(raw)) {
    throw new InputError('a kustomization file must be a map of fields', { pos: { file, line: first?.line } });
  }
  const out: KustomizationData = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
  const dropped: string[] = [];
  const bad = (field: string, want: string): never => {
    const p = first?.posOf(field.split('.'));
    throw new InputError(`expected ${want}`, { pos: { file, line: p?.line, column: p?.column }, fieldPath: field });
  };
  for (const [k, v] of Object.entries(raw)) {
    if (!(KUSTOMIZATION_FIELDS as readonly string[]).includes(k)) {
      dropped.push(k);
      continue;
    }
    if (v === null || v === undefined) continue;
    if (STRING_FIELDS.includes(k) && typeof v !== 'string') bad(k, 'a string');
    if (STRING_LIST_FIELDS.includes(k)) {
      if (!Array.isArray(v)) bad(k, 'a list of strings');
      (v as unknown[]).forEach((x, i) => typeof x !== 'string' && bad(`${k}.${i}`, 'a string'));
    }
    if (STRING_MAP_FIELDS.includes(k)) {
      if (!isPlainObject(v)) bad(k, 'a map of strings');
      for (const [mk, mv] of Object.entries(v as object))
        if (typeof mv !== 'string') bad(`${k}.${mk}`, `a string (YAML 1.1 reads ${JSON.stringify(mv)}: quote it)`);
    }
    if (isEmpty(v)) continue;
    out[k] = v;
  }
  return { kustomization: out, dropped };
}

/** Go's omitempty: empty strings, lists and maps are left out when marshalling. */
export function isEmpty(v: unknown): boolean {
  return (
    v === '' ||
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (isPlainObject(v) && Object.keys(v).length === 0)
  );
}
