/**
 * The CLI boundary: parses argv, dispatches to one command module, and maps errors to exit codes.
 * This is the only place that catches errors for the user; stack traces only with --debug.
 */
import { readFileSync, readlinkSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AksfleetError, InputError, UsageError } from '../errors.js';
import type { CommandEntry, Io } from './command.js';
import { commands } from './commands/index.js';
import { packageVersion } from '../package-root.js';
import { createSession, sessionOptionsFromEnv, type Session } from '../session/session.js';
import { commandGroups, commandHelp, groupHelp } from './help/render.js';
import { parseArgsMessage } from './help/parse-error.js';
import { didYouMean } from './help/did-you-mean.js';

const GLOBAL_OPTIONS = {
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Writes to fd 1 synchronously, so that a full disk (ENOSPC), a closed reader (EPIPE) or a closed
 * stdout surfaces here as an error with a message (exit 2) instead of an unhandled stream error.
 * Node reopens a closed fd 1 on /dev/null read-write at start-up; on Linux that is how it is told
 * apart from `>/dev/null` (write-only). A heuristic: a parent that gives stdout alone a read-write
 * /dev/null (Node's stdio ['pipe', 'ignore', 'pipe']) looks the same and gets exit 2 when a
 * command writes to stdout.
 */
function writeStdout(text: string): void {
  if (stdoutWasClosed())
    throw new AksfleetError(
      'standard output is closed: the output has nowhere to go (redirect it to a file, a pipe or /dev/null)',
    );
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // a non-blocking pipe is full: wait for the reader
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      const why =
        code === 'ENOSPC'
          ? 'no space left on the device'
          : code === 'EPIPE'
            ? 'the reader closed the pipe'
            : code === 'EBADF'
              ? 'it is closed'
              : (e as Error).message;
      throw new AksfleetError(
        `cannot write to standard output: ${why}${code ? ` (${code})` : ''}; the output is incomplete`,
        { cause: e },
      );
    }
  }
}

let stdoutClosed: boolean | undefined;
function stdoutWasClosed(): boolean {
  if (stdoutClosed === undefined) {
    try {
      const flags = Number.parseInt(
        /^flags:\s+([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1] ?? '1',
        8,
      );
      // A parent that discards every stream (Node's stdio 'ignore') also gives /dev/null read-write:
      // only a stdout on it beside a real stderr is taken for a closed one.
      stdoutClosed =
        readlinkSync('/proc/self/fd/1') === '/dev/null' &&
        (flags & 3) === 2 &&
        readlinkSync('/proc/self/fd/2') !== '/dev/null';
    } catch {
      stdoutClosed = false; // not Linux: no way to tell, write as usual
    }
  }
  return stdoutClosed;
}

export function defaultIo(): Io {
  const color = !process.env.NO_COLOR && process.stdout.isTTY === true;
  return {
    out: writeStdout,
    err: (t) => void process.stderr.write(t),
    color,
    cwd: process.cwd(),
    env: process.env,
  };
}

function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  // Longest match first, so `upgrade plan` wins over `upgrade`.
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const cmd of sorted) {
    const words = cmd.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { entry: cmd, rest: argv.slice(words.length) };
  }
  return undefined;
}

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'aksfleet: a fleet of AKS clusters through GitOps',
    '',
    'Usage: aksfleet <command> [options]   (aksfleet <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --debug (stack traces), -h/--help, -v/--version. NO_COLOR disables colour.',
    'Exit codes: 0 success, 1 findings or differences, 2 usage or input error, 3 internal error.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI and returns the exit code. Never throws. Each call runs in its own session
 * (src/session: memos, engine options, diagnostics), made from `io.env` unless one is given.
 */
export async function main(argv: string[], io: Io = defaultIo(), given?: Session): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    // `aksfleet help build` is `aksfleet build --help`.
    if (argv[0] === 'help' && argv.length > 1)
      return await main([...argv.slice(1).filter((a) => a !== '--debug'), '--help'], io, given);
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(helpText());
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
      io.out(`${packageVersion()}\n`);
      return 0;
    }
    const found = findCommand(argv);
    if (!found) {
      const group = commandGroups(commands).find((g) => g === argv[0]);
      if (group && argv.slice(1).every((a) => a.startsWith('-'))) {
        if (!argv.includes('--help') && !argv.includes('-h'))
          throw new UsageError(`'aksfleet ${group}' needs a subcommand:\n${groupHelp(group, commands).trimEnd()}`);
        io.out(groupHelp(group, commands));
        return 0;
      }
      throw new UsageError(unknownCommand(argv));
    }
    const { entry, rest } = found;
    const cmd = await entry.load();
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...cmd.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new UsageError(
        parseArgsMessage(e, entry.name, cmd.options) ?? `${(e as Error).message}\nUsage: ${cmd.usage}`,
      );
    }
    if (parsed.values.help) {
      io.out(commandHelp(entry, cmd));
      return 0;
    }
    const session = given ?? createSession(sessionOptionsFromEnv(io.env));
    return await cmd.run({ io, args: parsed.positionals, flags: parsed.values as never, debug, session });
  } catch (e) {
    return report(e, io, debug);
  }
}

/** An unknown command (or subcommand), with the closest known one. */
function unknownCommand(argv: string[]): string {
  if (argv[0]!.startsWith('-')) {
    const guess = didYouMean(argv[0]!.split('=')[0]!, ['--help', '--version', '--debug']);
    return (
      `unknown option '${argv[0]}': a command comes first${guess ? `; did you mean '${guess}'?` : ''} ` +
      `('aksfleet --help' lists the commands)`
    );
  }
  const words = argv.filter((a) => !a.startsWith('-'));
  const group = commandGroups(commands).find((g) => g === words[0]);
  const typed = (group ? words.slice(0, 2) : words.slice(0, 1)).join(' ');
  const known = group
    ? commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name)
    : [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
  const guess = didYouMean(typed, known);
  const list = group ? `'aksfleet ${group} --help'` : `'aksfleet --help'`;
  return `unknown command '${typed}'${guess ? `; did you mean '${guess}'?` : ''} (${list} lists the commands)`;
}

function report(e: unknown, io: Io, debug: boolean): number {
  const red = (s: string) => (io.color ? `\x1b[31m${s}\x1b[0m` : s);
  if (e instanceof InputError) {
    io.err(`${red('error:')} ${e.format()}\n`);
    if (debug && e.stack) io.err(`${e.stack}\n`);
    return e.exitCode;
  }
  if (e instanceof AksfleetError) {
    io.err(`${red('error:')} ${e.message}\n`);
    if (debug && e.stack) io.err(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.err(
    `${red('internal error:')} ${err?.message ?? String(e)}\nThis is a bug in aksfleet; please report it ` +
      `with the command you ran${debug ? '' : ' and the output of --debug'}.\n`,
  );
  if (debug && err?.stack) io.err(`${err.stack}\n`);
  return 3;
}
