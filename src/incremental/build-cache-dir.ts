/**
 * Where `check --changed-since` keeps what it records between runs: `<git dir>/aksfleet/`
 * (the recorded inputs `inputs-<key>.json`, and the persistent build cache of
 * flux/build/build-cache.ts in `build-cache/`), never in the working tree.
 */
import { isAbsolute, join } from 'node:path';
import { gitRaw } from '../git/git.js';
import { DiskBuildCache } from '../flux/build/build-cache.js';

/** `<git dir>/aksfleet` of the repository at `root`, or undefined when it is not a git repository. */
export function aksfleetGitDir(root: string): string | undefined {
  const known = gitDirs.get(root);
  if (known !== undefined) return known;
  const r = gitRaw(root, ['rev-parse', '--git-path', 'aksfleet']);
  if (r.status !== 0) return undefined;
  const p = r.stdout.trim();
  const dir = isAbsolute(p) ? p : join(root, p);
  gitDirs.set(root, dir);
  return dir;
}
/** One `git rev-parse` per repository and process (the inputs and the build cache both ask). */
const gitDirs = new Map<string, string>();

/** The repository's build cache, or undefined outside a git repository (then nothing is kept). */
export function openBuildCache(root: string): DiskBuildCache | undefined {
  const dir = aksfleetGitDir(root);
  return dir === undefined ? undefined : new DiskBuildCache(join(dir, 'build-cache'));
}
