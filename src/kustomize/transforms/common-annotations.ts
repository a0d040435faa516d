/** `commonAnnotations:` (kustomize AnnotationsTransformer): metadata and pod-template annotations. */
import { setMapEntries } from './labels.js';
import type { Transformer } from './context.js';

export const commonAnnotationsTransformer: Transformer = {
  field: 'commonAnnotations',
  plugin: 'AnnotationsTransformer',
  instances: (k) => (Object.keys(k.commonAnnotations ?? {}).length > 0 ? 1 : 0),
  run(m, ctx) {
    const a = ctx.k.commonAnnotations;
    if (!a || Object.keys(a).length === 0) return;
    setMapEntries(m, a, ctx.config.commonAnnotations, 'commonAnnotations');
  },
};
