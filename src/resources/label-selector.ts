/**
 * One requirement of a Kubernetes label selector (metav1.LabelSelectorRequirement), as
 * k8s.io/apimachinery/pkg/labels evaluates it. The callers (Kyverno match, the CEL policies'
 * selectors, the PDB planner) keep their own handling of matchLabels and of malformed selectors.
 */

/** The operators a label selector requirement may use. */
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

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
