/**
 * The one in-process CLI runner for tests: `main` with a captured Io, in its own session (or
 * the one given, to read its memos and diagnostics afterwards). Not shipped (tsconfig.build.json
 * leaves out testing/ folders).
 */
import { main } from '../main.js';
import type { Io } from '../command.js';
import type { Session } from '../../session/session.js';

export interface CliRun {
  readonly code: number;
  /** stdout */
  readonly out: string;
  /** stderr */
  readonly err: string;
  /** stdout and stderr interleaved as written. */
  readonly all: string;
}

export interface RunCliOptions {
  /** Working directory (default process.cwd()). */
  readonly cwd?: string;
  /** The environment the command sees (default empty: no NO_COLOR, no AKSFLEET_TODAY). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether colour may be used (default false). */
  readonly color?: boolean;
  /** The session to run in (default: a new one made from `env`, as `main` does). */
  readonly session?: Session;
}

export async function runCli(argv: readonly string[], opts: RunCliOptions = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  let all = '';
  const io: Io = {
    out: (t) => void ((out += t), (all += t)),
    err: (t) => void ((err += t), (all += t)),
    color: opts.color ?? false,
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  };
  const code = await main([...argv], io, opts.session);
  return { code, out, err, all };
}
