/**
 * The registry of admission engines `aksfleet policy apply|test` (and later `check`) dispatch to by
 * document kind: Kyverno classic policies now; the CEL engines (ValidatingAdmissionPolicy, Kyverno
 * ValidatingPolicy) and Gatekeeper join this list when they are merged.
 */
import { kyvernoEngine } from './kyverno/index.js';
import type { AdmissionEngine } from './types.js';

/** Every engine, in the order their results are reported. */
export function admissionEngines(): AdmissionEngine[] {
  return [kyvernoEngine() as AdmissionEngine];
}
