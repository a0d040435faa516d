import { isPlainObject, type KObject } from '../../resources/resource.js';

/**
 * `spec.commonMetadata`: labels and annotations set on every object's own `metadata` (existing
 * keys overridden), after build and substitution; selectors and templates are not touched.
 */
export function commonMetadata(obj: KObject, cm: unknown): KObject {
  if (!isPlainObject(cm)) return obj;
  const labels = isPlainObject(cm.labels) ? (cm.labels as Record<string, string>) : undefined;
  const annotations = isPlainObject(cm.annotations) ? (cm.annotations as Record<string, string>) : undefined;
  if (!labels && !annotations) return obj;
  const md = { ...(obj.metadata ?? {}) };
  if (labels) md.labels = { ...(md.labels ?? {}), ...stringMap(labels) };
  if (annotations) md.annotations = { ...(md.annotations ?? {}), ...stringMap(annotations) };
  return { ...obj, metadata: md };
}

function stringMap(m: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
}
