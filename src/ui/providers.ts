/**
 * The console's data sources, each one of the library functions the CLI commands use.
 */
import type { Fleet } from '../spec/schema.js';
import { runPromotion } from '../git/promotion.js';
import { fluxRenderer } from '../diff/cluster-renderer.js';
import { sloObjects } from '../generators/slo/index.js';
import { clustersOfTenant } from '../model/fleet-model.js';
import { isPlainObject } from '../resources/resource.js';
import type { ConsolePromotion, ConsoleSlo } from './model.js';

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
