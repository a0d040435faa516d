/**
 * Read the output root's state, then assemble the write plan with a pure function: what to
 * create, update, delete, what is unchanged, and what may not be touched (conflicts).
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import type { GeneratedFile } from '../generators/types.js';
import type { WriterFs } from './fs-ops.js';
import {
  MANIFEST_PATH,
  byteOrder,
  parseManifest,
  pathProblem,
  serializeManifest,
  sha256,
  type Manifest,
} from './manifest.js';

/** What is on disk at one path the writer cares about. */
export type DiskEntry =
  | { readonly kind: 'missing' }
  | { readonly kind: 'file'; readonly sha256: string; readonly executable: boolean }
  /** A directory, symlink or other non-regular file, or a path below a non-directory. */
  | { readonly kind: 'other'; readonly what: string };

export interface RootState {
  readonly manifest: Manifest;
  /** The manifest file's bytes, or undefined when there is none. */
  readonly manifestText?: string;
  readonly disk: ReadonlyMap<string, DiskEntry>;
}

export type ConflictReason = 'edited' | 'unowned' | 'blocked';

export interface Conflict {
  readonly path: string;
  readonly reason: ConflictReason;
  /** What the writer wanted to do there. */
  readonly action: 'write' | 'delete';
  readonly detail: string;
}

export interface WritePlan {
  readonly create: readonly GeneratedFile[];
  readonly update: readonly GeneratedFile[];
  readonly delete: readonly string[];
  readonly unchanged: readonly string[];
  readonly conflicts: readonly Conflict[];
  /** The manifest after the plan is applied. */
  readonly manifest: Manifest;
  /** True when the manifest file must be (re)written. */
  readonly manifestChanged: boolean;
}

/**
 * Checks that a generated path is a clean relative path inside the root: `/` separators, no
 * empty, `.` or `..` segments, not absolute, not in the writer's own state directory.
 */
export function checkRelPath(p: string): void {
  const why = pathProblem(p);
  if (why) throw new InputError(`refusing to write '${p}': ${why}`);
}

/** What is at `rel` below `root`, refusing to follow symlinks at any level. */
export function inspect(wfs: WriterFs, root: string, rel: string): DiskEntry {
  const segs = rel.split('/');
  let cur = root;
  for (let i = 0; i < segs.length; i++) {
    cur = path.join(cur, segs[i]!);
    const st = wfs.lstat(cur);
    if (!st) return { kind: 'missing' };
    if (st.isSymbolicLink())
      return {
        kind: 'other',
        what: `${segs.slice(0, i + 1).join('/')} is a symlink (the writer never follows symlinks)`,
      };
    const last = i === segs.length - 1;
    if (!last && !st.isDirectory())
      return { kind: 'other', what: `${segs.slice(0, i + 1).join('/')} is not a directory` };
    if (last) {
      if (!st.isFile())
        return { kind: 'other', what: st.isDirectory() ? 'a directory is in the way' : 'not a regular file' };
      return { kind: 'file', sha256: sha256(wfs.readFile(cur)), executable: (st.mode & 0o111) !== 0 };
    }
  }
  return { kind: 'missing' };
}

/** Reads the manifest and the state of every path that is generated or owned. */
export function readRootState(wfs: WriterFs, root: string, files: readonly GeneratedFile[]): RootState {
  let manifest: Manifest = { files: {} };
  let manifestText: string | undefined;
  const m = inspect(wfs, root, MANIFEST_PATH);
  if (m.kind === 'file') {
    manifestText = wfs.readFile(path.join(root, MANIFEST_PATH)).toString('utf8');
    manifest = parseManifest(manifestText, path.join(root, MANIFEST_PATH));
  } else if (m.kind === 'other') {
    throw new InputError(`cannot read the ownership manifest: ${m.what}`, {
      pos: { file: path.join(root, MANIFEST_PATH) },
    });
  }
  const disk = new Map<string, DiskEntry>();
  for (const p of [...files.map((f) => f.path), ...Object.keys(manifest.files)]) {
    if (disk.has(p)) continue;
    // A manifest path that is not clean is never touched: it is reported as blocked by planWrite.
    try {
      checkRelPath(p);
    } catch {
      disk.set(p, { kind: 'other', what: 'not a clean path inside the output root' });
      continue;
    }
    disk.set(p, inspect(wfs, root, p));
  }
  return { manifest, manifestText, disk };
}

/** The plan. Pure: a function of the generated files, the state read, and `force`. */
export function planWrite(
  files: readonly GeneratedFile[],
  state: RootState,
  opts: { force?: boolean } = {},
): WritePlan {
  const force = opts.force ?? false;
  const create: GeneratedFile[] = [];
  const update: GeneratedFile[] = [];
  const del: string[] = [];
  const unchanged: string[] = [];
  const conflicts: Conflict[] = [];
  const next: Record<string, { sha256: string; executable?: boolean }> = {};
  const seen = new Set<string>();
  const sorted = [...files].sort((a, b) => byteOrder(a.path, b.path));
  for (const f of sorted) {
    checkRelPath(f.path);
    if (seen.has(f.path)) throw new InputError(`two generated files have the path '${f.path}'`);
    seen.add(f.path);
  }
  for (const f of sorted) {
    const segs = f.path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const dir = segs.slice(0, i).join('/');
      if (seen.has(dir)) throw new InputError(`generated file '${dir}' is also a folder of generated file '${f.path}'`);
    }
  }
  for (const f of sorted) {
    const want = { sha256: sha256(f.content), ...(f.executable ? { executable: true } : {}) };
    const owned = state.manifest.files[f.path];
    const d = state.disk.get(f.path) ?? { kind: 'missing' };
    if (d.kind === 'other') {
      conflicts.push({ path: f.path, reason: 'blocked', action: 'write', detail: d.what });
      if (owned) next[f.path] = owned;
      continue;
    }
    if (d.kind === 'missing') {
      create.push(f);
      next[f.path] = want;
      continue;
    }
    const same = d.sha256 === want.sha256 && d.executable === Boolean(f.executable);
    if (owned && d.sha256 !== owned.sha256 && d.sha256 !== want.sha256 && !force) {
      conflicts.push({ path: f.path, reason: 'edited', action: 'write', detail: 'changed since aksfleet wrote it' });
      next[f.path] = owned;
      continue;
    }
    if (!owned && !same && !force) {
      conflicts.push({
        path: f.path,
        reason: 'unowned',
        action: 'write',
        detail: 'exists and was not written by aksfleet',
      });
      continue;
    }
    if (same) unchanged.push(f.path);
    else update.push(f);
    next[f.path] = want;
  }
  for (const p of Object.keys(state.manifest.files).sort(byteOrder)) {
    if (seen.has(p)) continue;
    const owned = state.manifest.files[p]!;
    const d = state.disk.get(p) ?? { kind: 'missing' };
    if (d.kind === 'missing') continue; // already gone: forget it
    if (d.kind === 'other') {
      conflicts.push({ path: p, reason: 'blocked', action: 'delete', detail: d.what });
      next[p] = owned;
      continue;
    }
    if (d.sha256 !== owned.sha256 && !force) {
      conflicts.push({
        path: p,
        reason: 'edited',
        action: 'delete',
        detail: 'no longer generated, but changed since aksfleet wrote it',
      });
      next[p] = owned;
      continue;
    }
    del.push(p);
  }
  const manifest: Manifest = { files: next };
  return {
    create,
    update,
    delete: del,
    unchanged,
    conflicts,
    manifest,
    manifestChanged: serializeManifest(manifest) !== state.manifestText,
  };
}
