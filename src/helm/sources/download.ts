/** What a download of one chart brings back, before it goes into the cache or a file. */
import { loadArchiveFiles } from '../chart/archive.js';
import type { ChartFile } from '../chart/types.js';
import { chartIdentity, type ChartIdentity } from './chart-yaml.js';
import type { Credentials } from './credentials.js';
import type { TlsOptions } from './http-get.js';
import type { VersionCandidate } from './resolve-version.js';

export interface Downloaded {
  /** The chart archive's bytes (verified against the digest the repository published). */
  readonly archive: Uint8Array;
  /** `sha256:<hex>` of the archive. */
  readonly digest: string;
  /** The version the constraint resolved to (Chart.yaml's). */
  readonly version: string;
  readonly name: string;
  /** OCI: the tag and manifest digest it was pulled by. */
  readonly tag?: string;
  readonly manifestDigest?: string;
  readonly created?: string;
  /** What the repository offered (index versions or tags), for offline resolution later. */
  readonly listing?: readonly VersionCandidate[];
  /** A display reference (no credentials): `https://host/path chart@1.0.0` or `host/repo:tag`. */
  readonly ref: string;
}

export interface DownloadOptions {
  readonly credentials: Credentials;
  /** Plain HTTP for OCI registries (`--plain-http`). */
  readonly plainHttp?: boolean;
  /** TLS material for an OCI registry (a source's certSecretRef: CA, client certificate and key). */
  readonly tls?: TlsOptions;
  readonly timeoutMs?: number;
  readonly maxIndexBytes?: number;
  readonly maxArchiveBytes?: number;
  /** Decompressed chart caps (Helm's: 100 MiB, 5 MiB per file). */
  readonly maxChartBytes?: number;
  readonly maxFileBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** source-controller's cap on a downloaded chart archive (internal/helm MaxChartSize, its default): 10 MiB. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 10 * 1024 * 1024;
/** `helm pull` has no cap on the archive it downloads; ours is Helm's decompressed cap. */
export const PULL_MAX_ARCHIVE_BYTES = 100 * 1024 * 1024;

/**
 * Loads the archive with Helm's caps (a gzip bomb or an entry escaping the chart fails here) and reads its identity.
 */
export function checkArchive(
  archive: Uint8Array,
  shown: string,
  opts: DownloadOptions,
): { files: ChartFile[]; id: ChartIdentity } {
  const files = loadArchiveFiles(archive, shown, {
    maxChartBytes: opts.maxChartBytes,
    maxFileBytes: opts.maxFileBytes,
  });
  return { files, id: chartIdentity(files, shown) };
}
