/**
 * `checkRepository` over worker threads: the clusters are split by discovery index modulo the
 * number of workers; each worker checks its share (rendering, cluster rules) and the findings are
 * merged into exactly the list one thread gives (same findings, same order). Repository rules run
 * in every worker and are taken from the first one.
 *
 * Measured (docs/performance.md): on 2 cores, 1.3x faster wall at 100 clusters and 1.65x at 1000
 * when the machine is otherwise idle, for 24% and 9% more CPU (each worker loads the fleet and
 * builds the shared folders once). On a busy machine it only competes for the same cores.
 * Anything a worker cannot do (bad input) is redone in this thread, so errors are the same.
 */
import { Worker } from 'node:worker_threads';
import { checkRepository, rules as allRules, type CheckOptions } from '../checks/index.js';
import { sortFindings } from '../checks/run.js';
import type { Finding, Rule } from '../checks/types.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { createSession, type Session } from '../session/session.js';
import type { RenderCountEntry } from '../session/render-count.js';
import { recordingChartMisses, withRenderSettings, type RenderSettings } from '../session/render-settings.js';
import type { ChartRequest } from '../helm/sources/index.js';

export interface ParallelCheckOptions {
  readonly path?: string;
  readonly cluster?: string;
  readonly today?: string;
  /** `check --policies` documents (plain data: they cross to the workers). */
  readonly policies?: CheckOptions['policies'];
  readonly platform?: CheckOptions['platform'];
  readonly profile?: CheckOptions['profile'];
  /** The render options (plain data): each worker opens its own session and chart store from them. */
  readonly render?: RenderSettings;
}

/**
 * The check options of one pass in one thread: `base` (the thread's session, kept across the
 * passes of one command so that its render memo serves the second pass of `--fetch-charts`) with
 * the render settings; with `fetchCharts`, its chart store records the charts it could not find
 * (`missed`), and `renders` gives the cluster builds of the pass.
 */
export function threadCheckOptions(
  root: string,
  options: ParallelCheckOptions,
  base: Session = createSession(),
): { options: CheckOptions; missed(): ChartRequest[]; renders(): RenderCountEntry[] } {
  const { render, ...rest } = options;
  const session = withRenderSettings(base, render ?? {}, root);
  const rec = render?.fetchCharts === true ? recordingChartMisses(session) : { session, missed: () => [] };
  const before = base.renders.entries();
  return {
    options: { ...rest, keepContexts: false, session: rec.session },
    missed: rec.missed,
    renders: () => rendersSince(before, base.renders.entries()),
  };
}

/** The builds counted in `after` and not in `before` (same views and paths). */
function rendersSince(before: readonly RenderCountEntry[], after: readonly RenderCountEntry[]): RenderCountEntry[] {
  const was = new Map(before.map((e) => [JSON.stringify([e.view, e.path]), e.count]));
  return after
    .map((e) => ({ ...e, count: e.count - (was.get(JSON.stringify([e.view, e.path])) ?? 0) }))
    .filter((e) => e.count > 0);
}

/** What a worker is started with; each pass is a message (WorkerPass), answered by a WorkerOutput. */
export interface WorkerInput {
  readonly root: string;
  readonly options: Omit<ParallelCheckOptions, 'render'>;
  readonly index: number;
  readonly of: number;
  /** The persistent stores the worker opens for its session (check-worker.ts); none: it keeps nothing. */
  readonly stores?: WorkerStores;
}

/**
 * The persistent stores of a run, for its workers: each opens the repository's build cache and
 * content stores itself (src/incremental/build-cache-dir.ts), the same folders the main thread
 * would; every write is a temporary file of its own process and thread renamed over the entry, so
 * workers and other runs share them safely.
 */
export interface WorkerStores {
  /** The environment that places the content stores outside a git repository (`XDG_CACHE_HOME`, `HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface WorkerPass {
  readonly render?: RenderSettings;
}

export type WorkerOutput =
  | {
      readonly ok: true;
      readonly findings: Finding[];
      readonly clusters: { name: string; path: string; objects: number; order: number }[];
      readonly ruleIds: string[];
      readonly missedCharts: ChartRequest[];
      readonly renders: RenderCountEntry[];
      /** What the worker's content stores noticed (corrupt entries, not trusted). */
      readonly storeNotes: string[];
    }
  | { readonly ok: false; readonly message: string };

export interface ParallelCheckResult {
  readonly findings: Finding[];
  readonly clusters: { name: string; path: string; objects: number }[];
  /** The rules that ran (the configuration the workers read, so the caller need not read it again). */
  readonly rules: Rule[];
  /** `sequential` when workers <= 1 or a worker failed (then this thread redid the check). */
  readonly ran: 'workers' | 'sequential';
  /** Why a worker failed, when one did. */
  readonly workerError?: string;
  /** Charts the chart cache lacked (recorded only with `render.fetchCharts`). */
  readonly missedCharts: ChartRequest[];
  /** The cluster builds of this pass, over every thread (a caller adds them to its session's count). */
  readonly renders: RenderCountEntry[];
  /** What the workers' content stores noticed this pass (corrupt entries: made again), for the caller to say. */
  readonly storeNotes: string[];
}

