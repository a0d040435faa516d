/** metav1.LabelSelector matching (matchLabels and matchExpressions), for `inputsFrom[].selector`. */
import { requirementMatches } from '../../resources/label-selector.js';
import { isPlainObject } from '../../resources/resource.js';

/** A malformed requirement or an unknown operator selects nothing. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isPlainObject(selector)) return false;
  const ml = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isPlainObject(e)) return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    if (requirementMatches(labels, String(e.key ?? ''), String(e.operator), values) !== true) return false;
  }
  return true;
}
