/**
 * A check kept between runs (`check --watch`): each cluster's findings are kept with the inputs
 * of its check (src/incremental/watch-inputs.ts), and a run checks again only the clusters whose
 * inputs have another answer now, that are new, or whose shared inputs changed (the fleet spec,
 * `.aksfleet.yaml`, the day, the policies, the render settings, how the cluster was found).
 * Discovery and the repository rules run every time (they read no render).
 *
 * The result is the one `checkRepository` gives for the whole repository: each cluster's
 * findings are the list its rules gave (`collectFindings` settles them a cluster at a time),
 * the kept and new lists are joined in discovery order with the repository's findings, and
 * sorted by the same stable sort, so equal keys keep the order a fresh run gives them. Where
 * that cannot be told (two cluster paths under one name, a finding of no known cluster), the
 * run checks every cluster and keeps nothing.
 */
import { createHash } from 'node:crypto';
import type { RepoFs } from '../repo/repo-fs.js';
import { createSession, withHelm } from '../session/session.js';
import { renderSettingsOf } from '../session/render-settings.js';
import { ClusterInputs, type Fingerprint } from '../incremental/watch-inputs.js';
import { checkRepository, resolveCheckConfig, type CheckOptions, type CheckResult } from './index.js';
import { loadRepoFleet } from './render.js';
import { sortFindings } from './run.js';
import type { Finding } from './types.js';

/** The options of a kept check: those of `checkRepository` it does not set itself. */
export interface WatchCheckOptions extends Omit<CheckOptions, 'onlyClusters' | 'clusterFs' | 'keepContexts' | 'shard'> {
  /** Tells whether a path changed without reading it (`diskFingerprint(root)`); none: every question is asked. */
  readonly fingerprint?: Fingerprint;
}

/** The inputs of the fleet spec and the check config, kept as those of one more "cluster". */
const SHARED = '\0shared';

export interface WatchCheckRun {
  /** What `checkRepository(fs, { ...opts, keepContexts: false })` gives now. */
  readonly result: CheckResult;
  /** Paths of the clusters checked in this run (discovery order). */
  readonly checked: readonly string[];
  /** How many questions were asked again to find them, and how many of those read the disk. */
  readonly asked: number;
  readonly answered: number;
}

/** A cluster as discovery gives it (the whole object is part of its key: name, path, how it was found). */
type Selected = { readonly name: string; readonly path: string };

interface Kept {
  readonly key: string;
  readonly clusters: CheckResult['clusters'][number][];
  readonly findings: Finding[];
  readonly assumed: { version: string; why: string; cluster: string }[];
}

export class WatchCheck {
  private readonly inputs = new ClusterInputs();
  private readonly kept = new Map<string, Kept>();
  /** Digest of the fleet spec and check config last read. */
  private spec: string | undefined;

  /** Clusters whose findings are kept. */
  get keptClusters(): number {
    return this.kept.size;
  }

  /** The files the check of the cluster at `path` has read so far (in `onClusterBuild`: its build's). */
  filesRead(path: string): string[] {
    return this.inputs.filesRead(path);
  }

