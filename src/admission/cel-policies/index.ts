/**
 * The CEL admission policies: Kubernetes ValidatingAdmissionPolicy (+ bindings) and Kyverno
 * ValidatingPolicy, as AdmissionEngines (src/admission/types.ts) over src/cel. See docs/cel.md.
 */
export { validatingAdmissionPolicyEngine, compileVaps, evaluateVaps } from './vap.js';
export type { CompiledVaps, CompiledBinding } from './vap.js';
export {
  validatingPolicyEngine,
  validatingPolicyEngineWith,
  compileValidatingPolicies,
  evaluateValidatingPolicies,
} from './vpol.js';
export type { CompiledValidatingPolicies } from './vpol.js';
export type { EvaluateOptions } from './evaluate.js';
export type { UserInfo } from './request.js';
export { autogenRules, canAutogen } from './autogen.js';
