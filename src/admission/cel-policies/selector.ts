/** Kubernetes label selectors (metav1.LabelSelector): matchLabels and matchExpressions. */

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
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(String(value))) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(String(value))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${JSON.stringify(e.operator)} (allowed: In, NotIn, Exists, DoesNotExist)`);
    }
  }
  return true;
}

/** True when the selector has no requirement at all. */
export function selectorIsEmpty(selector: LabelSelector | undefined | null): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}
