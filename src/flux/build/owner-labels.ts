import type { KObject } from '../../resources/resource.js';

export const OWNER_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const OWNER_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

/** kustomize-controller labels every object it applies with its Kustomization's name and namespace. */
export function ownerLabels(obj: KObject, ks: { name: string; namespace: string }): KObject {
  const md = { ...(obj.metadata ?? {}) };
  md.labels = { ...(md.labels ?? {}), [OWNER_NAME_LABEL]: ks.name, [OWNER_NAMESPACE_LABEL]: ks.namespace };
  return { ...obj, metadata: md };
}
