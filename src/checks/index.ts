/**
 * `aksfleet check` as a library: discovery -> build -> rules -> findings.
 *
 * By default every cluster is rendered first and all the rendered clusters are kept (in
 * `CheckResult.contexts`) while the rules run. With `keepContexts: false` (the CLI, workers,
 * incremental recording) each cluster's rules run right after its render and only its findings
 * are kept, so memory is bounded by one cluster, not the fleet; the findings are the same list.
 * Repository rules read discovery (cluster names and paths), the fleet spec, infra facts and the
 * repository, none of which depends on a render, so they need nothing from the contexts.
 */
import { admissionEngines } from '../admission/engines.js';
import type { PolicyDocument } from '../admission/types.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { createSession, fluxBuildOptions, type Session } from '../session/session.js';
import { renderInputs, renderSettingsOf } from '../session/render-settings.js';
import { memoRender } from '../incremental/render-memo.js';
import { loadCheckConfig, type CheckConfig, type Profile } from './config.js';
import { effectiveProfile } from './profile.js';
import { buildForCheck, contextsFromBuild, selectClusters, type LoadedFleet, type RenderOptions } from './render.js';
import type { BuildClusterOptions, FluxEngineOptions } from '../flux/build/types.js';
import type { DiscoveredCluster } from '../discovery/find-clusters.js';
import type { ClusterBuild } from '../flux/index.js';
import { ruleIds, rules } from './registry.js';
import { loadRepoFleetStored } from './stored-fleet.js';
import { inShard, shardFindings, type Shard } from './shard.js';
import { activeRules, collectFindings, runChecks } from './run.js';
import type { AdmissionSetup, CheckContext, Finding, Rule } from './types.js';

export type { Finding, Rule, Severity, CheckContext, RepoContext } from './types.js';
export { rules, ruleIds } from './registry.js';
export { activeRules, runChecks, checkCluster, collectFindings, failing, type FindingCollector } from './run.js';

export interface CheckResult {
  readonly findings: Finding[];
  readonly clusters: { name: string; path: string; objects: number }[];
  /** Rules that ran (not turned off). */
  readonly rules: Rule[];
  /** Every rendered cluster (all of its objects); empty when run with `keepContexts: false`. */
  readonly contexts: CheckContext[];
  /** With `shard`: each entry of `clusters`' discovery index among every cluster (for `report merge`). */
  readonly clusterOrder?: number[];
  /**
   * When some clusters name no Kubernetes version: the version their objects were judged at, why,
   * and which clusters (the CLI says it once on stderr; it is not a finding).
   */
  readonly assumedKubernetesVersion?: {
    readonly version: string;
    readonly why: string;
    readonly clusters: readonly string[];
  };
}

export interface CheckOptions extends RenderOptions {
  /** `YYYY-MM-DD` for AKS support dates; default today (UTC). */
  readonly today?: string;
  /** Incremental runs: render and check only the clusters this accepts (repository rules still see all). */
  readonly onlyClusters?: (c: { name: string; path: string }) => boolean;
  /** `check --shard I/N`: render and report only this shard's clusters (src/checks/shard.ts). */
  readonly shard?: Shard;
  /** Incremental runs: the RepoFs one cluster's render and rules read through (to record its inputs). */
  readonly clusterFs?: (c: { name: string; path: string }) => RepoFs;
  /**
   * Keep every rendered cluster in `CheckResult.contexts` (default true). false: run each
   * cluster's rules right after its render and keep only its findings (and object count), so
   * that peak memory is one cluster's render, not the fleet's; `contexts` is then empty and
   * repository rules see no contexts. The findings are the same list either way.
   */
  readonly keepContexts?: boolean;
  /**
   * The session whose memos the cluster builds share (default: a new one for this check); its
   * render settings (src/session/render-settings.ts: sources, vars, helm) apply to every cluster.
   */
  readonly session?: Session;
  /** The platform whose built-ins the reference rules count on (`--platform`); wins over `.aksfleet.yaml`. */
  readonly platform?: 'aks' | 'kubernetes';
  /** The rule profile (`--profile`); wins over `.aksfleet.yaml` (src/checks/profile.ts). */
  readonly profile?: Profile;
  /** Admission policy documents (`check --policies`) added to each cluster's own. */
  readonly policies?: readonly PolicyDocument[];
  /**
   * Told of each cluster's build right after it is made, before its rules run (the console keeps
   * the builds for its views: one render serves both). `fs`: the view it was built through.
   */
  readonly onClusterBuild?: (c: DiscoveredCluster, build: ClusterBuild, fs: RepoFs) => void;
}

