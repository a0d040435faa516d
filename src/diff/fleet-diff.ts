/**
 * Diffing a whole fleet between two trees (git refs or the working tree): discover the clusters
 * on both sides, render each, compare. A cluster whose inputs are identical on both sides (every
 * file and directory listing its build read answers the same) is not rebuilt on the base side.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import { RecordingRepoFs } from '../repo/recording-fs.js';
import type { Resource } from '../resources/resource.js';
import type { ClusterEntry } from '../discovery/clusters.js';
import { diffObjectSets } from './object-diff.js';
import type { ClusterDiff, FleetDiff } from './render.js';
import { AksfleetError } from '../errors.js';
import { maskText } from '../resources/mask.js';
import type { Unfollowed } from '../flux/source/unfollowed.js';
import type { TargetResources } from '../flux/build/resources-by-target.js';

/** What a renderer made of one cluster: the objects, and what it could not follow offline. */
export interface ClusterRender {
  /** What lands on this cluster. */
  readonly resources: Resource[];
  /** What lands on other clusters through spec.kubeConfig (remote Kustomizations, HelmReleases), per target. */
  readonly remote?: readonly TargetResources[];
  /** Parts of the cluster not rendered (their objects are missing from `resources`). */
  readonly unfollowed: readonly Unfollowed[];
  /** Values that came from Secrets into other objects (postBuild.substituteFrom): masked wherever shown. */
  readonly secretValues?: readonly string[];
}

/**
 * Renders what Flux applies for one cluster path. Throws on build errors. A plain list means
 * everything was followed.
 */
export type ClusterRenderer = (fs: RepoFs, cluster: ClusterEntry) => Resource[] | ClusterRender;

/** A renderer's answer as a ClusterRender. */
export function asClusterRender(r: Resource[] | ClusterRender): ClusterRender {
  return Array.isArray(r) ? { resources: r, unfollowed: [] } : r;
}

/** Both sides' unfollowed parts, each once (same kind, id and reason), base first. */
function mergeUnfollowed(a: readonly Unfollowed[], b: readonly Unfollowed[]): Unfollowed[] {
  const seen = new Set<string>();
  const out: Unfollowed[] = [];
  for (const u of [...a, ...b]) {
    const k = `${u.kind}\0${u.id}\0${u.reason}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(u);
  }
  return out;
}

export interface FleetDiffOptions {
  readonly baseFs: RepoFs;
  readonly headFs: RepoFs;
  readonly baseLabel: string;
  readonly headLabel: string;
  readonly baseClusters: readonly ClusterEntry[];
  readonly headClusters: readonly ClusterEntry[];
  readonly render: ClusterRenderer;
}

function message(e: unknown): string {
  if (e instanceof AksfleetError && 'format' in e && typeof (e as { format?: unknown }).format === 'function')
    return (e as unknown as { format(): string }).format();
  return e instanceof Error ? e.message : String(e);
}

/** One diff per other cluster either side applies to (sorted by target); none: no `remote` field. */
function remoteDiffs(
  base: readonly TargetResources[],
  head: readonly TargetResources[],
  secretValues: readonly string[],
): Pick<ClusterDiff, 'remote'> {
  const targets = [...new Set([...base, ...head].map((t) => t.target))].sort();
  if (targets.length === 0) return {};
  const of = (side: readonly TargetResources[], t: string) => side.find((x) => x.target === t)?.resources ?? [];
  return {
    remote: targets.map((target) => ({
      target,
      diff: diffObjectSets(of(base, target), of(head, target), { secretValues }),
    })),
  };
}

export function diffFleet(o: FleetDiffOptions): FleetDiff {
  const byPath = new Map<string, ClusterEntry>();
  for (const c of [...o.baseClusters, ...o.headClusters]) if (!byPath.has(c.path)) byPath.set(c.path, c);
  const clusters: ClusterDiff[] = [];
  for (const c of [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const onBase = o.baseClusters.some((x) => x.path === c.path);
    const onHead = o.headClusters.some((x) => x.path === c.path);
    const errors: string[] = [];
    let head: Resource[] = [];
    let headRemote: readonly TargetResources[] = [];
    let headUnfollowed: readonly Unfollowed[] = [];
    const secretValues: string[] = [];
    let recorder: RecordingRepoFs | undefined;
    if (onHead) {
      recorder = new RecordingRepoFs(o.headFs);
      try {
        const r = asClusterRender(o.render(recorder, c));
        ({ resources: head, unfollowed: headUnfollowed } = r);
        headRemote = r.remote ?? [];
        secretValues.push(...(r.secretValues ?? []));
      } catch (e) {
        errors.push(`${o.headLabel}: ${message(e)}`);
        recorder = undefined;
      }
    }
    if (onBase && onHead && recorder?.sameAnswersIn(o.baseFs)) {
      // Same inputs, so the base side would not follow the same parts either.
      clusters.push({
        cluster: c.name,
        path: c.path,
        errors: errors.map((e) => maskText(e, { secretValues })),
        unchangedInputs: true,
        unfollowed: headUnfollowed,
      });
      continue;
    }
    let base: Resource[] = [];
    let baseRemote: readonly TargetResources[] = [];
    let baseUnfollowed: readonly Unfollowed[] = [];
    if (onBase) {
      try {
        const r = asClusterRender(o.render(o.baseFs, c));
        ({ resources: base, unfollowed: baseUnfollowed } = r);
        baseRemote = r.remote ?? [];
        secretValues.push(...(r.secretValues ?? []));
      } catch (e) {
        errors.push(`${o.baseLabel}: ${message(e)}`);
      }
    }
    clusters.push({
      cluster: c.name,
      path: c.path,
      errors: errors.map((e) => maskText(e, { secretValues })),
      unchangedInputs: false,
      unfollowed: mergeUnfollowed(baseUnfollowed, headUnfollowed),
      diff: errors.length ? undefined : diffObjectSets(base, head, { secretValues }),
      ...(errors.length ? {} : remoteDiffs(baseRemote, headRemote, secretValues)),
    });
  }
  return { base: o.baseLabel, head: o.headLabel, clusters };
}
