/**
 * matchConstraints / matchResources of ValidatingAdmissionPolicy and its binding (and of Kyverno's
 * ValidatingPolicy): resourceRules, excludeResourceRules, namespaceSelector, objectSelector, as
 * k8s.io/apiserver/pkg/admission/plugin/policy/generic matches them.
 */
import { gvrOf, metadataOf } from './request.js';
import { selectorMatches, type LabelSelector } from './selector.js';

/** A NamedRuleWithOperations. */
export interface ResourceRule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly resources?: readonly string[];
  readonly operations?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly scope?: string;
}

/** MatchResources. */
export interface MatchResources {
  readonly resourceRules?: readonly ResourceRule[];
  readonly excludeResourceRules?: readonly ResourceRule[];
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  readonly matchPolicy?: string;
}

const has = (list: readonly string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

function ruleMatches(rule: ResourceRule, obj: Record<string, unknown>, operation: string): boolean {
  const g = gvrOf(obj);
  const md = metadataOf(obj);
  if (!has(rule.apiGroups, g.group) || !has(rule.apiVersions, g.version)) return false;
  if (!has(rule.operations, operation)) return false;
  const resources = rule.resources ?? [];
  if (!resources.some((r) => r === '*' || r === g.resource || r === `${g.resource}/*` || r === '*/*')) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(String(md.name ?? '')))
    return false;
  const namespaced = typeof md.namespace === 'string' && md.namespace !== '';
  if (rule.scope === 'Cluster' && namespaced) return false;
  if (rule.scope === 'Namespaced' && !namespaced) return false;
  return true;
}

/** Why a resource does (not) match. */
export interface MatchOutcome {
  readonly matches: boolean;
  readonly reason?: string;
}

/**
 * Matches `obj` against `match`. `namespaceLabels` are the labels of the object's namespace
 * (for a Namespace object: its own), undefined when the namespace is unknown (selectors that
 * need it then match only when empty).
 */
export function matchResources(
  match: MatchResources | undefined,
  obj: Record<string, unknown>,
  operation: string,
  namespaceLabels: Record<string, unknown> | undefined,
): MatchOutcome {
  if (!match) return { matches: false, reason: 'no matchConstraints' };
  const md = metadataOf(obj);
  const labels = (md.labels as Record<string, unknown>) ?? {};
  const namespaced = (typeof md.namespace === 'string' && md.namespace !== '') || obj.kind === 'Namespace';
  if (namespaced && match.namespaceSelector && !selectorMatches(match.namespaceSelector, namespaceLabels ?? {})) {
    return { matches: false, reason: 'namespaceSelector' };
  }
  if (!selectorMatches(match.objectSelector, labels)) return { matches: false, reason: 'objectSelector' };
  const rules = match.resourceRules ?? [];
  // No resourceRules matches every resource (matching.Matcher.Matches); a policy's own matchConstraints must have some.
  if (rules.length > 0 && !rules.some((r) => ruleMatches(r, obj, operation)))
    return { matches: false, reason: 'resourceRules' };
  if ((match.excludeResourceRules ?? []).some((r) => ruleMatches(r, obj, operation)))
    return { matches: false, reason: 'excludeResourceRules' };
  return { matches: true };
}
