/**
 * `aksfleet report merge PART.json...`: the parts of a gate sharded over CI runners
 * (`check --shard I/N --format json`, one per runner) as the one report an unsharded `check`
 * writes, in any of check's formats (src/report/merge.ts). Exit 1 when the merged findings fail
 * at --fail-on (the parts' own by default), 2 when a part is missing, repeated, from another run
 * or not a part.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { failing } from '../../checks/run.js';
import type { Severity } from '../../checks/types.js';
import { formatRun, type Format } from '../../report/index.js';
import { mergeShardParts, type ShardPart } from '../../report/merge.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const command: Command = {
  usage: 'aksfleet report merge PART.json... [--format text|json|sarif|junit|markdown] [--fail-on error|warning|info]',
  options: { format: { type: 'string' }, 'fail-on': { type: 'string' } },
  async run({ io, args, flags }) {
    if (args.length === 0)
      throw new UsageError(`expected the JSON parts of check --shard I/N --format json\nUsage: ${command.usage}`);
    const format = choice('report merge', 'format', flags.format, 'text') as Format;
    const failOn =
      // check's choices: the same severities
      flags['fail-on'] === undefined ? undefined : (choice('check', 'fail-on', flags['fail-on'], 'error') as Severity);
    const parts: ShardPart[] = args.map((a) => {
      try {
        return { file: a, text: readFileSync(resolve(io.cwd, a), 'utf8') };
      } catch (e) {
        throw new UsageError(
          `cannot read ${a}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        );
      }
    });
    const run = mergeShardParts(parts, failOn ? { failOn } : {});
    io.out(formatRun(run, format, { color: io.color && format === 'text' }));
    const bad = failing(run.findings, run.failOn);
    if (format !== 'text')
      io.err(
        `${run.findings.length} finding(s), ${bad.length} at or above ${run.failOn}, in ` +
          `${run.clusters.length} cluster(s)\n`,
      );
    return bad.length > 0 ? 1 : 0;
  },
};

export default command;
