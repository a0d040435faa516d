/**
 * Where `check --changed-since` keeps its persistent build cache (flux/build/build-cache.ts):
 * `<git dir>/aksfleet/build-cache`, beside the recorded inputs, never in the working tree.
 */
import { isAbsolute, join } from 'node:path';
import { gitRaw } from '../../git/git.js';
import { DiskBuildCache } from '../build/build-cache.js';

/** The repository's build cache, or undefined outside a git repository (then nothing is kept). */
export function openBuildCache(root: string): DiskBuildCache | undefined {
  const r = gitRaw(root, ['rev-parse', '--git-path', 'aksfleet/build-cache']);
  if (r.status !== 0) return undefined;
  const p = r.stdout.trim();
  return new DiskBuildCache(isAbsolute(p) ? p : join(root, p));
}
