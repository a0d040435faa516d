/**
 * The renderer diff, promote and the console use: what Flux applies for one cluster, from any
 * RepoFs (a git ref or the working tree). Wired to the Flux build engine.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';
import type { ClusterEntry } from '../discovery/clusters.js';
import type { ClusterRenderer } from './fleet-diff.js';
import { InternalError } from '../errors.js';

export interface RenderOptions {
  /** Values for postBuild variables that live only in the cluster (KEY -> value). */
  readonly vars?: Readonly<Record<string, string>>;
}

export function fluxRenderer(opts: RenderOptions = {}): ClusterRenderer {
  return (fs: RepoFs, cluster: ClusterEntry): Resource[] => {
    void fs; void cluster; void opts;
    throw new InternalError('the Flux build engine is not wired in yet');
  };
}
