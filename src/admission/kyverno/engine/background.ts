/**
 * Background mode (spec.background, true unless false): a policy that Kyverno also runs in
 * background scans may not depend on who made the request (pkg/validation/policy/background.go
 * `containsUserVariables`): no `roles`, `clusterRoles` or `subjects` in match/exclude, and no
 * `serviceAccountName`, `serviceAccountNamespace`, `request.userInfo`, `request.roles`,
 * `request.clusterRoles` variables. The CLI refuses such a policy; so do we, with its message.
 */
import { isMap } from '../pattern/go-values.js';

const FORBIDDEN = [
  /[^.](serviceAccountName)\b/,
  /[^.](serviceAccountNamespace)\b/,
  /[^.](request.userInfo)\b/,
  /[^.](request.roles)\b/,
  /[^.](request.clusterRoles)\b/,
];
/** Kyverno's variable regex (pkg/engine/variables/regex RegexVariables): the `{{...}}` with the character before it. */
const VARIABLES = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

function userInfoDefined(f: Record<string, unknown>): string {
  for (const k of ['roles', 'clusterRoles', 'subjects']) if (Array.isArray(f[k]) && f[k].length > 0) return k;
  return '';
}

function matchExcludeProblem(rule: Record<string, unknown>, idx: number): string | undefined {
  for (const side of ['match', 'exclude'] as const) {
    const m = rule[side];
    if (!isMap(m)) continue;
    const own = userInfoDefined(m);
    if (own) return `invalid variable used at path: spec/rules[${idx}]/${side}/${own}`;
    for (const group of side === 'match' ? (['any', 'all'] as const) : (['all', 'any'] as const)) {
      const list = Array.isArray(m[group]) ? m[group] : [];
      for (const [i, f] of list.entries()) {
        const p = isMap(f) ? userInfoDefined(f) : '';
        if (p) return `invalid variable used at path: spec/rules[${idx}]/${side}/${group}[${i}]/${p}`;
      }
    }
  }
  return undefined;
}

function strings(v: unknown, out: string[]): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (isMap(v)) for (const [k, x] of Object.entries(v)) strings(k, out), strings(x, out);
  return out;
}

/** The CLI's refusal of a background policy that reads the requester, or undefined. */
export function backgroundProblem(spec: Record<string, unknown>): string | undefined {
  if (spec.background === false) return undefined;
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isMap) : [];
  const prefix =
    'only select variables are allowed in background mode. Set spec.background=false to disable background ' +
    'mode for this policy rule: ';
  for (const [i, r] of rules.entries()) {
    const p = matchExcludeProblem(r, i);
    if (p) return prefix + p;
  }
  for (const s of strings(spec, [])) {
    for (const m of s.matchAll(VARIABLES)) {
      const v = m[2]!;
      if (FORBIDDEN.some((re) => re.test(v))) return `${prefix}variable ${v} is not allowed`;
    }
  }
  return undefined;
}
