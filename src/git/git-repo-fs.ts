/**
 * A RepoFs over one git commit: the build engine renders a ref straight from git objects,
 * without checking it out (the user's working tree is never touched).
 *
 * The tree is listed once (`git ls-tree -r -l -z`) and every blob read in one `git cat-file
 * --batch` call. Symlinks are followed only when they stay inside the tree and point at files.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { byteOrder, decodeText, MAX_FILE_BYTES, resolveRel, type RepoFs } from '../repo/repo-fs.js';
import { catFileBatch, git, resolveCommit } from './git.js';

interface Entry {
  readonly mode: string;
  readonly sha: string;
  readonly size: number;
}

export class GitRepoFs implements RepoFs {
  readonly label: string;
  readonly commit: string;
  private readonly entries = new Map<string, Entry>();
  private readonly dirs = new Map<string, Set<string>>();
  private readonly blobs = new Map<string, Buffer>();

  /** Lists and reads the tree of `ref` in the repository at `repo`. */
  constructor(repo: string, ref: string) {
    this.commit = resolveCommit(repo, ref);
    this.label = `${ref}@${this.commit.slice(0, 12)}`;
    const out = git(repo, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.commit]);
    const wanted: string[] = [];
    for (const rec of out.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const [mode, type, sha, size] = rec.slice(0, tab).split(/\s+/);
      const p = rec.slice(tab + 1);
      if (type !== 'blob') continue; // submodules (commit) are not part of the source
      const e: Entry = { mode: mode!, sha: sha!, size: Number(size) };
      this.entries.set(p, e);
      this.addDirs(p);
      if (e.size <= MAX_FILE_BYTES) wanted.push(sha!);
    }
    if (wanted.length > 0) this.readBlobs(repo, [...new Set(wanted)]);
  }

  private addDirs(p: string): void {
    let child = p;
    let dir = path.posix.dirname(p);
    for (;;) {
      const d = dir === '.' ? '' : dir;
      let set = this.dirs.get(d);
      if (!set) this.dirs.set(d, (set = new Set()));
      set.add(path.posix.basename(child));
      if (d === '') break;
      child = d;
      dir = path.posix.dirname(d);
    }
  }

  private readBlobs(repo: string, shas: string[]): void {
    // An object the repository lacks (a partial or trimmed clone) stays unread: reading it says so.
    for (const [sha, blob] of catFileBatch(repo, shas)) this.blobs.set(sha, blob);
  }

  /** Follows symlinks (inside the tree only) to a regular file entry. */
  private resolveFile(rel: string, depth = 0): { path: string; entry: Entry } | undefined {
    const clean = resolveRel('', rel);
    const e = this.entries.get(clean);
    if (!e) return undefined;
    if (e.mode !== '120000') return { path: clean, entry: e };
    if (depth > 20) throw new InputError(`symlink loop at '${clean}'`, { pos: { file: clean } });
    const target = this.blobs.get(e.sha)?.toString('utf8') ?? '';
    let next: string;
    try {
      next = resolveRel(path.posix.dirname(clean), target, 'symlink target');
    } catch {
      throw new InputError(`'${clean}' is a symlink that leaves the repository root (-> ${target})`, {
        pos: { file: clean },
      });
    }
    return this.resolveFile(next, depth + 1);
  }

  readBytes(rel: string): Uint8Array {
    const f = this.resolveFile(rel);
    if (!f) throw new InputError(`file not found: '${rel}' (in ${this.label})`, { pos: { file: rel } });
    if (f.entry.size > MAX_FILE_BYTES) {
      throw new InputError(`file is ${f.entry.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`, {
        pos: { file: rel },
      });
    }
    const b = this.blobs.get(f.entry.sha);
    if (!b)
      throw new InputError(`the blob of '${rel}' (${f.entry.sha}) is missing from the repository (a partial clone?)`, {
        pos: { file: rel },
      });
    return b;
  }
  readFile(rel: string): string {
    return decodeText(this.readBytes(rel), rel);
  }
  isFile(rel: string): boolean {
    try {
      return this.resolveFile(rel) !== undefined;
    } catch {
      return false;
    }
  }
  isDir(rel: string): boolean {
    return this.dirs.has(resolveRel('', rel));
  }
  exists(rel: string): boolean {
    return this.isFile(rel) || this.isDir(rel);
  }
  list(rel: string): string[] {
    return [...(this.dirs.get(resolveRel('', rel)) ?? [])].sort();
  }
  /**
   * The path with symlinks resolved: a link (to a file inside the tree) answers its target, as
   * the working tree does; folders and files answer themselves; undefined when missing. A link
   * that leaves the tree throws, as resolving it does.
   */
  realPath(rel: string): string | undefined {
    const clean = resolveRel('', rel);
    if (this.dirs.has(clean)) return clean;
    return this.resolveFile(clean)?.path;
  }
  findFiles(under: string, name: string): string[] {
    const r = resolveRel('', under);
    const prefix = r === '' ? '' : r + '/';
    const out: string[] = [];
    // Git trees hold no `.git` folder, and a link to a folder is a leaf entry (never entered).
    for (const k of this.entries.keys()) {
      if (k.startsWith(prefix) && (k === name || k.endsWith('/' + name)) && this.isFile(k)) out.push(k);
    }
    return out.sort(byteOrder);
  }
}
