/** Suppressions stay honest: an `aksfleet.dev/ignore` names real rules and says why. */
import { isPolicyRuleId } from '../policy-ids.js';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, ignoredRules } from '../suppress.js';
import type { ClusterRule } from '../types.js';

/** Set by the registry (avoids an import cycle). */
export const knownRuleIds: string[] = [];

export const ignoreHasReason: ClusterRule = {
  id: 'ignore-has-reason',
  scope: 'cluster',
  severity: 'warning',
  category: 'schema',
  doc:
    `An object annotated ${IGNORE_ANNOTATION} names existing rule ids and carries ${IGNORE_REASON_ANNOTATION} ` +
    'saying why.',
  hint: `Add the annotation ${IGNORE_REASON_ANNOTATION}: "<why this object is an exception>".`,
  check(ctx, report) {
    for (const r of ctx.resources) {
      const ids = ignoredRules(r);
      if (ids.length === 0) continue;
      const unknown = ids.filter((id) => id !== '*' && !knownRuleIds.includes(id) && !isPolicyRuleId(id));
      if (unknown.length)
        report({ resource: r, message: `${IGNORE_ANNOTATION} names unknown rule(s): ${unknown.join(', ')}` });
      if (!r.object.metadata?.annotations?.[IGNORE_REASON_ANNOTATION])
        report({ resource: r, message: `${IGNORE_ANNOTATION}: ${ids.join(',')} has no ${IGNORE_REASON_ANNOTATION}` });
    }
  },
};
