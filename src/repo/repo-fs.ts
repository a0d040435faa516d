/**
 * A read-only view of a repository, rooted at one directory. The build engine reads files only
 * through it, so the same engine renders a working tree (DiskRepoFs), a git commit (the git
 * module's GitRepoFs) or an in-memory tree (MemoryRepoFs, for tests and generated fleets).
 *
 * Paths are repo-relative with `/` separators (no leading `/`). Every implementation refuses
 * paths that leave the root: `..` escapes, absolute paths, and symlinks that resolve outside.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { gitRemoteUrls } from './git-remotes.js';

/** Files larger than this are refused (a PR gate must not be fed a 1 GB "manifest"). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface RepoFs {
  /** A label for messages, e.g. the absolute root or `git:<sha>`. */
  readonly label: string;
  /** Reads a file as UTF-8 text. Throws InputError if missing, too big, or outside the root. */
  readFile(rel: string): string;
  /** Reads a file as bytes. */
  readBytes(rel: string): Uint8Array;
  exists(rel: string): boolean;
  isDir(rel: string): boolean;
  isFile(rel: string): boolean;
  /** Entry names of a directory, sorted byte-wise. */
  list(rel: string): string[];
  /**
   * The repo-relative path of an existing entry with symlinks resolved (kustomize roots
   * kustomizations at real paths, so a cycle through a symlink is a cycle); undefined when the
   * entry does not exist. Views without symlinks leave this out.
   */
  realPath?(rel: string): string | undefined;
  /**
   * The remote URLs of the git checkout this tree is (none when unknown): what tells which Flux
   * source is this repository (src/flux/source/this-repository.ts).
   */
  readonly remoteUrls?: readonly string[];
  /**
   * The repo-relative paths of the files named `name` under the folder `under` (any depth),
   * sorted, found as source-controller's LoadIgnorePatterns finds `.sourceignore` files: the walk
   * does not enter `.git` folders or symbolic links to folders. One question instead of a listing
   * of every folder, so that a build that needs it does not depend on every folder's contents.
   * Views without it are walked through list/isDir (findFiles).
   */
  findFiles?(under: string, name: string): string[];
}

/** The files named `name` under `under` (RepoFs.findFiles, or a walk through list/isDir/isFile). */
export function findFiles(fs: RepoFs, under: string, name: string): string[] {
  if (fs.findFiles) return fs.findFiles(under, name);
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 256) return;
    for (const n of fs.list(dir)) {
      const rel = dir ? `${dir}/${n}` : n;
      if (n === name && fs.isFile(rel)) out.push(rel);
      if (n !== '.git' && fs.isDir(rel) && !isLinkIn(fs, rel)) walk(rel, depth + 1);
    }
  };
  walk(resolveRel('', under), 0);
  return out.sort(byteOrder);
}

/** Byte-wise order of strings (what `list` promises). */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether the last element of an existing path is a symbolic link (its parent being no link):
 * the view's realPath differs from the path, or refuses it (a link that leaves the root). Views
 * without realPath have no links.
 */
export function isLinkIn(fs: RepoFs, rel: string): boolean {
  if (!fs.realPath) return false;
  try {
    const real = fs.realPath(rel);
    return real !== undefined && real !== resolveRel('', rel);
  } catch {
    return true;
  }
}

/**
 * Normalises a repo-relative path: resolves `.` and `..`, refuses escapes and absolute paths.
 * `base` is a repo-relative directory the path is relative to.
 */
export function resolveRel(base: string, p: string, what = 'path'): string {
  // Most paths are already clean (the engine passes its own results back in): nothing to do.
  if (isCleanPath(p) && (base === '' || isCleanPath(base))) return base === '' ? p : `${base}/${p}`;
  return resolveRelSlow(base, p, what);
}

/**
 * A relative path that normalisation leaves as it is: non-empty segments, none `.` or `..`, no
 * backslash, no leading or trailing `/`, no drive letter. One scan, no regular expression (every
 * question a build asks of a view comes through here).
 */
function isCleanPath(p: string): boolean {
  const n = p.length;
  if (n === 0) return false;
  const c0 = p.charCodeAt(0) | 0x20; // ASCII letters folded to lower case
  if (n >= 3 && p.charCodeAt(1) === COLON && p.charCodeAt(2) === SLASH && c0 >= 0x61 && c0 <= 0x7a) return false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? p.charCodeAt(i) : SLASH;
    if (c === BACKSLASH) return false;
    if (c !== SLASH) continue;
    const len = i - start;
    if (len === 0) return false;
    if (p.charCodeAt(start) === DOT && (len === 1 || (len === 2 && p.charCodeAt(start + 1) === DOT))) return false;
    start = i + 1;
  }
  return true;
}
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const DOT = 0x2e;

