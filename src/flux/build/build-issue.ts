/** The problem type of every Flux build (Kustomizations and HelmReleases). */
import type { ResourceId } from '../../resources/resource.js';

/** One problem, with where it is and which Flux Kustomizations led to it. */
export interface BuildIssue {
  readonly message: string;
  /** Repo-relative file, when known. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly fieldPath?: string;
  /** The object concerned (`Kind/ns/name`). */
  readonly object?: ResourceId;
  /** The postBuild variable concerned. */
  readonly variable?: string;
  /** Flux Kustomizations (`namespace/name`) from the cluster root to the one concerned. */
  readonly chain?: readonly string[];
  /** Not a mistake of the repository but what an offline build cannot follow (a remote kustomize base). */
  readonly offline?: true;
}
