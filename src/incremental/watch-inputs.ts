/**
 * The inputs of each cluster's last check in a long-lived process (`check --watch`): the
 * questions its render and rules asked of the repository (InputRecorder, pooled) and of the chart
 * store (chart-inputs.ts), with their answers. After an edit, `stale` asks each distinct question
 * once more: a cluster whose every answer is the same would check the same and is not checked again.
 * A cluster checked again gets a new list (`recorder`); the old one is dropped.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import { answerOf, type Question } from '../repo/recording-fs.js';
import type { ChartStore } from '../helm/sources/index.js';
import { CHART_QUESTION, chartAnswerNow, recordingChartStore } from './chart-inputs.js';
import { InputRecorder, QuestionPool } from './inputs.js';

export class ClusterInputs {
  private readonly pool = new QuestionPool();
  private readonly byPath = new Map<string, number[]>();
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

  /** Forgets a cluster (gone from the repository, or its check failed part way). */
  forget(path: string): void {
    this.byPath.delete(path);
  }

  /**
   * The cluster paths of which some question has another answer in `fs` (or `charts`) now; each
   * distinct question is asked once. `asked` counts the questions asked.
   */
  stale(fs: RepoFs, charts: ChartStore | undefined): { paths: Set<string>; asked: number } {
    const now = new Map<string, string>();
    const answer = (q: string): string => {
      let a = now.get(q);
      if (a === undefined) {
        const sep = q.indexOf('\0');
        const op = q.slice(0, sep);
        a = op === CHART_QUESTION ? chartAnswerNow(charts, q) : answerOf(fs, op as Question, q.slice(sep + 1));
        now.set(q, a);
      }
      return a;
    };
    const paths = new Set<string>();
    for (const [path, ids] of this.byPath) {
      if (!ids.every((i) => answer(this.pool.pairs[i]![0]) === this.pool.pairs[i]![1])) paths.add(path);
    }
    return { paths, asked: now.size };
  }
}
