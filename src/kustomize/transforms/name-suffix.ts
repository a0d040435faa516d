/** `nameSuffix:` (kustomize SuffixTransformer); shares its logic with name-prefix.ts. */
import { addAffix } from './name-prefix.js';
import type { Transformer } from './context.js';

export const nameSuffixTransformer: Transformer = {
  field: 'nameSuffix',
  plugin: 'SuffixTransformer',
  instances: (k) => (k.nameSuffix ? 1 : 0),
  run(m, ctx) {
    if (!ctx.k.nameSuffix) return;
    addAffix(m, ctx.k.nameSuffix, ctx.config.nameSuffix, 'suffix');
  },
};
