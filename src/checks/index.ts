/**
 * `aksfleet check` as a library: discovery -> build -> rules -> findings (all at once).
 */
import type { RepoFs } from '../repo/repo-fs.js';
import { loadCheckConfig } from './config.js';
import { loadRepoFleet, renderCluster, selectClusters, type RenderOptions } from './render.js';
import { ruleIds, rules } from './registry.js';
import { runChecks } from './run.js';
import type { CheckContext, Finding, Rule } from './types.js';

export type { Finding, Rule, Severity, CheckContext, RepoContext } from './types.js';
export { rules, ruleIds } from './registry.js';
export { runChecks, checkCluster, failing } from './run.js';
export { contextFromYaml, resourcesFromYaml } from './testing.js';

export interface CheckResult {
  readonly findings: Finding[];
  readonly clusters: { name: string; path: string; objects: number }[];
  /** Rules that ran (not turned off). */
  readonly rules: Rule[];
  readonly contexts: CheckContext[];
}

export interface CheckOptions extends RenderOptions {
  /** `YYYY-MM-DD` for AKS support dates; default today (UTC). */
  readonly today?: string;
  /** Incremental runs: render and check only the clusters this accepts (repository rules still see all). */
  readonly onlyClusters?: (c: { name: string; path: string }) => boolean;
  /** Incremental runs: the RepoFs one cluster's render and rules read through (to record its inputs). */
  readonly clusterFs?: (c: { name: string; path: string }) => RepoFs;
}

export function checkRepository(fs: RepoFs, opts: CheckOptions = {}): CheckResult {
  const config = loadCheckConfig(fs, ruleIds);
  const fleet = loadRepoFleet(fs);
  const selected = selectClusters(fs, fleet, opts);
  const rendered = opts.onlyClusters ? selected.filter(opts.onlyClusters) : selected;
  const contexts = rendered.flatMap((c) => renderCluster(opts.clusterFs?.(c) ?? fs, c, { config, ...(fleet ? { fleet } : {}) }));
  const whole = opts.path === undefined && opts.cluster === undefined;
  // With --cluster/--path, repository rules look at the selected clusters' infra only.
  const names = new Set(selected.map((c) => c.name));
  const infra = fleet && !whole ? { ...fleet.infra, clusters: fleet.infra.clusters.filter((c) => names.has(c.name)) } : fleet?.infra;
  const findings = runChecks({
    clusters: selected.map((c) => ({ name: c.name, path: c.path })),
    config,
    contexts,
    ...(fleet && infra ? { fleet: fleet.fleet, fleetFile: 'fleet.yaml', infra } : {}),
    fs,
    today: opts.today ?? new Date().toISOString().slice(0, 10),
  }, whole ? {} : { rules: rules.filter((r) => r.id !== 'clusters-match-infra') });
  return {
    findings,
    clusters: contexts.map((c) => ({ name: c.cluster, path: c.clusterPath, objects: c.resources.length })),
    rules: rules.filter((r) => config.rules[r.id] !== 'off'),
    contexts,
  };
}
