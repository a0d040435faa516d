/**
 * The Flux build's entry points with the render engines (render-engines.ts: Helm, Go templates)
 * by default: what src/flux exports, for the library and every caller that renders charts anyway.
 * `aksfleet build` calls build/build-cluster.ts's own `buildCluster` instead and loads the engines
 * only when its build asks for them (build/engines.ts), so a repository without charts to render
 * never loads them.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { KObject, Resource } from '../resources/resource.js';
import { buildCluster as buildClusterWith } from './build/build-cluster.js';
import type { BuildClusterOptions, ClusterBuild } from './build/types.js';
import { RENDER_ENGINES } from './render-engines.js';
import {
  expandResourceSet as expandWith,
  type ExpandOptions,
  type ResourceSetExpansion,
} from './resourceset/expand.js';

/** Everything Flux applies to one cluster (build/build-cluster.ts), with the render engines unless `opts.engines`. */
export function buildCluster(repo: RepoFs, opts: BuildClusterOptions): ClusterBuild {
  return buildClusterWith(repo, opts.engines ? opts : { ...opts, engines: RENDER_ENGINES });
}

/** The objects the operator applies for a ResourceSet (resourceset/expand.ts), with the render engines by default. */
export function expandResourceSet(rs: KObject, origin: Resource['origin'], opts: ExpandOptions): ResourceSetExpansion {
  return expandWith(rs, origin, opts.engines ? opts : { ...opts, engines: RENDER_ENGINES });
}
