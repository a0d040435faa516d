/**
 * Build inputs for incremental runs: which clusters must be rendered again after a change.
 *
 * A render reads the repository only through a RepoFs. `InputRecorder` records every question
 * one render asks (read, exists, isDir, isFile, list) with a digest of the answer; a render is
 * a function of those answers, so a cluster whose recorded questions get the same answers from
 * another tree renders the same there. `InputSet` keeps the questions of many clusters once
 * (clusters of an environment share most of them), serialises to a small JSON file, and tells
 * which clusters changed against another tree, asking each distinct question only once.
 */
import { decodeText, findFiles, type RepoFs } from '../repo/repo-fs.js';
import { answerDigest, answerOf, findQuestion, realPathAnswer, type Question } from '../repo/recording-fs.js';
import type { ChartStore } from '../helm/sources/index.js';
import { CHART_QUESTION, chartAnswerNow } from './chart-inputs.js';
import type { Stamp } from './disk-stamp.js';

/**
 * (question, answer) pairs of many recorders, each kept once and named by a number, so that the
 * questions of a thousand clusters (most of them shared) cost a number each per cluster.
 */
export class QuestionPool {
  private readonly index = new Map<string, number>();
  readonly pairs: [string, string][] = [];
  /** Per pair, the recorder that noted it last. */
  private readonly last: number[] = [];
  private recorders = 0;
  /** A number for a new recorder. */
  recorder(): number {
    return ++this.recorders;
  }
  /** The id of a pair; undefined when `recorder` was the last one to note it (already has it). */
  note(recorder: number, question: string, answer: string): number | undefined {
    const i = this.id(question, answer);
    if (this.last[i] === recorder) return undefined;
    this.last[i] = recorder;
    return i;
  }
  /** The id of a pair. */
  id(question: string, answer: string): number {
    const k = `${question}\0${answer}`;
    let i = this.index.get(k);
    if (i === undefined) this.index.set(k, (i = this.pairs.push([question, answer]) - 1));
    return i;
  }
}

/** Where a pooled recorder puts its questions: `ids` outlives the recorder. */
export interface PooledQuestions {
  readonly pool: QuestionPool;
  /**
   * Pool ids of the recorder's (question, answer) pairs in the order first asked; an id may
   * come again when another recorder noted the pair in between (`InputSet.fromPool` drops it).
   */
  readonly ids: number[];
}

/**
 * A RepoFs that answers through `inner` and notes every question with a digest of its answer.
 * With `pooled`, the questions go into `pooled.ids` as pool numbers instead of `questions`
 * (which stays empty): the recorder holds nothing of its own, so whatever keeps it (a build
 * memo entry, a cache keyed by RepoFs) keeps little, and the numbers are all that outlives it.
 */
export class InputRecorder implements RepoFs {
  readonly label: string;
  readonly questions = new Map<string, string>();
  private readonly number: number;
  constructor(
    private readonly inner: RepoFs,
    private readonly pooled?: PooledQuestions,
  ) {
    this.label = inner.label;
    this.number = pooled ? pooled.pool.recorder() : 0;
  }
  private note(op: Question, path: string, value: string): void {
    if (this.pooled) {
      const id = this.pooled.pool.note(this.number, `${op}\0${path}`, value);
      if (id !== undefined) this.pooled.ids.push(id);
    } else {
      this.questions.set(`${op}\0${path}`, value);
    }
  }
  private guard<T>(op: Question, path: string, f: () => T, val: (v: T) => string): T {
    let v: T;
    try {
      v = f();
    } catch (e) {
      this.note(op, path, `!${(e as Error).message}`);
      throw e;
    }
    this.note(op, path, val(v));
    return v;
  }
  readBytes(rel: string): Uint8Array {
    return this.guard('read', rel, () => this.inner.readBytes(rel), answerDigest);
  }
  readFile(rel: string): string {
    // Through readBytes, so that the digest is the one `answer` computes.
    return decodeText(this.readBytes(rel), rel);
  }
  exists(rel: string): boolean {
    return this.guard('exists', rel, () => this.inner.exists(rel), String);
  }
  isDir(rel: string): boolean {
    return this.guard('isDir', rel, () => this.inner.isDir(rel), String);
  }
  isFile(rel: string): boolean {
    return this.guard('isFile', rel, () => this.inner.isFile(rel), String);
  }
  list(rel: string): string[] {
    return this.guard(
      'list',
      rel,
      () => this.inner.list(rel),
      (v) => answerDigest(v.join('\0')),
    );
  }
  realPath(rel: string): string | undefined {
    return this.guard(
      'realPath',
      rel,
      () => this.inner.realPath?.(rel),
      (v) => realPathAnswer(rel, v),
    );
  }
  findFiles(under: string, name: string): string[] {
    return this.guard(
      'find',
      findQuestion(under, name),
      () => findFiles(this.inner, under, name),
      (v) => answerDigest(v.join('\0')),
    );
  }
}

