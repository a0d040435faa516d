/**
 * The rule ids of findings from the repository's own admission policies (src/checks/rules/admission.ts):
 * `policy:<policy>/<rule>`. `.aksfleet.yaml` and `aksfleet.dev/ignore` may name a whole policy
 * (`policy:<policy>`) or one rule of it.
 */
export const POLICY_RULE_PREFIX = 'policy:';

/** `policy:<policy>/<rule>`. */
export function policyRuleId(policy: string, rule: string): string {
  return `${POLICY_RULE_PREFIX}${policy}/${rule}`;
}

/** `policy:<name>` or `policy:<name>/<rule>`. */
export function isPolicyRuleId(id: string): boolean {
  return /^policy:[^/\s]+(\/\S+)?$/.test(id);
}

/** The ids a finding answers to, most specific first: `policy:p/r`, `policy:p`; any other id itself. */
export function policyRuleIdsOf(id: string): string[] {
  if (!id.startsWith(POLICY_RULE_PREFIX)) return [id];
  const slash = id.indexOf('/');
  return slash < 0 ? [id] : [id, id.slice(0, slash)];
}
