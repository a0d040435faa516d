/** Flux Operator ResourceSets expanded offline (docs/flux-operator.md). */
export {
  expandResourceSet,
  resourceSetId,
  resourceSetDependsOn,
  isResourceSet,
  isInputProvider,
  OWNER_LABEL_NAME,
  OWNER_LABEL_NAMESPACE,
  type ResourceSetExpansion,
  type ExpandOptions,
} from './expand.js';
export { combineInputs, inputId, normalizeKey, type InputProvider, type InputSet } from './inputs.js';
export { buildResourceSet, objectKey, ResourceSetBuildError, type BuiltObject } from './render.js';
export { slugify } from './slugify.js';
export { resourceSetFuncs, SLIM_SPRIG_HERMETIC } from './funcs.js';
