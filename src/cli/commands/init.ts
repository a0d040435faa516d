import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
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
    const files = [
      ['fleet.schema.json', `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`],
      ['fleet.yaml', exampleFleetText('./fleet.schema.json')],
    ] as const;
    // Nothing is overwritten without --force: an existing file is an input error (exit 2), before any write.
    const existing = files.map(([name]) => join(dir, name)).filter((p) => existsSync(p));
    if (existing.length && !flags.force) {
      const [first, ...rest] = existing.map(
        (p) => new InputError('already exists; init writes nothing over it without --force', { pos: { file: p } }),
      );
      throw new InputError(first!.message, { pos: first!.pos, more: rest });
    }
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of files) {
      const tmp = join(dir, `.${name}.aksfleet-tmp`);
      writeFileSync(tmp, content);
      renameSync(tmp, join(dir, name));
    }
    io.err(`wrote ${target} (the example fleet) and fleet.schema.json; next: aksfleet generate -f ${target}\n`);
    return 0;
  },
};
export default command;
