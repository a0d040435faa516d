/** The name and version a chart's own Chart.yaml declares (what a store reports as the chart's version). */
import { InputError } from '../../errors.js';
import { parseYamlObject } from '../chart/metadata.js';
import type { ChartFile } from '../chart/types.js';

export interface ChartIdentity {
  readonly name: string;
  readonly version: string;
}

/** Reads Chart.yaml from a chart's files; an InputError when it is missing or has no name/version. */
export function chartIdentity(files: readonly ChartFile[], where: string): ChartIdentity {
  const f = files.find((x) => x.name === 'Chart.yaml');
  if (!f) throw new InputError(`${where}: no Chart.yaml found`);
  return chartIdentityOf(f.data, where);
}

export function chartIdentityOf(data: Uint8Array, where: string): ChartIdentity {
  const doc = parseYamlObject(Buffer.from(data).toString('utf8'), `${where}/Chart.yaml`);
  const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const name = str(o.name);
  const version = str(o.version);
  if (!name) throw new InputError(`${where}: Chart.yaml has no name`);
  if (!version) throw new InputError(`${where}: Chart.yaml has no version`);
  return { name, version };
}
