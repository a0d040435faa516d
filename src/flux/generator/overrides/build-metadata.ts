import { InputError } from '../../../errors.js';
import type { Override } from './context.js';

/** `spec.buildMetadata`, when non-empty, replaces the kustomization's `buildMetadata`. */
export const buildMetadata: Override = (k, { spec }) => {
  const bm = spec.buildMetadata;
  if (bm === undefined || bm === null) return;
  if (!Array.isArray(bm) || bm.some((x) => typeof x !== 'string'))
    throw new InputError('expected a list of strings', { fieldPath: 'spec.buildMetadata' });
  if (bm.length > 0) k.buildMetadata = [...bm];
};