export interface InputSetJson {
  readonly version: 1;
  readonly key: string;
  /** [question, answer] pairs; question is `op\0path`. */
  readonly questions: [string, string][];
  /** Questions asked outside any one cluster's render (discovery, fleet.yaml, config, repo rules). */
  readonly global: number[];
  /** Cluster path -> its questions (indexes into `questions`). */
  readonly clusters: Record<string, number[]>;
}

/** The recorded inputs of a whole run: global questions and each cluster's. */
export class InputSet {
  private constructor(private readonly json: InputSetJson) {}

  static fromRecorders(key: string, global: InputRecorder, clusters: ReadonlyMap<string, InputRecorder>): InputSet {
    const pool = new QuestionPool();
    const ids = (r: InputRecorder) => [...r.questions].map(([q, a]) => pool.id(q, a));
    return InputSet.fromPool(key, pool, ids(global), new Map([...clusters].map(([p, r]) => [p, ids(r)])));
  }

  /**
   * From pooled questions: `global` and each cluster's pool ids (each in the order first asked;
   * repeated ids count once). Numbered as `fromRecorders` numbers them: the clusters by path,
   * then the global questions.
   */
  static fromPool(
    key: string,
    pool: QuestionPool,
    global: readonly number[],
    clusters: ReadonlyMap<string, readonly number[]>,
  ): InputSet {
    const renumber = new Map<number, number>();
    const questions: [string, string][] = [];
    const ids = (from: readonly number[]) =>
      [...new Set(from)].map((id) => {
        let i = renumber.get(id);
        if (i === undefined) renumber.set(id, (i = questions.push(pool.pairs[id]!) - 1));
        return i;
      });
    const out: Record<string, number[]> = {};
    for (const p of [...clusters.keys()].sort()) out[p] = ids(clusters.get(p)!);
    return new InputSet({ version: 1, key, questions, global: ids(global), clusters: out });
  }

  /** Parses a saved set; undefined when it is not one (or for another key). */
  static parse(text: string, key: string): InputSet | undefined {
    try {
      const j = JSON.parse(text) as InputSetJson;
      if (
        j.version !== 1 ||
        j.key !== key ||
        !Array.isArray(j.questions) ||
        !Array.isArray(j.global) ||
        typeof j.clusters !== 'object'
      )
        return undefined;
      return new InputSet(j);
    } catch {
      return undefined;
    }
  }

  toJSON(): InputSetJson {
    return this.json;
  }

  get clusterPaths(): string[] {
    return Object.keys(this.json.clusters);
  }

  /**
   * Compares with `fs`: `global` is true when a question outside the clusters' renders is
   * answered differently (then everything may have changed); `changed` holds the cluster
   * paths with a differently answered question; paths not in the set are not in `changed`.
   * Chart questions (chart-inputs.ts) are asked of `charts`. With `stamps`, a question whose
   * subject's stamp is the one a previous comparison saw give the recorded answer is not asked
   * (`answered` counts the questions really asked); `same` is what to keep for the next one.
   */
  compare(
    fs: RepoFs,
    charts?: ChartStore,
    stamps?: CompareStamps,
  ): { global: boolean; changed: Set<string>; questions: number; answered: number; same: Map<number, string> } {
    const same = new Map<number, boolean>();
    const kept = new Map(stamps?.known);
    let answered = 0;
    const ok = (i: number): boolean => {
      let v = same.get(i);
      if (v === undefined) {
        const [q, a] = this.json.questions[i]!;
        const sep = q.indexOf('\0');
        const op = q.slice(0, sep);
        const arg = q.slice(sep + 1);
        const st = stamps?.stamp(op, arg);
        if (st !== undefined && stamps!.known.get(i) === st.fp) v = true;
        else {
          answered++;
          v = (op === CHART_QUESTION ? chartAnswerNow(charts, q) : answerOf(fs, op as Question, arg)) === a;
          // Racy: a subject changed in the second this run began may change again with the same stamp.
          if (v && st !== undefined && st.changedNs < stamps!.keepBeforeNs) kept.set(i, st.fp);
          else kept.delete(i);
        }
        same.set(i, v);
      }
      return v;
    };
    const global = !this.json.global.every(ok);
    const changed = new Set<string>();
    for (const [p, qs] of Object.entries(this.json.clusters)) if (!qs.every(ok)) changed.add(p);
    return { global, changed, questions: same.size, answered, same: kept };
  }
}

/** What lets `InputSet.compare` take a recorded answer without asking (stat-record.ts keeps `known`). */
export interface CompareStamps {
  /** The stamp of a question's subject now (op and argument: a path, a chart request), or undefined: ask. */
  readonly stamp: (op: string, arg: string) => Stamp | undefined;
  /** Question index -> the fingerprint its subject had when it last gave the recorded answer. */
  readonly known: ReadonlyMap<number, string>;
  /**
   * The start of the second this run began (ns): a stamp with a time at or after it is not kept
   * (as git's racy-clean check: the subject may change again within the same timestamp).
   */
  readonly keepBeforeNs: bigint;
}