/** One worker thread, kept for the passes of one command. */
interface CheckThread {
  pass(render: RenderSettings | undefined): Promise<WorkerOutput>;
  close(): Promise<void>;
}

function startWorker(input: WorkerInput): CheckThread {
  // Compiled, the worker is check-worker.js; under tsx (tests) it is .ts and needs tsx's loader
  // registered in the worker thread first.
  const ts = import.meta.url.endsWith('.ts');
  const file = new URL(`./check-worker${ts ? '.ts' : '.js'}`, import.meta.url);
  const w = ts
    ? new Worker(
        `(async () => { (await import('tsx/esm/api')).register(); await import(${JSON.stringify(file.href)}); })()`,
        { eval: true, workerData: input },
      )
    : new Worker(file, { workerData: input });
  const waiting: ((o: WorkerOutput) => void)[] = [];
  let dead: string | undefined;
  const fail = (message: string) => {
    dead ??= message;
    for (const r of waiting.splice(0)) r({ ok: false, message: dead });
  };
  w.on('message', (m: WorkerOutput) => waiting.shift()?.(m));
  w.once('error', (e) => fail(e.message));
  w.once('exit', (code) => fail(`worker exited with code ${code}`));
  return {
    pass: (render) =>
      new Promise((resolve) => {
        if (dead !== undefined) return resolve({ ok: false, message: dead });
        waiting.push(resolve);
        w.postMessage({ ...(render ? { render } : {}) } satisfies WorkerPass);
      }),
    close: async () => {
      dead ??= 'closed';
      await w.terminate();
    },
  };
}

/**
 * Worker threads for the passes of one command (`check --jobs N`; with `--fetch-charts`, the pass
 * before the fetch and the one after): each worker keeps its session, so the second pass builds
 * again only the clusters whose repository or chart answers changed
 * (src/incremental/render-memo.ts), as one thread does. `check(render)` runs one pass; `close()` ends the workers.
 */
export interface ParallelChecker {
  check(render: RenderSettings | undefined): Promise<ParallelCheckResult>;
  close(): Promise<void>;
}

export function openParallelCheck(
  root: string,
  options: Omit<ParallelCheckOptions, 'render'>,
  workers: number,
  stores?: WorkerStores,
): ParallelChecker {
  // This thread's session, for the passes it runs itself (workers <= 1, or after a worker failed).
  const own = createSession();
  const sequential = (render: RenderSettings | undefined, workerError?: string): ParallelCheckResult => {
    const t = threadCheckOptions(root, { ...options, ...(render ? { render } : {}) }, own);
    const r = checkRepository(new DiskRepoFs(root), t.options);
    return {
      findings: r.findings,
      clusters: r.clusters,
      rules: r.rules,
      ran: 'sequential',
      ...(workerError ? { workerError } : {}),
      missedCharts: t.missed(),
      renders: t.renders(),
      storeNotes: [],
    };
  };
  const threads =
    workers <= 1
      ? []
      : Array.from({ length: workers }, (_, index) =>
          startWorker({ root, options, index, of: workers, ...(stores ? { stores } : {}) }),
        );
  return {
    async check(render) {
      if (threads.length === 0) return sequential(render);
      const outs = await Promise.all(threads.map((t) => t.pass(render)));
      const failed = outs.find((o) => !o.ok);
      if (failed && !failed.ok) return sequential(render, failed.message);
      return merge(outs as Extract<WorkerOutput, { ok: true }>[]);
    },
    async close() {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}

/** The workers' passes as the one list one thread gives. */
function merge(ok: readonly Extract<WorkerOutput, { ok: true }>[]): ParallelCheckResult {
  // Cluster findings come from exactly one worker; repository findings (no cluster) from the first.
  const findings = sortFindings(
    ok.flatMap((o, i) => (i === 0 ? o.findings : o.findings.filter((f) => f.cluster !== undefined))),
  );
  const clusters = ok
    .flatMap((o) => o.clusters.map((c, pos) => ({ c, pos })))
    .sort((a, b) => a.c.order - b.c.order || a.pos - b.pos)
    .map(({ c: { order: _order, ...c } }) => c);
  const ran = new Set(ok[0]!.ruleIds);
  return {
    findings,
    clusters,
    rules: allRules.filter((r) => ran.has(r.id)),
    ran: 'workers',
    missedCharts: ok.flatMap((o) => o.missedCharts),
    renders: ok.flatMap((o) => o.renders),
    storeNotes: ok.flatMap((o) => o.storeNotes),
  };
}

/** One pass over worker threads (`openParallelCheck`, then `close`). */
export async function checkRepositoryParallel(
  root: string,
  options: ParallelCheckOptions,
  workers: number,
  stores?: WorkerStores,
): Promise<ParallelCheckResult> {
  const { render, ...rest } = options;
  const checker = openParallelCheck(root, rest, workers, stores);
  try {
    return await checker.check(render);
  } finally {
    await checker.close();
  }
}
