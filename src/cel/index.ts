/**
 * aksfleet's CEL engine: the Common Expression Language with the Kubernetes CEL libraries
 * (k8s.io/apiserver/pkg/cel/library), judged against cel-go by test/oracles/programs/cel.
 * It knows nothing of aksfleet. See docs/cel.md.
 *
 * ```ts
 * const p = compileCel('object.spec.replicas <= 5', { variables: ['object'] });
 * p.evaluate({ object: deployment }); // true | false; throws CelEvalError on a CEL error
 * ```
 */
export { compileCel, MAX_EXPRESSION_LENGTH } from './program.js';
export type { CelProgram, CelResult, CompileOptions, EvaluateOptions } from './program.js';
export { CelCompileError, CelEvalError } from './errors.js';
export type { CelEvalErrorKind, CelPosition } from './errors.js';
export type { CelLibraries } from './environment.js';
export { kyvernoActivation } from './library/kyverno.js';
export type { KyvernoData } from './library/kyverno.js';
export { PER_CALL_COST_LIMIT, RUNTIME_COST_BUDGET, MATCH_CONDITIONS_COST_BUDGET, DEFAULT_TIMEOUT_MS } from './cost.js';
export { fromCel, toCel } from './values.js';
