/**
 * Flux's kustomization generator (fluxcd/pkg kustomize_generator.go): the kustomization that
 * kustomize-controller builds for a Flux Kustomization's path. Pure: reads the artifact, returns
 * the kustomization as data, writes nothing.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import type { FluxKustomizationSpec } from '../types.js';
import { findKustomizationFile, scanManifests } from './scan-manifests.js';
import { readKustomizationLenient, type KustomizationData } from './read-kustomization.js';
import { OVERRIDES } from './overrides/index.js';

export interface GeneratedKustomization {
  /** The kustomization to build the directory with (pass as KustomizeOptions.rootKustomization). */
  readonly kustomization: KustomizationData;
  /** `unchanged`: the directory had a kustomization file; `created`: Flux generated one. */
  readonly action: 'created' | 'unchanged';
  /** Artifact-relative path of the kustomization file read, or of the one Flux would write. */
  readonly file: string;
  /** Unknown top-level fields Flux silently dropped from the file. */
  readonly droppedFields: readonly string[];
}

/**
 * Generates the kustomization for `dir` (artifact-relative) and applies the Flux spec overrides.
 * Throws InputError (bad YAML in a scanned file, bad spec field, remote component).
 */
export function generateKustomization(
  fs: RepoFs,
  dir: string,
  spec: FluxKustomizationSpec = {},
): GeneratedKustomization {
  if (!fs.isDir(dir)) {
    throw new InputError(`kustomization path not found: '${dir || '.'}'`, {
      pos: { file: dir || '.' },
      fieldPath: 'spec.path',
    });
  }
  const existing = findKustomizationFile(fs, dir);
  let k: KustomizationData;
  let action: 'created' | 'unchanged';
  let dropped: string[] = [];
  let file: string;
  if (existing) {
    const r = readKustomizationLenient(fs, existing);
    k = r.kustomization;
    dropped = r.dropped;
    action = 'unchanged';
    file = existing;
    // Avoids kustomize's "kustomization.yaml is empty" error.
    if (!Array.isArray(k.resources) || k.resources.length === 0) k.buildMetadata = ['originAnnotations'];
  } else {
    const resources = scanManifests(fs, dir);
    k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
    if (resources.length === 0) k.namespace = '_placeholder';
    else k.resources = resources;
    action = 'created';
    file = dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml';
  }
  for (const o of OVERRIDES) o.apply(k, { spec, fs, dir });
  return { kustomization: orderFields(k), action, file, droppedFields: dropped };
}

/** Go marshals struct fields in declaration order; keep that order so output is stable. */
const FIELD_ORDER = [
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
];
function orderFields(k: KustomizationData): KustomizationData {
  const out: KustomizationData = {};
  for (const f of FIELD_ORDER) if (k[f] !== undefined) out[f] = k[f];
  return out;
}

export {
  findKustomizationFile,
  scanManifests,
  checkKubernetesYaml,
  KUSTOMIZATION_FILE_NAMES,
} from './scan-manifests.js';
export { readKustomizationLenient, KUSTOMIZATION_FIELDS, type KustomizationData } from './read-kustomization.js';
export { isLocalRelativePath } from './local-path.js';
export { OVERRIDES } from './overrides/index.js';
