/**
 * Runs rules over rendered clusters and the repository, then applies `.aksfleet.yaml`
 * (severities, rules turned off) and per-object `aksfleet.dev/ignore` annotations, and sorts the
 * findings into one deterministic list. Every rule runs; a rule that crashes becomes an
 * `internal` finding naming the rule rather than hiding the others.
 */
import { resourceId, type Resource } from '../resources/resource.js';
import { maskText } from '../resources/mask.js';
import { rules as allRules } from './registry.js';
import { policyRuleIdsOf, POLICY_RULE_PREFIX } from './policy-ids.js';
import { ignoredRules } from './suppress.js';
import type { CheckConfig } from './config.js';
import { inProfile } from './profile.js';
import { mergeSameLine } from './same-line.js';
import type { CheckContext, ClusterRule, Finding, Report, RepoContext, RepoRule, Rule, Severity } from './types.js';

interface Raw {
  finding: Finding;
  resource?: Resource;
  related?: readonly Resource[];
}

/** Reports of `rule` into `out`; texts masked for the values the cluster took from Secrets. */
function makeReporter(rule: Rule, cluster: string | undefined, out: Raw[], secretValues: readonly string[] = []) {
  const said = (t: string) => (secretValues.length ? maskText(t, { secretValues }) : t);
  return (r: Report): void => {
    const res = r.resource;
    const related = r.related?.map(({ object, ...loc }) => ({
      ...(loc.resource === undefined && object ? { ...loc, resource: resourceId(object.object) } : loc),
      message: said(loc.message),
    }));
    const finding: Finding = {
      rule: r.ruleId ?? rule.id,
      severity: r.severity ?? rule.severity,
      resource: r.resourceId ?? (res ? resourceId(res.object) : undefined),
      file: r.file ?? res?.origin?.file,
      line: r.file !== undefined ? r.line : (r.line ?? res?.origin?.line),
      message: said(r.message),
      hint: said(r.hint ?? rule.hint),
      cluster,
      ...(related?.length ? { related } : {}),
    };
    const objects = r.related?.flatMap((x) => (x.object ? [x.object] : []));
    out.push({ finding, resource: res, ...(objects?.length ? { related: objects } : {}) });
  };
}

function runOne(rule: Rule, run: () => void, out: Raw[], cluster?: string): void {
  try {
    run();
  } catch (e) {
    out.push({
      finding: {
        rule: rule.id,
        severity: 'error',
        message: `rule crashed: ${(e as Error).message} (a bug in aksfleet; please report it)`,
        cluster,
      },
    });
  }
}

export interface RunOptions {
  /** Run only these rules (ids); default all. */
  readonly only?: readonly string[];
  readonly rules?: readonly Rule[];
}

/**
 * Applies suppressions (`aksfleet.dev/ignore` on the object) and configured severities to raw
 * reports and returns the findings not seen before.
 */
function settler(config: CheckConfig, rules: readonly Rule[]): (raw: readonly Raw[]) => Finding[] {
  const seen = new Set<string>();
  return (raw) => {
    const out: Finding[] = [];
    for (const { finding, resource, related } of mergeDuplicates(raw, rules)) {
      // A policy finding answers to `policy:<policy>/<rule>` and `policy:<policy>`.
      const ids = policyRuleIdsOf(finding.rule);
      const ign = [resource, ...(related ?? [])].flatMap(ignoredRules);
      if (ids.some((id) => ign.includes(id)) || ign.includes('*')) continue;
      const sev = ids.map((id) => config.rules[id]).find((s) => s !== undefined);
      if (sev === 'off') continue;
      const f: Finding = sev ? { ...finding, severity: sev as Severity } : finding;
      const k = JSON.stringify(f);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
    }
    return out;
  };
}

/**
 * One finding where a built-in rule and a repository policy report the same thing: the built-in
 * finding is dropped when a `policy:*` finding (error or warning) of the same cluster covers it
 * (`ClusterRule.duplicatedBy`), and the policy's finding says which built-in rule agrees.
 */
export function mergeDuplicates(raw: readonly Raw[], rules: readonly Rule[]): Raw[] {
  const dup = new Map<string, NonNullable<ClusterRule['duplicatedBy']>>();
  for (const r of rules) if (r.scope === 'cluster' && r.duplicatedBy) dup.set(r.id, r.duplicatedBy);
  if (dup.size === 0) return [...raw];
  const policy = raw.filter((x) => x.finding.rule.startsWith(POLICY_RULE_PREFIX) && x.finding.severity !== 'info');
  if (policy.length === 0) return [...raw];
  const also = new Map<Raw, string[]>();
  const out: Raw[] = [];
  for (const x of raw) {
    const covers = dup.get(x.finding.rule);
    const by = covers
      ? policy.find((p) => p.finding.cluster === x.finding.cluster && covers(p.finding, x.finding))
      : undefined;
    if (!by) {
      out.push(x);
      continue;
    }
    const list = also.get(by) ?? also.set(by, []).get(by)!;
    if (!list.includes(x.finding.rule)) list.push(x.finding.rule);
  }
  return out.map((x) => {
    const list = also.get(x);
    return list
      ? {
          ...x,
          finding: {
            ...x.finding,
            message: `${x.finding.message} (built-in rule ${list.join(', ')} reports the same; shown once)`,
          },
        }
      : x;
  });
}

