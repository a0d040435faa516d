import type { Override } from './context.js';
import { setOrDrop } from './target-namespace.js';

/** `spec.namePrefix` / `spec.nameSuffix` replace (not extend) the kustomization's own. */
export const namePrefixSuffix: Override = (k, { spec }) => {
  if (typeof spec.namePrefix === 'string') setOrDrop(k, 'namePrefix', spec.namePrefix);
  if (typeof spec.nameSuffix === 'string') setOrDrop(k, 'nameSuffix', spec.nameSuffix);
};
