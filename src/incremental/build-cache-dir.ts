/**
 * Where `check` keeps what it records between runs: `<git dir>/aksfleet/` (the recorded inputs
 * of `--changed-since`, `inputs-<key>.json`, and the stamps of the working tree's answers to them,
 * `inputs-<key>.stat.json` (stat-record.ts); the persistent build cache of
 * flux/build/build-cache.ts in `build-cache/`; the content stores of chart renders and compiled
 * validators in `store/`), never in the working tree. Outside a git repository the content stores
 * live in the user's cache (`$XDG_CACHE_HOME/aksfleet/store/`, default `~/.cache`).
 */
import { isAbsolute, join } from 'node:path';
import { gitRaw } from '../git/git.js';
import { DiskBuildCache, engineDigest } from '../flux/build/build-cache.js';
import { DiskContentStore } from '../content-store.js';

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

/** The size bounds of the content stores (the least recently used entries go beyond them). */
export const STORE_MAX_BYTES = { renders: 512 * 2 ** 20, validators: 256 * 2 ** 20, verdicts: 128 * 2 ** 20 } as const;

/** The content stores of a run and what ends it. */
export interface OpenStores {
  readonly dir: string;
  readonly renders: DiskContentStore;
  readonly validators: DiskContentStore;
  /** Admission verdicts (src/admission/verdict-cache.ts). */
  readonly verdicts: DiskContentStore;
  /** Evicts beyond the bounds; returns one line of what the stores did, and their notes (corrupt entries). */
  finish(): string[];
}

/**
 * Where the content stores of a repository live: its git directory, else the user cache of the
 * environment (`$XDG_CACHE_HOME`, else `$HOME/.cache`); undefined when the environment names neither.
 */
export function contentStoreDir(root: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const git = aksfleetGitDir(root);
  if (git !== undefined) return join(git, 'store');
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'aksfleet', 'store');
  return env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.cache', 'aksfleet', 'store') : undefined;
}

/** The chart render, compiled validator and admission verdict stores of a repository (salted by the engine digest), if it has a place. */
export function openContentStores(
  root: string,
  env: Readonly<Record<string, string | undefined>>,
): OpenStores | undefined {
  const dir = contentStoreDir(root, env);
  if (dir === undefined) return undefined;
  // The engine digest (a hash of the engine's code and data) is taken when an entry is first
  // looked up or written: a build that renders no chart never takes it.
  const salt = engineDigest;
  const renders = new DiskContentStore(join(dir, 'renders'), { salt, maxBytes: STORE_MAX_BYTES.renders });
  const validators = new DiskContentStore(join(dir, 'validators'), { salt, maxBytes: STORE_MAX_BYTES.validators });
  const verdicts = new DiskContentStore(join(dir, 'verdicts'), { salt, maxBytes: STORE_MAX_BYTES.verdicts });
  return {
    dir,
    renders,
    validators,
    verdicts,
    finish: () => {
      renders.finish();
      validators.finish();
      verdicts.finish();
      const r = renders.stats;
      const v = validators.stats;
      const a = verdicts.stats;
      return [
        `content store ${dir}: chart renders ${r.hits} read, ${r.written} written; ` +
          `validators ${v.hits} read, ${v.written} written` +
          (r.evicted + v.evicted ? `; ${r.evicted + v.evicted} evicted` : '') +
          `; admission verdicts ${a.hits} read, ${a.written} written${a.evicted ? `, ${a.evicted} evicted` : ''}`,
        ...renders.notes,
        ...validators.notes,
        ...verdicts.notes,
      ];
    },
  };
}
