/**
 * Kubernetes label selectors (metav1.LabelSelector), as k8s.io/apimachinery evaluates them
 * (`LabelSelectorAsSelector`, then `labels.Selector.Matches`). The admission engines (Kyverno
 * match, the CEL policies' and Gatekeeper's selectors) keep their own handling of matchLabels and
 * of malformed selectors, and share {@link requirementMatches}.
 */
import { isPlainObject } from './resource.js';

/** The operators a label selector requirement may use. */
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * What a selector that is not there (absent, or null) selects: the API of the field decides, so
 * every caller names it. A `*metav1.LabelSelector` field left nil selects nothing
 * (`LabelSelectorAsSelector(nil)` is `labels.Nothing()`: a PodDisruptionBudget's `spec.selector`,
 * a Deployment's, a NetworkPolicy peer's `namespaceSelector`); a `metav1.LabelSelector` field that
 * is a struct, not a pointer, decodes to `{}` when absent and selects everything (a NetworkPolicy's
 * `spec.podSelector`: "an empty podSelector matches all pods in this namespace").
 */
export type NilSelector = 'nothing' | 'everything';

/**
 * Does `selector` select `labels`? matchLabels AND matchExpressions; a selector with neither
 * (`{}`, `{ matchLabels: {} }`) selects everything (`LabelSelectorAsSelector`: `labels.Everything()`);
 * an absent or null one selects what `nil` says. A malformed selector (not an object, matchLabels
 * not a map, matchExpressions not a list, a requirement that is not an object or has an unknown
 * operator) selects nothing: apimachinery refuses it with an error.
 */
export function labelSelectorMatches(
  selector: unknown,
  labels: Readonly<Record<string, unknown>>,
  nil: NilSelector,
): boolean {
  if (selector === undefined || selector === null) return nil === 'everything';
  if (!isPlainObject(selector)) return false;
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  if (!isPlainObject(matchLabels) || !Array.isArray(matchExpressions)) return false;
  for (const [k, v] of Object.entries(matchLabels)) {
    if (requirementMatches(labels, k, 'In', [String(v)]) !== true) return false;
  }
  for (const e of matchExpressions) {
    if (!isPlainObject(e)) return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const key = typeof e.key === 'string' ? e.key : '';
    if (requirementMatches(labels, key, String(e.operator), values) !== true) return false;
  }
  return true;
}

/**
 * True when `labels` satisfy the requirement `key operator values`; undefined when the operator is
 * not one of {@link LABEL_SELECTOR_OPERATORS} (the caller decides whether that is an error).
 */
export function requirementMatches(
  labels: Readonly<Record<string, unknown>>,
  key: string,
  operator: string,
  values: readonly string[],
): boolean | undefined {
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (operator) {
    case 'In':
      return has && values.includes(String(labels[key]));
    case 'NotIn':
      return !(has && values.includes(String(labels[key])));
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return undefined;
  }
}
