/**
 * `--changed-since REF`: the clusters whose render inputs differ between a git commit and the
 * working tree. The first run for a commit renders every cluster at that commit from git
 * objects (GitRepoFs: the checkout is never touched) through InputRecorders and saves the
 * questions and answers in the git directory (`.git/aksfleet/inputs-<key>.json`, never in the
 * working tree); later runs only ask those questions of the working tree.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { GitRepoFs } from '../git/git-repo-fs.js';
import { gitTopLevel, resolveCommit } from '../git/git.js';
import { aksfleetGitDir } from './build-cache-dir.js';
import { InputRecorder, InputSet, QuestionPool } from './inputs.js';
import { recordingChartStore } from './chart-inputs.js';
import { parseStatRecord, sameRecord, secondStartNs, statRecordText, workingTreeStamps } from './stat-record.js';
import type { ChartStore } from '../helm/sources/index.js';

export interface ChangedSinceOptions {
  /** Repository root (a git work tree). */
  readonly root: string;
  readonly ref: string;
  /** What else the recorded run depends on (tool version, options): part of the cache key. */
  readonly salt: string;
  /** The tree to compare with the commit (the working tree). */
  readonly head: RepoFs;
  /**
   * Renders every cluster over `fs`, each cluster through `clusterFs(cluster)`; returns the
   * cluster paths rendered.
   */
  readonly record: (
    fs: RepoFs,
    clusterFs: (c: { path: string }) => RepoFs,
    charts: (store: ChartStore) => ChartStore,
  ) => void;
  /**
   * The chart store the renders read (`--chart-source` folders, the chart cache): each chart a
   * cluster's render looks up is one of its inputs (chart-inputs.ts). `record` renders through
   * `charts(store)`. None: charts are not tracked.
   */
  readonly charts?: ChartStore;
  /**
   * `head` is the working tree at `root` on disk: compare by stamps first (stat-record.ts), reading
   * only what changed since the last run (default false: every question is asked of `head`).
   */
  readonly stamps?: boolean;
  /** With `stamps`: the `--chart-source` folders (source id -> absolute folder) whose trees are stamped. */
  readonly chartSources?: Readonly<Record<string, string>>;
}

export interface ChangedSince {
  readonly commit: string;
  /** Whether the inputs of `commit` came from the cache. */
  readonly cached: boolean;
  /** A question outside every cluster (fleet.yaml, config, discovery) changed: check everything. */
  readonly global: boolean;
  /** Cluster paths at the commit. */
  readonly known: ReadonlySet<string>;
  /** Cluster paths (of the commit) whose inputs changed. */
  readonly changed: ReadonlySet<string>;
  /** How many recorded questions were asked of the working tree (the others were taken by their stamps). */
  readonly answered?: number;
  /** A cluster path needs rendering: changed, or not a cluster at the commit, or global change. */
  needsRender(path: string): boolean;
}

function cacheFile(root: string, key: string): string {
  const dir = aksfleetGitDir(root);
  if (dir === undefined) throw new UsageError(`--changed-since needs a git repository: ${root} is not one`);
  return join(dir, `inputs-${key}.json`);
}

export function changedSince(o: ChangedSinceOptions): ChangedSince {
  const top = gitTopLevel(o.root);
  if (top === undefined) throw new UsageError(`--changed-since needs a git repository: ${o.root} is not in one`);
  if (realpathSync(top) !== realpathSync(o.root))
    throw new UsageError(`--changed-since needs the repository's top directory (${top}), not ${o.root}`);
  const commit = resolveCommit(o.root, o.ref);
  const key = createHash('sha1').update(`${commit}\0${o.salt}`).digest('hex').slice(0, 20);
  const file = cacheFile(o.root, key);
  let set: InputSet | undefined;
  try {
    set = InputSet.parse(readFileSync(file, 'utf8'), key);
  } catch {
    set = undefined;
  }
  const cached = set !== undefined;
  if (!set) {
    const base = new GitRepoFs(o.root, commit);
    const global = new InputRecorder(base);
    // Each cluster's questions go into the pool as numbers while it renders; its recorder is
    // not kept, so a streaming check frees each cluster's render (and what is cached against
    // its RepoFs) once its rules ran.
    const pool = new QuestionPool();
    const clusters = new Map<string, number[]>();
    // A chart lookup belongs to the cluster rendering (the last one given its RepoFs), else to the run.
    const globalCharts: number[] = [];
    let current = globalCharts;
    try {
      o.record(
        global,
        (c) => {
          const ids: number[] = [];
          clusters.set(c.path, ids);
          current = ids;
          return new InputRecorder(base, { pool, ids });
        },
        (store) => recordingChartStore(store, (q, a) => void current.push(pool.id(q, a))),
      );
    } catch {
      // The commit does not render (bad input there): nothing to compare with, check everything.
      return { commit, cached: false, global: true, known: new Set(), changed: new Set(), needsRender: () => true };
    }
    set = InputSet.fromPool(
      key,
      pool,
      [...[...global.questions].map(([q, a]) => pool.id(q, a)), ...globalCharts],
      clusters,
    );
    // A read-only git directory only costs the next run the recording again.
    writeWhole(file, JSON.stringify(set));
  }
  const cmp = o.stamps
    ? compareByStamps(o, set, `${file.slice(0, -'.json'.length)}.stat.json`, key)
    : set.compare(o.head, o.charts);
  const known = new Set(set.clusterPaths);
  return {
    commit,
    cached,
    global: cmp.global,
    known,
    changed: cmp.changed,
    answered: cmp.answered,
    needsRender: (p) => cmp.global || !known.has(p) || cmp.changed.has(p),
  };
}

/** `set.compare` with the stat record at `file` (stat-record.ts): read first, written again when it changed. */
function compareByStamps(o: ChangedSinceOptions, set: InputSet, file: string, key: string) {
  const began = Date.now();
  let known: Map<number, string> | undefined;
  try {
    known = parseStatRecord(readFileSync(file, 'utf8'), key);
  } catch {
    known = undefined;
  }
  const was = known ?? new Map<number, string>();
  const cmp = set.compare(o.head, o.charts, {
    stamp: workingTreeStamps(o.root, o.chartSources),
    known: was,
    keepBeforeNs: secondStartNs(began),
  });
  if (known === undefined || !sameRecord(was, cmp.same)) writeWhole(file, statRecordText(key, cmp.same));
  return cmp;
}

/** Writes `text` to `file` through a temporary file (readers see a whole file or the old one). */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // a read-only git directory only costs the next run the reading again
  }
}
