/**
 * The patch machinery of the kustomize engine (`patches:`, `patchesStrategicMerge:`,
 * `patchesJson6902:`), with kustomize v5 semantics:
 * - applyStrategicMerge: kyaml merge2 with the built-in Kubernetes v1.21.2 schema;
 * - applyJson6902 / parseJson6902: RFC 6902 as evanphx/json-patch v4 does it;
 * - classifyPatch / splitSmpDocuments: what a patch text holds;
 * - selectorMatches / compileSelector / parseLabelSelector: patch targets.
 * Every function is pure: no I/O (except reading the schema tables once at load), no mutation
 * of its arguments.
 */
export { applyStrategicMerge } from './strategic-merge.js';
export { applyJson6902, parseJson6902, decodeJson6902 } from './json6902.js';
export { classifyPatch, splitSmpDocuments, readSmpDocuments, type SmpDocument } from './patch-kind.js';
export {
  selectorMatches,
  compileSelector,
  compileRe2,
  effectiveNamespace,
  splitApiVersion,
  NOT_A_NAMESPACE,
  type PatchSelector,
  type SelectorCandidate,
  type SelectorMatcher,
} from './selector.js';
export { parseLabelSelector, type LabelSelector, type LabelRequirement, type LabelOperator } from './label-selector.js';
export { schemaForKind } from './openapi-schema.js';
