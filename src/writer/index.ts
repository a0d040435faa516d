/**
 * The one writer: every file `aksfleet generate` produces goes through `writeGenerated`.
 * read state -> plan (pure) -> refuse on conflicts -> apply atomically (journal, see apply.ts).
 * It owns the files listed in `.aksfleet/manifest.json` (with their sha256), never touches a
 * file it does not own or one a user edited since it wrote it (unless `force`), deletes the owned
 * files no longer generated, never writes outside the root or through a symlink.
 */
import * as path from 'node:path';
import { ConflictError, InputError } from '../errors.js';
import type { GeneratedFile } from '../generators/types.js';
import { applyPlan, assertStateDir, readPending, recoverPending, type JournalKey } from './apply.js';
import { nodeFs, type WriterFs } from './fs-ops.js';
import { loadJournalKey } from './journal-key.js';
import { planWrite, readRootState, type Conflict, type WritePlan } from './plan.js';

export { MANIFEST_PATH } from './manifest.js';
export type { Conflict, WritePlan } from './plan.js';
export type { WriterFs } from './fs-ops.js';

export interface WriteOptions {
  /** Overwrite unowned and edited files, delete edited stale ones. Never follows symlinks. */
  readonly force?: boolean;
  /** Plan only: nothing is written (not even a pending write's recovery). */
  readonly dryRun?: boolean;
  /** For tests: the file-system operations (inject failures here). */
  readonly fs?: WriterFs;
  /**
   * The key that signs and verifies the write journal.
   * @default the user's key, see `loadJournalKey` (created on first use)
   */
  readonly journalKey?: Uint8Array;
}

export interface WriteResult {
  readonly root: string;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: readonly string[];
  /** Files that were refused (only with dryRun; otherwise a ConflictError is thrown). */
  readonly conflicts: readonly Conflict[];
  readonly dryRun: boolean;
  /** An interrupted earlier write was completed first. */
  readonly recovered: boolean;
  /** Dry run only: an interrupted earlier write is pending; the real run completes it first. */
  readonly pendingRecovery: boolean;
}

export function describeConflict(c: Conflict): string {
  const what = c.action === 'delete' ? 'would delete' : 'would overwrite';
  const hint =
    c.reason === 'blocked'
      ? ''
      : c.reason === 'edited'
        ? ' (your edits would be lost: move them into fleet.yaml, or use --force)'
        : ' (use --force to take it over)';
  return `${c.path}: ${what} a file that ${c.detail}${hint}`;
}

/** What the file system said, in words, for the errors a user can fix (permissions, space, a read-only disk). */
const FS_REFUSALS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
};

/** Writes the generated files under `root` (created if missing). */
export function writeGenerated(root: string, files: readonly GeneratedFile[], opts: WriteOptions = {}): WriteResult {
  try {
    return writeGeneratedUnchecked(root, files, opts);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const words = typeof err?.code === 'string' ? FS_REFUSALS[err.code] : undefined;
    if (words === undefined) throw e;
    const where = err.path ?? path.resolve(root);
    throw new InputError(
      `cannot write the output to ${where}: ${words} (${err.code}); ` +
        `choose a folder you can write (-o), or fix its permissions`,
      { cause: e },
    );
  }
}

function writeGeneratedUnchecked(root: string, files: readonly GeneratedFile[], opts: WriteOptions): WriteResult {
  const wfs = opts.fs ?? nodeFs;
  const absRoot = path.resolve(root);
  const dryRun = opts.dryRun ?? false;
  const key = journalKeyOf(opts);
  assertStateDir(wfs, absRoot);
  const recovered = dryRun ? false : recoverPending(wfs, absRoot, key);
  const pendingRecovery = dryRun && readPending(wfs, absRoot, key) !== undefined;
  const state = readRootState(wfs, absRoot, files);
  const plan: WritePlan = planWrite(files, state, { force: opts.force });
  const result: WriteResult = {
    root: absRoot,
    created: plan.create.map((f) => f.path),
    updated: plan.update.map((f) => f.path),
    deleted: [...plan.delete],
    unchanged: [...plan.unchanged],
    conflicts: [...plan.conflicts],
    dryRun,
    recovered,
    pendingRecovery,
  };
  if (dryRun) return result;
  if (plan.conflicts.length > 0) {
    throw new ConflictError(
      `refusing to write: ${plan.conflicts.length} file(s) in ${absRoot} would be lost:\n` +
        plan.conflicts.map((c) => `  ${describeConflict(c)}`).join('\n') +
        '\nnothing was written',
    );
  }
  applyPlan(wfs, absRoot, plan, key);
  return result;
}

/** The given key, or the user's, read once when first needed. */
function journalKeyOf(opts: WriteOptions): JournalKey {
  let key = opts.journalKey;
  return () => (key ??= loadJournalKey());
}
