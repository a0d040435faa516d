/**
 * The patch machinery of the kustomize engine (`patches:`, `patchesStrategicMerge:`,
 * `patchesJson6902:`), with the semantics of kustomize v5.8.1 (what Flux 2.9 runs; v5.7.1, of Flux 2.7 and `kubectl
 * kustomize` 1.35, merges alike):
 * - applyStrategicMerge: kyaml merge2 (prepend) with the built-in Kubernetes v1.21.2 schema
 *   (data/openapi-k8s-1.21.2-types.json + data/merge-keys-k8s-1.21.2.tsv);
 * - applyJson6902 / parseJson6902: RFC 6902 as evanphx/json-patch v4.12 does it, with the build
 *   annotations kustomize carries while the ops run;
 * - classifyPatch / splitSmpDocuments / readSmpDocuments: what a patch text holds;
 * - selectorMatches / compileSelector / parseLabelSelector: patch targets (RE2 regexes anchored
 *   as `^(?:…)$`, Kubernetes label selectors).
 *
 * Every function is pure: no I/O (except reading the two data files once, at module load), no
 * mutation of its arguments. Bad input throws InputError naming the file (and the field path or
 * operation index when known).
 *
 * How it is checked against the real thing (all tests run `kubectl kustomize` when it is
 * installed and keep the kubectl-verified expectation inline for when it is not):
 * - testdata/smp-cases.yaml, json6902-cases.yaml, selector-cases.yaml: tables filled by
 *   testing/fill-cases.ts from kubectl and re-checked on every run;
 * - patch-kind.test.ts: how patch texts are classified;
 * - strategic-merge-random.test.ts and testing/fuzz-smp.ts, testing/fuzz-json6902.ts:
 *   seeded random cases compared with kubectl.
 */
export { applyStrategicMerge } from './strategic-merge.js';
export { applyJson6902, parseJson6902, decodeJson6902, type Json6902Options } from './json6902.js';
export { classifyPatch, splitSmpDocuments, readSmpDocuments, type SmpDocument } from './patch-kind.js';
export {
  selectorMatches,
  compileSelector,
  compileRe2,
  idFieldRegexes,
  effectiveNamespace,
  splitApiVersion,
  NOT_A_NAMESPACE,
  type PatchSelector,
  type SelectorCandidate,
  type SelectorMatcher,
} from './selector.js';
export { parseLabelSelector, type LabelSelector, type LabelRequirement, type LabelOperator } from './label-selector.js';
export { schemaForKind } from './openapi-schema.js';