/** resolveRel without the shortcut (exported for the test that compares the two). */
export function resolveRelSlow(base: string, p: string, what = 'path'): string {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) {
    throw new InputError(`${what} '${p}' is absolute; only paths inside the repository are allowed`);
  }
  const joined = path.posix.normalize(path.posix.join(base || '.', p.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) {
    throw new InputError(`${what} '${p}' (from '${base || '.'}') leaves the repository root`);
  }
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** The working tree on disk, rooted at `root`. */
export class DiskRepoFs implements RepoFs {
  readonly root: string;
  readonly label: string;
  private readonly realRoot: string;
  constructor(root: string) {
    this.root = path.resolve(root);
    this.label = this.root;
    try {
      this.realRoot = fs.realpathSync(this.root);
    } catch {
      throw new InputError(`repository root '${root}' does not exist`);
    }
  }
  private urls?: readonly string[];
  /** The remote URLs of the checkout the root is in (read once from its git config). */
  get remoteUrls(): readonly string[] {
    this.urls ??= gitRemoteUrls(this.root);
    return this.urls;
  }
  /** Absolute path for a repo-relative one, after checking that it stays inside the root. */
  /** Resolved real paths of existing entries (one view is used for one command's reads). */
  private readonly realCache = new Map<string, string>();
  private abs(rel: string): string {
    const clean = resolveRel('', rel);
    const cached = this.realCache.get(clean);
    if (cached !== undefined) return cached;
    const real = this.realOf(clean);
    if (real === null) return path.join(this.realRoot, clean); // does not exist: callers report it
    // A root that is a file system's root ('/') already ends with the separator.
    const inside = this.realRoot.endsWith(path.sep) ? this.realRoot : this.realRoot + path.sep;
    if (real !== this.realRoot && !real.startsWith(inside)) {
      throw new InputError(`'${clean}' is a symlink that leaves the repository root`, { pos: { file: clean } });
    }
    this.realCache.set(clean, real);
    return real;
  }
  /** realPath's answers by clean path (one view is one snapshot, like kinds below). */
  private readonly realPaths = new Map<string, string | undefined>();
  /** Real (absolute) paths by clean path, inside the root or not; null: it does not resolve. */
  private readonly reals = new Map<string, string | null>();
  /**
   * realpath(3) of the root joined with a clean path, from its parent's: the parent's real path
   * joined with the name when that is no symbolic link (one lstat), else the link resolved (one
   * realpath), instead of a realpath that reads every component of every path again.
   */
  private realOf(clean: string): string | null {
    if (clean === '') return this.realRoot;
    let real = this.reals.get(clean);
    if (real !== undefined) return real;
    const cut = clean.lastIndexOf('/');
    const parent = this.realOf(cut === -1 ? '' : clean.slice(0, cut));
    real = null;
    if (parent !== null) {
      const p = path.join(parent, clean.slice(cut + 1));
      try {
        const st = fs.lstatSync(p, { throwIfNoEntry: false });
        if (st) real = st.isSymbolicLink() ? fs.realpathSync.native(p) : p;
      } catch {
        real = null; // ENOTDIR (below a file), EACCES, ELOOP, a broken link: as realpath fails
      }
    }
    this.reals.set(clean, real);
    return real;
  }
  realPath(rel: string): string | undefined {
    const clean = resolveRel('', rel);
    if (this.realPaths.has(clean)) return this.realPaths.get(clean);
    const a = this.abs(clean);
    const real = fs.existsSync(a) ? path.relative(this.realRoot, a).split(path.sep).join('/') : undefined;
    this.realPaths.set(clean, real);
    return real;
  }
  readBytes(rel: string): Uint8Array {
    const a = this.abs(rel);
    let st: fs.Stats;
    try {
      st = fs.statSync(a);
    } catch {
      throw new InputError(`file not found: '${rel}'`, { pos: { file: rel } });
    }
    if (!st.isFile()) throw new InputError(`'${rel}' is not a file`, { pos: { file: rel } });
    if (st.size > MAX_FILE_BYTES) {
      throw new InputError(`file is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`, { pos: { file: rel } });
    }
    return fs.readFileSync(a);
  }
  readFile(rel: string): string {
    return decodeText(this.readBytes(rel), rel);
  }
  /**
   * What a path is, asked of the disk once per view (builds ask the same questions many times:
   * kustomization file names, .sourceignore files, directories). Throws for a symlink that leaves
   * the root, like abs().
   */
  private readonly kinds = new Map<string, 'file' | 'dir' | 'missing' | 'other'>();
  private kind(rel: string): 'file' | 'dir' | 'missing' | 'other' {
    const clean = resolveRel('', rel);
    let k = this.kinds.get(clean);
    if (k === undefined) {
      let st: fs.Stats | undefined;
      try {
        // Missing paths are the common question (kustomization file names, .sourceignore):
        // one stat answers them without resolving the path (stat follows symlinks, so it sees
        // what the resolved path is); present ones are resolved (abs) only so that a symlink
        // leaving the root still throws.
        st = fs.statSync(path.join(this.realRoot, clean), { throwIfNoEntry: false });
        if (st) this.abs(clean);
      } catch (e) {
        if (e instanceof InputError) throw e;
        st = undefined; // ENOTDIR (a path below a file), EACCES, ELOOP: not there for us
      }
      k = !st ? 'missing' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      this.kinds.set(clean, k);
    }
    return k;
  }
  exists(rel: string): boolean {
    try {
      return this.kind(rel) !== 'missing';
    } catch {
      return false;
    }
  }
  isDir(rel: string): boolean {
    try {
      return this.kind(rel) === 'dir';
    } catch {
      return false;
    }
  }
  isFile(rel: string): boolean {
    try {
      return this.kind(rel) === 'file';
    } catch {
      return false;
    }
  }
  list(rel: string): string[] {
    try {
      return fs.readdirSync(this.abs(rel)).sort();
    } catch {
      return [];
    }
  }
  private readonly found = new Map<string, string[]>();
  findFiles(under: string, name: string): string[] {
    const key = `${resolveRel('', under)}\0${name}`;
    let hit = this.found.get(key);
    if (!hit) {
      const out: string[] = [];
      const walk = (dir: string, depth: number): void => {
        if (depth > 256) return;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(path.join(this.realRoot, dir), { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const rel = dir ? `${dir}/${e.name}` : e.name;
          if (e.name === name && this.isFile(rel)) out.push(rel);
          // Dirent types are lstat's: a link to a folder is not entered (os.ReadDir's IsDir).
          if (e.isDirectory() && e.name !== '.git') walk(rel, depth + 1);
        }
      };
      const start = resolveRel('', under);
      if (this.isDir(start) && !isLinkIn(this, start)) walk(start, 0);
      this.found.set(key, (hit = out.sort(byteOrder)));
    }
    return [...hit];
  }
}

/** An in-memory tree: `{ 'a/kustomization.yaml': '...' }`. Directories are implied by paths. */
export class MemoryRepoFs implements RepoFs {
  readonly label: string;
  private readonly files = new Map<string, Uint8Array>();
  constructor(files: Record<string, string | Uint8Array>, label = 'memory') {
    this.label = label;
    for (const [k, v] of Object.entries(files)) {
      this.files.set(resolveRel('', k), typeof v === 'string' ? new TextEncoder().encode(v) : v);
    }
  }
  readBytes(rel: string): Uint8Array {
    const b = this.files.get(resolveRel('', rel));
    if (!b) throw new InputError(`file not found: '${rel}'`, { pos: { file: rel } });
    if (b.byteLength > MAX_FILE_BYTES)
      throw new InputError(`file is over the ${MAX_FILE_BYTES}-byte limit`, { pos: { file: rel } });
    return b;
  }
  readFile(rel: string): string {
    return decodeText(this.readBytes(rel), rel);
  }
  exists(rel: string): boolean {
    return this.isFile(rel) || this.isDir(rel);
  }
  isFile(rel: string): boolean {
    return this.files.has(resolveRel('', rel));
  }
  isDir(rel: string): boolean {
    const r = resolveRel('', rel);
    if (r === '') return true;
    for (const k of this.files.keys()) if (k.startsWith(r + '/')) return true;
    return false;
  }
  list(rel: string): string[] {
    const r = resolveRel('', rel);
    const prefix = r === '' ? '' : r + '/';
    const names = new Set<string>();
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }
  findFiles(under: string, name: string): string[] {
    const r = resolveRel('', under);
    const prefix = r === '' ? '' : r + '/';
    const out: string[] = [];
    for (const k of this.files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const parts = k.slice(prefix.length).split('/');
      if (parts.at(-1) === name && !parts.slice(0, -1).includes('.git')) out.push(k);
    }
    return out.sort(byteOrder);
  }
}

/**
 * Decodes a file as UTF-8 text: strips a BOM, refuses binary (NUL bytes), UTF-16 and
 * invalid UTF-8 with a clear error.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputError('file is UTF-16; save it as UTF-8', { pos: { file } });
  }
  if (bytes.includes(0)) throw new InputError('file is binary (contains NUL bytes), not text', { pos: { file } });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('file is not valid UTF-8', { pos: { file } });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
