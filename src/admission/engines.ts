/**
 * The registry of admission engines `aksfleet policy apply|test` (and later `check`) dispatch to by
 * document kind: Kyverno classic policies (ClusterPolicy/Policy), Kubernetes ValidatingAdmissionPolicy
 * (+ bindings) and Kyverno ValidatingPolicy (CEL, src/admission/cel-policies); Gatekeeper joins
 * this list when it is merged.
 */
import { validatingAdmissionPolicyEngine, validatingPolicyEngine } from './cel-policies/index.js';
import { kyvernoEngine } from './kyverno/index.js';
import type { AdmissionEngine } from './types.js';

/** Every engine, in the order their results are reported. */
export function admissionEngines(): AdmissionEngine[] {
  return [kyvernoEngine() as AdmissionEngine, validatingPolicyEngine as AdmissionEngine, validatingAdmissionPolicyEngine as AdmissionEngine];
}
