/**
 * The stat record of `--changed-since`: beside the recorded inputs of a commit
 * (`inputs-<key>.json`, changed-since.ts), `inputs-<key>.stat.json` keeps, for each recorded
 * question the working tree last answered as recorded, the fingerprint its subject had then (a
 * path: disk-stamp.ts `statStamp`; a chart from a `--chart-source` folder: the folder's
 * `treeStamp`). The next run takes the recorded answer for a question whose subject has that
 * fingerprint still, without reading it, as git's index does; any other question is asked. Racy
 * stamps (a time at or after the second their run began) are never kept (inputs.ts `compare`).
 * A record that is missing, unreadable or of another key is no record: every question is asked.
 */
import { join } from 'node:path';
import { CHART_QUESTION, mappedChartStamp } from './chart-inputs.js';
import { stampedOp, statStamp, type Stamp } from './disk-stamp.js';

export interface StatRecordJson {
  readonly version: 1;
  /** The key of the recorded inputs these fingerprints are for. */
  readonly key: string;
  /** [question index, fingerprint], by index. */
  readonly same: [number, string][];
}

/** The fingerprints of a saved record; undefined when it is not one (or for another key). */
export function parseStatRecord(text: string, key: string): Map<number, string> | undefined {
  try {
    const j = JSON.parse(text) as StatRecordJson;
    if (j.version !== 1 || j.key !== key || !Array.isArray(j.same)) return undefined;
    const out = new Map<number, string>();
    for (const e of j.same) {
      if (!Array.isArray(e) || !Number.isInteger(e[0]) || typeof e[1] !== 'string') return undefined;
      out.set(e[0], e[1]);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The text of a record (entries by question index: the same fingerprints give the same bytes). */
export function statRecordText(key: string, same: ReadonlyMap<number, string>): string {
  const json: StatRecordJson = { version: 1, key, same: [...same].sort((a, b) => a[0] - b[0]) };
  return JSON.stringify(json);
}

/** Whether two sets of fingerprints are the same (then the record need not be written again). */
export function sameRecord(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean {
  return a.size === b.size && [...a].every(([i, fp]) => b.get(i) === fp);
}

/**
 * The stamps of recorded questions in the working tree at `root`: a path's own stamp (one stat
 * per path, whatever the ops asked of it), a chart question's mapped folder's tree stamp.
 */
export function workingTreeStamps(
  root: string,
  chartSources: Readonly<Record<string, string>> = {},
): (op: string, arg: string) => Stamp | undefined {
  const paths = new Map<string, Stamp | undefined>();
  const chart = mappedChartStamp(chartSources);
  return (op, arg) => {
    if (op === CHART_QUESTION) return chart(`${CHART_QUESTION}\0${arg}`);
    if (!stampedOp(op)) return undefined;
    if (!paths.has(arg)) paths.set(arg, statStamp(join(root, arg)));
    return paths.get(arg);
  };
}

/** The start of the second `ms` falls in, in ns (the racy limit of a run that began at `ms`). */
export function secondStartNs(ms: number): bigint {
  return BigInt(Math.floor(ms / 1000)) * 1_000_000_000n;
}
