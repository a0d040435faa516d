/**
 * The seam between the build engine and the patch implementations in ./patches/ (strategic
 * merge with kyaml's schema rules, JSON 6902). Transformers call `patchEngine()`.
 */
import type { KObject } from '../resources/resource.js';
import * as patches from './patches/index.js';

export interface PatchEngine {
  applyStrategicMerge(target: KObject, patch: KObject): KObject | null;
  parseJson6902(text: string, file: string): unknown[];
  applyJson6902(target: KObject, ops: unknown[], file?: string): KObject;
}

/** The full implementation in ./patches/. */
export const kyamlPatchEngine: PatchEngine = {
  applyStrategicMerge: (target, patch) => patches.applyStrategicMerge(target, patch),
  parseJson6902: (text, file) => patches.parseJson6902(text, file),
  applyJson6902: (target, ops, file) => patches.applyJson6902(target, ops, file),
};

/** The patch implementation in use. */
export function patchEngine(): PatchEngine {
  return kyamlPatchEngine;
}
