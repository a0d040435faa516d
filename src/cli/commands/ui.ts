import { UsageError } from '../../errors.js';
import { startConsole } from '../../ui/server.js';
import { buildConsoleModel } from '../../ui/build-model.js';
import { checkFindings, promotionPreviews, sloSummaries, upgradePlanProvider } from '../../ui/providers.js';
import { resolve } from 'node:path';
import { repoContext } from '../repo-context.js';
import type { Command } from '../command.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const command: Command = {
  usage: 'aksfleet ui [repo] [--port N] [--host ADDR] [--state FILE] [--to VERSION]   (--host other than loopback only on purpose)',
  options: { port: { type: 'string' }, host: { type: 'string' }, state: { type: 'string' }, to: { type: 'string' } },
  async run({ io, args, flags }) {
    if (args.length > 1) throw new UsageError('ui takes at most one repository argument');
    const port = flags.port === undefined ? 7777 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got '${String(flags.port)}'`);
    const host = (flags.host as string | undefined) ?? '127.0.0.1';
    const ctx = repoContext(io.cwd, args[0]);
    const started = Date.now();
    const model = buildConsoleModel({
      root: ctx.root,
      isGit: ctx.isGit,
      fleet: ctx.fleet,
      findings: checkFindings,
      promotions: ctx.isGit ? promotionPreviews : undefined,
      upgrade: upgradePlanProvider({
        ...(typeof flags.state === 'string' ? { stateFile: resolve(io.cwd, flags.state) } : {}),
        ...(typeof flags.to === 'string' ? { target: flags.to } : {}),
      }),
      slos: sloSummaries,
    });
    const server = await startConsole({ model, host, port, allowedHosts: LOOPBACK.has(host) ? [] : [host], log: (l) => io.err(`${l}\n`) });
    const addr = server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    const shown = host.includes(':') ? `[${host}]` : host;
    io.err(`aksfleet console for ${ctx.root} (model built in ${Date.now() - started} ms)\n`);
    io.out(`http://${shown}:${actual}/\n`);
    if (!LOOPBACK.has(host)) io.err(`warning: listening on ${host}, not loopback: anyone who can reach it can read the rendered fleet\n`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
export default command;
