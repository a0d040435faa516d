/**
 * `aksfleet upgrade bluegreen <cluster> <pool>`: the blue/green node pool replacement as
 * reviewable steps. Dry run only: `--apply` is refused (not supported yet) so nothing is ever
 * changed by accident; run the printed steps yourself.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { loadFleet } from '../../spec/load.js';
import { planBlueGreen, renderBlueGreen } from '../../day2/bluegreen/index.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const usage = 'aksfleet upgrade bluegreen <cluster> <pool> [-f fleet.yaml] [--apply] [--format markdown|json]';

const command: Command = {
  usage,
  options: { file: { type: 'string', short: 'f' }, apply: { type: 'boolean' }, format: { type: 'string' } },
  async run({ io, args, flags }) {
    if (args.length !== 2)
      throw new UsageError(
        `expected <cluster> <pool>, got ${args.length} argument${args.length === 1 ? '' : 's'}\nUsage: ${usage}`,
      );
    const format = choice('upgrade bluegreen', 'format', flags.format, 'markdown');
    if (flags.apply)
      throw new UsageError(
        '--apply is not supported yet: the steps change Azure, the cluster and the GitOps branches, and each ' +
          'needs the check before it to pass. Run the printed steps (without --apply) one by one.',
      );
    const fleet = loadFleet(resolve(io.cwd, (flags.file as string | undefined) ?? 'fleet.yaml'));
    const plan = planBlueGreen(fleet, args[0]!, args[1]!);
    io.out(format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : renderBlueGreen(plan));
    return 0;
  },
};
export default command;
