/**
 * What `aksfleet check` runs (check.ts is the command: its options, and `--list-rules`, which
 * needs none of this): renders every cluster of the repository offline, runs every rule, reports
 * all findings at once. Exit 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { checkRepository } from '../../checks/index.js';
import { parseShard } from '../../checks/shard.js';
import type { Profile } from '../../checks/config.js';
import { openParallelCheck, type ParallelCheckOptions } from '../../parallel/check-parallel.js';
import { changedSince } from '../../incremental/changed-since.js';
import { openBuildCache } from '../../incremental/build-cache-dir.js';
import { withBuildCache, withHelm, type Session } from '../../session/session.js';
import { renderSettingsOf } from '../../session/render-settings.js';
import { failing } from '../../checks/run.js';
import type { SEVERITIES, Severity } from '../../checks/types.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { type FORMATS, formatRun, type Format } from '../../report/index.js';
import { platformOf, policyDocuments } from '../check-selection.js';
import type { CommandContext } from '../command.js';
import { packageVersion } from '../../package-root.js';
import { clusterSelection, renderSession } from '../render-options.js';
import { withChartFetch, type FetchIo } from '../fetch-charts.js';
import { choice, optionalChoice } from '../help/choice.js';

export async function runCheck({ io, args, flags, session: given }: CommandContext): Promise<number> {
  if (args.length > 1)
    throw new UsageError(`check takes at most one repository directory, got ${args.length}: ${args.join(' ')}`);
  const format = choice('check', 'format', flags.format, 'text') as (typeof FORMATS)[number];
  const failOn = choice('check', 'fail-on', flags['fail-on'], 'error') as (typeof SEVERITIES)[number];
  const clusters = clusterSelection(flags);
  const root = resolve(io.cwd, args[0] ?? '.');
  const fs = new DiskRepoFs(root);
  const platform = platformOf('check', flags);
  const profile = optionalChoice('check', 'profile', flags.profile) as Profile | undefined;
  const policies = policyDocuments(
    root,
    io.cwd,
    Array.isArray(flags.policies)
      ? flags.policies.map(String)
      : flags.policies === undefined
        ? []
        : [String(flags.policies)],
  );
  const shard = flags.shard === undefined ? undefined : parseShard(String(flags.shard));
  if (shard && flags.jobs !== undefined)
    throw new UsageError('use --shard or --jobs, not both (each shard is one runner)');
  if (shard && flags['changed-since'] !== undefined) throw new UsageError('use --shard or --changed-since, not both');
  const selection = {
    ...(shard ? { shard } : {}),
    ...(platform !== undefined ? { platform } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(policies.length ? { policies } : {}),
    ...clusters,
    ...(io.env.AKSFLEET_TODAY ? { today: io.env.AKSFLEET_TODAY } : {}),
  };
  // --changed-since: the folders built are kept between runs in the git directory (build-cache.ts).
  const cache = typeof flags['changed-since'] === 'string' ? openBuildCache(root) : undefined;
  const session = renderSession(withBuildCache(given, cache), flags, io, root);
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
        ? await checkInWorkers(session, root, io, selection, jobs)
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
        `changed since ${flags['changed-since']} (${since.commit.slice(0, 12)}): ${since.global ? 'repository-wide inputs changed, every cluster' : `${result.clusters.length} cluster(s) to check, the others have the same inputs`}${since.cached ? '' : ' (inputs recorded)'}\n`,
      );
    if (result.clusters.length === 0 && !since && !shard) {
      throw new UsageError(
        `no cluster found in ${root}: no fleet.yaml with clusters/, no Flux sync (GitRepository + Kustomization), no clusters/<name>/; use --path DIR`,
      );
    }
    const version = packageVersion();
    const shardOf =
      shard && 'clusterOrder' in result && result.clusterOrder
        ? { shard: { ...shard, clusterOrder: result.clusterOrder } }
        : {};
    io.out(
      formatRun(
        {
          findings: result.findings,
          clusters: result.clusters,
          rules: result.rules,
          failOn: failOn as Severity,
          toolVersion: version,
          ...shardOf,
        },
        format as Format,
        { color: io.color && format === 'text' },
      ),
    );
    const bad = failing(result.findings, failOn as Severity);
    const kube = 'assumedKubernetesVersion' in result ? result.assumedKubernetesVersion : undefined;
    if (kube)
      io.err(
        `info: no Kubernetes version is named for ${kube.clusters.length === 1 ? `cluster ${kube.clusters[0]}` : `clusters ${kube.clusters.join(', ')}`}: objects were judged against the schemas of Kubernetes ${kube.version} (${kube.why}), so APIs removed before it are errors; name it with --kube-version V or render.kubeVersion in .aksfleet.yaml\n`,
      );
    if (format !== 'text')
      io.err(
        `${result.findings.length} finding(s), ${bad.length} at or above ${failOn}, in ${result.clusters.length} cluster(s)\n`,
      );
    return bad.length > 0 ? 1 : 0;
  } finally {
    cache?.flush();
    if (cache)
      session.diagnostics.push({
        severity: 'info',
        code: 'build-cache',
        message: `build cache: ${session.memo?.stats().diskHits ?? 0} folder(s) read, ${cache.stats.written} written`,
      });
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
) {
  const checker = openParallelCheck(root, selection, jobs);
  try {
    return await withChartFetch(
      session,
      root,
      io,
      async (s) => {
        const p = await checker.check(renderSettingsOf(s));
        for (const e of p.renders) session.renders.note(e.view, e.path, e.count);
        return { findings: p.findings, clusters: p.clusters, rules: p.rules, missedCharts: p.missedCharts };
      },
      (r) => r.missedCharts,
    );
  } finally {
    await checker.close();
  }
}
