/**
 * What every CLI command module exports. One module per command in src/cli/commands/;
 * the list in src/cli/commands/index.ts (names, summaries, lazy loaders) is the whole command surface.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Session } from '../session/session.js';

export interface Io {
  /** Data (the command's result) goes here. */
  out(text: string): void;
  /** Progress and messages go here. */
  err(text: string): void;
  /** True when colour may be used on stderr/stdout (a TTY and no NO_COLOR). */
  readonly color: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CommandContext {
  readonly io: Io;
  /** Positional arguments after the command name (and sub-command, if any). */
  readonly args: string[];
  /** Parsed flags, as node:util parseArgs returns them. */
  readonly flags: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly debug: boolean;
  /** This run's session (src/session): memos, engine options, diagnostics. One per `main` call. */
  readonly session: Session;
}

/** One line of the command surface (src/cli/commands/index.ts): the module loads only when run. */
export interface CommandEntry {
  /** The name as typed, e.g. `generate` or `upgrade plan`. */
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** What a command module exports by default (its name and summary are in its CommandEntry). */
export interface Command {
  /** Usage line(s) shown by `--help`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code: 0 success, 1 findings/differences. Throws AksfleetError for 2/3. */
  run(ctx: CommandContext): Promise<number>;
}
