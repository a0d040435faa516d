/**
 * The renderer diff and promote use: what Flux applies for one cluster, from any RepoFs
 * (a git ref or the working tree), through the Flux build engine.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';
import type { ClusterEntry } from '../discovery/clusters.js';
import type { ClusterRenderer } from './fleet-diff.js';
import { InputError } from '../errors.js';
import { buildCluster } from '../flux/build/build-cluster.js';
import type { BuildIssue, ClusterBuild } from '../flux/build/types.js';

export interface RenderOptions {
  /** Values for postBuild variables that live only in the cluster (KEY -> value). */
  readonly vars?: Readonly<Record<string, string>>;
  /** Unset postBuild variables become '' instead of errors. Default true for diffs: both sides get the same treatment. */
  readonly allowMissingVars?: boolean;
}

export function issueText(i: BuildIssue): string {
  const where = i.file ? `${i.file}${i.line ? `:${i.line}` : ''}${i.line && i.column ? `:${i.column}` : ''}: ` : '';
  const chain = i.chain && i.chain.length ? ` (via ${i.chain.join(' -> ')})` : '';
  return `${where}${i.message}${chain}`;
}

/** Every error of a cluster build, as text. */
export function buildErrors(b: ClusterBuild): string[] {
  return [...b.errors, ...b.root.errors, ...b.kustomizations.flatMap((k) => k.errors)].map(issueText);
}

/** Everything a cluster build applies, root objects first, then each Kustomization's in reconcile order. */
export function appliedResources(b: ClusterBuild): Resource[] {
  return [...b.root.resources, ...b.kustomizations.filter((k) => k.status === 'built').flatMap((k) => k.resources)];
}

export function fluxRenderer(opts: RenderOptions = {}): ClusterRenderer {
  return (fs: RepoFs, cluster: ClusterEntry): Resource[] => {
    const b = buildCluster(fs, { path: cluster.path, vars: opts.vars, allowMissingVars: opts.allowMissingVars ?? true });
    const errors = buildErrors(b);
    if (errors.length) throw new InputError(errors.join('\n'));
    return appliedResources(b);
  };
}
