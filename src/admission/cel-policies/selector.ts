/** Kubernetes label selectors (metav1.LabelSelector): matchLabels and matchExpressions. */
import { requirementMatches } from '../../resources/label-selector.js';

/** A label selector as written in YAML. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

/** True when `labels` satisfy `selector`; an empty or absent selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, unknown>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const ok = requirementMatches(labels, e.key, e.operator, e.values ?? []);
    if (ok === undefined) {
      throw new Error(
        `unknown label selector operator ${JSON.stringify(e.operator)} (allowed: In, NotIn, Exists, DoesNotExist)`,
      );
    }
    if (!ok) return false;
  }
  return true;
}

/** True when the selector has no requirement at all. */
export function selectorIsEmpty(selector: LabelSelector | undefined | null): boolean {
  return (
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
  );
}
