/**
 * `aksfleet check --watch`: one long-lived process that checks the repository, then checks it
 * again each time a file is saved. The session (build memo, chart renders, compiled policies)
 * lives as long as the process; each cluster's findings are kept with the questions its check
 * asked (src/checks/watch-check.ts), so a save checks again only the clusters it can change.
 *
 * Each run prints one header line on stderr (`[HH:MM:SS] watch: ...`: the files changed, the
 * clusters checked again, the time taken), then exactly what `aksfleet check` with the same
 * flags prints for the repository as it is now (stdout and stderr). An input error (a fleet
 * spec that does not parse) is printed as `check` prints it and the watch goes on. Ctrl-C
 * (SIGINT) or SIGTERM stops it; the exit code is the last run's: 0 clean, 1 findings at or above
 * `--fail-on`, 2 when the last run ended in a usage or input error.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { AksfleetError, InputError, UsageError } from '../../errors.js';
import { WatchCheck } from '../../checks/watch-check.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { renderSettingsOf } from '../../session/render-settings.js';
import { watchFiles } from '../../incremental/watch-files.js';
import { diskFingerprint } from '../../incremental/watch-inputs.js';
import type { CommandContext, Io } from '../command.js';
import { renderSession } from '../render-options.js';
import { checkFlags, noClusterError, printCheckReport } from '../check-report.js';
import { withChartFetch } from '../fetch-charts.js';
import { finishRunStores, openRunStores, sayStoreNotes } from '../content-stores.js';
import { withContentStores } from '../../session/session.js';

export interface WatchControl {
  /** Stops the watch (default: SIGINT or SIGTERM of the process). */
  readonly stop?: AbortSignal;
  /** Quiet time after a save before the check runs (default 100 ms). */
  readonly debounceMs?: number;
  /** Told after each run's output (tests wait on it). */
  readonly onRun?: (run: { readonly code: number; readonly changed: readonly string[] }) => void;
}

/** The flags `--watch` cannot be given with, and why. */
const ALONE: Readonly<Record<string, string>> = {
  jobs: 'a watch checks again only the clusters a save can change, in one process',
  shard: 'a watch checks the whole repository',
  'changed-since': 'a watch compares with the last run, not with a commit',
  'list-rules': 'the rules do not change while watching',
};

