/**
 * One session per command (the CLI makes it in `main`, a library caller with `createSession`):
 * it owns what used to be process-wide switches. The memos of the Flux build (shared by every
 * cluster the session builds, with the persistent build cache of `check --changed-since` behind
 * them), the engine options, and one list of diagnostics. It is passed down, never stored in a
 * module: two sessions in one process do not see each other.
 *
 * Engines know nothing of it: each takes its own slice (`buildCluster(fs, { ...opts, ...fluxBuildOptions(session) })`);
 * the
 * layers above the engines (checks, diff, promotion, the console, the CLI) take the session.
 */
import type { Diagnostic } from '../diagnostic.js';
import { BuildMemo } from '../flux/build/build-memo.js';
import type { BuildCacheStore } from '../flux/build/build-cache.js';
import type { ContentStore } from '../content-store.js';
import type { FluxEngineOptions } from '../flux/build/types.js';
import type { RenderEngines } from '../flux/build/engines.js';
import type { HelmBuildOptions, HelmRenderCache } from '../flux/helmrelease/types.js';
import { StageTimings } from '../pipeline/stages.js';
import { RenderCount } from './render-count.js';
import type { KObject } from '../resources/resource.js';

/**
 * Something the session noticed that is not a finding of a rule nor a build issue: a Diagnostic
 * (src/diagnostic.ts) whose code names what produced it (`build-cache`, an engine's name).
 */
export type SessionDiagnostic = Diagnostic;

export interface SessionOptions {
  /**
   * Memoise Flux builds across the clusters of the session (default true; the environment
   * variable AKSFLEET_NO_BUILD_MEMO=1 turns it off at the CLI). The results are the same either way.
   */
  readonly buildMemo?: boolean;
  /** The persistent second level of the build memo (`check --changed-since`: build-cache.ts). */
  readonly buildCache?: BuildCacheStore;
  /** The Kubernetes version the clusters run, for engines that depend on it (`1.33` or `1.33.5`). */
  readonly kubeVersion?: string;
  /** Time every pipeline stage (`npm run bench`, `--explain`); default false. */
  readonly timeStages?: boolean;
  /**
   * HelmRelease rendering in Flux builds: on/off (`--no-helm`), the chart store (`--chart-source`,
   * `--chart-cache`), the Kubernetes version for `.Capabilities` (`--kube-version`; default
   * `kubeVersion` above). Default: on, no store (charts of HelmRepositories are unavailable).
   */
  readonly helm?: Omit<HelmBuildOptions, 'cache'>;
  /** The render options the session was given (src/session/render-settings.ts `withRenderSettings`). */
  readonly render?: RenderSettings;
  /** Results kept between runs (src/session/content-stores.ts): chart renders, compiled CRD validators. */
  readonly stores?: ContentStores;
  /**
   * Helm and the Go templates for the session's builds (src/flux/render-engines.ts), once loaded
   * (`withRenderEngines`); none: src/flux's `buildCluster` gives its own, `aksfleet build` loads
   * them when a build asks (src/flux/build/engines.ts).
   */
  readonly engines?: RenderEngines;
}

/** The persistent content stores a session reads and fills (src/content-store.ts). */
export interface ContentStores {
  readonly renders?: ContentStore;
  readonly validators?: ContentStore;
  /** Admission verdicts (src/admission/verdict-cache.ts). */
  readonly verdicts?: ContentStore;
}

/** The render options (src/session/render-settings.ts has the table of flags and `.aksfleet.yaml` fields). */
export interface RenderSettings {
  /** `Kind/namespace/name` -> repository-relative folder holding that source's artifact. */
  readonly sources?: Readonly<Record<string, string>>;
  /** Values for postBuild variables that live only in the cluster. */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * Unset postBuild variables become '' (Flux with StrictPostBuildSubstitutions off) instead of errors (Flux 2.9's
   * default): build, check, diff, promote.
   */
  readonly allowMissingVars?: boolean;
  /** `HelmRepository|OCIRepository/ns/name` -> absolute folder of charts or archives. */
  readonly chartSources?: Readonly<Record<string, string>>;
  /** Absolute chart cache folder. With chart sources and no cache, the caller gives the default one. */
  readonly chartCache?: string;
  /** false: HelmReleases are not rendered (`--no-helm`). Default true. */
  readonly helm?: boolean;
  /** `.Capabilities.KubeVersion` of chart renders. */
  readonly kubeVersion?: string;
  /** ConfigMaps and Secrets that live only in the cluster, for HelmRelease valuesFrom. */
  readonly clusterObjects?: readonly KObject[];
  /** Fetch charts missing from the cache over the network into `chartCache` (opt-in). */
  readonly fetchCharts?: boolean;
  /** `--repository-config` / `--registry-config` (absolute paths): what `--fetch-charts` authenticates with. */
  readonly repositoryConfig?: string;
  readonly registryConfig?: string;
  /** Charts `--fetch-charts` tried and could not fetch (`chartRequestKey` -> reason): their lookups say why. */
  readonly unfetched?: Readonly<Record<string, string>>;
}

