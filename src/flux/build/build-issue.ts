/** The problem type of every Flux build (Kustomizations and HelmReleases). */
import type { SourceLocation } from '../../diagnostic.js';
import type { ResourceId } from '../../resources/resource.js';

/**
 * One problem, with where it is (a SourceLocation of src/diagnostic.ts, flat: `file` is
 * repo-relative and absent when not known) and which Flux Kustomizations led to it.
 */
export interface BuildIssue extends Partial<SourceLocation> {
  readonly message: string;
  /** The object concerned (`Kind/ns/name`). */
  readonly object?: ResourceId;
  /** The postBuild variable concerned. */
  readonly variable?: string;
  /** Flux Kustomizations (`namespace/name`) from the cluster root to the one concerned. */
  readonly chain?: readonly string[];
  /** Not a mistake of the repository but what an offline build cannot follow (a remote kustomize base). */
  readonly offline?: true;
}
