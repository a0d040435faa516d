/**
 * The parts of the Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1, v1beta2) that the
 * offline build reads. Values come from parsed YAML, so every field is optional and unchecked
 * until a reader checks it.
 */
import type { KObject } from '../resources/resource.js';

export const FLUX_KUSTOMIZATION_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_KUSTOMIZATION_VERSIONS = ['v1', 'v1beta2', 'v1beta1'] as const;

/** Flux's kustomize.Selector (a patch target). */
export interface FluxSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface FluxPatch {
  patch?: string;
  target?: FluxSelector;
}

export interface FluxImage {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface FluxCrossNamespaceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface FluxSubstituteReference {
  kind?: string;
  name?: string;
  optional?: boolean;
}

export interface FluxPostBuild {
  substitute?: Record<string, unknown>;
  substituteFrom?: FluxSubstituteReference[];
  substituteStrategy?: string;
}

export interface FluxKustomizationSpec {
  path?: string;
  sourceRef?: FluxCrossNamespaceRef;
  suspend?: boolean;
  dependsOn?: { name?: string; namespace?: string }[];
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches?: FluxPatch[];
  /** v1beta2 only. */
  patchesStrategicMerge?: unknown[];
  /** v1beta2 only: `{ target, patch: [ops] }`. */
  patchesJson6902?: { target?: FluxSelector; patch?: unknown[] }[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  images?: FluxImage[];
  buildMetadata?: string[];
  postBuild?: FluxPostBuild;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  decryption?: { provider?: string };
  kubeConfig?: unknown;
  serviceAccountName?: string;
  [key: string]: unknown;
}

export interface FluxKustomization extends KObject {
  spec?: FluxKustomizationSpec;
}

/** Whether an object is a Flux Kustomization (any supported version). */
export function isFluxKustomization(obj: KObject): obj is FluxKustomization {
  if (obj.kind !== 'Kustomization' || typeof obj.apiVersion !== 'string') return false;
  const [group, version] = obj.apiVersion.split('/');
  return (
    group === FLUX_KUSTOMIZATION_GROUP && (FLUX_KUSTOMIZATION_VERSIONS as readonly string[]).includes(version ?? '')
  );
}
