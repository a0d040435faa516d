/** Content digests of charts: `sha256:<hex>` of an archive, or of a folder's files in a fixed order. */
import { createHash } from 'node:crypto';
import type { ChartFile } from '../chart/types.js';

/** Hex sha256 of bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of a chart archive's bytes. */
export function archiveDigest(data: Uint8Array): string {
  return `sha256:${sha256Hex(data)}`;
}

/**
 * `sha256:<hex>` of a chart folder: its files sorted by name, each as name, NUL, byte length,
 * NUL, bytes. Two folders with the same files have the same digest wherever they are.
 */
export function filesDigest(files: readonly ChartFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(f.name);
    h.update('\0');
    h.update(String(f.data.length));
    h.update('\0');
    h.update(f.data);
  }
  return `sha256:${h.digest('hex')}`;
}
