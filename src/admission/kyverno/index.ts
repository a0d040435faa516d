/**
 * Kyverno classic policies (`kyverno.io/v1` ClusterPolicy/Policy, v2beta1 too) evaluated offline,
 * as `kyverno apply` does. Layered like kyverno/kyverno: wildcard, anchor, pattern (value operators),
 * validate (pattern walk), operator (condition operators), jmespath (interpreter and functions),
 * variables (substitution and context), match, autogen, mutate, pss (validate.podSecurity), engine
 * (policy loading, context entries, conditions, validate rules, validate.cel through src/cel).
 */
import type { AdmissionEngine, PolicyDocument } from '../types.js';
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
      const out = [];
      let current = resource;
      for (const p of compiled) {
        const r = evaluatePolicy(p, current, ctx, opts);
        current = r.resource;
        out.push(...r.results);
      }
      return out;
    },
  };
}