export async function runCheckWatch(ctx: CommandContext, control: WatchControl = {}): Promise<number> {
  const { io, flags, session: given } = ctx;
  for (const [flag, why] of Object.entries(ALONE))
    if (flags[flag] !== undefined) throw new UsageError(`use --watch or --${flag}, not both (${why})`);
  const opts = checkFlags(ctx);
  const { root } = opts;
  const kept = new WatchCheck();
  // The content stores, open once for the process (unless --no-cache); each run says its new notes.
  const stores = openRunStores(root, io, flags);
  const stored = withContentStores(given, stores);
  let noted = 0;
  let code = 0;
  /** One run over the repository as it is now; prints its header and report. */
  const runOnce = async (changed: readonly string[]): Promise<void> => {
    const wall = performance.now();
    const cpu = cpuUsage();
    let checked: readonly string[] = [];
    let total = 0;
    const out: { err: string[]; out: string[] } = { err: [], out: [] };
    // The run's output is held until its header is printed (the header says how long it took).
    const held: Io = { ...io, out: (t) => void out.out.push(t), err: (t) => void out.err.push(t) };
    try {
      const session = renderSession(stored, flags, held, root);
      const policies = opts.policies();
      const run = await withChartFetch(session, root, held, (s) =>
        kept.run(new DiskRepoFs(root), {
          ...opts.selection,
          ...(policies.length ? { policies } : {}),
          session: s,
          fingerprint: diskFingerprint(root),
        }),
      );
      checked = run.checked;
      total = run.result.clusters.length;
      if (run.result.clusters.length === 0) throw noClusterError(root);
      code = printCheckReport(held, run.result, opts);
    } catch (e) {
      if (!(e instanceof AksfleetError)) throw e;
      held.err(`error: ${e instanceof InputError ? e.format() : e.message}\n`);
      code = e.exitCode;
    }
    // A corrupt entry this run met (not trusted, made again): said, never silent.
    if (stores) noted = sayStoreNotes(stores, stored, held.err, noted);
    const used = cpuUsage(cpu);
    io.err(`${header(changed, checked.length, total, performance.now() - wall, (used.user + used.system) / 1000)}\n`);
    for (const t of out.err) io.err(t);
    for (const t of out.out) io.out(t);
    control.onRun?.({ code, changed });
  };
  // Folders outside the repository a check reads: --policies, and the chart sources of the flags
  // and .aksfleet.yaml (a bad .aksfleet.yaml is the first run's error, said there).
  let chartDirs: string[] = [];
  try {
    chartDirs = Object.values(renderSettingsOf(renderSession(given, flags, io, root)).chartSources ?? {});
  } catch {
    chartDirs = [];
  }
  const roots = watchRoots(root, [...opts.policyPaths.map((p) => resolve(io.cwd, p)), ...chartDirs]);
  return await new Promise<number>((resolve, reject) => {
    let queued: string[] = [];
    // Saves during a run (the first one too: the watch starts before it) wait for the next.
    let running = true;
    const settle = (p: Promise<void>) =>
      p.then(
        () => {
          running = false;
          next();
        },
        (e: unknown) => {
          finish();
          reject(e);
        },
      );
    const next = () => {
      if (running || queued.length === 0) return;
      const batch = queued;
      queued = [];
      running = true;
      void settle(runOnce(batch));
    };
    const watcher = watchFiles({
      roots,
      ...(control.debounceMs !== undefined ? { debounceMs: control.debounceMs } : {}),
      onBatch: (paths) => {
        queued = [...new Set([...queued, ...paths])].sort();
        next();
      },
      onError: (dir, e) => io.err(`warning: watch: cannot watch ${dir}: ${e.message}\n`),
    });
    io.err(`watching ${watcher.watched} folder(s) under ${roots.join(', ')}; Ctrl-C to stop\n`);
    const stop = () => {
      finish();
      resolve(code);
    };
    const finish = () => {
      watcher.close();
      finishRunStores(stores, stored, io.err, noted);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      control.stop?.removeEventListener('abort', stop);
    };
    if (control.stop) control.stop.addEventListener('abort', stop);
    else {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
    void settle(runOnce([]));
  });
}

/** `[HH:MM:SS] watch: <what changed>: N of M cluster(s) checked again in X ms (cpu Y ms)`. */
export function header(changed: readonly string[], checked: number, total: number, ms: number, cpuMs: number): string {
  const time = new Date().toISOString().slice(11, 19);
  const more = changed.length > 3 ? `, +${changed.length - 3} more` : '';
  const what =
    changed.length === 0
      ? 'first check'
      : `${changed.length} file(s) changed (${changed.slice(0, 3).join(', ')}${more})`;
  const took = `${Math.round(ms)} ms (cpu ${Math.round(cpuMs)} ms)`;
  return `[${time}] watch: ${what}: ${checked} of ${total} cluster(s) checked again in ${took}`;
}

/** The repository, then the folders outside it that a check reads (`--policies`, chart sources), each once. */
export function watchRoots(root: string, others: readonly string[]): string[] {
  const out = [root];
  const inside = (p: string, dir: string) => {
    const r = relative(dir, p);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  for (const p of others) {
    let dir = p;
    try {
      if (!statSync(p).isDirectory()) dir = dirname(p);
    } catch {
      continue;
    }
    if (out.some((o) => inside(dir, o))) continue;
    for (let i = out.length - 1; i > 0; i--) if (inside(out[i]!, dir)) out.splice(i, 1);
    out.push(dir);
  }
  return out;
}
