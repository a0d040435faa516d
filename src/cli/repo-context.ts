/**
 * Shared by the commands that read a repository (build, check, diff, promote, ui): where the
 * repository root is, and the fleet spec when the repo is an aksfleet repo.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitTopLevel } from '../git/git.js';
import { loadFleet } from '../spec/load.js';
import type { Fleet } from '../spec/schema.js';
import { InputError } from '../errors.js';

export interface RepoContext {
  /** Absolute path of the repository root (the git top level when inside a work tree). */
  readonly root: string;
  readonly isGit: boolean;
  /** The fleet spec, when the repository has a fleet.yaml at its root. */
  readonly fleet?: Fleet;
  readonly fleetFile?: string;
}

export function repoContext(cwd: string, repoArg?: string): RepoContext {
  const dir = resolve(cwd, repoArg ?? '.');
  if (!existsSync(dir)) throw new InputError(`repository '${repoArg ?? dir}' does not exist`);
  const top = gitTopLevel(dir);
  // An explicit repo argument is the root; otherwise the enclosing git work tree, else the cwd.
  const root = repoArg !== undefined ? dir : (top ?? dir);
  const fleetFile = join(root, 'fleet.yaml');
  if (existsSync(fleetFile)) return { root, isGit: top !== undefined, fleet: loadFleet(fleetFile), fleetFile };
  return { root, isGit: top !== undefined };
}
