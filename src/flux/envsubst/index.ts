/**
 * Flux's envsubst dialect (fluxcd/pkg envsubst, a fork of drone/envsubst), as used by
 * kustomize-controller's postBuild substitution. See ../shared/docs/kustomize-flux-semantics.md §3.2.
 */
export { envsubst, envsubstDetailed, parseEnvsubst, EnvsubstError } from './eval.js';
export type { Lookup, EnvsubstOptions, EnvsubstResult } from './eval.js';
export type { EnvNode, TextNode, FuncNode } from './parse.js';