  run(fs: RepoFs, opts: WatchCheckOptions = {}): WatchCheckRun {
    const session = opts.session ?? createSession();
    const store = session.options.helm?.enabled === false ? undefined : session.options.helm?.store;
    const today = opts.today ?? new Date().toISOString().slice(0, 10);
    const stale = this.inputs.stale(fs, store, opts.fingerprint);
    // What every cluster's check reads besides its own questions: the fleet spec and the check
    // config (read again only when one of their files changed), the day, the policies, the settings.
    if (this.spec === undefined || stale.paths.has(SHARED)) {
      this.spec = undefined;
      const rec = this.inputs.recorder(SHARED, fs);
      try {
        const fleet = loadRepoFleet(rec);
        this.spec = digest([fleet ?? null, resolveCheckConfig(rec, opts, fleet !== undefined)]);
      } catch (e) {
        this.inputs.forget(SHARED);
        throw e;
      }
    }
    const settings = { ...renderSettingsOf(session), unfetched: undefined };
    const { platform, profile, path, cluster, policies } = opts;
    const shared = digest([this.spec, today, policies ?? [], settings, platform, profile, path, cluster]);
    const keyOf = (c: Selected) => `${shared}\0${JSON.stringify(c)}`;
    const order: Selected[] = [];
    const checked: string[] = [];
    const { fingerprint: _, ...checkOpts } = opts;
    const base = { ...checkOpts, today, keepContexts: false as const };
    let result: CheckResult;
    try {
      result = checkRepository(fs, {
        ...base,
        session: store ? withHelm(session, { ...session.options.helm, store: this.inputs.charts(store) }) : session,
        onlyClusters: (c) => {
          order.push(c);
          const k = this.kept.get(c.path);
          const again = k === undefined || k.key !== keyOf(c) || stale.paths.has(c.path);
          if (again) checked.push(c.path);
          return again;
        },
        clusterFs: (c) => this.inputs.recorder(c.path, fs),
      });
    } catch (e) {
      for (const p of checked) this.drop(p);
      throw e;
    }
    const again = new Set(checked);
    const split = splitByCluster(result, again);
    const names = new Map<string, string>();
    const entries = (c: Selected) =>
      again.has(c.path) ? (split?.clusters.get(c.path) ?? []) : (this.kept.get(c.path)?.clusters ?? []);
    if (!split || !order.every((c) => sameNames(names, c.path, entries(c)))) {
      // Not told apart: the whole check, nothing kept.
      for (const p of [...this.kept.keys(), ...checked]) this.drop(p);
      return {
        result: checkRepository(fs, { ...base, session }),
        checked: order.map((c) => c.path),
        asked: 0,
        answered: 0,
      };
    }
    for (const c of order)
      if (again.has(c.path))
        this.kept.set(c.path, {
          key: keyOf(c),
          clusters: split.clusters.get(c.path) ?? [],
          findings: split.findings.get(c.path) ?? [],
          assumed: split.assumed.get(c.path) ?? [],
        });
    const here = new Set(order.map((c) => c.path));
    for (const p of [...this.kept.keys()]) if (!here.has(p)) this.drop(p);
    const kept = order.map((c) => this.kept.get(c.path)!);
    const { assumedKubernetesVersion: _assumed, ...rest } = result;
    const assumed = kept.flatMap((k) => k.assumed);
    return {
      result: {
        ...rest,
        findings: sortFindings([...kept.flatMap((k) => k.findings), ...split.repo]),
        clusters: kept.flatMap((k) => k.clusters),
        ...(assumed.length
          ? {
              assumedKubernetesVersion: {
                version: assumed[0]!.version,
                why: assumed[0]!.why,
                clusters: assumed.map((x) => x.cluster),
              },
            }
          : {}),
      },
      checked,
      asked: stale.asked,
      answered: stale.answered,
    };
  }

  private drop(path: string): void {
    this.kept.delete(path);
    this.inputs.forget(path);
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Notes the context names of a cluster path; false when a name is already another path's. */
function sameNames(names: Map<string, string>, path: string, clusters: readonly { name: string }[]): boolean {
  for (const c of clusters) {
    const p = names.get(c.name);
    if (p !== undefined && p !== path) return false;
    names.set(c.name, path);
  }
  return true;
}

/**
 * The findings, cluster entries and assumed versions of the checked clusters by path; undefined
 * when one has no path.
 */
function splitByCluster(result: CheckResult, checked: ReadonlySet<string>) {
  const pathOf = new Map<string, string>();
  for (const c of result.clusters) {
    if (pathOf.has(c.name) && pathOf.get(c.name) !== c.path) return undefined;
    pathOf.set(c.name, c.path);
  }
  const clusters = new Map<string, CheckResult['clusters'][number][]>();
  for (const c of result.clusters) {
    if (!checked.has(c.path)) return undefined;
    push(clusters, c.path, c);
  }
  const findings = new Map<string, Finding[]>();
  const repo: Finding[] = [];
  for (const f of result.findings) {
    if (f.cluster === undefined) repo.push(f);
    else if (pathOf.has(f.cluster)) push(findings, pathOf.get(f.cluster)!, f);
    else return undefined;
  }
  const assumed = new Map<string, Kept['assumed']>();
  const a = result.assumedKubernetesVersion;
  for (const name of a?.clusters ?? []) {
    if (!pathOf.has(name)) return undefined;
    push(assumed, pathOf.get(name)!, { version: a!.version, why: a!.why, cluster: name });
  }
  return { clusters, findings, repo, assumed };
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
