/**
 * `--fetch-charts` (build, check, diff): the one place a render reaches the network, and only
 * when asked. The command renders once with a chart store that records the charts it could not
 * find in the cache; those are fetched (src/helm/sources createChartFetcher: HTTP repositories
 * and OCI registries, digests checked, credentials never shown) into the chart cache, and the
 * command renders again. A chart that could not be fetched keeps its "not rendered" report, with
 * the fetch's reason added. Without the flag, nothing here runs: offline stays the default.
 */
import { createChartFetcher, type ChartRequest, type FetchResult } from '../helm/sources/index.js';
import {
  chartRequestKey,
  recordingChartMisses,
  renderSettingsOf,
  withRenderSettings,
} from '../session/render-settings.js';
import type { Session } from '../session/session.js';

export interface FetchIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  err(text: string): void;
}

/** Fetches the requests into the settings' chart cache; one stderr line per chart. */
export async function fetchCharts(
  session: Session,
  requests: readonly ChartRequest[],
  io: FetchIo,
): Promise<FetchResult[]> {
  const s = renderSettingsOf(session);
  const cacheDir = s.chartCache!;
  // Credentials only from the files given (never the user's Docker or helm config, silently).
  const fetcher = createChartFetcher({
    cacheDir,
    env: io.env,
    dockerConfigs: s.registryConfig !== undefined ? [s.registryConfig] : [],
    ...(s.repositoryConfig !== undefined ? { repositoryConfig: s.repositoryConfig } : {}),
  });
  const results = await fetcher.fetch(requests);
  for (const r of results) {
    const what =
      `${r.request.sourceId} ${r.request.chart || '(artifact)'}` +
      `${r.request.version ? ` ${r.request.version}` : ''}`;
    const auth = r.credentialsFrom ? ` with credentials from ${r.credentialsFrom}` : '';
    io.err(
      r.ok
        ? `info: --fetch-charts: fetched ${what} -> ${r.version} (${r.digest})${auth} into the chart cache\n`
        : `warning: --fetch-charts: ${r.error}\n`,
    );
  }
  return results;
}

/**
 * With `--fetch-charts`: runs `run` once with a store that records the charts the cache lacks,
 * fetches them, and gives the session to render with next (a fresh store that sees what the
 * fetch brought, and says why what could not be fetched is missing). `again` is false when
 * nothing was missed (the first run's result stands). Without the flag: the session as given.
 */
export async function prefetchCharts<T>(
  session: Session,
  root: string,
  io: FetchIo,
  run: (s: Session) => T | Promise<T>,
  missedOf?: (result: T) => readonly ChartRequest[],
): Promise<{ readonly first?: T; readonly session: Session; readonly again: boolean }> {
  const settings = renderSettingsOf(session);
  if (settings.fetchCharts !== true) return { session, again: true };
  const rec = recordingChartMisses(session);
  const first = await run(rec.session);
  const missed = missedOf ? missedOf(first) : rec.missed();
  if (missed.length === 0) return { first, session, again: false };
  const results = await fetchCharts(session, dedupe(missed), io);
  const unfetched = Object.fromEntries(
    results.filter((r) => !r.ok).map((r) => [chartRequestKey(r.request), r.error ?? 'not fetched']),
  );
  return {
    first,
    session: withRenderSettings(session, { ...settings, unfetched: { ...settings.unfetched, ...unfetched } }, root),
    again: true,
  };
}

/**
 * Runs `run` with the session; with `--fetch-charts`, fetches what the first run missed and runs
 * again with the cache filled. `missedOf` gives the missed requests when the run records them
 * itself (`check --jobs` workers).
 */
export async function withChartFetch<T>(
  session: Session,
  root: string,
  io: FetchIo,
  run: (s: Session) => T | Promise<T>,
  missedOf?: (result: T) => readonly ChartRequest[],
): Promise<T> {
  const p = await prefetchCharts(session, root, io, run, missedOf);
  return p.again || p.first === undefined ? run(p.session) : p.first;
}

function dedupe(requests: readonly ChartRequest[]): ChartRequest[] {
  const m = new Map<string, ChartRequest>();
  for (const r of requests) if (!m.has(chartRequestKey(r))) m.set(chartRequestKey(r), r);
  return [...m.values()].sort((a, b) => (chartRequestKey(a) < chartRequestKey(b) ? -1 : 1));
}
