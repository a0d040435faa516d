import { UsageError } from '../../errors.js';
import { startConsole } from '../../ui/server.js';
import { buildConsoleModel } from '../../ui/build-model.js';
import type { ConsoleModel } from '../../ui/model.js';
import { promotionPreviews, sloSummaries, upgradePlanProvider } from '../../ui/providers.js';
import { listenError } from '../../ui/listen-error.js';
import { helmSummaryLines } from '../../ui/helm-summary.js';
import { resolve } from 'node:path';
import { repoContext } from '../repo-context.js';
import { RENDER_FLAGS, RENDER_USAGE, renderSession } from '../render-options.js';
import { CHECK_SELECTION_FLAGS, checkSelection } from '../check-selection.js';
import type { Command } from '../command.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

// The console renders offline only: charts are fetched by build/check/diff --fetch-charts into the cache it reads.
const { 'fetch-charts': _fetch, ...UI_RENDER_FLAGS } = RENDER_FLAGS;
const UI_RENDER_USAGE = RENDER_USAGE.replace(' [--fetch-charts]', '');

const command: Command = {
  usage:
    `aksfleet ui [repo] [--port N] [--host ADDR] [--state FILE] [--to VERSION] [--platform aks|kubernetes] ` +
    `[--policies DIR]... ${UI_RENDER_USAGE}   (--host other than loopback only on purpose)`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    state: { type: 'string' },
    to: { type: 'string' },
    ...CHECK_SELECTION_FLAGS,
    ...UI_RENDER_FLAGS,
  },
  async run({ io, args, flags, session: given }) {
    if (args.length > 1) throw new UsageError('ui takes at most one repository argument');
    const port = flags.port === undefined ? 7777 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a number from 0 to 65535, got '${String(flags.port)}'`);
    const host = (flags.host as string | undefined) ?? '127.0.0.1';
    const ctx = repoContext(io.cwd, args[0]);
    // The render flags go into the session the check's render and the previews share; --platform
    // and --policies into the check, as on `aksfleet check`.
    const session = renderSession(given, flags, io, ctx.root);
    const check = checkSelection('ui', flags, io.cwd, ctx.root);
    // Listen first: a port in use or a host that cannot be bound is said at once, before the render.
    let model: ConsoleModel | undefined;
    const server = await startConsole({
      model: () => model!,
      host,
      port,
      allowedHosts: LOOPBACK.has(host) ? [] : [host],
      log: (l) => io.err(`${l}\n`),
    }).catch((e: unknown) => {
      throw listenError(e, host, port);
    });
    try {
      const started = Date.now();
      model = buildConsoleModel({
        root: ctx.root,
        isGit: ctx.isGit,
        fleet: ctx.fleet,
        session,
        check,
        promotions: ctx.isGit ? promotionPreviews : undefined,
        upgrade: upgradePlanProvider({
          ...(typeof flags.state === 'string' ? { stateFile: resolve(io.cwd, flags.state) } : {}),
          ...(typeof flags.to === 'string' ? { target: flags.to } : {}),
        }),
        slos: sloSummaries,
      });
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      io.err(`aksfleet console for ${ctx.root} (model built in ${Date.now() - started} ms)\n`);
      for (const line of helmSummaryLines(model)) io.err(`${line}\n`);
      io.out(`http://${shown}:${actual}/\n`);
      if (!LOOPBACK.has(host))
        io.err(`warning: listening on ${host}, not loopback: anyone who can reach it can read the rendered fleet\n`);
    } catch (e) {
      server.close();
      throw e;
    }
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
export default command;
