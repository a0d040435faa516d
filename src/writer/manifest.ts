/**
 * `.aksfleet/manifest.json`: the files aksfleet owns in an output root, with the sha256 of the
 * content it wrote. A file is owned when it is listed; it was edited by someone when its current
 * hash differs from the recorded one.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

export const STATE_DIR = '.aksfleet';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;
export const STAGING_DIR = `${STATE_DIR}/staging`;

export interface ManifestEntry {
  readonly sha256: string;
  readonly executable?: boolean;
}

export interface Manifest {
  readonly files: Readonly<Record<string, ManifestEntry>>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic serialisation: paths sorted byte-wise, fixed key order, trailing newline. */
export function serializeManifest(m: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const p of Object.keys(m.files).sort(byteOrder)) {
    const e = m.files[p]!;
    files[p] = e.executable ? { sha256: e.sha256, executable: true } : { sha256: e.sha256 };
  }
  return `${JSON.stringify({ generator: 'aksfleet', version: 1, files }, null, 2)}\n`;
}

export function parseManifest(text: string, file: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `the ownership manifest is not valid JSON (${(e as Error).message}); ` +
        `restore it from git or delete it (aksfleet then owns no file)`,
      { pos: { file } },
    );
  }
  const r = raw as { version?: unknown; files?: unknown };
  if (
    typeof r !== 'object' ||
    r === null ||
    r.version !== 1 ||
    typeof r.files !== 'object' ||
    r.files === null ||
    Array.isArray(r.files)
  ) {
    throw new InputError('the ownership manifest is not an aksfleet manifest (version 1 with a files map)', {
      pos: { file },
    });
  }
  const files: Record<string, ManifestEntry> = {};
  for (const [p, e] of Object.entries(r.files as Record<string, unknown>)) {
    const entry = e as { sha256?: unknown; executable?: unknown };
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(entry.sha256)
    ) {
      throw new InputError(`entry '${p}' has no valid sha256`, { pos: { file }, fieldPath: `files.${p}` });
    }
    const why = pathProblem(p);
    if (why)
      throw new InputError(
        `entry '${p}' is not a path aksfleet writes (${why}); the manifest lists only files inside the output root`,
        { pos: { file }, fieldPath: 'files' },
      );
    files[p] = entry.executable === true ? { sha256: entry.sha256, executable: true } : { sha256: entry.sha256 };
  }
  return { files };
}

/**
 * Why `p` is not a clean relative path inside the root (`/` separators, no empty, `.` or `..`
 * segments, not absolute, no NUL, not in the writer's own state folder), or undefined.
 */
export function pathProblem(p: string): string | undefined {
  if (p.length === 0) return 'empty path';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute paths are outside the output root';
  if (p.includes('\\')) return "use '/' separators";
  if (p.includes('\0')) return 'NUL in path';
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') return 'empty or "." path segment';
    if (seg === '..') return "'..' leaves the output root";
  }
  if (p === STATE_DIR || p.startsWith(`${STATE_DIR}/`)) return `${STATE_DIR}/ is the writer's own state`;
  return undefined;
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
