import { AksfleetError, InputError, UsageError } from '../../errors.js';
import { startConsole } from '../../ui/server.js';
import { buildConsoleModel, type ModelInputs } from '../../ui/build-model.js';
import type { ConsoleModel } from '../../ui/model.js';
import { LiveModel } from '../../ui/live-model.js';
import { ConsoleWatchModel } from '../../ui/watch-model.js';
import { promotionPreviews, sloSummaries, upgradePlanProvider } from '../../ui/providers.js';
import { listenError } from '../../ui/listen-error.js';
import { helmSummaryLines } from '../../ui/helm-summary.js';
import { diskFingerprint } from '../../incremental/watch-inputs.js';
import { renderSettingsOf } from '../../session/render-settings.js';
import { resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { repoContext } from '../repo-context.js';
import { RENDER_FLAGS, RENDER_USAGE, renderSession } from '../render-options.js';
import { CHECK_SELECTION_FLAGS, checkSelection } from '../check-selection.js';
import type { Command, CommandContext } from '../command.js';
import { header, watchRoots } from './check-watch.js';
import { watchLoop } from './ui-watch.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

// The console renders offline only: charts are fetched by build/check/diff --fetch-charts into the cache it reads.
const { 'fetch-charts': _fetch, ...UI_RENDER_FLAGS } = RENDER_FLAGS;
const UI_RENDER_USAGE = RENDER_USAGE.replace(' [--fetch-charts]', '');

/** What a test drives of `aksfleet ui` in-process (the command itself stops on SIGINT or SIGTERM). */
export interface UiControl {
  /** Stops the console (default: SIGINT or SIGTERM of the process). */
  readonly stop?: AbortSignal;
  /** With --watch: quiet time after a save before the model is computed again (default 100 ms). */
  readonly debounceMs?: number;
  /** With --watch: told after each recompute (published or failed) and its terminal line. */
  readonly onRecompute?: (r: { readonly revision: number; readonly error?: string }) => void;
}

const command: Command = {
  usage:
    `aksfleet ui [repo] [--port N] [--host ADDR] [--state FILE] [--to VERSION] [--platform aks|kubernetes] ` +
    `[--policies DIR]... [--watch] ${UI_RENDER_USAGE}   (--host other than loopback only on purpose)`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    state: { type: 'string' },
    to: { type: 'string' },
    watch: { type: 'boolean' },
    ...CHECK_SELECTION_FLAGS,
    ...UI_RENDER_FLAGS,
  },
  run: (ctx) => runUi(ctx),
};
export default command;

