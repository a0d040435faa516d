/**
 * The kustomize engine: `kustomize build` semantics in-process, over a RepoFs.
 * (Public API; the implementation lives in the files beside this one.)
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';

export interface KustomizeOptions {
  /** `RootOnly` (kubectl's default) or `None` (what Flux uses; the RepoFs still confines reads to the repo). */
  readonly loadRestrictions?: 'RootOnly' | 'None';
  /**
   * Output order when the kustomization has no `sortOptions`: `legacy` (kubectl kustomize's default)
   * or `fifo` (what Flux does).
   */
  readonly defaultSortOrder?: 'legacy' | 'fifo';
  /**
   * Use this kustomization (already parsed) for the root directory instead of reading the
   * kustomization file there. Flux's generated/overridden kustomization is passed this way.
   */
  readonly rootKustomization?: Record<string, unknown>;
}

/**
 * Builds the kustomization in `dir` (repo-relative) and returns the resources in output order,
 * each with its origin. Throws InputError for bad input, naming the file and the chain of
 * kustomizations that led to it.
 */
export function buildKustomization(fs: RepoFs, dir: string, opts: KustomizeOptions = {}): Resource[] {
  void fs; void dir; void opts;
  throw new Error('buildKustomization: not implemented yet');
}
