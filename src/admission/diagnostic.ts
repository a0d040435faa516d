/**
 * Policy results and load errors as Diagnostics (src/diagnostic.ts, the one vocabulary): the code
 * is `policy:<policy>/<rule>`, the policy's place a related location. A result knows the
 * resource's identity, not its file: the caller that does gives its location.
 */
import type { Diagnostic, RelatedLocation, Severity, SourceLocation } from '../diagnostic.js';
import type { PolicyLoadError, PolicyResult } from './types.js';

/** The prefix of every policy code (`policy:`). */
export const POLICY_RULE_PREFIX = 'policy:';

/** `policy:<policy>/<rule>`: the code of a policy's rule (check's rule id for its findings). */
export function policyRuleId(policy: string, rule: string): string {
  return `${POLICY_RULE_PREFIX}${policy}/${rule}`;
}

/** Where the policy of a result is, when the result says (`policy P, rule R`). */
export function policyLocation(r: PolicyResult): RelatedLocation | undefined {
  if (!r.source?.file) return undefined;
  return {
    file: r.source.file,
    ...(r.source.line ? { line: r.source.line } : {}),
    message: `policy ${r.policy}, rule ${r.rule}`,
  };
}

/**
 * A result as a Diagnostic at `at` (the resource's place, when known); undefined for `pass` and
 * `skip`. `error`: the policy could not decide (error). `fail` of an enforcing policy: the cluster
 * refuses the object (error); any other `fail`, and `warn`: reported, not refused (warning). A
 * result without a rule (a CEL policy's own error) is named by its policy.
 */
export function policyResultDiagnostic(raw: PolicyResult, at?: SourceLocation): Diagnostic | undefined {
  if (raw.result === 'pass' || raw.result === 'skip') return undefined;
  const r = raw.rule ? raw : { ...raw, rule: raw.policy };
  const related = policyLocation(r);
  const common = {
    code: policyRuleId(r.policy, r.rule),
    ...(at ? { location: at } : {}),
    ...(related ? { related: [related] } : {}),
  };
  if (r.result === 'error') {
    return {
      ...common,
      severity: 'error',
      message: `policy ${r.policy} rule ${r.rule} could not be evaluated: ${r.message ?? 'error'}`,
      hint: 'Fix the policy (or the object) so that the policy can decide; the cluster would fail this request too.',
    };
  }
  const enforcing = r.result === 'fail' && r.enforcing === true;
  const severity: Severity = enforcing ? 'error' : 'warning';
  return {
    ...common,
    severity,
    message: r.message || `refused by policy ${r.policy} rule ${r.rule}`,
    hint: enforcing
      ? `The cluster would refuse this object (policy ${r.policy} enforces). ` +
        'Change the object, or add an exception the policy honours.'
      : `Policy ${r.policy} would report this object (audit/warn).`,
  };
}

/** A policy that could not be loaded, at its place (code `policy:<policy>/<rule>`, `load` when no rule). */
export function policyLoadDiagnostic(e: PolicyLoadError): Diagnostic {
  return {
    severity: 'error',
    code: policyRuleId(e.policy ?? '(unnamed)', e.rule ?? 'load'),
    message: e.message,
    location: {
      file: e.file,
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    },
  };
}