export async function runUi(ctx: CommandContext, control: UiControl = {}): Promise<number> {
  const { io, args, flags, session: given } = ctx;
  if (args.length > 1) throw new UsageError('ui takes at most one repository argument');
  const port = flags.port === undefined ? 7777 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, got '${String(flags.port)}'`);
  const host = (flags.host as string | undefined) ?? '127.0.0.1';
  const watching = flags.watch === true;
  const kept = watching ? new ConsoleWatchModel() : undefined;
  /**
   * The inputs of the model as they are now. The render flags go into the session the check's
   * render and the previews share; --platform and --policies into the check, as on `aksfleet check`.
   * With --watch they are read again before each recompute (the fleet spec, `.aksfleet.yaml`, the policies).
   */
  const inputsNow = (): ModelInputs => {
    const repo = repoContext(io.cwd, args[0]);
    return {
      root: repo.root,
      isGit: repo.isGit,
      fleet: repo.fleet,
      session: renderSession(given, flags, io, repo.root),
      check: checkSelection('ui', flags, io.cwd, repo.root),
      promotions: repo.isGit ? promotionPreviews : undefined,
      upgrade: upgradePlanProvider({
        ...(typeof flags.state === 'string' ? { stateFile: resolve(io.cwd, flags.state) } : {}),
        ...(typeof flags.to === 'string' ? { target: flags.to } : {}),
      }),
      slos: sloSummaries,
    };
  };
  const compute = (inputs: ModelInputs): { model: ConsoleModel; checked?: number; total?: number } => {
    if (!kept) return { model: buildConsoleModel(inputs) };
    const r = kept.run(inputs, diskFingerprint(inputs.root));
    return { model: r.model, checked: r.checked.length, total: r.total };
  };
  // The flags are checked (and the repository found) before listening, the render after.
  const firstInputs = inputsNow();
  const root = firstInputs.root;
  const live = new LiveModel(watching);
  // Listen first: a port in use or a host that cannot be bound is said at once, before the render.
  const server = await startConsole({
    model: () => live.current(),
    ...(watching ? { revision: () => live.revision() } : {}),
    host,
    port,
    allowedHosts: LOOPBACK.has(host) ? [] : [host],
    log: (l) => io.err(`${l}\n`),
  }).catch((e: unknown) => {
    throw listenError(e, host, port);
  });
  // With --watch, the files are watched from before the first model: a save while it is computed
  // gives the next one.
  let loop: ReturnType<typeof watchLoop> | undefined;
  let roots: string[] = [];
  if (watching) {
    /** One recompute after a save: the model swapped when complete, one terminal line either way. */
    const recompute = (changed: readonly string[]) => {
      const wall = performance.now();
      const cpu = cpuUsage();
      const took = () => {
        const used = cpuUsage(cpu);
        return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
      };
      let line: string;
      let error: string | undefined;
      try {
        const r = compute(inputsNow());
        const t = took();
        live.publish(r.model, { checked: r.checked!, total: r.total!, ms: Math.round(t.ms) });
        line = `${header(changed, r.checked!, r.total!, t.ms, t.cpuMs)}: revision ${live.revision().revision}`;
      } catch (e) {
        // An input error is the user's to fix; anything else is said as an internal error. The
        // console goes on serving the last model either way.
        error = e instanceof InputError ? e.format() : e instanceof AksfleetError ? e.message : internal(e);
        live.fail(error, e instanceof InputError ? e.location : undefined);
        const t = took();
        line =
          `${header(changed, 0, live.revision().last?.total ?? 0, t.ms, t.cpuMs)}: error: ${error}\n` +
          `the console keeps revision ${live.revision().revision}, marked stale, until the error is fixed`;
      }
      io.err(`${line}\n`);
      control.onRecompute?.({ revision: live.revision().revision, ...(error !== undefined ? { error } : {}) });
    };
    // Folders outside the repository the console reads: --policies and the chart sources.
    const chartDirs = Object.values(renderSettingsOf(firstInputs.session!).chartSources ?? {});
    const policies = [flags.policies ?? []].flat().map((p) => resolve(io.cwd, String(p)));
    roots = watchRoots(root, [...policies, ...chartDirs]);
    loop = watchLoop({
      roots,
      starting: () => live.checking(),
      recompute,
      ...(control.debounceMs !== undefined ? { debounceMs: control.debounceMs } : {}),
      onError: (dir, e) => io.err(`warning: watch: cannot watch ${dir}: ${e.message}\n`),
    });
  }
  try {
    const started = Date.now();
    const first = compute(firstInputs);
    live.publish(
      first.model,
      watching ? { checked: first.checked!, total: first.total!, ms: Date.now() - started } : undefined,
    );
    const addr = server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    const shown = host.includes(':') ? `[${host}]` : host;
    io.err(`aksfleet console for ${root} (model built in ${Date.now() - started} ms)\n`);
    for (const line of helmSummaryLines(first.model)) io.err(`${line}\n`);
    io.out(`http://${shown}:${actual}/\n`);
    if (!LOOPBACK.has(host))
      io.err(`warning: listening on ${host}, not loopback: anyone who can reach it can read the rendered fleet\n`);
  } catch (e) {
    loop?.close();
    server.close();
    throw e;
  }
  if (loop) io.err(`watching ${loop.watched} folder(s) under ${roots.join(', ')}; the page updates after each save\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      loop?.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      control.stop?.removeEventListener('abort', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    if (control.stop) control.stop.addEventListener('abort', stop);
    else {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
  });
  return 0;
}

/** An unexpected failure of one recompute, in one line: the console goes on with the last model. */
function internal(e: unknown): string {
  return `internal error while computing the model: ${e instanceof Error ? e.message : String(e)}`;
}
