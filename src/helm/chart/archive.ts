/**
 * The files of a chart archive (`.tgz`), as Helm's archive.LoadArchiveFiles reads them: the first
 * path segment (the chart folder) is dropped, and entries that would land outside the chart
 * (absolute paths, `..`, drive letters) are refused with Helm's words. Size caps as Helm's:
 * 100 MiB for the whole chart, 5 MiB per file; the gzip stream is inflated with the same ceiling.
 * Link entries carry no data in a tar, so, as in Helm, they become empty files and are never followed.
 */
import { posix } from 'node:path';
import { InputError } from '../../errors.js';
import { gunzipCapped, readTar } from './tar.js';
import { MAX_CHART_SIZE, MAX_FILE_SIZE, type ChartFile } from './types.js';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Drops a leading UTF-8 byte order mark, as Helm does for every chart file. */
export function trimBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2]
    ? data.subarray(3)
    : data;
}

/** Size caps of chart loading (Helm's defaults). */
export interface ArchiveLimits {
  readonly maxChartBytes?: number;
  readonly maxFileBytes?: number;
}

/** The files of a gzipped chart archive, names relative to the chart folder. */
export function loadArchiveFiles(gz: Uint8Array, what: string, limits: ArchiveLimits = {}): ChartFile[] {
  const maxChart = limits.maxChartBytes ?? MAX_CHART_SIZE;
  const maxFile = limits.maxFileBytes ?? MAX_FILE_SIZE;
  // The tar stream carries headers and padding besides the data: allow for them, then cap the data exactly.
  const tar = gunzipCapped(gz, maxChart + Math.min(maxChart, 64 * 1024 * 1024), what, maxChart);
  const files: ChartFile[] = [];
  let remaining = maxChart;
  for (const hd of readTar(tar)) {
    if (hd.type === '5' || hd.name.endsWith('/')) continue;
    if (hd.type === 'g' || hd.type === 'x') continue;
    const delimiter = hd.name.includes('\\') ? '\\' : '/';
    const parts = hd.name.split(delimiter);
    let n = parts.slice(1).join('/');
    if (n.startsWith('/')) throw new InputError('chart illegally contains absolute paths');
    n = posix.normalize(n);
    if (n.endsWith('/') && n !== '/') n = n.slice(0, -1);
    if (n === '.' || n === '')
      throw new InputError(`chart illegally contains content outside the base directory: "${hd.name}"`);
    if (n.startsWith('..')) throw new InputError('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(n)) throw new InputError('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new InputError('chart yaml not in base directory');
    if (hd.size > remaining) throw new InputError(`decompressed chart is larger than the maximum size ${maxChart}`);
    if (hd.size > maxFile)
      throw new InputError(`decompressed chart file "${hd.name}" is larger than the maximum file size ${maxFile}`);
    remaining -= hd.size;
    if (remaining <= 0) throw new InputError(`decompressed chart is larger than the maximum size ${maxChart}`);
    files.push({ name: n, data: trimBom(hd.data) });
  }
  if (files.length === 0) throw new InputError('no files in chart archive');
  return files;
}