/** The rules of `opts` that run under `config`: its profile, not `off` (registry order). */
export function activeRules(config: CheckConfig, opts: RunOptions = {}): Rule[] {
  return (opts.rules ?? allRules).filter(
    (r) => (!opts.only || opts.only.includes(r.id)) && config.rules[r.id] !== 'off' && inProfile(r, config),
  );
}

/**
 * Findings gathered a cluster at a time: `cluster(contexts)` runs the cluster rules over one
 * rendered cluster and keeps only its findings (suppressions and severities applied at once, so
 * nothing of the cluster's objects is kept); `finish(repo)` runs the repository rules and returns
 * every finding, sorted. Same list as `runChecks` over all the contexts at once: findings are
 * sorted on (cluster, file, line, rule, resource, message) by a stable sort, and findings equal
 * on those keys share cluster and rule, whose findings come in the same relative order either way.
 */
export interface FindingCollector {
  cluster(contexts: readonly CheckContext[]): void;
  finish(repo: RepoContext): Finding[];
}

export function collectFindings(config: CheckConfig, opts: RunOptions = {}): FindingCollector {
  const active = activeRules(config, opts);
  const clusterRules = active.filter((r): r is ClusterRule => r.scope === 'cluster');
  const repoRules = active.filter((r): r is RepoRule => r.scope === 'repo');
  const out: Finding[] = [];
  const settle = settler(config, active);
  let done = false;
  return {
    cluster(contexts) {
      if (done) throw new Error('collectFindings: cluster() after finish()');
      const raw: Raw[] = [];
      for (const ctx of contexts) {
        for (const rule of clusterRules)
          runOne(rule, () => rule.check(ctx, makeReporter(rule, ctx.cluster, raw, ctx.secretValues)), raw, ctx.cluster);
      }
      // One cluster path's render: the same finding at the same line, once.
      out.push(...mergeSameLine(settle(raw)));
    },
    finish(repo) {
      if (done) throw new Error('collectFindings: finish() twice');
      done = true;
      const raw: Raw[] = [];
      for (const rule of repoRules) runOne(rule, () => rule.check(repo, makeReporter(rule, undefined, raw)), raw);
      out.push(...settle(raw));
      return sortFindings(out);
    },
  };
}

/** All findings for the clusters and the repository, after config and suppressions, sorted. */
export function runChecks(repo: RepoContext, opts: RunOptions = {}): Finding[] {
  const raw: Raw[] = [];
  for (const rule of activeRules(repo.config, opts)) {
    if (rule.scope === 'repo') {
      runOne(rule, () => rule.check(repo, makeReporter(rule, undefined, raw)), raw);
    } else {
      for (const ctx of repo.contexts)
        runOne(rule, () => rule.check(ctx, makeReporter(rule, ctx.cluster, raw, ctx.secretValues)), raw, ctx.cluster);
    }
  }
  const settled = settler(repo.config, activeRules(repo.config, opts))(raw);
  // The same finding at the same line of one cluster path's render (a cluster and its
  // `hub->spoke` contexts), once; as collectFindings does a cluster at a time.
  const pathOf = new Map(repo.contexts.map((c) => [c.cluster, c.clusterPath]));
  const byPath = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of settled) {
    const p = f.cluster === undefined ? undefined : pathOf.get(f.cluster);
    if (p === undefined) out.push(f);
    else (byPath.get(p) ?? byPath.set(p, []).get(p)!).push(f);
  }
  for (const group of byPath.values()) out.push(...mergeSameLine(group));
  return sortFindings(out);
}

/** Runs cluster rules over one context (tests and the library API). */
export function checkCluster(ctx: CheckContext, opts: RunOptions = {}): Finding[] {
  return runChecks(
    {
      clusters: [{ name: ctx.cluster, path: ctx.clusterPath }],
      config: ctx.config,
      contexts: [ctx],
      fleet: ctx.fleet,
      infra: ctx.infra,
      fs: ctx.fs,
      today: '1970-01-01',
    },
    {
      ...opts,
      rules: (opts.rules ?? allRules).filter((r) => r.scope === 'cluster'),
    },
  );
}

function cmp(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

export function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) =>
      cmp(a.cluster, b.cluster) ||
      cmp(a.file, b.file) ||
      cmp(a.line, b.line) ||
      cmp(a.rule, b.rule) ||
      cmp(a.resource, b.resource) ||
      cmp(a.message, b.message),
  );
}

/** Findings that warrant exit 1 at `failOn`. */
export function failing(findings: readonly Finding[], failOn: Severity): Finding[] {
  const rank = (s: Severity) => (s === 'error' ? 3 : s === 'warning' ? 2 : 1);
  return findings.filter((f) => rank(f.severity) >= rank(failOn));
}
