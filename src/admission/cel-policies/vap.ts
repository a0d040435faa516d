/**
 * Kubernetes ValidatingAdmissionPolicy with its ValidatingAdmissionPolicyBindings
 * (admissionregistration.k8s.io v1, v1beta1, v1alpha1). Each binding of a policy is evaluated
 * with its matchResources, validationActions and parameters (paramRef name/namespace/selector,
 * parameterNotFoundAction) found among the evaluated resources. A policy without a binding is
 * evaluated once as if bound with validationActions [Deny] (what a repository's author means to
 * enforce; the API server would not enforce it without a binding).
 */
import type { AdmissionContext, AdmissionEngine, PolicyDocument, PolicyLoadError, PolicyResult } from '../types.js';
import { evaluatePolicy, type BindingView, type EvaluateOptions } from './evaluate.js';
import type { MatchResources } from './match.js';
import { compileSpec, loadErrorsOf, type CompiledPolicy } from './policy.js';
import { metadataOf } from './request.js';
import { selectorMatches, type LabelSelector } from './selector.js';

const API_VERSIONS = new Set([
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1alpha1',
]);

/** A ValidatingAdmissionPolicyBinding. */
export interface CompiledBinding {
  readonly name: string;
  readonly policyName: string;
  readonly validationActions: readonly string[];
  readonly matchResources?: MatchResources;
  readonly paramRef?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly selector?: LabelSelector;
    readonly parameterNotFoundAction?: 'Allow' | 'Deny';
  };
}

/** Compiled policies and their bindings. */
export interface CompiledVaps {
  readonly policies: readonly CompiledPolicy[];
  readonly bindings: readonly CompiledBinding[];
}

/** Compiles ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding documents. */
export function compileVaps(docs: readonly PolicyDocument[]): { compiled: CompiledVaps; errors: PolicyLoadError[] } {
  const errors: PolicyLoadError[] = [];
  const policies: CompiledPolicy[] = [];
  const bindings: CompiledBinding[] = [];
  for (const doc of docs) {
    const name = String(metadataOf(doc.object).name ?? '');
    const spec = (doc.object.spec ?? {}) as Record<string, unknown>;
    if (doc.object.kind === 'ValidatingAdmissionPolicy') {
      const p = compileSpec(doc, spec, '', { validationActions: ['Deny'] });
      errors.push(...loadErrorsOf(p));
      policies.push(p);
    } else {
      const actions = Array.isArray(spec.validationActions) ? spec.validationActions.map(String) : [];
      if (actions.length === 0)
        errors.push({ file: doc.file, line: doc.line, policy: name, message: 'spec.validationActions is required' });
      if (typeof spec.policyName !== 'string')
        errors.push({ file: doc.file, line: doc.line, policy: name, message: 'spec.policyName is required' });
      bindings.push({
        name,
        policyName: String(spec.policyName ?? ''),
        validationActions: actions,
        matchResources: spec.matchResources as MatchResources | undefined,
        paramRef: spec.paramRef as CompiledBinding['paramRef'],
      });
    }
  }
  for (const b of bindings) {
    if (!policies.some((p) => p.name === b.policyName)) {
      errors.push({
        file: '',
        policy: b.policyName,
        rule: b.name,
        message:
          `binding ${b.name} refers to ValidatingAdmissionPolicy ${b.policyName}, which is not among the ` + `policies`,
      });
    }
  }
  return { compiled: { policies, bindings }, errors };
}

/** The parameter objects a binding selects, or why there are none. */
function paramsFor(
  policy: CompiledPolicy,
  binding: CompiledBinding,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
): Record<string, unknown>[] | string {
  const kind = policy.paramKind;
  const ref = binding.paramRef;
  if (!ref) return `policy ${policy.name} has paramKind ${kind?.kind} but binding ${binding.name} has no paramRef`;
  const ns = ref.namespace ?? (metadataOf(resource).namespace as string | undefined);
  return ctx.resources.filter((r) => {
    if (r.apiVersion !== kind?.apiVersion || r.kind !== kind?.kind) return false;
    const md = metadataOf(r);
    if (typeof md.namespace === 'string' && md.namespace !== '' && ns !== undefined && md.namespace !== ns)
      return false;
    if (ref.name !== undefined) return md.name === ref.name;
    return selectorMatches(ref.selector ?? {}, (md.labels as Record<string, unknown>) ?? {});
  });
}

/** Evaluates a resource against every policy x binding (x parameter object). */
export function evaluateVaps(
  compiled: CompiledVaps,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: EvaluateOptions = {},
): PolicyResult[] {
  const out: PolicyResult[] = [];
  for (const policy of compiled.policies) {
    const bound = compiled.bindings.filter((b) => b.policyName === policy.name);
    const bindings: CompiledBinding[] = bound.length
      ? bound
      : [{ name: '', policyName: policy.name, validationActions: ['Deny'] }];
    for (const b of bindings) {
      const view: BindingView = {
        name: b.name,
        matchResources: b.matchResources,
        validationActions: b.validationActions,
        params: null,
      };
      if (!policy.paramKind) {
        const r = evaluatePolicy(policy, view, resource, ctx, opts);
        if (r) out.push(r);
        continue;
      }
      const params = paramsFor(policy, b, resource, ctx);
      if (typeof params === 'string' || params.length === 0) {
        // Match first: a binding only speaks for resources it matches.
        const probe = evaluatePolicy(
          { ...policy, matchConditions: [], variables: [], validations: [], auditAnnotations: [] },
          view,
          resource,
          ctx,
          opts,
        );
        if (!probe) continue;
        const why =
          typeof params === 'string'
            ? params
            : `no params found for policy binding ${b.name} (paramRef ${JSON.stringify(b.paramRef)})`;
        if (typeof params !== 'string' && b.paramRef?.parameterNotFoundAction === 'Allow')
          out.push({ ...probe, result: 'skip', message: why });
        else out.push({ ...probe, result: 'error', message: why });
        continue;
      }
      for (const p of params) {
        const r = evaluatePolicy(policy, { ...view, params: p }, resource, ctx, opts);
        if (r) out.push(r);
      }
    }
  }
  return out;
}

/** The AdmissionEngine for ValidatingAdmissionPolicy + bindings. */
export const validatingAdmissionPolicyEngine: AdmissionEngine<CompiledVaps> = {
  name: 'validatingadmissionpolicy',
  accepts: (doc) =>
    API_VERSIONS.has(String(doc.apiVersion)) &&
    (doc.kind === 'ValidatingAdmissionPolicy' || doc.kind === 'ValidatingAdmissionPolicyBinding'),
  compile: compileVaps,
  evaluate: (compiled, resource, ctx) => evaluateVaps(compiled, resource, ctx),
};
