/**
 * Builds a chart from its files, as Helm's loader.LoadFiles does: Chart.yaml first, then
 * values.yaml (every YAML document merged), values.schema.json, requirements.yaml/lock (v1),
 * templates/, charts/ (subchart folders and `.tgz` archives, loaded recursively; names starting
 * with `_` or `.` skipped), and everything else as `.Files`.
 */
import { posix } from 'node:path';
import { InputError } from '../../errors.js';
import type { GoMap } from '../../gotemplate/value.js';
import { loadValuesText } from '../values/load-values.js';
import { loadArchiveFiles, type ArchiveLimits } from './archive.js';
import { readMetadata, validateMetadata } from './metadata.js';
import type { Chart, ChartFile, Metadata } from './types.js';

/** Safety caps of chart loading. */
export interface LoadLimits extends ArchiveLimits {
  /** Deepest subchart nesting accepted (a chart inside a chart's charts/ is depth 1). Default 20. */
  readonly maxDepth?: number;
}

const decoder = new TextDecoder('utf-8');
const text = (d: Uint8Array): string => decoder.decode(d);

/** A chart from its files (names relative to the chart folder). */
export function loadFiles(files: readonly ChartFile[], limits: LoadLimits = {}, depth = 0): Chart {
  if (depth > (limits.maxDepth ?? 20))
    throw new InputError(`chart nesting is deeper than ${limits.maxDepth ?? 20} subchart levels`);
  let metadata: Metadata | undefined;
  for (const f of files) {
    if (f.name === 'Chart.yaml') {
      metadata = readMetadata(f.data, 'Chart.yaml', metadata);
      if (metadata.apiVersion === '') metadata = { ...metadata, apiVersion: 'v1' };
    }
  }
  let values: GoMap = {};
  let schema: Uint8Array | undefined;
  const templates: ChartFile[] = [];
  const other: ChartFile[] = [];
  const subcharts = new Map<string, ChartFile[]>();
  for (const f of files) {
    const n = f.name;
    if (n === 'Chart.yaml' || n === 'Chart.lock') continue;
    if (n === 'values.yaml') {
      values = loadValuesText(text(f.data), 'values.yaml', 'cannot load values.yaml');
    } else if (n === 'values.schema.json') {
      schema = f.data;
    } else if (n === 'requirements.yaml') {
      metadata = readMetadata(f.data, 'requirements.yaml', metadata);
      if (metadata.apiVersion === 'v1') other.push(f);
    } else if (n === 'requirements.lock') {
      if (metadata?.apiVersion === 'v1') other.push(f);
    } else if (n.startsWith('templates/')) {
      templates.push(f);
    } else if (n.startsWith('charts/')) {
      if (posix.extname(n) === '.prov') {
        other.push(f);
        continue;
      }
      const rest = n.slice('charts/'.length);
      const cname = rest.split('/')[0]!;
      const list = subcharts.get(cname) ?? [];
      list.push({ name: rest, data: f.data });
      subcharts.set(cname, list);
    } else {
      other.push(f);
    }
  }
  if (!metadata) throw new InputError('Chart.yaml file is missing');
  metadata = validateMetadata(metadata);
  const chartName = metadata.name;
  const dependencies: Chart[] = [];
  // Helm ranges over a Go map here (random order); dependency processing puts declared subcharts
  // in Chart.yaml order. We load in name order so the rest is deterministic.
  for (const n of [...subcharts.keys()].sort()) {
    const sub = subcharts.get(n)!;
    if (n.startsWith('_') || n.startsWith('.')) continue;
    try {
      if (posix.extname(n) === '.tgz') {
        const file = sub[0]!;
        if (file.name !== n)
          throw new InputError(`error unpacking subchart tar in ${chartName}: expected ${n}, got ${file.name}`);
        dependencies.push(loadFiles(loadArchiveFiles(file.data, `charts/${n}`, limits), limits, depth + 1));
      } else {
        const inner = sub
          .filter((f) => f.name.includes('/'))
          .map((f) => ({ name: f.name.slice(f.name.indexOf('/') + 1), data: f.data }));
        dependencies.push(loadFiles(inner, limits, depth + 1));
      }
    } catch (e) {
      if (e instanceof InputError && !e.message.startsWith('error unpacking subchart tar')) {
        throw new InputError(`error unpacking subchart ${n} in ${chartName}: ${e.message}`, { pos: e.pos, cause: e });
      }
      throw e;
    }
  }
  return { metadata, values, ...(schema ? { schema } : {}), templates, files: other, dependencies };
}
