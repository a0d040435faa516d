/**
 * The Flux spec overrides applied to the kustomization, in the order of fluxcd/pkg
 * kustomize_generator.go GenerateManifest. This list is the order; a test pins it.
 */
import type { Override } from './context.js';
import { targetNamespace } from './target-namespace.js';
import { namePrefixSuffix } from './name-prefix-suffix.js';
import { patches } from './patches.js';
import { components } from './components.js';
import { legacyPatches } from './legacy-patches.js';
import { images } from './images.js';
import { buildMetadata } from './build-metadata.js';

export const OVERRIDES: readonly { readonly name: string; readonly apply: Override }[] = [
  { name: 'targetNamespace', apply: targetNamespace },
  { name: 'namePrefix/nameSuffix', apply: namePrefixSuffix },
  { name: 'patches', apply: patches },
  { name: 'components', apply: components },
  { name: 'patchesStrategicMerge/patchesJson6902', apply: legacyPatches },
  { name: 'images', apply: images },
  { name: 'buildMetadata', apply: buildMetadata },
];

export type { Override, OverrideContext } from './context.js';
