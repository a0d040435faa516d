/**
 * The text of `aksfleet <command> --help` (usage, summary, every option with its description,
 * default and example, from options.ts) and of `aksfleet <group> --help` (the subcommands of
 * `upgrade`, `backup`, `helm`, `policy`).
 */
import type { Command, CommandEntry } from '../command.js';
import { GLOBAL_OPTION_HELP, optionHelp } from './options.js';

type OptionConfig = Command['options'][string];

/** `-o, --output yaml|json` */
export function optionLabel(flag: string, config: OptionConfig, value: string | undefined): string {
  const short = config.short ? `-${config.short}, ` : '';
  const arg = config.type === 'string' ? ` ${value ?? 'VALUE'}` : '';
  return `${short}--${flag}${arg}`;
}

function optionLines(command: string, options: Command['options'], brief = false): string[] {
  const rows = Object.entries(options).map(([flag, config]) => {
    const h = optionHelp(command, flag);
    return { label: optionLabel(flag, config, h?.value), h };
  });
  const width = Math.max(0, ...rows.map((r) => r.label.length)) + 2;
  const pad = ' '.repeat(width + 2);
  return rows.flatMap(({ label, h }) =>
    h
      ? [
          `  ${label.padEnd(width)}${h.description}`,
          ...(brief ? [] : [`${pad}default: ${h.default}; e.g. ${h.example}`]),
        ]
      : [`  ${label.padEnd(width)}(not described yet)`],
  );
}

/** The whole `--help` text of one command. */
export function commandHelp(
  entry: Pick<CommandEntry, 'name' | 'summary'>,
  cmd: Pick<Command, 'usage' | 'options'>,
): string {
  const own = Object.keys(cmd.options).length ? ['Options:', ...optionLines(entry.name, cmd.options), ''] : [];
  const global = Object.fromEntries(
    Object.keys(GLOBAL_OPTION_HELP).map((f) => [
      f,
      f === 'help' ? ({ type: 'boolean', short: 'h' } as const) : ({ type: 'boolean' } as const),
    ]),
  );
  return [
    `Usage: ${cmd.usage}`,
    '',
    entry.summary,
    '',
    ...own,
    'Global options:',
    ...optionLines('', global, true),
    '',
  ].join('\n');
}

/** The groups of subcommands (`upgrade` of `upgrade plan`), in the order of the command list. */
export function commandGroups(commands: readonly CommandEntry[]): string[] {
  return [...new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];
}

/** `aksfleet upgrade --help`: the group's subcommands with their summaries. */
export function groupHelp(group: string, commands: readonly CommandEntry[]): string {
  const subs = commands.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...subs.map((c) => c.name.length));
  return [
    `Usage: aksfleet ${group} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...subs.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run 'aksfleet ${group} <subcommand> --help' for the options of one.`,
    '',
  ].join('\n');
}
