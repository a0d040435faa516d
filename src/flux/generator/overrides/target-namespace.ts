import type { Override } from './context.js';

/** `spec.targetNamespace` replaces the kustomization's `namespace`. */
export const targetNamespace: Override = (k, { spec }) => {
  if (typeof spec.targetNamespace === 'string') setOrDrop(k, 'namespace', spec.targetNamespace);
};

export function setOrDrop(k: Record<string, unknown>, field: string, v: string): void {
  if (v === '') delete k[field];
  else k[field] = v;
}
