/**
 * Applying a write plan so that an interruption leaves the old state or the new one, never a mix.
 *
 * 1. Every new file (and the new manifest) is written to `.aksfleet/staging/` (same file system,
 *    so renames are atomic) and fsynced.
 * 2. A journal listing every rename and delete is written to a temporary name, fsynced and renamed
 *    to `.aksfleet/journal.json`: the commit point. A crash before it leaves the old state
 *    untouched (the staging directory is removed by the next run).
 * 3. The journal is carried out: renames into place, deletes, the manifest last. Every step is
 *    idempotent, so a crash after the commit point is completed ("rolled forward") by
 *    `recoverPending`, which every write runs first: the result is exactly the new state.
 */
import * as path from 'node:path';
import { InputError, InternalError } from '../errors.js';
import type { WriterFs } from './fs-ops.js';
import { JOURNAL_PATH, MANIFEST_PATH, STAGING_DIR, STATE_DIR, serializeManifest } from './manifest.js';
import { inspect, type WritePlan } from './plan.js';

type Op = { op: 'rename'; from: string; to: string } | { op: 'delete'; path: string };

interface Journal {
  readonly version: 1;
  readonly ops: Op[];
}

const FILE_MODE = 0o644;
const EXEC_MODE = 0o755;

function abs(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}

/** Makes every missing directory of `rel`'s parent chain (never through a symlink). */
function ensureParent(wfs: WriterFs, root: string, rel: string): void {
  const segs = rel.split('/').slice(0, -1);
  let cur = root;
  for (const seg of segs) {
    cur = path.join(cur, seg);
    const st = wfs.lstat(cur);
    if (!st) wfs.mkdir(cur);
    else if (!st.isDirectory()) throw new InternalError(`cannot create ${cur}: not a directory (the plan should have reported it)`);
  }
}

/** Removes now-empty parent directories of `rel`, up to (not including) the root. */
function pruneEmptyParents(wfs: WriterFs, root: string, rel: string): void {
  const segs = rel.split('/').slice(0, -1);
  while (segs.length > 0) {
    const dir = abs(root, segs.join('/'));
    const st = wfs.lstat(dir);
    if (!st || !st.isDirectory() || wfs.readdir(dir).length > 0) return;
    wfs.rmdir(dir);
    segs.pop();
  }
}

function runOps(wfs: WriterFs, root: string, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op.op === 'rename') {
      const from = abs(root, op.from);
      if (!wfs.lstat(from)) continue; // done before an interruption
      ensureParent(wfs, root, op.to);
      wfs.rename(from, abs(root, op.to));
    } else {
      const p = abs(root, op.path);
      const st = wfs.lstat(p);
      if (st && st.isFile()) wfs.unlink(p);
      pruneEmptyParents(wfs, root, op.path);
    }
  }
}

/**
 * Makes the journal's renames and deletes durable (their folders fsynced) before the journal goes:
 * after a power loss the journal is either still there (and replayed) or its effects are on disk.
 */
function finish(wfs: WriterFs, root: string, ops: readonly Op[]): void {
  const dirs = new Set<string>([STATE_DIR]);
  for (const op of ops) {
    const target = op.op === 'rename' ? op.to : op.path;
    const segs = target.split('/');
    // The nearest existing folder (a delete may have removed emptied ones).
    for (let i = segs.length - 1; i >= 0; i--) {
      const d = segs.slice(0, i).join('/');
      const st = wfs.lstat(d ? abs(root, d) : root);
      if (st?.isDirectory()) {
        dirs.add(d);
        break;
      }
    }
  }
  for (const d of [...dirs].sort()) wfs.fsync(d ? abs(root, d) : root);
  wfs.unlink(abs(root, JOURNAL_PATH));
  wfs.rmTree(abs(root, STAGING_DIR));
}

/**
 * Completes a write interrupted after its commit point, and removes the staging left by one
 * interrupted before it. Returns true when a pending write was completed.
 */
export function recoverPending(wfs: WriterFs, root: string): boolean {
  assertStateDir(wfs, root);
  const j = inspect(wfs, root, JOURNAL_PATH);
  let recovered = false;
  if (j.kind === 'file') {
    const journal = JSON.parse(wfs.readFile(abs(root, JOURNAL_PATH)).toString('utf8')) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.ops)) throw new InternalError(`${JOURNAL_PATH} is not a journal this version understands`);
    runOps(wfs, root, journal.ops);
    finish(wfs, root, journal.ops);
    recovered = true;
  }
  const tmpJournal = `${JOURNAL_PATH}.tmp`;
  if (inspect(wfs, root, tmpJournal).kind === 'file') wfs.unlink(abs(root, tmpJournal));
  if (wfs.lstat(abs(root, STAGING_DIR))) wfs.rmTree(abs(root, STAGING_DIR));
  return recovered;
}

/** `.aksfleet` must be a real directory (or absent): the writer never follows a symlink out of the root. */
export function assertStateDir(wfs: WriterFs, root: string): void {
  const st = wfs.lstat(abs(root, STATE_DIR));
  if (st && (st.isSymbolicLink() || !st.isDirectory())) {
    throw new InputError(`${abs(root, STATE_DIR)} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}; aksfleet keeps its state in a real directory there`);
  }
}

/** Carries out a plan that has no conflicts (the caller checks them, or forces). */
export function applyPlan(wfs: WriterFs, root: string, plan: WritePlan): void {
  assertStateDir(wfs, root);
  const writes = [...plan.create, ...plan.update];
  if (writes.length === 0 && plan.delete.length === 0 && !plan.manifestChanged) return;
  wfs.mkdir(root);
  const staging = abs(root, STAGING_DIR);
  wfs.mkdir(staging);
  // Deletes first: a stale file may stand where a new file's folder goes.
  const ops: Op[] = plan.delete.map((p) => ({ op: 'delete', path: p }));
  writes.forEach((f, i) => {
    const rel = `${STAGING_DIR}/${i}`;
    wfs.writeFile(abs(root, rel), f.content, f.executable ? EXEC_MODE : FILE_MODE);
    wfs.fsync(abs(root, rel));
    ops.push({ op: 'rename', from: rel, to: f.path });
  });
  const stagedManifest = `${STAGING_DIR}/manifest.json`;
  wfs.writeFile(abs(root, stagedManifest), serializeManifest(plan.manifest), FILE_MODE);
  wfs.fsync(abs(root, stagedManifest));
  ops.push({ op: 'rename', from: stagedManifest, to: MANIFEST_PATH });
  wfs.fsync(staging);
  // Commit point: once journal.json exists, the new state is what the root will hold.
  const journal: Journal = { version: 1, ops };
  const tmp = abs(root, `${JOURNAL_PATH}.tmp`);
  wfs.writeFile(tmp, `${JSON.stringify(journal)}\n`, FILE_MODE);
  wfs.fsync(tmp);
  wfs.rename(tmp, abs(root, JOURNAL_PATH));
  wfs.fsync(abs(root, STATE_DIR));
  runOps(wfs, root, ops);
  finish(wfs, root, ops);
}
