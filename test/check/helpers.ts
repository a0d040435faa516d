import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import type { Session } from '../../src/session/session.js';

export interface CliResult { code: number; out: string; err: string }

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], opts: { cwd?: string; color?: boolean; env?: Record<string, string>; session?: Session } = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: opts.color ?? false, cwd: opts.cwd ?? process.cwd(), env: { AKSFLEET_TODAY: '2026-11-25', ...opts.env } };
  const code = await main(args, io, opts.session);
  return { code, out, err };
}
