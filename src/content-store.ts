/**
 * A persistent, content-addressed store of derived results (chart renders, compiled schema
 * validators) shared by the runs of one repository (`.git/aksfleet/store/`) or of the user
 * (`$XDG_CACHE_HOME/aksfleet/store/`). The caller names every input of a result in its key
 * (engine digest included): an entry is found only by exactly the inputs it was made from, so it
 * cannot be stale. Each file holds a header with the digest of its key and of its body: a file
 * that does not match (truncated, edited, another key) is never trusted, it is a miss with a note.
 *
 * Concurrent runs and threads: a write goes to a temporary file of its own renamed over the entry (readers see a whole
 * entry or none); two runs writing one key write the same bytes. Bounded: after a run that
 * wrote, the least recently used entries (a hit touches its file's time) go until the folder is
 * under its size bound; a file removed under a reader is a miss.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const HEADER = 'aksfleet-content-store 1';

/** What a derived result's producer asks of a persistent store. */
export interface ContentStore {
  /** The text stored under `key`, or undefined (absent, unreadable, or corrupt: noted, not trusted). */
  get(key: string): string | undefined;
  /** Stores `text` under `key` (best effort: a read-only folder only costs speed). */
  put(key: string, text: string): void;
}

export interface ContentStoreStats {
  hits: number;
  misses: number;
  written: number;
  /** Entries whose digests did not match: ignored. */
  corrupt: number;
  evicted: number;
}

export interface DiskContentStoreOptions {
  /**
   * Mixed into every key (the engine digest): entries of another engine are never found. A
   * function is asked once, when the first key is made (a run that reads and writes no entry
   * does not digest the engine).
   */
  readonly salt: string | (() => string);
  /** The folder's size bound in bytes (entries are evicted, least recently used first, down to 3/4 of it). */
  readonly maxBytes: number;
  /** The current time in ms (tests). */
  readonly now?: () => number;
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** The text of an entry file: header line (key digest, body digest), then the body. */
export function entryText(keyDigest: string, body: string): string {
  return `${HEADER} ${keyDigest} ${sha256(body)}\n${body}`;
}

/**
 * The body of an entry file when its header names `keyDigest` and its body matches the header's
 * digest. Given the file's bytes, the body's bytes are hashed as read (the digest was made of the
 * body's UTF-8, which is what the file holds) and decoded once, not decoded then encoded again.
 */
export function entryBody(text: string | Buffer, keyDigest: string): string | undefined {
  const file = typeof text === 'string' ? Buffer.from(text) : text;
  const nl = file.indexOf(10);
  if (nl < 0) return undefined;
  const [magic, version, key, digest] = file.subarray(0, nl).toString().split(' ');
  if (`${magic} ${version}` !== HEADER || key !== keyDigest) return undefined;
  const body = file.subarray(nl + 1);
  return sha256(body) === digest ? body.toString() : undefined;
}

/** One folder of entries, one file per key. */
export class DiskContentStore implements ContentStore {
  readonly stats: ContentStoreStats = { hits: 0, misses: 0, written: 0, corrupt: 0, evicted: 0 };
  /** What the store noticed (corrupt entries): the caller reports them. */
  readonly notes: string[] = [];
  private made = false;
  private seq = 0;
  constructor(
    readonly dir: string,
    private readonly opts: DiskContentStoreOptions,
  ) {}

  private salt?: string;
  private keyDigest(key: string): string {
    const s = this.opts.salt;
    this.salt ??= typeof s === 'string' ? s : s();
    return sha256(`${this.salt}\0${key}`);
  }

  /** The file of the entry of `key`. */
  path(key: string): string {
    return join(this.dir, this.keyDigest(key).slice(0, 40));
  }

  get(key: string): string | undefined {
    const kd = this.keyDigest(key);
    const file = join(this.dir, kd.slice(0, 40));
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const body = entryBody(text, kd);
    if (body === undefined) {
      this.stats.corrupt++;
      this.stats.misses++;
      this.notes.push(`${file}: a corrupt entry (its digest does not match its content): ignored, made again`);
      return undefined;
    }
    this.stats.hits++;
    try {
      const t = (this.opts.now?.() ?? Date.now()) / 1000;
      utimesSync(file, t, t);
    } catch {
      // removed by a concurrent run's eviction: the entry was read whole
    }
    return body;
  }

  put(key: string, text: string): void {
    const kd = this.keyDigest(key);
    const data = entryText(kd, text);
    if (data.length > this.opts.maxBytes / 4) return;
    const file = this.path(key);
    // Unique to this process, thread (`check --jobs` workers share the folder) and write.
    const tmp = `${file}.${process.pid}-${threadId}-${this.seq++}.tmp`;
    try {
      if (!this.made) mkdirSync(this.dir, { recursive: true });
      this.made = true;
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      this.stats.written++;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  }

  /** After a run that wrote: evicts the least recently used entries down to 3/4 of the bound. */
  finish(): void {
    if (this.stats.written === 0) return;
    const entries: { file: string; size: number; time: number }[] = [];
    let total = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const now = this.opts.now?.() ?? Date.now();
    for (const n of names) {
      const file = join(this.dir, n);
      try {
        const st = statSync(file);
        // A temporary file older than an hour is a killed run's.
        if (n.endsWith('.tmp')) {
          if (now - st.mtimeMs > 3_600_000) unlinkSync(file);
          continue;
        }
        entries.push({ file, size: st.size, time: st.mtimeMs });
        total += st.size;
      } catch {
        // gone meanwhile
      }
    }
    if (total <= this.opts.maxBytes) return;
    entries.sort((a, b) => a.time - b.time || (a.file < b.file ? -1 : 1));
    for (const e of entries) {
      if (total <= (this.opts.maxBytes * 3) / 4) break;
      try {
        unlinkSync(e.file);
        this.stats.evicted++;
      } catch {
        // removed by another run
      }
      total -= e.size;
    }
  }
}
