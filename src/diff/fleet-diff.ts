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

/** Renders what Flux applies for one cluster path. Throws on build errors. */
export type ClusterRenderer = (fs: RepoFs, cluster: ClusterEntry) => Resource[];

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
  if (e instanceof AksfleetError && 'format' in e && typeof (e as { format?: unknown }).format === 'function') return (e as unknown as { format(): string }).format();
  return e instanceof Error ? e.message : String(e);
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
    let recorder: RecordingRepoFs | undefined;
    if (onHead) {
      recorder = new RecordingRepoFs(o.headFs);
      try {
        head = o.render(recorder, c);
      } catch (e) {
        errors.push(`${o.headLabel}: ${message(e)}`);
        recorder = undefined;
      }
    }
    if (onBase && onHead && recorder && recorder.sameAnswersIn(o.baseFs)) {
      clusters.push({ cluster: c.name, path: c.path, errors, unchangedInputs: true });
      continue;
    }
    let base: Resource[] = [];
    if (onBase) {
      try {
        base = o.render(o.baseFs, c);
      } catch (e) {
        errors.push(`${o.baseLabel}: ${message(e)}`);
      }
    }
    clusters.push({ cluster: c.name, path: c.path, errors, unchangedInputs: false, diff: errors.length ? undefined : diffObjectSets(base, head) });
  }
  return { base: o.baseLabel, head: o.headLabel, clusters };
}
