import type { RepoFs } from '../../../repo/repo-fs.js';
import type { FluxKustomizationSpec } from '../../types.js';
import type { KustomizationData } from '../read-kustomization.js';

/** What an override reads: the Flux spec, the artifact, and the kustomization directory. */
export interface OverrideContext {
  readonly spec: FluxKustomizationSpec;
  readonly fs: RepoFs;
  /** Artifact-relative directory of the kustomization. */
  readonly dir: string;
}

/** One Flux spec override: mutates the kustomization in place. Throws InputError on bad spec. */
export type Override = (k: KustomizationData, ctx: OverrideContext) => void;
