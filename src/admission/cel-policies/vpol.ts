/**
 * Kyverno's ValidatingPolicy (policies.kyverno.io v1alpha1, v1beta1, v1; also
 * NamespacedValidatingPolicy): the ValidatingAdmissionPolicy model with its validationActions in
 * the policy, plus autogen rules for pod controllers, and Kyverno's CEL libraries `resource`,
 * `image` (image data), `time` and `parseServiceAccount` (src/cel/library/kyverno*.ts), fed from
 * what is known offline (a Kyverno CLI context file): a call that needs what is not known is not
 * evaluable (an error result, never a pass). Kyverno's other libraries (http, globalContext,
 * x509...) are not there: expressions that use them do not compile and their policies report errors.
 */
import type { AdmissionContext, AdmissionEngine, PolicyDocument, PolicyLoadError, PolicyResult } from '../types.js';
import { autogenRules } from './autogen.js';
import { evaluatePolicy, type EvaluateOptions } from './evaluate.js';
import { compileSpec, loadErrorsOf, type CompiledPolicy } from './policy.js';
import { metadataOf } from './request.js';

const API_VERSIONS = new Set(['policies.kyverno.io/v1alpha1', 'policies.kyverno.io/v1beta1', 'policies.kyverno.io/v1']);
const KINDS = new Set(['ValidatingPolicy', 'NamespacedValidatingPolicy']);

/** The compiled ValidatingPolicies: each policy with its autogen rules. */
export interface CompiledValidatingPolicies {
  readonly policies: readonly { readonly namespace?: string; readonly rules: readonly CompiledPolicy[] }[];
}

/** Compiles ValidatingPolicy documents (with their autogen rules). */
export function compileValidatingPolicies(docs: readonly PolicyDocument[]): {
  compiled: CompiledValidatingPolicies;
  errors: PolicyLoadError[];
} {
  const errors: PolicyLoadError[] = [];
  const policies: { namespace?: string; rules: CompiledPolicy[] }[] = [];
  for (const doc of docs) {
    const spec = doc.object.spec;
    const name = String(metadataOf(doc.object).name ?? '');
    if (!spec || typeof spec !== 'object') {
      errors.push({ file: doc.file, line: doc.line, policy: name, message: 'spec is missing' });
      continue;
    }
    const s = spec as Record<string, unknown>;
    const defaults = { validationActions: ['Deny'] };
    const rules = [
      compileSpec(doc, s, '', defaults),
      ...autogenRules(name, s).map((r) => compileSpec(doc, r.spec, r.name, defaults)),
    ];
    const ns =
      doc.object.kind === 'NamespacedValidatingPolicy'
        ? (metadataOf(doc.object).namespace as string | undefined)
        : undefined;
    errors.push(...loadErrorsOf(rules[0]));
    policies.push({ namespace: ns, rules });
  }
  return { compiled: { policies }, errors };
}

/** Evaluates a resource against the compiled ValidatingPolicies. */
export function evaluateValidatingPolicies(
  compiled: CompiledValidatingPolicies,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: EvaluateOptions = {},
): PolicyResult[] {
  const out: PolicyResult[] = [];
  const ns = metadataOf(resource).namespace;
  for (const p of compiled.policies) {
    if (p.namespace !== undefined && p.namespace !== ns) continue;
    for (const rule of p.rules) {
      const r = evaluatePolicy(
        rule,
        { name: '', validationActions: rule.validationActions, params: null },
        resource,
        ctx,
        opts,
      );
      if (r) out.push(r);
    }
  }
  return out;
}

/**
 * The AdmissionEngine for Kyverno ValidatingPolicy, with who makes the requests and what Kyverno's
 * libraries know (default: nothing of the cluster, the clock when the engine is made).
 */
export function validatingPolicyEngineWith(opts: EvaluateOptions = {}): AdmissionEngine<CompiledValidatingPolicies> {
  const evaluateOpts: EvaluateOptions = { ...opts, kyverno: opts.kyverno ?? { now: new Date() } };
  return {
    name: 'kyverno-validatingpolicy',
    accepts: (doc) => API_VERSIONS.has(String(doc.apiVersion)) && KINDS.has(String(doc.kind)),
    compile: compileValidatingPolicies,
    evaluate: (compiled, resource, ctx) => evaluateValidatingPolicies(compiled, resource, ctx, evaluateOpts),
  };
}

/** The AdmissionEngine for Kyverno ValidatingPolicy with no request user nor cluster state. */
export const validatingPolicyEngine: AdmissionEngine<CompiledValidatingPolicies> = {
  name: 'kyverno-validatingpolicy',
  accepts: (doc) => API_VERSIONS.has(String(doc.apiVersion)) && KINDS.has(String(doc.kind)),
  compile: compileValidatingPolicies,
  evaluate: (compiled, resource, ctx) => evaluateValidatingPolicies(compiled, resource, ctx),
};
