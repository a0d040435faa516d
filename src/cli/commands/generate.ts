import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../../diagnostic.js';
import { parseFieldPath } from '../../field-path.js';
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { generateAll } from '../../generators/index.js';
import { loadFleet } from '../../spec/load.js';
import { describeConflict, writeGenerated, type WriteResult } from '../../writer/index.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import type { Command } from '../command.js';

/** Adds file:line:col to an InputError a generator raised with a field path only. */
function locate(e: InputError, file: string): InputError {
  if (e.pos) return e;
  let pos: SourceLocation = { file };
  if (e.fieldPath) {
    try {
      const doc = parseYamlDocuments(readFileSync(file, 'utf8'), file)[0];
      if (doc) pos = { file, ...doc.posOf(parseFieldPath(e.fieldPath)) };
    } catch {
      // the file parsed a moment ago; keep the file name alone
    }
  }
  return new InputError(e.message, { pos, fieldPath: e.fieldPath, cause: e });
}

function summary(r: WriteResult, total: number): string {
  const verb = r.dryRun ? 'would write' : 'wrote';
  return (
    `${verb} ${total} files to ${r.root}: ${r.created.length} created, ${r.updated.length} updated, ` +
    `${r.deleted.length} deleted, ${r.unchanged.length} ` +
    `unchanged${r.recovered ? ' (completed an interrupted earlier write first)' : ''}\n`
  );
}

const command: Command = {
  usage: 'aksfleet generate [-f fleet.yaml] [-o dir] [--force] [--dry-run]',
  options: {
    file: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run({ io, flags }) {
    const file = resolve(io.cwd, typeof flags.file === 'string' ? flags.file : 'fleet.yaml');
    const out = typeof flags.output === 'string' ? resolve(io.cwd, flags.output) : dirname(file);
    const fleet = loadFleet(file);
    let files;
    try {
      files = generateAll(fleet);
    } catch (e) {
      if (e instanceof InputError) throw locate(e, file);
      throw e;
    }
    const dryRun = flags['dry-run'] === true;
    const r = writeGenerated(out, files, { force: flags.force === true, dryRun });
    if (dryRun) {
      for (const p of r.created) io.out(`create ${p}\n`);
      for (const p of r.updated) io.out(`update ${p}\n`);
      for (const p of r.deleted) io.out(`delete ${p}\n`);
      for (const c of r.conflicts) io.out(`conflict ${describeConflict(c)}\n`);
    }
    if (r.pendingRecovery)
      io.err(`note: ${r.root} holds an interrupted earlier write; a real run completes it first\n`);
    io.err(summary(r, files.length));
    if (r.conflicts.length > 0) {
      io.err(`${r.conflicts.length} conflict(s): a real run would refuse to write (use --force to overwrite)\n`);
      return 1;
    }
    if (!dryRun && relative(out, file).startsWith('..'))
      io.err(`note: the output ${out} is not the fleet file's folder\n`);
    return 0;
  },
};
export default command;
