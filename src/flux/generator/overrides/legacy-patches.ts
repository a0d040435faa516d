import { InputError } from '../../../errors.js';
import { isPlainObject } from '../../../resources/resource.js';
import type { Override } from './context.js';
import { adaptSelector } from './selector.js';

/**
 * v1beta2's `spec.patchesStrategicMerge[]` (inline objects, appended as JSON text) and
 * `spec.patchesJson6902[]` (`{target, patch: [ops]}`, appended with the ops as JSON text).
 */
export const legacyPatches: Override = (k, { spec }) => {
  if (Array.isArray(spec.patchesStrategicMerge)) {
    const list = Array.isArray(k.patchesStrategicMerge) ? [...(k.patchesStrategicMerge as unknown[])] : [];
    spec.patchesStrategicMerge.forEach((p, i) => {
      if (!isPlainObject(p))
        throw new InputError('expected an inline patch object', { fieldPath: `spec.patchesStrategicMerge[${i}]` });
      list.push(JSON.stringify(p));
    });
    if (list.length) k.patchesStrategicMerge = list;
  }
  if (Array.isArray(spec.patchesJson6902)) {
    const list = Array.isArray(k.patchesJson6902) ? [...(k.patchesJson6902 as unknown[])] : [];
    spec.patchesJson6902.forEach((p, i) => {
      const at = `spec.patchesJson6902[${i}]`;
      if (!isPlainObject(p)) throw new InputError('expected a map with target and patch', { fieldPath: at });
      const entry: Record<string, unknown> = { patch: JSON.stringify(p.patch ?? null) };
      entry.target = adaptSelector(p.target ?? {}, `${at}.target`) ?? {};
      list.push(entry);
    });
    if (list.length) k.patchesJson6902 = list;
  }
};