/**
 * `.aksfleet.yaml` with the command line's `--platform` and `--profile` over it, and the profile
 * resolved (aks-baseline with a fleet spec, else generic): what a check runs under.
 */
export function resolveCheckConfig(
  fs: RepoFs,
  opts: Pick<CheckOptions, 'platform' | 'profile'>,
  hasFleet: boolean,
): CheckConfig {
  const loaded = loadCheckConfig(fs, ruleIds);
  const withPlatform = opts.platform ? { ...loaded, platform: opts.platform } : loaded;
  return { ...withPlatform, profile: opts.profile ?? effectiveProfile(withPlatform, hasFleet) };
}

export function checkRepository(fs: RepoFs, opts: CheckOptions = {}): CheckResult {
  // Kept in the session's store (src/checks/stored-fleet.ts) when it has one: the same result, errors included.
  const fleet = loadRepoFleetStored(fs, opts.session?.options.stores?.validators);
  const config = resolveCheckConfig(fs, opts, fleet !== undefined);
  const selected = selectClusters(fs, fleet, opts);
  const sharded = opts.shard ? selected.filter((_, i) => inShard(opts.shard!, i)) : selected;
  const rendered = opts.onlyClusters ? sharded.filter(opts.onlyClusters) : sharded;
  const orderOf = new Map(selected.map((c, i) => [c.path, i]));
  const clusterOrder: number[] = [];
  const whole = opts.path === undefined && opts.cluster === undefined;
  // With --cluster/--path, repository rules look at the selected clusters' infra only.
  const names = new Set(selected.map((c) => c.name));
  const infra =
    fleet && !whole
      ? { ...fleet.infra, clusters: fleet.infra.clusters.filter((c) => names.has(c.name)) }
      : fleet?.infra;
  const repo = {
    clusters: selected.map((c) => ({ name: c.name, path: c.path })),
    config,
    ...(fleet && infra ? { fleet: fleet.fleet, fleetFile: 'fleet.yaml', infra } : {}),
    fs,
    today: opts.today ?? new Date().toISOString().slice(0, 10),
  };
  const runOpts = whole ? {} : { rules: rules.filter((r) => r.id !== 'clusters-match-infra') };
  const session = opts.session ?? createSession();
  const { sources, vars, allowMissingVars } = renderInputs(session);
  const build = { ...fluxBuildOptions(session), ...(sources ? { sources } : {}), ...(vars ? { vars } : {}) };
  const admission: AdmissionSetup = {
    engines: admissionEngines(),
    extraPolicies: opts.policies ?? [],
    cache: session.compiledPolicies,
    ...(session.options.stores?.verdicts ? { verdicts: session.options.stores.verdicts } : {}),
  };
  const validatorStore = session.options.stores?.validators;
  const reuse = renderSettingsOf(session).fetchCharts === true ? reusedBuilds(session, build, fleet) : undefined;
  const keep = opts.keepContexts !== false;
  const collector = keep ? undefined : collectFindings(config, runOpts);
  const contexts: CheckContext[] = [];
  const clusters: CheckResult['clusters'] = [];
  const assumed: { version: string; why: string; cluster: string }[] = [];
  for (const c of rendered) {
    const cfs = opts.clusterFs?.(c);
    const b = reuse ? reuse(cfs ?? fs, c) : buildForCheck(cfs ?? fs, c, { ...(fleet ? { fleet } : {}), build });
    opts.onClusterBuild?.(c, b, cfs ?? fs);
    const built = contextsFromBuild(b, c, {
      fs: cfs ?? fs,
      config,
      ...(fleet ? { fleet } : {}),
      ...(build.helm?.kubeVersion ? { kubeVersion: build.helm.kubeVersion } : {}),
      ...(allowMissingVars ? { allowMissingVars } : {}),
      today: repo.today,
    }).map((x) => ({ ...x, admission, ...(validatorStore ? { validatorStore } : {}) }));
    // A cluster's own RepoFs can outlive its render (the build memo keeps the RepoFs of the
    // build it remembers); its rules read through a view of it of their own, so that what
    // rules cache per RepoFs (parsed kustomization files) goes with the cluster when it streams.
    const ctxs = cfs && collector ? built.map((x) => (x.fs === cfs ? { ...x, fs: forwardingFs(cfs) } : x)) : built;
    for (const x of ctxs) {
      if (x.kubernetesVersionAssumed !== undefined && x.kubernetesVersion !== undefined && !x.cluster.includes('->'))
        assumed.push({ version: x.kubernetesVersion, why: x.kubernetesVersionAssumed, cluster: x.cluster });
      clusters.push({ name: x.cluster, path: x.clusterPath, objects: x.resources.length });
      clusterOrder.push(orderOf.get(c.path)!);
    }
    if (collector) collector.cluster(ctxs);
    else contexts.push(...ctxs);
  }
  const all = collector ? collector.finish({ ...repo, contexts: [] }) : runChecks({ ...repo, contexts }, runOpts);
  const findings = opts.shard
    ? shardFindings(
        all,
        opts.shard,
        new Set(clusters.map((c) => c.name)),
        new Set([...names, ...clusters.map((c) => c.name)]),
      )
    : all;
  return {
    findings,
    clusters,
    rules: activeRules(config),
    contexts,
    ...(opts.shard ? { clusterOrder } : {}),
    ...(assumed.length
      ? {
          assumedKubernetesVersion: {
            version: assumed[0]!.version,
            why: assumed[0]!.why,
            clusters: assumed.map((a) => a.cluster),
          },
        }
      : {}),
  };
}

