/**
 * One session per command (the CLI makes it in `main`, a library caller with `createSession`):
 * it owns what used to be process-wide switches. The memos of the Flux build (shared by every
 * cluster the session builds, with the persistent build cache of `check --changed-since` behind
 * them), the engine options, and one list of diagnostics. It is passed down, never stored in a
 * module: two sessions in one process do not see each other.
 *
 * Engines know nothing of it: each takes its own slice (`buildCluster(fs, { ...opts, ...fluxBuildOptions(session) })`); the
 * layers above the engines (checks, diff, promotion, the console, the CLI) take the session.
 */
import { BuildMemo } from '../flux/build/build-memo.js';
import type { BuildCacheStore } from '../flux/build/build-cache.js';
import type { BuildClusterOptions } from '../flux/build/types.js';
import { StageTimings } from '../pipeline/stages.js';

/** Something the session noticed that is not a finding of a rule nor a build issue. */
export interface SessionDiagnostic {
  readonly severity: 'error' | 'warning' | 'info';
  /** What produced it (`build-cache`, an engine's name). */
  readonly source: string;
  readonly message: string;
}

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
}

export interface Session {
  /** The memos of the Flux build; undefined when turned off. */
  readonly memo: BuildMemo | undefined;
  readonly kubeVersion: string | undefined;
  /** Time per pipeline stage, when asked for (SessionOptions.timeStages). */
  readonly timings: StageTimings | undefined;
  /** Everything the session's work noticed, in order (engines to come report here too). */
  readonly diagnostics: SessionDiagnostic[];
  readonly options: SessionOptions;
  /**
   * Admission policies compiled by content (`check`'s admission rule, src/checks/rules/admission.ts):
   * clusters that ship the same policy documents compile them once per run.
   */
  readonly compiledPolicies: Map<string, unknown>;
}

/** A new session: fresh memos, no diagnostics. */
export function createSession(options: SessionOptions = {}): Session {
  return {
    memo: options.buildMemo === false ? undefined : new BuildMemo(options.buildCache),
    kubeVersion: options.kubeVersion,
    timings: options.timeStages === true ? new StageTimings() : undefined,
    diagnostics: [],
    options,
    compiledPolicies: new Map(),
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

/** What the session gives a Flux build (`buildCluster(fs, { ...opts, ...fluxBuildOptions(session) })`). */
export function fluxBuildOptions(session: Session): Pick<BuildClusterOptions, 'memo' | 'timings'> {
  return { ...(session.memo ? { memo: session.memo } : {}), ...(session.timings ? { timings: session.timings } : {}) };
}
