/**
 * node:util parseArgs errors said in our own words: an unknown option with the closest one the
 * command takes (did you mean), a missing value with an example of one, a value given to a switch.
 */
import type { Command } from '../command.js';
import { didYouMean } from './did-you-mean.js';
import { optionHelp } from './options.js';

/** The message for a parseArgs error of `command` (its name as typed), or undefined if not one of parseArgs'. */
export function parseArgsMessage(e: unknown, command: string, options: Command['options']): string | undefined {
  const code = (e as { code?: unknown })?.code;
  const message = (e as Error)?.message ?? '';
  const help = `('aksfleet ${command} --help' lists its options)`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /^Unknown option '([^']+)'/.exec(message)?.[1] ?? message;
    const long = Object.keys(options).map((f) => `--${f}`);
    const short = Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
    const name = given.split('=')[0]!;
    const guess = name.startsWith('--')
      ? didYouMean(name, long)
      : short.find((s) => s.toLowerCase() === name.toLowerCase());
    return `unknown option '${name}' for 'aksfleet ${command}'${guess ? `; did you mean '${guess}'?` : ''} ${help}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /^Option '(?:-\w, )?--([^ ']+) <value>' argument missing/.exec(message);
    if (missing) {
      const example = optionHelp(command, missing[1]!)?.example;
      return `option '--${missing[1]}' needs a value${example ? `, e.g. ${example}` : ''} ${help}`;
    }
    const noArg = /^Option '(?:-\w, )?--([^ ']+)' does not take an argument/.exec(message);
    if (noArg) return `option '--${noArg[1]}' is a switch and takes no value (give '--${noArg[1]}' alone) ${help}`;
    return `${message} ${help}`;
  }
  return undefined;
}
