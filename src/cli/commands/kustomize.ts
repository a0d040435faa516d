/**
 * `aksfleet kustomize <dir>`: a drop-in for `kubectl kustomize <dir>` (kustomize v5.5.0
 * semantics), built in-process. Prints the multi-document YAML exactly as kubectl does
 * (legacy order, go-yaml v2 formatting).
 *
 * Repository root (the only part of the disk the build may read): `--root` when given; else the
 * nearest enclosing git work tree of <dir> (a parent holding `.git`), so `resources: [../base]`
 * works inside a repo as with kubectl; outside any git work tree there is no repository to
 * confine the build to, and it reads what kustomize itself would (kubectl builds such folders
 * from anywhere): the root is the file system's, and kustomize's load restrictor applies. Never
 * the current directory: the same <dir> builds the same from wherever it is run.
 * Paths in error messages are relative to the current directory.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { buildKustomization } from '../../kustomize/index.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { toGoYamlStream } from '../../yaml/go-emit.js';
import type { Command } from '../command.js';

/** The root the build is confined to (see the module comment): it depends on <dir> only. */
export function repoRootFor(absDir: string): string {
  for (let d = absDir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return d;
  }
}

/** The same error with file names relative to the current directory (how the user typed them). */
function relativeToCwd(e: InputError, root: string, cwd: string): InputError {
  const fix = (x: InputError): InputError =>
    new InputError(x.message, {
      pos: x.pos ? { ...x.pos, file: path.relative(cwd, path.join(root, x.pos.file)) || '.' } : undefined,
      fieldPath: x.fieldPath,
      cause: x,
    });
  const first = fix(e);
  return new InputError(first.message, { pos: first.pos, fieldPath: first.fieldPath, cause: e, more: e.more.map(fix) });
}

const RESTRICTORS: Record<string, 'RootOnly' | 'None'> = {
  LoadRestrictionsRootOnly: 'RootOnly',
  LoadRestrictionsNone: 'None',
  rootOnly: 'RootOnly',
  none: 'None',
};

const command: Command = {
  usage: 'aksfleet kustomize <dir> [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone] [--root <dir>]',
  options: { 'load-restrictor': { type: 'string' }, root: { type: 'string' } },
  async run({ io, args, flags }) {
    if (args.length !== 1)
      throw new UsageError(`expected exactly one directory, got ${args.length}\nUsage: ${command.usage}`);
    const lr = flags['load-restrictor'];
    let restrictions: 'RootOnly' | 'None' = 'RootOnly';
    if (lr !== undefined) {
      const r = RESTRICTORS[String(lr)];
      if (!r)
        throw new UsageError(
          `--load-restrictor must be LoadRestrictionsRootOnly or LoadRestrictionsNone, not '${String(lr)}'`,
        );
      restrictions = r;
    }
    const absDir = path.resolve(io.cwd, args[0]!);
    if (!existsSync(absDir) || !statSync(absDir).isDirectory()) throw new UsageError(`'${args[0]}' is not a directory`);
    const root = flags.root !== undefined ? path.resolve(io.cwd, String(flags.root)) : repoRootFor(absDir);
    const inside = path.relative(root, absDir);
    if (inside.startsWith('..') || path.isAbsolute(inside))
      throw new UsageError(`'${args[0]}' is not inside the root '${root}'`);
    const fs = new DiskRepoFs(root);
    const rel = path.relative(root, absDir).split(path.sep).join('/');
    let resources;
    try {
      resources = buildKustomization(fs, rel, { loadRestrictions: restrictions, defaultSortOrder: 'legacy' });
    } catch (e) {
      throw e instanceof InputError ? relativeToCwd(e, root, io.cwd) : e;
    }
    io.out(toGoYamlStream(resources.map((r) => r.object)));
    return 0;
  },
};

export default command;
