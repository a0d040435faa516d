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
import { parseYamlObject } from './metadata.js';
import type { Chart, ChartFile } from './types.js';

/** Helm's version dispatch (pkg/chart/loader): apiVersion v1/v2 charts only. */
function checkApiVersion(chartYaml: Uint8Array): void {
  let apiVersion: unknown;
  try {
    const o = parseYamlObject(new TextDecoder().decode(chartYaml), 'Chart.yaml');
    apiVersion =
      o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>).apiVersion : undefined;
  } catch (e) {
    throw new InputError(`cannot load Chart.yaml: ${(e as Error).message}`, { cause: e });
  }
  if (
    apiVersion === undefined ||
    apiVersion === null ||
    apiVersion === '' ||
    apiVersion === 'v1' ||
    apiVersion === 'v2'
  )
    return;
  if (apiVersion === 'v3') throw new InputError('chart apiVersion v3 (experimental in Helm 4) is not supported');
  throw new InputError('unsupported chart version');
}

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
  if (st.isDirectory()) {
    let chartYaml: Uint8Array;
    try {
      chartYaml = readFileSync(resolve(abs, 'Chart.yaml'));
    } catch {
      throw new InputError(
        `unable to detect chart at ${resolve(abs, 'Chart.yaml')}: open ${resolve(abs, 'Chart.yaml')}: no ` +
          `such file or directory`,
      );
    }
    checkApiVersion(chartYaml);
    return loadFiles(loadDirFiles(abs, limits), limits);
  }
  const raw = readFileSync(abs);
  const isGzip = raw.length >= 3 && raw[0] === 0x1f && raw[1] === 0x8b && raw[2] === 0x08;
  if (!isGzip) {
    if (path.endsWith('.yml') || path.endsWith('.yaml'))
      throw new InputError(`file '${path}' seems to be a YAML file, but expected a gzipped archive`);
    throw new InputError(
      `file '${path}' does not appear to be a gzipped archive; got ` +
        `'${raw.length === 0 ? 'text/plain; charset=utf-8' : 'application/octet-stream'}'`,
    );
  }
  let files: ChartFile[];
  try {
    files = loadArchiveFiles(raw, path, limits);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.endsWith('gzip: invalid header'))
      throw new InputError(`file '${path}' does not appear to be a valid chart file (details: gzip: invalid header)`, {
        cause: e,
      });
    // Helm drops the reason here; it stays in `cause` (shown with --debug).
    throw new InputError('unable to load chart archive', { cause: e });
  }
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw new InputError('unable to detect chart version, no Chart.yaml found');
  checkApiVersion(chartYaml.data);
  return loadFiles(files, limits);
}