/**
 * With `--fetch-charts` the check runs twice (before and after the fetch, src/cli/fetch-charts.ts):
 * each cluster's build goes through the session's render memo (src/incremental/render-memo.ts, as
 * diff and promote), so the second pass builds again only the clusters whose repository or chart
 * answers changed (the charts just fetched). Only then: the memo keeps every build of the run in
 * memory, which a one-pass check, streaming one cluster at a time, does not need.
 */
function reusedBuilds(
  session: Session,
  build: FluxEngineOptions & Partial<Pick<BuildClusterOptions, 'sources' | 'vars'>>,
  fleet: LoadedFleet | undefined,
): (fs: RepoFs, c: DiscoveredCluster) => ClusterBuild {
  const store = build.helm?.enabled === false ? undefined : build.helm?.store;
  // What a build depends on besides the answers of the repository and the chart store (the
  // fleet spec is read outside the build: its variables for the cluster are part of the key).
  const settings = JSON.stringify([
    build.sources ?? {},
    build.vars ?? {},
    { ...renderSettingsOf(session), unfetched: undefined, fetchCharts: undefined },
    build.helm?.kubeVersion ?? '',
    build.helm?.enabled !== false,
    fleet?.fleet ?? null,
  ]);
  return (fs, c) =>
    memoRender(
      session.clusterRenders,
      JSON.stringify(['check', c.path, c.name, settings, fleet?.outputsByCluster[c.name] ?? null]),
      fs,
      store,
      (view, charts) => {
        const helm = build.helm && charts ? { ...build.helm, store: charts } : build.helm;
        return buildForCheck(view, c, { ...(fleet ? { fleet } : {}), build: { ...build, ...(helm ? { helm } : {}) } });
      },
    );
}

/** A RepoFs of its own identity that asks `inner` every question. */
function forwardingFs(inner: RepoFs): RepoFs {
  return {
    label: inner.label,
    readFile: (p) => inner.readFile(p),
    readBytes: (p) => inner.readBytes(p),
    exists: (p) => inner.exists(p),
    isDir: (p) => inner.isDir(p),
    isFile: (p) => inner.isFile(p),
    list: (p) => inner.list(p),
  };
}
