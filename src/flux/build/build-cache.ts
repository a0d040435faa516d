/**
 * A persistent second level for the build memo (build-memo.ts): the results of steps 1-2 of Flux
 * Kustomization builds, kept on disk between runs so that a re-check after a one-file change
 * builds only the folders that file reaches. Used by `aksfleet check --changed-since`, in the
 * git directory (`.git/aksfleet/build-cache/`, never the working tree).
 *
 * An entry holds the questions its build asked the repository with a digest of each answer, and
 * is used only when the repository asked now gives the same answers; the key is only a bucket.
 * The salt covers the build engine's own code, so a changed aksfleet never reads an older
 * engine's results. Entries whose data would not survive JSON exactly (undefined, -0, NaN,
 * integers beyond 2^53, non-plain objects) are not stored. A missing, unreadable or foreign file
 * is a miss; writes go to a temporary file and are renamed, so a killed run leaves no half entry.
 * Each engine version writes into its own folder and removes the other versions' folders, so the
 * cache holds one version's entries: at most one file per (folder, build-relevant spec fields).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { RepoFs } from '../../repo/repo-fs.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import { answerOf, type Question, type RecordingRepoFs } from '../../repo/recording-fs.js';
import type { GeneratedKustomization } from '../generator/index.js';
import type { Resource } from '../../resources/resource.js';

/** 3: `find` questions (.sourceignore files anywhere in the artifact) and symbolic links left out. */
const FORMAT = 3;

/** The questions of one cached build, with each answer as answerOf gives it (digests for contents). */
export class AnswerDigests {
  constructor(readonly questions: readonly (readonly [Question, string, string])[]) {}

  static of(rec: RecordingRepoFs): AnswerDigests {
    return new AnswerDigests(rec.digestedAnswers());
  }

  /** True when `fs` answers every question the same way (asked of `fs`, so a recorder sees them). */
  sameAnswersIn(fs: RepoFs): boolean {
    return this.questions.every(([op, path, a]) => answerOf(fs, op, path) === a);
  }
}

export interface CachedBuild {
  readonly questions: AnswerDigests;
  readonly gen: GeneratedKustomization;
  readonly built: Resource[];
}

/** What the memo asks of a persistent store. */
export interface BuildCacheStore {
  get(key: string): CachedBuild | undefined;
  put(key: string, questions: RecordingRepoFs, gen: GeneratedKustomization, built: Resource[]): void;
}

/** Whether a value comes back from JSON.parse(JSON.stringify(v)) exactly equal. */
export function jsonExact(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number')
    return Number.isFinite(v) && !Object.is(v, -0) && (!Number.isInteger(v) || Number.isSafeInteger(v));
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i])) return false;
    return true;
  }
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k of Object.keys(v)) if (k === '__proto__' || !jsonExact((v as Record<string, unknown>)[k])) return false;
  return true;
}

/** The store in a directory: one JSON file per key, written when the command ends (`flush`). */
export class DiskBuildCache implements BuildCacheStore {
  private readonly pending = new Map<string, string>();
  readonly stats = { read: 0, used: 0, written: 0, skipped: 0 };
  constructor(
    readonly dir: string,
    private readonly salt: string = engineDigest(),
  ) {}

  /** This engine's entries live in their own folder; other engines' folders go at the next flush. */
  private get folder(): string {
    return join(this.dir, createHash('sha256').update(this.salt).digest('hex').slice(0, 16));
  }

  private file(key: string): string {
    return join(this.folder, `${createHash('sha256').update(`${this.salt}\0${key}`).digest('hex').slice(0, 32)}.json`);
  }

  get(key: string): CachedBuild | undefined {
    let data: {
      format?: number;
      salt?: string;
      key?: string;
      questions?: [Question, string, string][];
      gen?: GeneratedKustomization;
      built?: Resource[];
    };
    try {
      data = JSON.parse(readFileSync(this.file(key), 'utf8')) as typeof data;
    } catch {
      return undefined;
    }
    this.stats.read++;
    if (
      data.format !== FORMAT ||
      data.salt !== this.salt ||
      data.key !== key ||
      !Array.isArray(data.questions) ||
      !data.gen ||
      !Array.isArray(data.built)
    )
      return undefined;
    this.stats.used++;
    return { questions: new AnswerDigests(data.questions), gen: data.gen, built: data.built };
  }

  put(key: string, questions: RecordingRepoFs, gen: GeneratedKustomization, built: Resource[]): void {
    if (!jsonExact(gen) || !jsonExact(built)) {
      this.stats.skipped++;
      return;
    }
    this.pending.set(
      this.file(key),
      JSON.stringify({
        format: FORMAT,
        salt: this.salt,
        key,
        questions: AnswerDigests.of(questions).questions,
        gen,
        built,
      }),
    );
  }

  /** Writes the entries built in this run (best effort: a read-only git directory only costs speed). */
  flush(): void {
    if (this.pending.size === 0) return;
    try {
      mkdirSync(this.folder, { recursive: true });
      // Entries of other aksfleet versions are never read again: keep the cache to one version.
      const mine = basename(this.folder);
      for (const n of readdirSync(this.dir))
        if (n !== mine && /^[0-9a-f]{16}$/.test(n)) rmSync(join(this.dir, n), { recursive: true, force: true });
      for (const [file, text] of this.pending) {
        // A temporary file of this process and thread (`check --jobs` workers share the folder).
        const tmp = `${file}.${process.pid}-${threadId}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, file);
        this.stats.written++;
      }
    } catch {
      // the next run builds these again
    }
    this.pending.clear();
  }
}

let engine: string | undefined;
/**
 * A digest of the engine's code (this package's modules, compiled or source: the Flux build,
 * kustomize, Helm and its template engine, the schemas), of its data files and of its
 * package.json (the versions of the libraries it runs): cached results (the build cache, the
 * content stores of chart renders and validators) are only ever read by the engine that made them.
 */
export function engineDigest(): string {
  if (engine) return engine;
  const here = dirname(fileURLToPath(import.meta.url));
  const base = join(here, '..', '..');
  const h = createHash('sha256');
  const walk = (dir: string, all = false): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (all || !['bundle', 'compiled', 'testing'].includes(n)) walk(p, all);
      } else if (all || (/\.(js|ts)$/.test(n) && !/\.test\.(js|ts)$/.test(n)))
        h.update(`${relative(PACKAGE_ROOT, p)}\0`)
          .update(readFileSync(p))
          .update('\0');
    }
  };
  if (existsSync(join(base, 'flux'))) walk(base);
  else walk(here, true); // the CLI bundle (dist/bundle/): the engine is compiled into its files
  walk(join(PACKAGE_ROOT, 'data'), true);
  try {
    h.update(readFileSync(join(PACKAGE_ROOT, 'package.json')));
  } catch {
    // no package.json beside the code: its code and data are the digest
  }
  engine = h.digest('hex').slice(0, 32);
  return engine;
}
