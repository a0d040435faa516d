/**
 * The console's data sources, each one of the library functions the CLI commands use.
 */
import type { Fleet } from '../spec/schema.js';
import { runPromotion } from '../promote/promotion.js';
import { fluxRenderer } from '../diff/cluster-renderer.js';
import { sloObjects } from '../generators/slo/index.js';
import { clustersOfTenant } from '../model/fleet-model.js';
import { isPlainObject } from '../resources/resource.js';
import type { ConsoleFinding, ConsoleModel, ConsolePromotion, ConsoleSlo } from './model.js';
import { readFileSync } from 'node:fs';
import { checkRepository } from '../checks/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';
import { aksVersions, latestPatch, supportedMinors } from '../facts/aks-versions.js';
import { loadUpgradeRules, parseStateFile, planUpgrade, stateFromSpec } from '../day2/upgrade/index.js';

/** What promoting each environment to the next would change (no branch is created). */
export function promotionPreviews(root: string, fleet: Fleet): ConsolePromotion[] {
  const envs = fleet.spec.environments;
  const out: ConsolePromotion[] = [];
  for (let i = 0; i + 1 < envs.length; i++) {
    const from = envs[i]!.name;
    const to = envs[i + 1]!.name;
    try {
      const p = runPromotion({ repo: root, from, to, fleet, render: fluxRenderer(), preview: true });
      out.push(p.result.status === 'nothing-to-promote' ? { from, to, status: 'nothing-to-promote', message: `${p.toBranch} already contains ${p.fromBranch}` } : { from, to, status: 'changes', diff: p.diff });
    } catch (e) {
      out.push({ from, to, status: 'error', message: (e as Error).message });
    }
  }
  return out;
}

/** The fleet's SLOs with the alerts generated for them. */
export function sloSummaries(fleet: Fleet): ConsoleSlo[] {
  const out: ConsoleSlo[] = [];
  for (const t of fleet.spec.tenants) {
    const clusters = clustersOfTenant(fleet, t).map((c) => c.name);
    for (const a of t.apps) {
      if (a.slos.length === 0) continue;
      const rules = sloObjects(fleet, t, a)
        .filter((o) => o.kind === 'PrometheusRule' && isPlainObject(o.spec))
        .flatMap((o) => ((o.spec as { groups?: unknown[] }).groups ?? []).filter(isPlainObject))
        .flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isPlainObject) : []));
      for (const s of a.slos) {
        const alerts = rules
          .filter((r) => typeof r.alert === 'string' && (JSON.stringify(r.labels ?? {}).includes(`"${s.name}"`) || String(r.alert).toLowerCase().includes(s.name.replace(/-/g, '').toLowerCase())))
          .map((r) => ({
            name: String(r.alert),
            severity: String((isPlainObject(r.labels) && r.labels.severity) || ''),
            expr: String(r.expr ?? ''),
            for: typeof r.for === 'string' ? r.for : undefined,
          }));
        out.push({ tenant: t.name, app: a.name, name: s.name, kind: s.kind, objective: s.objective, window: s.window, clusters, alerts });
      }
    }
  }
  return out;
}

/** The check findings of the repository (the same library call as `aksfleet check`). */
export function checkFindings(root: string): ConsoleFinding[] {
  const r = checkRepository(new DiskRepoFs(root));
  return r.findings.map((f) => ({ rule: f.rule, severity: f.severity, cluster: f.cluster, resource: f.resource, file: f.file, line: f.line, message: f.message, hint: f.hint }));
}

/**
 * The upgrade plan shown in the console: from a state file (`az aks show -o json` array) when
 * given, else from the spec's versions, to the newest minor AKS supports today (or `target`).
 */
export function upgradePlanProvider(opts: { stateFile?: string; target?: string; today?: string } = {}) {
  return (_root: string, fleet: Fleet, workloads: Readonly<Record<string, readonly Resource[]>>): ConsoleModel['upgrade'] => {
    const date = opts.today ?? new Date().toISOString().slice(0, 10);
    try {
      const states = opts.stateFile ? parseStateFile(readFileSync(opts.stateFile, 'utf8'), opts.stateFile) : stateFromSpec(fleet);
      // The newest minor AKS supports today that has a known patch.
      const minors = supportedMinors(date).filter((m) => latestPatch(m) !== undefined);
      const target = opts.target ?? minors[minors.length - 1];
      const plan = planUpgrade({ fleet, states, ...(target ? { target } : {}), versions: aksVersions(), rules: loadUpgradeRules(), date, workloads });
      return {
        available: true,
        note: `${opts.stateFile ? `state from ${opts.stateFile}` : 'state from the fleet spec (no --state file)'}; target ${target ?? 'the spec versions'}`,
        plan,
      };
    } catch (e) {
      return { available: false, note: (e as Error).message };
    }
  };
}
