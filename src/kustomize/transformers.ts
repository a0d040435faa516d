/**
 * THE order of kustomize's builtin transformers at each kustomization level
 * (api/internal/target/kusttarget_configplugin.go, configureBuiltinTransformers).
 * Changing this list changes every build: test/kustomize order test pins it.
 */
import type { Transformer } from './transforms/context.js';
import { commonAnnotationsTransformer } from './transforms/common-annotations.js';
import { imagesTransformer } from './transforms/images.js';
import { labelsTransformer } from './transforms/labels.js';
import { namePrefixTransformer } from './transforms/name-prefix.js';
import { nameSuffixTransformer } from './transforms/name-suffix.js';
import { namespaceTransformer } from './transforms/namespace.js';
import {
  patchesJson6902Transformer,
  patchesStrategicMergeTransformer,
  patchesTransformer,
} from './transforms/patches.js';
import { replacementsTransformer } from './transforms/replacements.js';
import { replicasTransformer } from './transforms/replicas.js';

export const BUILTIN_TRANSFORMERS: readonly Transformer[] = [
  patchesStrategicMergeTransformer, // 1. PatchStrategicMergeTransformer
  patchesTransformer, // 2. PatchTransformer (one per entry, in list order)
  namespaceTransformer, // 3. NamespaceTransformer
  namePrefixTransformer, // 4. PrefixTransformer
  nameSuffixTransformer, // 5. SuffixTransformer
  labelsTransformer, // 6. LabelTransformer: labels[] entries, then commonLabels
  commonAnnotationsTransformer, // 7. AnnotationsTransformer
  patchesJson6902Transformer, // 8. PatchJson6902Transformer
  replicasTransformer, // 9. ReplicaCountTransformer
  imagesTransformer, // 10. ImageTagTransformer
  replacementsTransformer, // 11. ReplacementTransformer
];
