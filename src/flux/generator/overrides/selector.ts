import { InputError } from '../../../errors.js';
import { isPlainObject } from '../../../resources/resource.js';

const SELECTOR_FIELDS = [
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelSelector',
  'annotationSelector',
] as const;

/** Flux's adaptSelector: the same seven fields as a kustomize Selector, empty ones omitted. */
export function adaptSelector(target: unknown, fieldPath: string): Record<string, string> | undefined {
  if (target === undefined || target === null) return undefined;
  if (!isPlainObject(target))
    throw new InputError('expected a map (group, version, kind, name, namespace, labelSelector, annotationSelector)', {
      fieldPath,
    });
  const out: Record<string, string> = {};
  for (const f of SELECTOR_FIELDS) {
    const v = target[f];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new InputError('expected a string', { fieldPath: `${fieldPath}.${f}` });
    out[f] = v;
  }
  return out;
}
