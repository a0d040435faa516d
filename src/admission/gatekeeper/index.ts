/**
 * Gatekeeper offline: ConstraintTemplates (Rego through src/rego, or their CEL
 * K8sNativeValidation variant through src/cel) and Constraints as an AdmissionEngine, and
 * gator's `suite.yaml` test format (./suite.ts: it reads files through ../apply.ts, which imports
 * this registry, so it is imported by path, not from here). See docs/policy.md.
 */
export { gatekeeperEngine, compileGatekeeper, evaluateGatekeeper } from './engine.js';
export type { CompiledGatekeeper, GatekeeperOptions } from './engine.js';
