/**
 * The inputs of each cluster's last check in a long-lived process (`check --watch`): the
 * questions its render and rules asked of the repository (InputRecorder, pooled) and of the chart
 * store (chart-inputs.ts), with their answers. After an edit, `stale` asks each distinct question
 * once more: a cluster whose every answer is the same would check the same and is not checked again.
 * A cluster checked again gets a new list (`recorder`); the old one is dropped.
 */
import { join } from 'node:path';
import type { RepoFs } from '../repo/repo-fs.js';
import { answerOf, type Question } from '../repo/recording-fs.js';
import type { ChartStore } from '../helm/sources/index.js';
import { CHART_QUESTION, chartAnswerNow, recordingChartStore } from './chart-inputs.js';
import { InputRecorder, QuestionPool } from './inputs.js';
import { stampedOp, statStamp } from './disk-stamp.js';

/**
 * What identifies the state of a path without reading it (file id, size, modification and change
 * times: `diskFingerprint`); undefined: cannot tell, ask.
 */
export type Fingerprint = (path: string) => string | undefined;

/** The fingerprint of a repository-relative path on disk (disk-stamp.ts `statStamp`). */
export function diskFingerprint(root: string): Fingerprint {
  return (rel) => statStamp(join(root, rel))?.fp;
}

export class ClusterInputs {
  private readonly pool = new QuestionPool();
  private readonly byPath = new Map<string, number[]>();
  /** Answers given before, with the fingerprint of the path then (`stale` with a fingerprint). */
  private readonly answers = new Map<string, { fp: string; answer: string }>();
  /** Where chart lookups go: the list of the cluster rendering now (the last given a recorder). */
  private current: number[] | undefined;

  /** Cluster paths with recorded inputs. */
  get paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** A view of `fs` that records the questions of the cluster at `path` (replacing what it had). */
  recorder(path: string, fs: RepoFs): RepoFs {
    const ids: number[] = [];
    this.byPath.set(path, ids);
    this.current = ids;
    return new InputRecorder(fs, { pool: this.pool, ids });
  }

  /** A store that answers through `store` and notes each lookup for the cluster rendering now. */
  charts(store: ChartStore): ChartStore {
    return recordingChartStore(store, (q, a) => void this.current?.push(this.pool.id(q, a)));
  }

  /**
   * The files the cluster at `path` has read so far (repository-relative, sorted, each once; reads
   * that failed left out): during its check's `onClusterBuild`, the files its build read.
   */
  filesRead(path: string): string[] {
    const files = new Set<string>();
    for (const i of this.byPath.get(path) ?? []) {
      const [q, a] = this.pool.pairs[i]!;
      if (q.startsWith('read\0') && !a.startsWith('!')) files.add(q.slice(5));
    }
    return [...files].sort();
  }

  /** Forgets a cluster (gone from the repository, or its check failed part way). */
  forget(path: string): void {
    this.byPath.delete(path);
  }

  /**
   * The cluster paths of which some question has another answer in `fs` (or `charts`) now; each
   * distinct question is asked once (`asked`). With `fingerprint`, a question about one path whose
   * fingerprint is the one of the last time it was answered gets that answer again without reading
   * (`answered` counts those really answered).
   */
  stale(
    fs: RepoFs,
    charts: ChartStore | undefined,
    fingerprint?: Fingerprint,
  ): { paths: Set<string>; asked: number; answered: number } {
    const now = new Map<string, string>();
    const prints = new Map<string, string | undefined>();
    const print = (path: string): string | undefined => {
      if (!fingerprint) return undefined;
      if (!prints.has(path)) prints.set(path, fingerprint(path));
      return prints.get(path);
    };
    let answered = 0;
    const answer = (q: string): string => {
      let a = now.get(q);
      if (a === undefined) {
        const sep = q.indexOf('\0');
        const op = q.slice(0, sep);
        const path = q.slice(sep + 1);
        const fp = stampedOp(op) ? print(path) : undefined;
        const seen = fp === undefined ? undefined : this.answers.get(q);
        if (seen !== undefined && seen.fp === fp) a = seen.answer;
        else {
          answered++;
          a = op === CHART_QUESTION ? chartAnswerNow(charts, q) : answerOf(fs, op as Question, path);
          if (fp !== undefined) this.answers.set(q, { fp, answer: a });
        }
        now.set(q, a);
      }
      return a;
    };
    const paths = new Set<string>();
    for (const [path, ids] of this.byPath) {
      if (!ids.every((i) => answer(this.pool.pairs[i]![0]) === this.pool.pairs[i]![1])) paths.add(path);
    }
    return { paths, asked: now.size, answered };
  }
}