/** Chart renders shared by every cluster of a session (keys name everything a render reads). */
export class SessionRenderCache implements HelmRenderCache {
  private readonly entries = new Map<string, unknown>();
  private hitCount = 0;
  get(key: string): unknown {
    const v = this.entries.get(key);
    if (v !== undefined) this.hitCount++;
    return v;
  }
  set(key: string, value: unknown): void {
    this.entries.set(key, value);
  }
  /** Entries held and lookups answered from them. */
  stats(): { entries: number; hits: number } {
    return { entries: this.entries.size, hits: this.hitCount };
  }
}

export interface Session {
  /** The memos of the Flux build; undefined when turned off. */
  readonly memo: BuildMemo | undefined;
  readonly kubeVersion: string | undefined;
  /** Time per pipeline stage, when asked for (SessionOptions.timeStages). */
  readonly timings: StageTimings | undefined;
  /** Everything the session's work noticed, in order (engines to come report here too). */
  readonly diagnostics: Diagnostic[];
  /** Chart renders (and loaded charts) shared across the clusters of the session. */
  readonly renderCache: SessionRenderCache;
  readonly options: SessionOptions;
  /**
   * Admission policies compiled by content (`check`'s admission rule, src/checks/rules/admission.ts):
   * clusters that ship the same policy documents compile them once per run.
   */
  readonly compiledPolicies: Map<string, unknown>;
  /** Cluster builds per repository view and cluster path (every build given fluxBuildOptions counts). */
  readonly renders: RenderCount;
  /**
   * Cluster renders diff, promote and check --fetch-charts may reuse (src/incremental/render-memo.ts): per cluster path
   * and
   * settings, each with the questions its build asked; reused only where every answer is the same.
   */
  readonly clusterRenders: Map<string, unknown[]>;
}

/** A new session: fresh memos, no diagnostics. */
export function createSession(options: SessionOptions = {}): Session {
  return {
    memo: options.buildMemo === false ? undefined : new BuildMemo(options.buildCache),
    kubeVersion: options.kubeVersion,
    timings: options.timeStages === true ? new StageTimings() : undefined,
    diagnostics: [],
    renderCache: new SessionRenderCache(),
    options,
    compiledPolicies: new Map(),
    renders: new RenderCount(),
    clusterRenders: new Map(),
  };
}

/** The same session (memos, caches, diagnostics) with HelmRelease options from a command's flags. */
export function withHelm(session: Session, helm: SessionOptions['helm']): Session {
  if (helm === undefined) return session;
  const merged = { ...session.options.helm, ...helm };
  return {
    ...session,
    kubeVersion: merged.kubeVersion ?? session.kubeVersion,
    options: { ...session.options, helm: merged },
  };
}

/** The session options the environment asks for (AKSFLEET_NO_BUILD_MEMO=1: no build memo). */
export function sessionOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): SessionOptions {
  return env.AKSFLEET_NO_BUILD_MEMO === '1' ? { buildMemo: false } : {};
}

/** The same session with a persistent build cache behind a new build memo (`check --changed-since`). */
export function withBuildCache(session: Session, store: BuildCacheStore | undefined): Session {
  if (store === undefined) return session;
  const options = { ...session.options, buildCache: store };
  return { ...session, memo: options.buildMemo === false ? undefined : new BuildMemo(store), options };
}

/** The same session with persistent content stores (chart renders, compiled validators) behind its memos. */
export function withContentStores(session: Session, stores: ContentStores | undefined): Session {
  if (stores === undefined) return session;
  return { ...session, options: { ...session.options, stores } };
}

/** The same session with the render engines loaded (`loadRenderEngines`, src/flux/build/engines.ts). */
export function withRenderEngines(session: Session, engines: RenderEngines): Session {
  return { ...session, options: { ...session.options, engines } };
}

/** What the session gives a Flux build (`buildCluster(fs, { ...opts, ...fluxBuildOptions(session) })`). */
export function fluxBuildOptions(session: Session): FluxEngineOptions {
  const h = session.options.helm ?? {};
  const kubeVersion = h.kubeVersion ?? session.kubeVersion;
  return {
    ...(session.memo ? { memo: session.memo } : {}),
    ...(session.timings ? { timings: session.timings } : {}),
    ...(session.options.engines ? { engines: session.options.engines } : {}),
    onBuild: (repo, path) => session.renders.note(repo.label, path),
    helm: {
      ...h,
      ...(kubeVersion ? { kubeVersion } : {}),
      cache: session.renderCache,
      ...(session.options.stores?.renders ? { renderStore: session.options.stores.renders } : {}),
    },
  };
}
