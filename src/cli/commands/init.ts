import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConflictError, UsageError } from '../../errors.js';
import { exampleFleetText } from '../../spec/example.js';
import { fleetJsonSchema } from '../../spec/schema.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'aksfleet init <dir> [--force]',
  options: { force: { type: 'boolean' } },
  async run({ io, args, flags }) {
    if (args.length !== 1) throw new UsageError('init takes one directory: aksfleet init <dir>');
    const dir = resolve(io.cwd, args[0]!);
    const target = join(dir, 'fleet.yaml');
    if (existsSync(target) && !flags.force) throw new ConflictError(`${target} already exists; use --force to overwrite it`);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of [
      ['fleet.schema.json', `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`],
      ['fleet.yaml', exampleFleetText('./fleet.schema.json')],
    ] as const) {
      const tmp = join(dir, `.${name}.aksfleet-tmp`);
      writeFileSync(tmp, content);
      renameSync(tmp, join(dir, name));
    }
    io.err(`wrote ${target} (the example fleet) and fleet.schema.json; next: aksfleet generate -f ${target}\n`);
    return 0;
  },
};
export default command;
