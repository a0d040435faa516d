import { UsageError } from '../../errors.js';
import type { Command } from '../command.js';

/** A placeholder for a command whose issue is still open: it says so and exits 2. */
export function notYet(name: string, summary: string, usage: string, issue: string, options: Command['options'] = {}): Command {
  return {
    name,
    summary: `${summary} (not built yet)`,
    usage,
    options,
    async run() {
      throw new UsageError(`'aksfleet ${name}' is not built yet (tracked in ${issue})`);
    },
  };
}
