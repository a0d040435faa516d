/**
 * What a transformer sees: the kustomization of the level being built, its loader and the
 * accumulated transformer configuration.
 */
import type { TransformerConfig } from '../fieldspecs/index.js';
import type { Kustomization } from '../kustomization.js';
import type { Loader } from '../loader.js';
import type { ResMap } from '../resmap.js';

export interface LevelContext {
  readonly k: Kustomization;
  /** The kustomization file (repo-relative), for messages. */
  readonly file: string;
  readonly loader: Loader;
  readonly config: TransformerConfig;
  lineOf(path: (string | number)[]): number | undefined;
}

/** One builtin transformer: the kustomization field it implements and what it does. */
export interface Transformer {
  /** The kustomization field, e.g. `namePrefix`. */
  readonly field: string;
  /** kustomize's builtin plugin kind for it, e.g. `PrefixTransformer` (origin annotations). */
  readonly plugin: string;
  /** How many plugin instances kustomize configures for this kustomization (0 when unused). */
  instances(k: Kustomization): number;
  run(m: ResMap, ctx: LevelContext): void;
}
