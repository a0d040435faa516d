import type { RepoFs } from '../../repo/repo-fs.js';

/** A Flux source artifact as the build reads it: a RepoFs, plus where its paths live in the repository. */
export interface ArtifactView extends RepoFs {
  /** The repository path of an artifact-relative path (for origins and messages). */
  repoPath(rel: string): string;
}
