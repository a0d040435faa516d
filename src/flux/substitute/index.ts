/**
 * Flux postBuild variable substitution (§3.2 of ../shared/docs/kustomize-flux-semantics.md; fluxcd/pkg
 * kustomize/kustomize_varsub.go).
 */
export {
  substituteObject,
  isSubstitutionDisabled,
  SUBSTITUTE_KEY,
  type SubstituteOptions,
  type SubstituteOutcome,
} from './postbuild-substitute.js';
export {
  loadVariables,
  dataOf,
  VAR_NAME,
  type VariablesResult,
  type VariableSources,
  type SubstituteFromResult,
} from './variables.js';
export { parseVarsFile } from './vars-file.js';
export { emitForSubstitution, parseYaml11Object } from './yaml11.js';
