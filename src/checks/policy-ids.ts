/**
 * The rule ids of findings from the repository's own admission policies (src/checks/rules/admission.ts):
 * `policy:<policy>/<rule>`. `.aksfleet.yaml` and `aksfleet.dev/ignore` may name a whole policy
 * (`policy:<policy>`) or one rule of it.
 */
import { POLICY_RULE_PREFIX } from '../admission/diagnostic.js';

/** `policy:<policy>/<rule>` (the code of a policy result's Diagnostic: src/admission/diagnostic.ts). */
export { POLICY_RULE_PREFIX, policyRuleId } from '../admission/diagnostic.js';

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
