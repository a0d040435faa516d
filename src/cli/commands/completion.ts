/**
 * `aksfleet completion bash`: the bash completion script (src/cli/help/completion.ts), from the
 * same command list and option data as `--help`. The list comes from commands/index.ts, which
 * makes this command with it (so that this module does not import the list back).
 */
import { UsageError } from '../../errors.js';
import type { Command, CommandEntry } from '../command.js';
import { bashCompletion } from '../help/completion.js';

export function completionCommand(commands: readonly CommandEntry[]): Command {
  const command: Command = {
    usage: 'aksfleet completion bash   (load it with: source <(aksfleet completion bash))',
    options: {},
    async run({ io, args }) {
      if (args.length !== 1 || args[0] !== 'bash')
        throw new UsageError(
          `completion takes one shell: bash (got ${args.length ? `'${args.join(' ')}'` : 'none'})\n` +
            `Usage: ${command.usage}`,
        );
      const entries = [];
      for (const entry of commands) entries.push({ entry, cmd: await entry.load() });
      io.out(bashCompletion(entries));
      return 0;
    },
  };
  return command;
}
