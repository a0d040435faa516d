/**
 * An enumerated option's value checked against its choices in options.ts (one source for the
 * help text and the check), with the closest choice when it is a typo.
 */
import { UsageError } from '../../errors.js';
import { didYouMean } from './did-you-mean.js';
import { optionHelp } from './options.js';

/**
 * The value of `--flag` of `command`, or `dflt` when not given; a value not among the choices is a usage error (exit
 * 2).
 */
export function choice(command: string, flag: string, value: unknown, dflt: string): string {
  const choices = choicesOf(command, flag);
  if (!choices.includes(dflt))
    throw new Error(
      `src/cli/help/options.ts: the default '${dflt}' of aksfleet ${command} --${flag} is not one of its choices`,
    );
  return value === undefined ? dflt : checked(flag, choices, value);
}

/**
 * The value of `--flag` of `command`, or undefined when not given: for an option whose default
 * is derived from the repository (`--platform`, `--profile`), which the caller decides later.
 */
export function optionalChoice(command: string, flag: string, value: unknown): string | undefined {
  const choices = choicesOf(command, flag);
  return value === undefined ? undefined : checked(flag, choices, value);
}

function choicesOf(command: string, flag: string): readonly string[] {
  const choices = optionHelp(command, flag)?.choices;
  if (!choices) throw new Error(`src/cli/help/options.ts: aksfleet ${command} --${flag} has no choices`);
  return choices;
}

function checked(flag: string, choices: readonly string[], value: unknown): string {
  const v = String(value);
  if (choices.includes(v)) return v;
  const guess = didYouMean(v, choices);
  throw new UsageError(
    `--${flag} must be one of ${choices.join(', ')}, not '${v}'${guess ? `; did you mean '${guess}'?` : ''}`,
  );
}
