import { InputError } from '../../../errors.js';
import { resolveRel } from '../../../repo/repo-fs.js';
import type { Override } from './context.js';
import { isLocalRelativePath } from '../local-path.js';

/**
 * `spec.components[]` are appended to the kustomization's `components`. They must be local
 * relative paths (relative to spec.path); with `spec.ignoreMissingComponents` a missing one is
 * skipped.
 */
export const components: Override = (k, { spec, fs, dir }) => {
  if (spec.components === undefined || spec.components === null) return;
  if (!Array.isArray(spec.components))
    throw new InputError('expected a list of paths', { fieldPath: 'spec.components' });
  const list = Array.isArray(k.components) ? [...(k.components as unknown[])] : [];
  spec.components.forEach((c, i) => {
    const at = `spec.components[${i}]`;
    if (typeof c !== 'string') throw new InputError('expected a string', { fieldPath: at });
    if (!isLocalRelativePath(c))
      throw new InputError(`component path '${c}' must be local and relative`, { fieldPath: at });
    if (spec.ignoreMissingComponents === true) {
      let exists = false;
      try {
        exists = fs.exists(resolveRel(dir, c));
      } catch {
        exists = false;
      }
      if (!exists) return;
    }
    list.push(c);
  });
  if (list.length) k.components = list;
};
