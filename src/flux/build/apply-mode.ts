/** kustomize-controller's apply selectors, read by the `apply-modes` stage (stages.ts). */
import type { KObject } from '../../resources/resource.js';

const FLUX = 'kustomize.toolkit.fluxcd.io';

/** kustomize-controller's apply selectors (ExclusionSelector, IfNotPresentSelector), on labels or annotations. */
export function applyMode(o: KObject): { mode: 'skip' | 'create-only'; reason: string } | undefined {
  // ssa utils.AnyInMetadata: a label or an annotation, compared case-insensitively.
  const has = (k: string, v: string) =>
    [o.metadata?.labels?.[k], o.metadata?.annotations?.[k]].some(
      (x) => typeof x === 'string' && x !== '' && x.toLowerCase() === v.toLowerCase(),
    );
  if (has(`${FLUX}/reconcile`, 'disabled')) return { mode: 'skip', reason: `${FLUX}/reconcile: disabled` };
  if (has(`${FLUX}/ssa`, 'Ignore')) return { mode: 'skip', reason: `${FLUX}/ssa: Ignore` };
  if (has(`${FLUX}/ssa`, 'IfNotPresent')) return { mode: 'create-only', reason: `${FLUX}/ssa: IfNotPresent` };
  return undefined;
}
