/**
 * Kyverno classic policies (`kyverno.io/v1` ClusterPolicy/Policy, v2beta1 too) evaluated offline,
 * as `kyverno apply` does. Layered like kyverno/kyverno: wildcard, anchor, pattern (value operators),
 * validate (pattern walk), operator (condition operators), jmespath (interpreter and functions),
 * variables (substitution and context), match, autogen, mutate, pss (validate.podSecurity), engine
 * (policy loading, context entries, conditions, validate rules, validate.cel through src/cel).
 */
import type { AdmissionEngine, PolicyDocument, PolicyResult } from '../types.js';
import { evaluatePolicy, type EvaluateOptions } from './engine/evaluate.js';
import { compilePolicies, isKyvernoPolicy, type KyvernoPolicy } from './engine/policy.js';

export { evaluatePolicy, type CelRuleEvaluator, type EvaluateOptions } from './engine/evaluate.js';
export { compilePolicies, isKyvernoPolicy, type KyvernoPolicy } from './engine/policy.js';
export { matchPattern, type PatternOutcome } from './validate/validate.js';
export { validateValue } from './pattern/pattern.js';
export { conditionOperator } from './operator/conditions.js';
export { computeRules } from './autogen/autogen.js';
export { wildcardMatch } from './wildcard/match.js';

/** The Kyverno engine; options (a CEL evaluator, user info, time cap) are passed in. */
export function kyvernoEngine(opts: EvaluateOptions = {}): AdmissionEngine<KyvernoPolicy[]> {
  return {
    name: 'kyverno',
    accepts: isKyvernoPolicy,
    compile(docs: readonly PolicyDocument[]) {
      const { policies, errors } = compilePolicies(docs);
      return { compiled: policies, errors };
    },
    evaluate(compiled, resource, ctx) {
      const out: PolicyResult[] = [];
      let current = resource;
      const first = compiled.map((p) => {
        const r = evaluatePolicy(p, current, ctx, opts);
        current = r.resource;
        return r.results;
      });
      if (!compiled.some(hasMutateRule)) return first.flat();
      // As the cluster (mutating webhooks before validating ones) and `kyverno apply`: every policy
      // validates the object as all policies' mutate rules left it, later policies' included.
      compiled.forEach((p, i) => {
        const mutating = mutateRuleNames(p);
        const second = evaluatePolicy(p, current, ctx, opts).results;
        out.push(...first[i]!.filter((r) => mutating.has(r.rule)), ...second.filter((r) => !mutating.has(r.rule)));
      });
      return out;
    },
  };
}

function mutateRuleNames(p: KyvernoPolicy): Set<string> {
  const rules = Array.isArray(p.spec.rules) ? (p.spec.rules as Record<string, unknown>[]) : [];
  const names = rules.filter((r) => r && typeof r === 'object' && r.mutate != null).map((r) => String(r.name));
  return new Set(names.flatMap((n) => [n, `autogen-${n}`, `autogen-cronjob-${n}`]));
}

function hasMutateRule(p: KyvernoPolicy): boolean {
  return mutateRuleNames(p).size > 0;
}
