/**
 * The content-addressed chart cache. Layout under the cache folder:
 *
 *   blobs/sha256/<hex>                 a chart archive (.tgz), named by its sha256
 *   refs/<sha256(repository key)>/
 *     v-<sha256(version)>.json         { key, version, tag?, digest, manifestDigest?, created? }
 *     listing.json                     { key, versions: [{ version, created? }] }: what the
 *                                      repository offered when last fetched (index or tags)
 *
 * The repository key (source-url.ts) holds no credentials and no query; paths are hashes, so no
 * URL part ever becomes a path. Reads verify every blob against its name. Writes go to a temporary
 * file renamed into place, so a concurrent reader never sees half a file.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from './digest.js';
import type { VersionCandidate } from './resolve-version.js';

/** One cached chart version of a repository. */
export interface CachedVersion {
  readonly key: string;
  readonly version: string;
  /** OCI: the tag it was fetched by. */
  readonly tag?: string;
  /** `sha256:<hex>` of the archive (the blob's name). */
  readonly digest: string;
  /** OCI: the manifest digest (what `spec.ref.digest` names). */
  readonly manifestDigest?: string;
  readonly created?: string;
}

/** A cached blob may not exceed Helm's archive cap (the decompressed cap is enforced on load). */
export const MAX_BLOB_BYTES = 100 * 1024 * 1024;

/** `$XDG_CACHE_HOME/aksfleet/charts`, else `~/.cache/aksfleet/charts`. */
export function defaultChartCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg?.startsWith('/')
    ? join(xdg, 'aksfleet', 'charts')
    : join(env.HOME || homedir(), '.cache', 'aksfleet', 'charts');
}

function refDir(cacheDir: string, key: string): string {
  return join(cacheDir, 'refs', sha256Hex(key));
}

function blobPath(cacheDir: string, digest: string): string | undefined {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  return m ? join(cacheDir, 'blobs', 'sha256', m[1]!) : undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${sha256Hex(typeof data === 'string' ? data : Buffer.from(data)).slice(0, 8)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The cached versions of a repository key (entries whose stored key differs are ignored). */
export function cachedVersions(cacheDir: string, key: string): CachedVersion[] {
  const dir = refDir(cacheDir, key);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.startsWith('v-') && n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  const out: CachedVersion[] = [];
  for (const n of names) {
    const j = readJson(join(dir, n));
    if (!isMap(j) || j.key !== key || typeof j.version !== 'string' || typeof j.digest !== 'string') continue;
    out.push({
      key,
      version: j.version,
      digest: j.digest,
      ...(typeof j.tag === 'string' ? { tag: j.tag } : {}),
      ...(typeof j.manifestDigest === 'string' ? { manifestDigest: j.manifestDigest } : {}),
      ...(typeof j.created === 'string' ? { created: j.created } : {}),
    });
  }
  return out;
}

/** What the repository offered when last fetched, if recorded. */
export function cachedListing(cacheDir: string, key: string): VersionCandidate[] | undefined {
  const j = readJson(join(refDir(cacheDir, key), 'listing.json'));
  if (!isMap(j) || j.key !== key || !Array.isArray(j.versions)) return undefined;
  return j.versions
    .filter((v): v is VersionCandidate => isMap(v) && typeof v.version === 'string')
    .map((v) => ({ version: v.version, ...(typeof v.created === 'string' ? { created: v.created } : {}) }));
}

export type BlobRead =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** The blob named `digest`, verified; a missing, oversized or corrupted blob is a reason. */
export function readBlob(cacheDir: string, digest: string): BlobRead {
  const p = blobPath(cacheDir, digest);
  if (!p) return { ok: false, reason: `cache entry names an invalid digest '${digest}'` };
  let data: Buffer;
  try {
    if (statSync(p).size > MAX_BLOB_BYTES)
      return { ok: false, reason: `cached chart ${digest} is larger than ${MAX_BLOB_BYTES} bytes` };
    data = readFileSync(p);
  } catch {
    return { ok: false, reason: `cached chart ${digest} is missing from ${join(cacheDir, 'blobs')}` };
  }
  const actual = `sha256:${sha256Hex(data)}`;
  if (actual !== digest)
    return {
      ok: false,
      reason:
        `cached chart ${digest} is corrupted (its content is ${actual}); download it again ('aksfleet helm ` +
        `pull') and map it with --chart-source`,
    };
  return { ok: true, data };
}

/** Stores an archive under its digest and records it as `entry.version` of `entry.key`; returns the digest. */
export function putChart(cacheDir: string, entry: Omit<CachedVersion, 'digest'>, archive: Uint8Array): string {
  const digest = `sha256:${sha256Hex(archive)}`;
  const bp = blobPath(cacheDir, digest)!;
  mkdirSync(join(cacheDir, 'blobs', 'sha256'), { recursive: true });
  writeAtomic(bp, archive);
  const dir = refDir(cacheDir, entry.key);
  mkdirSync(dir, { recursive: true });
  const rec: CachedVersion = { ...entry, digest };
  writeAtomic(join(dir, `v-${sha256Hex(entry.tag ?? entry.version)}.json`), `${JSON.stringify(rec, null, 2)}\n`);
  return digest;
}

/** Records what a repository offers (its index versions or OCI tags read back as versions). */
export function putListing(cacheDir: string, key: string, versions: readonly VersionCandidate[]): void {
  const dir = refDir(cacheDir, key);
  mkdirSync(dir, { recursive: true });
  const list = versions.map((v) => ({ version: v.version, ...(v.created ? { created: v.created } : {}) }));
  writeAtomic(join(dir, 'listing.json'), `${JSON.stringify({ key, versions: list }, null, 2)}\n`);
}
