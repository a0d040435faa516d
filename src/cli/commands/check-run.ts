/**
 * What `aksfleet check` runs (check.ts is the command: its options, and `--list-rules`, which
 * needs none of this): renders every cluster of the repository offline, runs every rule, reports
 * all findings at once. Exit 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
 */
import { UsageError } from '../../errors.js';
import { checkRepository } from '../../checks/index.js';
import { parseShard } from '../../checks/shard.js';
import { openParallelCheck, type ParallelCheckOptions, type WorkerStores } from '../../parallel/check-parallel.js';
import { changedSince } from '../../incremental/changed-since.js';
import { openBuildCache } from '../../incremental/build-cache-dir.js';
import { withBuildCache, withContentStores, withHelm, type Session } from '../../session/session.js';
import { renderSettingsOf } from '../../session/render-settings.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import type { CommandContext } from '../command.js';
import { packageVersion } from '../../package-root.js';
import { renderSession } from '../render-options.js';
import { checkFlags, noClusterError, printCheckReport } from '../check-report.js';
import { withChartFetch, type FetchIo } from '../fetch-charts.js';
import { finishRunStores, openRunStores } from '../content-stores.js';

export async function runCheck({ io, args, flags, session: given }: CommandContext): Promise<number> {
  const { root, format, failOn, selection: chosen, policies: readPolicies } = checkFlags({ io, args, flags });
  const fs = new DiskRepoFs(root);
  const policies = readPolicies();
  const shard = flags.shard === undefined ? undefined : parseShard(String(flags.shard));
  if (shard && flags.jobs !== undefined)
    throw new UsageError('use --shard or --jobs, not both (each shard is one runner)');
  if (shard && flags['changed-since'] !== undefined) throw new UsageError('use --shard or --changed-since, not both');
  const selection = {
    ...(shard ? { shard } : {}),
    ...chosen,
    ...(policies.length ? { policies } : {}),
  };
  // Kept between runs unless --no-cache: the folders built in the git directory (build-cache.ts),
  // chart renders and compiled CRD validators in content stores (content-store.ts).
  const useCache = flags['no-cache'] !== true;
  const cache = useCache ? openBuildCache(root) : undefined;
  const stores = openRunStores(root, io, flags);
  const session = renderSession(withContentStores(withBuildCache(given, cache), stores), flags, io, root);
  const chartStore = session.options.helm?.enabled === false ? undefined : session.options.helm?.store;
  try {
    // --changed-since REF: only the clusters whose inputs differ from REF's (src/incremental).
    const since =
      typeof flags['changed-since'] === 'string'
        ? changedSince({
            root,
            ref: flags['changed-since'],
            head: fs,
            salt: JSON.stringify([
              packageVersion(),
              selection.path,
              selection.cluster,
              policies,
              renderSettingsOf(session),
            ]),
            // The charts each cluster looks up are its inputs too (--chart-source folders, the chart cache).
            ...(chartStore ? { charts: chartStore } : {}),
            // What kept its stamp since the last run is not read again (src/incremental/stat-record.ts).
            stamps: true,
            chartSources: renderSettingsOf(session).chartSources ?? {},
            record: (base, clusterFs, charts) =>
              void checkRepository(base, {
                ...selection,
                clusterFs,
                keepContexts: false,
                session: chartStore
                  ? withHelm(session, { ...session.options.helm, store: charts(chartStore) })
                  : session,
              }),
          })
        : undefined;
    // --jobs N: clusters spread over N worker threads; the same findings in the same order.
    const jobs = flags.jobs === undefined ? 1 : Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
      throw new UsageError(`--jobs must be a whole number from 1 to 64, got '${String(flags.jobs)}'`);
    if (jobs > 1 && since) throw new UsageError('use --jobs or --changed-since, not both');
    const result =
      jobs > 1
        ? await checkInWorkers(session, root, io, selection, jobs, useCache ? { env: io.env } : undefined)
        : await withChartFetch(session, root, io, (s) =>
            checkRepository(fs, {
              ...selection,
              keepContexts: false,
              session: s,
              ...(since ? { onlyClusters: (c: { path: string }) => since.needsRender(c.path) } : {}),
            }),
          );
    if (since)
      io.err(
        `changed since ${flags['changed-since']} (${since.commit.slice(0, 12)}): ` +
          `${since.global ? 'repository-wide inputs changed, every cluster' : `${result.clusters.length} cluster(s) to check, the others have the same inputs`}` +
          `${since.cached ? '' : ' (inputs recorded)'}\n`,
      );
    if (result.clusters.length === 0 && !since && !shard) throw noClusterError(root);
    const kube = 'assumedKubernetesVersion' in result ? result.assumedKubernetesVersion : undefined;
    return printCheckReport(
      io,
      { ...result, ...(kube ? { assumedKubernetesVersion: kube } : {}) },
      {
        format,
        failOn,
        ...(shard && 'clusterOrder' in result && result.clusterOrder
          ? { shard: { ...shard, clusterOrder: result.clusterOrder } }
          : {}),
      },
    );
  } finally {
    cache?.flush();
    if (cache)
      session.diagnostics.push({
        severity: 'info',
        code: 'build-cache',
        message: `build cache: ${session.memo?.stats().diskHits ?? 0} folder(s) read, ${cache.stats.written} written`,
      });
    // A corrupt entry was not trusted (made again): said, never silent.
    finishRunStores(stores, session, io.err);
  }
}

/**
 * `--jobs N`: the passes of the command (with `--fetch-charts`, before and after the fetch) run
 * in the same workers, so each cluster is built once, and again only when its charts were
 * fetched; the workers' builds are counted in the session.
 */
async function checkInWorkers(
  session: Session,
  root: string,
  io: FetchIo,
  selection: Omit<ParallelCheckOptions, 'render'>,
  jobs: number,
  stores: WorkerStores | undefined,
) {
  const checker = openParallelCheck(root, selection, jobs, stores);
  try {
    return await withChartFetch(
      session,
      root,
      io,
      async (s) => {
        const p = await checker.check(renderSettingsOf(s));
        for (const e of p.renders) session.renders.note(e.view, e.path, e.count);
        // The workers' stores (the same folders): a corrupt entry they met is said, never silent.
        for (const n of p.storeNotes) {
          session.diagnostics.push({ severity: 'warning', code: 'content-store', message: n });
          io.err(`note: ${n}\n`);
        }
        return { findings: p.findings, clusters: p.clusters, rules: p.rules, missedCharts: p.missedCharts };
      },
      (r) => r.missedCharts,
    );
  } finally {
    await checker.close();
  }
}
