import { InputError } from '../../../errors.js';
import { isPlainObject } from '../../../resources/resource.js';
import type { Override } from './context.js';
import { adaptSelector } from './selector.js';

/** `spec.patches[]` are appended after the kustomization's own `patches`. */
export const patches: Override = (k, { spec }) => {
  if (spec.patches === undefined || spec.patches === null) return;
  if (!Array.isArray(spec.patches)) throw new InputError('expected a list', { fieldPath: 'spec.patches' });
  const list = Array.isArray(k.patches) ? [...(k.patches as unknown[])] : [];
  spec.patches.forEach((p, i) => {
    const at = `spec.patches[${i}]`;
    if (!isPlainObject(p)) throw new InputError('expected a map with patch and target', { fieldPath: at });
    if (p.patch !== undefined && typeof p.patch !== 'string')
      throw new InputError('expected a string', { fieldPath: `${at}.patch` });
    const entry: Record<string, unknown> = {};
    if (p.patch) entry.patch = p.patch;
    const target = adaptSelector(p.target, `${at}.target`);
    if (target) entry.target = target;
    list.push(entry);
  });
  if (list.length) k.patches = list;
};
