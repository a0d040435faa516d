/** Per-object suppression: `aksfleet.dev/ignore: rule-a, rule-b` with `aksfleet.dev/ignore-reason`. */
import type { Resource } from '../resources/resource.js';

export const IGNORE_ANNOTATION = 'aksfleet.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'aksfleet.dev/ignore-reason';

/** Rule ids an object opts out of (`*` for all). */
export function ignoredRules(r: Resource | undefined): string[] {
  const v = r?.object.metadata?.annotations?.[IGNORE_ANNOTATION];
  if (typeof v !== 'string') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
