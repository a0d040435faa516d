/**
 * Chart loading (Helm's pkg/chart/v2/loader): a chart folder or a `.tgz` archive into a
 * {@link Chart}. Untrusted input: archives cannot escape the chart, sizes are capped, links out
 * of a chart folder are refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { loadArchiveFiles } from './archive.js';
import { loadDirFiles } from './directory.js';
import { loadFiles, type LoadLimits } from './load-files.js';
import type { Chart } from './types.js';

export type { Chart, ChartFile, Dependency, Maintainer, Metadata } from './types.js';
export { loadFiles, type LoadLimits } from './load-files.js';
export { loadArchiveFiles } from './archive.js';
export { isCompatibleRange, parseSemver, parseConstraints, satisfies, compareSemver } from './semver.js';

/** Loads a chart from a folder or a `.tgz` archive, as `helm template` does with a local path. */
export function loadChart(path: string, limits: LoadLimits = {}): Chart {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new InputError(`path "${path}" not found`);
  }
  if (st.isDirectory()) return loadFiles(loadDirFiles(abs, limits), limits);
  const raw = readFileSync(abs);
  const isGzip = raw.length >= 3 && raw[0] === 0x1f && raw[1] === 0x8b && raw[2] === 0x08;
  if (!isGzip) {
    if (path.endsWith('.yml') || path.endsWith('.yaml')) throw new InputError(`file '${path}' seems to be a YAML file, but expected a gzipped archive`);
    throw new InputError(`file '${path}' does not appear to be a gzipped archive; got '${raw.length === 0 ? 'text/plain; charset=utf-8' : 'application/octet-stream'}'`);
  }
  return loadFiles(loadArchiveFiles(raw, path, limits), limits);
}
