/**
 * What tells whether a path on disk changed without reading it: its stamp (inode, size,
 * modification and change times in nanoseconds, mode), as git's index keeps for each file. Saving
 * a file changes its change time even when it keeps its size and modification time; a save by
 * rename changes its inode; adding or removing an entry changes its directory's times. The watch
 * (watch-inputs.ts `diskFingerprint`) and the recorded answers of `--changed-since` (inputs.ts,
 * stat-record.ts) both read stamps from here.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A fingerprint and the newest of the times in it (ns since the epoch; 0 for `none`). */
export interface Stamp {
  readonly fp: string;
  readonly changedNs: bigint;
  /** A directory (links followed). */
  readonly dir?: boolean;
}

/** Questions about one path that its stamp answers for (not `find`, `realPath`: they read more). */
const STAMPED_OPS = new Set(['read', 'exists', 'isDir', 'isFile', 'list']);

/** Whether a question's op is one the stamp of its path answers for. */
export function stampedOp(op: string): boolean {
  return STAMPED_OPS.has(op);
}

/**
 * The stamp of an absolute path (following links); `none` when it does not exist; undefined when
 * it cannot be told (then ask).
 */
export function statStamp(abs: string): Stamp | undefined {
  try {
    const s = statSync(abs, { bigint: true });
    let changedNs = s.ctimeNs;
    if (s.mtimeNs > changedNs) changedNs = s.mtimeNs;
    return { fp: `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}`, changedNs, dir: s.isDirectory() };
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { fp: 'none', changedNs: 0n } : undefined;
  }
}

/** At most this many entries in a tree stamped (a larger tree is read instead). */
export const TREE_STAMP_MAX_ENTRIES = 20_000;

/**
 * The stamp of a whole tree (a chart folder): every entry under `abs` (links followed, names
 * sorted) with its own stamp, hashed; the newest time of any. Undefined when an entry cannot be
 * stamped or the tree has more than `TREE_STAMP_MAX_ENTRIES` entries (or a link loop).
 */
export function treeStamp(abs: string, maxEntries = TREE_STAMP_MAX_ENTRIES): Stamp | undefined {
  const h = createHash('sha1');
  let newest = 0n;
  let entries = 0;
  const walk = (path: string, rel: string): boolean => {
    const s = statStamp(path);
    if (s === undefined || ++entries > maxEntries) return false;
    h.update(`${rel}\0${s.fp}\n`);
    if (s.changedNs > newest) newest = s.changedNs;
    if (s.dir !== true) return true;
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch {
      return false;
    }
    return names.every((n) => walk(join(path, n), rel ? `${rel}/${n}` : n));
  };
  return walk(abs, '') ? { fp: `tree:${h.digest('hex')}`, changedNs: newest } : undefined;
}
