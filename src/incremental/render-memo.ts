/**
 * Cluster renders reused within a session (diff, promote, check --fetch-charts): a render is a function of what its
 * build read (the repository view's answers: RecordingRepoFs), the charts it looked up (the
 * chart store's answers: src/incremental/chart-inputs.ts) and the render settings. A cluster
 * asked again (promote's preview then its promotion, the second pass of `--fetch-charts`) is
 * built again only when one of those answers changed: after a fetch, only the clusters whose
 * charts were missing render again. The entries live in the session (`Session.clusterRenders`,
 * passed in: this layer sits beside the session and does not import it).
 */
import { RecordingRepoFs } from '../repo/recording-fs.js';
import type { RepoFs } from '../repo/repo-fs.js';
import type { ChartStore } from '../helm/sources/index.js';
import { chartAnswerNow, recordingChartStore } from './chart-inputs.js';

/** Where the entries live: `Session.clusterRenders` (cluster path and settings -> renders). */
export type ClusterRenders = Map<string, unknown[]>;

interface Entry<T> {
  readonly reads: RecordingRepoFs;
  readonly charts: readonly (readonly [string, string])[];
  readonly value: T;
}

/**
 * `render(fs, store)` through the session's memo (`renders`: `session.clusterRenders`) under `key` (the cluster path
 * and the settings
 * that are not answers): a previous result whose every repository and chart answer is the same
 * now, else a new render (recorded for the next caller). A render that throws is not kept.
 * A reuse asks `fs` every question the render asked, so a caller recording `fs` (diffFleet's
 * "same inputs on both sides") sees the same questions as if it had rendered.
 */
export function memoRender<T>(
  renders: ClusterRenders,
  key: string,
  fs: RepoFs,
  store: ChartStore | undefined,
  render: (fs: RepoFs, store: ChartStore | undefined) => T,
): T {
  const list = (renders.get(key) ?? []) as Entry<T>[];
  for (const e of list) {
    if (e.charts.every(([q, a]) => chartAnswerNow(store, q) === a) && e.reads.sameAnswersIn(fs)) return e.value;
  }
  const reads = new RecordingRepoFs(fs);
  const charts: [string, string][] = [];
  const value = render(reads, store ? recordingChartStore(store, (q, a) => void charts.push([q, a])) : undefined);
  renders.set(key, [...list, { reads, charts, value }]);
  return value;
}
