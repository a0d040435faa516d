/**
 * A RepoFs that records every question asked of it and the answer, so a later run can tell
 * whether another tree (another git ref) would give the same answers: if it would, a build
 * that read only through this view gives the same result there. This is how diff and check
 * rebuild only the clusters whose inputs changed.
 */
import { createHash } from 'node:crypto';
import { decodeText, findFiles, type RepoFs } from './repo-fs.js';

/** The questions a build asks a RepoFs. */
export type Question = 'read' | 'exists' | 'isDir' | 'isFile' | 'list' | 'realPath' | 'find';

/**
 * The path of a `find` question (RepoFs.findFiles): UNDER, `/**` and `/NAME`, or `**` and `/NAME`
 * for the root (a name holds no `/`, so the last `**` followed by `/` splits it back).
 */
export const findQuestion = (under: string, name: string): string => (under ? `${under}/**/${name}` : `**/${name}`);
export function parseFindQuestion(q: string): { under: string; name: string } {
  const i = q.lastIndexOf('**/');
  return { under: i === 0 ? '' : q.slice(0, i - 1), name: q.slice(i + 3) };
}

/**
 * The recorded answer to `realPath`: empty when the path is its own real path (or the view has no
 * symlinks), else the real path. Views with and without symlink support (the working tree, a git
 * commit) then answer alike for the paths that are not links.
 */
export const realPathAnswer = (rel: string, real: string | undefined): string =>
  real === undefined || real === rel ? '' : real;

/** The digest that stands for file contents and listings in recorded answers. */
export const answerDigest = (b: Uint8Array | string): string => createHash('sha1').update(b).digest('base64');

/**
 * The answer of `fs` to one question as a short string: a digest for contents and listings,
 * `true`/`false` for the others; an error is an answer too (`!` and its message).
 */
export function answerOf(fs: RepoFs, op: Question, path: string): string {
  try {
    switch (op) {
      case 'read':
        return answerDigest(fs.readBytes(path));
      case 'exists':
        return String(fs.exists(path));
      case 'isDir':
        return String(fs.isDir(path));
      case 'isFile':
        return String(fs.isFile(path));
      case 'list':
        return answerDigest(fs.list(path).join('\0'));
      case 'realPath':
        return realPathAnswer(path, fs.realPath?.(path));
      case 'find': {
        const q = parseFindQuestion(path);
        return answerDigest(findFiles(fs, q.under, q.name).join('\0'));
      }
    }
  } catch (e) {
    return `!${(e as Error).message}`;
  }
}

type Call =
  | { op: 'read'; path: string; value: Buffer }
  | { op: 'exists' | 'isDir' | 'isFile'; path: string; value: boolean }
  | { op: 'list' | 'realPath' | 'find'; path: string; value: string };

export class RecordingRepoFs implements RepoFs {
  readonly label: string;
  private readonly calls = new Map<string, Call>();
  private inner: RepoFs;
  constructor(inner: RepoFs) {
    this.inner = inner;
    this.label = inner.label;
  }
  get remoteUrls(): readonly string[] | undefined {
    return this.inner.remoteUrls;
  }
  private note(c: Call): void {
    this.calls.set(`${c.op}\0${c.path}`, c);
  }
  readBytes(rel: string): Uint8Array {
    const b = this.inner.readBytes(rel);
    // a copy: the caller may change the bytes it gets
    this.note({ op: 'read', path: rel, value: Buffer.from(b) });
    return b;
  }
  readFile(rel: string): string {
    const b = this.inner.readBytes(rel);
    const t = decodeText(b, rel);
    // the bytes themselves: nobody else holds them
    this.note({ op: 'read', path: rel, value: Buffer.from(b.buffer, b.byteOffset, b.byteLength) });
    return t;
  }
  exists(rel: string): boolean {
    const v = this.inner.exists(rel);
    this.note({ op: 'exists', path: rel, value: v });
    return v;
  }
  isDir(rel: string): boolean {
    const v = this.inner.isDir(rel);
    this.note({ op: 'isDir', path: rel, value: v });
    return v;
  }
  isFile(rel: string): boolean {
    const v = this.inner.isFile(rel);
    this.note({ op: 'isFile', path: rel, value: v });
    return v;
  }
  list(rel: string): string[] {
    const v = this.inner.list(rel);
    this.note({ op: 'list', path: rel, value: v.join('\0') });
    return v;
  }
  realPath(rel: string): string | undefined {
    const v = this.inner.realPath?.(rel);
    this.note({ op: 'realPath', path: rel, value: realPathAnswer(rel, v) });
    return v;
  }
  findFiles(under: string, name: string): string[] {
    const v = findFiles(this.inner, under, name);
    this.note({ op: 'find', path: findQuestion(under, name), value: v.join('\0') });
    return v;
  }
  /** The files read (repo-relative paths), sorted. */
  filesRead(): string[] {
    return [...this.calls.values()]
      .filter((c) => c.op === 'read')
      .map((c) => c.path)
      .sort();
  }
  /**
   * Keeps the questions and answers but lets go of the RepoFs they were asked of (a memo entry
   * must not keep its first caller's repository view, and whatever hangs on it, alive); asking
   * anything new afterwards is an error.
   */
  detach(): void {
    const label = this.label;
    const gone = (): never => {
      throw new Error(`RecordingRepoFs of ${label} was detached`);
    };
    this.inner = { label, readBytes: gone, readFile: gone, exists: gone, isDir: gone, isFile: gone, list: gone };
  }
  /** Every question asked and its answer as answerOf gives it, in the order first asked. */
  digestedAnswers(): [Question, string, string][] {
    return [...this.calls.values()].map((c) => [
      c.op,
      c.path,
      c.op === 'read'
        ? answerDigest(c.value)
        : c.op === 'list' || c.op === 'find'
          ? answerDigest(c.value)
          : String(c.value),
    ]);
  }
  /** True when `other` answers every recorded question the same way. */
  sameAnswersIn(other: RepoFs): boolean {
    for (const c of this.calls.values()) {
      try {
        switch (c.op) {
          case 'read':
            if (!c.value.equals(other.readBytes(c.path))) return false;
            break;
          case 'exists':
            if (other.exists(c.path) !== c.value) return false;
            break;
          case 'isDir':
            if (other.isDir(c.path) !== c.value) return false;
            break;
          case 'isFile':
            if (other.isFile(c.path) !== c.value) return false;
            break;
          case 'list':
            if (other.list(c.path).join('\0') !== c.value) return false;
            break;
          case 'realPath':
            if (realPathAnswer(c.path, other.realPath?.(c.path)) !== c.value) return false;
            break;
          case 'find': {
            const q = parseFindQuestion(c.path);
            if (findFiles(other, q.under, q.name).join('\0') !== c.value) return false;
            break;
          }
        }
      } catch {
        return false;
      }
    }
    return true;
  }
}
