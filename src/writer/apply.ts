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
import { STAGED_MANIFEST, parseJournal, serializeJournal, type Op } from './journal.js';
import { JOURNAL_PATH, MANIFEST_PATH, STAGING_DIR, STATE_DIR, serializeManifest } from './manifest.js';
import { inspect, type WritePlan } from './plan.js';

/** The journal key, asked for only when a journal is written or found. */
export type JournalKey = () => Uint8Array;

const FILE_MODE = 0o644;
const EXEC_MODE = 0o755;

function abs(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}

/**
 * Checks, at the moment an op runs, that every folder above `rel` is a real directory or missing:
 * a symlinked parent would take the op out of the root.
 */
function assertRealParents(wfs: WriterFs, root: string, rel: string): void {
  const segs = rel.split('/').slice(0, -1);
  let cur = root;
  for (const seg of segs) {
    cur = path.join(cur, seg);
    const st = wfs.lstat(cur);
    if (!st) return;
    if (!st.isDirectory())
      throw new InputError(
        `refusing to touch ${abs(root, rel)}: ${cur} is ` +
          `${st.isSymbolicLink() ? 'a symlink' : 'not a directory'} (the writer never goes through one)`,
      );
  }
}

/** Makes every missing directory of `rel`'s parent chain (never through a symlink). */
function ensureParent(wfs: WriterFs, root: string, rel: string): void {
  assertRealParents(wfs, root, rel);
  const segs = rel.split('/').slice(0, -1);
  let cur = root;
  for (const seg of segs) {
    cur = path.join(cur, seg);
    const st = wfs.lstat(cur);
    if (!st) wfs.mkdir(cur);
    else if (!st.isDirectory())
      throw new InternalError(`cannot create ${cur}: not a directory (the plan should have reported it)`);
  }
}

/** Removes now-empty parent directories of `rel`, up to (not including) the root. */
function pruneEmptyParents(wfs: WriterFs, root: string, rel: string): void {
  const segs = rel.split('/').slice(0, -1);
  while (segs.length > 0) {
    const dir = abs(root, segs.join('/'));
    const st = wfs.lstat(dir);
    if (!st?.isDirectory() || wfs.readdir(dir).length > 0) return;
    wfs.rmdir(dir);
    segs.pop();
  }
}

function runOps(wfs: WriterFs, root: string, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op.op === 'rename') {
      assertRealParents(wfs, root, op.from);
      const from = abs(root, op.from);
      const st = wfs.lstat(from);
      if (!st) continue; // done before an interruption
      if (!st.isFile()) throw new InputError(`refusing to move ${from} into place: not a regular file`);
      ensureParent(wfs, root, op.to);
      wfs.rename(from, abs(root, op.to));
    } else {
      assertRealParents(wfs, root, op.path);
      const p = abs(root, op.path);
      const st = wfs.lstat(p);
      if (st?.isFile()) wfs.unlink(p);
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
export function recoverPending(wfs: WriterFs, root: string, key: JournalKey): boolean {
  assertStateDir(wfs, root);
  const ops = readPending(wfs, root, key);
  if (ops) {
    // Every op's folders are checked before the first runs, and again as each runs.
    for (const op of ops)
      for (const p of op.op === 'rename' ? [op.from, op.to] : [op.path]) assertRealParents(wfs, root, p);
    runOps(wfs, root, ops);
    finish(wfs, root, ops);
  }
  const tmpJournal = `${JOURNAL_PATH}.tmp`;
  if (inspect(wfs, root, tmpJournal).kind === 'file') wfs.unlink(abs(root, tmpJournal));
  if (wfs.lstat(abs(root, STAGING_DIR))) wfs.rmTree(abs(root, STAGING_DIR));
  return ops !== undefined;
}

/**
 * The ops of a pending write's journal, verified (see journal.ts), or undefined when there is
 * none. Reads only: a dry run uses it to refuse a planted journal too.
 */
export function readPending(wfs: WriterFs, root: string, key: JournalKey): Op[] | undefined {
  const j = inspect(wfs, root, JOURNAL_PATH);
  if (j.kind === 'missing') return undefined;
  const file = abs(root, JOURNAL_PATH);
  if (j.kind === 'other') throw new InputError(`refusing to read the write journal: ${j.what}`, { pos: { file } });
  return parseJournal(wfs.readFile(file).toString('utf8'), file, key(), root);
}

/** `.aksfleet` must be a real directory (or absent): the writer never follows a symlink out of the root. */
export function assertStateDir(wfs: WriterFs, root: string): void {
  const st = wfs.lstat(abs(root, STATE_DIR));
  if (st && (st.isSymbolicLink() || !st.isDirectory())) {
    throw new InputError(
      `${abs(root, STATE_DIR)} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}; ` +
        `aksfleet keeps its state in a real directory there`,
    );
  }
}

/** Carries out a plan that has no conflicts (the caller checks them, or forces). */
export function applyPlan(wfs: WriterFs, root: string, plan: WritePlan, key: JournalKey): void {
  assertStateDir(wfs, root);
  const writes = [...plan.create, ...plan.update];
  if (writes.length === 0 && plan.delete.length === 0 && !plan.manifestChanged) return;
  const journalKey = key(); // before anything is written: no key, no write
  wfs.mkdir(root);
  const staging = abs(root, STAGING_DIR);
  if (wfs.lstat(staging)) wfs.rmTree(staging); // never write into a staging folder we did not make
  wfs.mkdir(staging);
  // Deletes first: a stale file may stand where a new file's folder goes.
  const ops: Op[] = plan.delete.map((p) => ({ op: 'delete', path: p }));
  writes.forEach((f, i) => {
    const rel = `${STAGING_DIR}/${i}`;
    wfs.writeFile(abs(root, rel), f.content, f.executable ? EXEC_MODE : FILE_MODE);
    wfs.fsync(abs(root, rel));
    ops.push({ op: 'rename', from: rel, to: f.path });
  });
  wfs.writeFile(abs(root, STAGED_MANIFEST), serializeManifest(plan.manifest), FILE_MODE);
  wfs.fsync(abs(root, STAGED_MANIFEST));
  ops.push({ op: 'rename', from: STAGED_MANIFEST, to: MANIFEST_PATH });
  wfs.fsync(staging);
  // Commit point: once journal.json exists, the new state is what the root will hold.
  const tmp = abs(root, `${JOURNAL_PATH}.tmp`);
  wfs.writeFile(tmp, serializeJournal(journalKey, root, ops), FILE_MODE);
  wfs.fsync(tmp);
  wfs.rename(tmp, abs(root, JOURNAL_PATH));
  wfs.fsync(abs(root, STATE_DIR));
  runOps(wfs, root, ops);
  finish(wfs, root, ops);
}
