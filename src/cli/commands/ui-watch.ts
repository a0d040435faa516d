/**
 * The loop of `aksfleet ui --watch`: the files are watched by src/incremental/watch-files.ts (the
 * watcher of `check --watch`); each batch of saves is one recompute, and saves during a recompute
 * wait for the next one. `starting` is told as soon as a batch is taken and the recompute runs on
 * the next turn of the event loop, so a request already waiting is answered first (from the last
 * complete model, with the revision saying a recompute is under way).
 */
import { watchFiles } from '../../incremental/watch-files.js';

export interface WatchLoopOptions {
  readonly roots: readonly string[];
  readonly debounceMs?: number;
  /** A batch is taken: a recompute follows. */
  readonly starting?: (changed: readonly string[]) => void;
  /** The recompute of one batch (sorted paths, as watchFiles gives them). */
  readonly recompute: (changed: readonly string[]) => void;
  readonly onError?: (dir: string, error: Error) => void;
}

export function watchLoop(opts: WatchLoopOptions): { readonly watched: number; close(): void } {
  let queued: string[] = [];
  let running = false;
  let closed = false;
  const next = () => {
    if (running || closed || queued.length === 0) return;
    const batch = queued;
    queued = [];
    running = true;
    opts.starting?.(batch);
    setImmediate(() => {
      try {
        if (!closed) opts.recompute(batch);
      } finally {
        running = false;
        next();
      }
    });
  };
  const watcher = watchFiles({
    roots: opts.roots,
    ...(opts.debounceMs !== undefined ? { debounceMs: opts.debounceMs } : {}),
    onBatch: (paths) => {
      queued = [...new Set([...queued, ...paths])].sort();
      next();
    },
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
  return {
    get watched() {
      return watcher.watched;
    },
    close() {
      closed = true;
      watcher.close();
    },
  };
}
