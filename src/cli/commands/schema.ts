import { fleetJsonSchema } from '../../spec/schema.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'aksfleet schema',
  options: {},
  async run({ io }) {
    io.out(`${JSON.stringify(fleetJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
export default command;
