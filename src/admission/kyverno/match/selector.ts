/** Kubernetes label selectors (metav1.LabelSelector) with Kyverno's wildcard expansion of matchLabels. */
import { isMap } from '../pattern/go-values.js';
import { containsWildcard, wildcardMatch } from '../wildcard/match.js';
import { requirementMatches } from '../../../resources/label-selector.js';

/** True when the labels satisfy the selector; throws on a malformed selector. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isMap(selector)) throw new Error('selector must be an object');
  const matchLabels = isMap(selector.matchLabels) ? (selector.matchLabels as Record<string, unknown>) : {};
  for (const [rawK, rawV] of Object.entries(matchLabels)) {
    let k = rawK;
    let v = String(rawV);
    if (containsWildcard(k) || containsWildcard(v)) [k, v] = expand(k, v, labels);
    if (labels[k] !== v) return false;
  }
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isMap(e) || typeof e.key !== 'string' || typeof e.operator !== 'string')
      throw new Error('matchExpressions entries need key and operator');
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      throw new Error(`values: Required value: must be specified when operator is '${e.operator}'`);
    }
    const ok = requirementMatches(labels, e.key, e.operator, values);
    if (ok === undefined) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    if (!ok) return false;
  }
  return true;
}

function expand(k: string, v: string, labels: Readonly<Record<string, string>>): [string, string] {
  for (const k1 of Object.keys(labels).sort()) {
    if (wildcardMatch(k, k1) && wildcardMatch(v, labels[k1]!)) return [k1, labels[k1]!];
  }
  return [k.replace(/[*?]/g, '0'), v.replace(/[*?]/g, '0')];
}
