/**
 * `check --shard I/N`: one runner of N checks a stable share of the clusters, and `report merge`
 * puts the N parts back together into exactly the report one runner gives.
 *
 * Shard I (1-based) takes the clusters whose discovery index is I-1 modulo N (discovery order is
 * the repository's, sorted, so every runner computes the same split without talking to the
 * others, and adding a cluster moves at most the clusters after it). Findings about a cluster
 * come from the shard that renders it; findings about no cluster (repository rules, which every
 * shard runs on the whole repository) from shard 1 only, so that each finding is in one part.
 */
import { UsageError } from '../errors.js';
import type { Finding } from './types.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly of: number;
}

/** `I/N` with 1 <= I <= N <= 1024; anything else is a usage error. */
export function parseShard(text: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const of = m ? Number(m[2]) : NaN;
  if (!m || of < 1 || of > 1024 || index < 1 || index > of)
    throw new UsageError(`--shard must be I/N with 1 <= I <= N <= 1024 (e.g. --shard 2/4), not '${text}'`);
  return { index, of };
}

/** Whether the cluster at discovery index `i` (0-based) is this shard's. */
export function inShard(shard: Shard, i: number): boolean {
  return i % shard.of === shard.index - 1;
}

/**
 * The findings this shard reports: those about its own clusters, and (shard 1 only) those about
 * no cluster or about a cluster no shard renders.
 */
export function shardFindings(
  findings: readonly Finding[],
  shard: Shard,
  own: ReadonlySet<string>,
  discovered: ReadonlySet<string>,
): Finding[] {
  return findings.filter(
    (f) =>
      (f.cluster !== undefined && own.has(f.cluster)) ||
      (shard.index === 1 && (f.cluster === undefined || !discovered.has(f.cluster))),
  );
}
