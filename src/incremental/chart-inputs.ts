/**
 * Charts as inputs of `--changed-since`: a chart comes from a `--chart-source` folder (often
 * outside the repository) or the chart cache, never through the repository's RepoFs, so the
 * InputRecorder does not see it. Each chart lookup of a cluster's render is recorded as one more
 * question, `chart` + the request, answered by the chart's digest (or why it is missing); a
 * later run asks the chart store the same question. A chart edited in its folder, a new version
 * in the cache that a range now resolves to, a chart fetched since: the clusters that use it
 * render again. Charts have no history in git: the answer compared is the one the inputs were
 * recorded with (the first run for the commit).
 */
import { isAbsolute } from 'node:path';
import type { ChartLookup, ChartRequest, ChartStore } from '../helm/sources/index.js';
import { treeStamp, type Stamp } from './disk-stamp.js';

/** The op of a chart question (a repository question is `read`, `list`, ...). */
export const CHART_QUESTION = 'chart';

/** The question a chart lookup asks (`chart\0` + the request's identity). */
export function chartQuestion(req: ChartRequest): string {
  return `${CHART_QUESTION}\0${JSON.stringify([req.sourceId, req.sourceKind, req.url, req.chart, req.version ?? '', req.tag ?? '', req.digest ?? '', req.insecure === true])}`;
}

/** The answer to a chart question: the chart's digest and version, or `!` and why it is missing. */
export function chartAnswer(a: ChartLookup): string {
  return a.ok ? `${a.chart.digest} ${a.chart.version}` : `!${a.reason}`;
}

/** A store that answers through `inner` and notes each lookup as a (question, answer) pair. */
export function recordingChartStore(inner: ChartStore, note: (question: string, answer: string) => void): ChartStore {
  return {
    lookup(req) {
      const a = inner.lookup(req);
      note(chartQuestion(req), chartAnswer(a));
      return a;
    },
  };
}

/** The answer `store` gives now to a recorded chart question (no store: missing). */
export function chartAnswerNow(store: ChartStore | undefined, question: string): string {
  if (!store) return '!no chart store';
  const [sourceId, sourceKind, url, chart, version, tag, digest, insecure] = JSON.parse(
    question.slice(CHART_QUESTION.length + 1),
  ) as [string, ChartRequest['sourceKind'], string, string, string, string, string, boolean];
  const req: ChartRequest = {
    sourceId,
    sourceKind,
    url,
    chart,
    ...(version ? { version } : {}),
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    ...(insecure ? { insecure } : {}),
  };
  try {
    return chartAnswer(store.lookup(req));
  } catch (e) {
    return `!${(e as Error).message}`;
  }
}

/**
 * The stamp of what a chart question's answer is read from, when that is a `--chart-source`
 * folder (or archive): the stamp of its whole tree (disk-stamp.ts), once per folder. A lookup in
 * a mapped folder reads nothing outside it (the mapping is authoritative), so the same tree gives
 * the same answer. Undefined (ask the store) for the chart cache and what cannot be stamped.
 */
export function mappedChartStamp(mappings: Readonly<Record<string, string>>): (question: string) => Stamp | undefined {
  const trees = new Map<string, Stamp | undefined>();
  return (question) => {
    let sourceId: unknown;
    try {
      [sourceId] = JSON.parse(question.slice(CHART_QUESTION.length + 1)) as unknown[];
    } catch {
      return undefined;
    }
    const dir = typeof sourceId === 'string' && Object.hasOwn(mappings, sourceId) ? mappings[sourceId] : undefined;
    if (dir === undefined || !isAbsolute(dir)) return undefined;
    if (!trees.has(dir)) trees.set(dir, treeStamp(dir));
    return trees.get(dir);
  };
}
