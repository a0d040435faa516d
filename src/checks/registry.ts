/**
 * The one list of check rules. Order is the order of the reference page (docs/rules.md) and of
 * `--list-rules`; findings are sorted independently of it.
 */
import { admission } from './rules/admission.js';
import { fluxGraphRules } from './rules/flux-graph.js';
import { iacClusterRules, iacRepoRules } from './rules/iac.js';
import { imageRules } from './rules/images.js';
import { networkClusterRules, networkRepoRules } from './rules/network.js';
import { egressImageHosts } from './rules/egress-images.js';
import { referenceNetworkRules } from './rules/references-network.js';
import { referencePodRules } from './rules/references-pods.js';
import { referencePolicyRules } from './rules/references-policies.js';
import { referenceTrafficRules } from './rules/references-services.js';
import { schemaRules } from './rules/schema.js';
import { secretRules } from './rules/secrets.js';
import { ignoreHasReason, knownRuleIds } from './rules/suppressions.js';
import { tenancyRules } from './rules/tenancy.js';
import { dayTwoRules } from './rules/traffic-backup-alerts.js';
import { workloadRules } from './rules/workloads.js';
import type { Rule } from './types.js';

export const rules: readonly Rule[] = [
  ...schemaRules,
  ignoreHasReason,
  ...fluxGraphRules,
  ...tenancyRules,
  ...imageRules,
  ...workloadRules,
  ...secretRules,
  ...dayTwoRules,
  ...referenceNetworkRules,
  ...referencePodRules,
  ...referencePolicyRules,
  ...referenceTrafficRules,
  ...iacClusterRules,
  ...iacRepoRules,
  ...networkClusterRules,
  egressImageHosts,
  ...networkRepoRules,
  admission,
];

export const ruleIds: readonly string[] = rules.map((r) => r.id);
knownRuleIds.push(...ruleIds);

export const CATEGORY_TITLES: Record<Rule['category'], string> = {
  schema: 'Rendering and schema',
  flux: 'Flux graph',
  ops: 'Operations checklist',
  iac: 'IaC and GitOps agree',
  policy: "The repository's admission policies",
};
