/**
 * Watches folders for `check --watch`: node:fs `watch` on every directory under each root (one
 * non-recursive watcher per directory, so that `.git` internals and `node_modules` are never
 * watched; new directories are picked up as they appear), and hands the changed paths over in
 * batches once no event came for `debounceMs`. In `.git` only `HEAD` and `refs/` count (a
 * checkout or a commit); its objects, index and logs do not.
 */
import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export interface WatchFilesOptions {
  /** Absolute folders to watch (the repository first, then folders outside it: policies, charts). */
  readonly roots: readonly string[];
  /** Quiet time before a batch is handed over (default 100 ms: editors save in several steps). */
  readonly debounceMs?: number;
  /** A batch of changed paths (sorted; `/`-separated relative to the first root, absolute outside it). */
  readonly onBatch: (paths: readonly string[]) => void;
  /** A directory that cannot be watched (the watch goes on without it). */
  readonly onError?: (path: string, error: Error) => void;
}

export interface FileWatch {
  /** Directories watched. */
  readonly watched: number;
  close(): void;
}

const SKIP = new Set(['node_modules']);

/** Whether a path under a root (`/`-separated) is one a check may read or a git ref move. */
export function relevantPath(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.some((p) => SKIP.has(p))) return false;
  const git = parts.indexOf('.git');
  if (git === -1) return true;
  const inner = parts.slice(git + 1);
  return inner.length === 0 || inner[0] === 'HEAD' || inner[0] === 'refs';
}

/** Whether a directory's contents are watched (`.git` itself for HEAD, `.git/refs`, not the rest of `.git`). */
function watchedDir(rel: string): boolean {
  if (rel === '') return true;
  const parts = rel.split('/');
  if (parts.some((p) => SKIP.has(p))) return false;
  const git = parts.indexOf('.git');
  return git === -1 || parts.length === git + 1 || parts[git + 1] === 'refs';
}

export function watchFiles(opts: WatchFilesOptions): FileWatch {
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  const debounce = opts.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const shown = (abs: string): string => {
    const rel = relative(opts.roots[0] ?? '', abs);
    return rel.startsWith('..') || isAbsolute(rel) ? abs : rel.split(sep).join('/');
  };
  const flush = () => {
    timer = undefined;
    const batch = [...pending].sort();
    pending.clear();
    if (batch.length && !closed) opts.onBatch(batch);
  };
  const noteChange = (abs: string, rel: string) => {
    if (!relevantPath(rel)) return;
    pending.add(shown(abs));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounce);
  };
  const add = (dir: string, rel: string) => {
    if (closed || watchers.has(dir) || !watchedDir(rel)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, name) => {
        const abs = name ? join(dir, name.toString()) : dir;
        const r = name ? (rel ? `${rel}/${name}` : name.toString()) : rel;
        // A new directory: watch it and what it holds (its files count as changed).
        if (name && isDir(abs) && !watchers.has(abs)) add(abs, r);
        noteChange(abs, r);
      });
    } catch (e) {
      opts.onError?.(dir, e as Error);
      return;
    }
    w.on('error', () => {
      // The directory went away (deleted or renamed): its parent's event reports it.
      w.close();
      watchers.delete(dir);
    });
    watchers.set(dir, w);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const abs = join(dir, n);
      if (isDir(abs)) add(abs, rel ? `${rel}/${n}` : n);
    }
  };
  for (const r of opts.roots) add(r, '');
  return {
    get watched() {
      return watchers.size;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
