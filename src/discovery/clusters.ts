/**
 * The cluster entry points of a repository, for diff, promote and the console: the same
 * discovery the check uses (find-clusters.ts: aksfleet fleet clusters, Flux sync objects,
 * FluxInstance sync paths, or clusters/<name>/), so every command sees the same clusters.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import { findClusters } from './find-clusters.js';

export interface ClusterEntry {
  /** A name for the cluster (the directory name, or the spec's cluster name). */
  readonly name: string;
  /** Repo-relative path Flux reconciles for it. */
  readonly path: string;
}

/**
 * The clusters of a repository, sorted by path. With the cluster names of a fleet spec, those
 * clusters at `clusters/<name>` (whether or not the folder exists on this ref).
 */
export function discoverClusters(fs: RepoFs, fleetClusterNames?: readonly string[]): ClusterEntry[] {
  const list =
    fleetClusterNames && fleetClusterNames.length > 0
      ? fleetClusterNames.map((name) => ({ name, path: `clusters/${name}` }))
      : findClusters(fs).map((c) => ({ name: c.name, path: c.path }));
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
