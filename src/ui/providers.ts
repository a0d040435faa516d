/**
 * The console's data sources, each one of the library functions the CLI commands use.
 */
import type { Fleet } from '../spec/schema.js';
import { runPromotion } from '../promote/promotion.js';
import { fluxRenderer } from '../diff/cluster-renderer.js';
import { sloObjects } from '../generators/slo/index.js';
import { clustersOfTenant } from '../spec/placement.js';
import { isPlainObject } from '../resources/resource.js';
import type { ConsoleModel, ConsolePromotion, ConsoleSlo } from './model.js';
import { readFileSync } from 'node:fs';
import type { KObject, Resource } from '../resources/resource.js';
import type { Session } from '../session/session.js';
import { aksVersions, latestPatch, supportedMinors } from '../facts/aks-versions.js';
import { loadUpgradeRules, parseStateFile, planUpgrade, stateFromSpec } from '../day2/upgrade/index.js';

/**
 * What promoting each environment to the next would change (no branch is created), rendered in the console's session.
 */
export function promotionPreviews(root: string, fleet: Fleet, session?: Session): ConsolePromotion[] {
  const envs = fleet.spec.environments;
  const out: ConsolePromotion[] = [];
  for (let i = 0; i + 1 < envs.length; i++) {
    const from = envs[i]!.name;
    const to = envs[i + 1]!.name;
    try {
      const p = runPromotion({
        repo: root,
        from,
        to,
        fleet,
        render: fluxRenderer(session ? { session } : {}),
        preview: true,
      });
      out.push(
        p.result.status === 'nothing-to-promote'
          ? { from, to, status: 'nothing-to-promote', message: `${p.toBranch} already contains ${p.fromBranch}` }
          : { from, to, status: 'changes', diff: p.diff },
      );
    } catch (e) {
      out.push({ from, to, status: 'error', message: (e as Error).message });
    }
  }
  return out;
}

/**
 * The alerting rules of one SLO in the objects generated for an app: the PrometheusRules labelled
 * `aksfleet.dev/slo: <slo>` for the tenant and app, and in them the rules with an `alert` whose
 * identity labels (src/slo/rules.ts identityLabels) name the same tenant, app and SLO.
 */
export function sloAlerts(objects: readonly KObject[], tenant: string, app: string, slo: string): ConsoleSlo['alerts'] {
  const labelsOf = (x: unknown): Record<string, unknown> => (isPlainObject(x) ? x : {});
  return objects
    .filter((o) => isSloRule(o, tenant, app, slo) && isPlainObject(o.spec))
    .flatMap((o) =>
      Array.isArray((o.spec as { groups?: unknown }).groups)
        ? (o.spec as { groups: unknown[] }).groups.filter(isPlainObject)
        : [],
    )
    .flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isPlainObject) : []))
    .filter((r) => {
      const l = labelsOf(r.labels);
      return typeof r.alert === 'string' && l.slo === slo && l.tenant === tenant && l.app === app;
    })
    .map((r) => ({
      name: String(r.alert),
      severity: typeof labelsOf(r.labels).severity === 'string' ? String(labelsOf(r.labels).severity) : '',
      expr: String(r.expr ?? ''),
      for: typeof r.for === 'string' ? r.for : undefined,
    }));
}

/** The kind of the objects generated for an SLO (`isSloRule`). */
export const SLO_RULE_KIND = 'PrometheusRule';

/** Whether `o` is the PrometheusRule generated for this SLO (its labels, src/generators/slo). */
export function isSloRule(o: KObject, tenant: string, app: string, slo: string): boolean {
  const l = isPlainObject(o.metadata?.labels) ? (o.metadata.labels as Record<string, unknown>) : {};
  return (
    o.kind === SLO_RULE_KIND &&
    l['aksfleet.dev/slo'] === slo &&
    l['aksfleet.dev/tenant'] === tenant &&
    l['aksfleet.dev/app'] === app
  );
}

/** The SLOs with the clusters whose render applies each one's PrometheusRule (by its labels, in cluster order). */
export function withRenderedOn(
  slos: readonly ConsoleSlo[],
  rendered: Readonly<Record<string, readonly Resource[]>>,
): ConsoleSlo[] {
  return slos.map((s) => ({
    ...s,
    renderedOn: Object.keys(rendered).filter((c) =>
      rendered[c]!.some((r) => isSloRule(r.object, s.tenant, s.app, s.name)),
    ),
  }));
}

/** The fleet's SLOs with the alerts generated for them. */
export function sloSummaries(fleet: Fleet): ConsoleSlo[] {
  const out: ConsoleSlo[] = [];
  for (const t of fleet.spec.tenants) {
    const clusters = clustersOfTenant(fleet, t).map((c) => c.name);
    for (const a of t.apps) {
      if (a.slos.length === 0) continue;
      const objects = sloObjects(fleet, t, a);
      for (const s of a.slos) {
        out.push({
          tenant: t.name,
          app: a.name,
          name: s.name,
          kind: s.kind,
          objective: s.objective,
          window: s.window,
          clusters,
          alerts: sloAlerts(objects, t.name, a.name, s.name),
        });
      }
    }
  }
  return out;
}

/**
 * The upgrade plan shown in the console: from a state file (`az aks show -o json` array) when
 * given, else from the spec's versions, to the newest minor AKS supports today (or `target`).
 */
export function upgradePlanProvider(opts: { stateFile?: string; target?: string; today?: string } = {}) {
  return (
    _root: string,
    fleet: Fleet,
    workloads: Readonly<Record<string, readonly Resource[]>>,
  ): ConsoleModel['upgrade'] => {
    const date = opts.today ?? new Date().toISOString().slice(0, 10);
    try {
      const states = opts.stateFile
        ? parseStateFile(readFileSync(opts.stateFile, 'utf8'), opts.stateFile)
        : stateFromSpec(fleet);
      // The newest minor AKS supports today that has a known patch.
      const minors = supportedMinors(date).filter((m) => latestPatch(m) !== undefined);
      const target = opts.target ?? minors[minors.length - 1];
      const plan = planUpgrade({
        fleet,
        states,
        ...(target ? { target } : {}),
        versions: aksVersions(),
        rules: loadUpgradeRules(),
        date,
        workloads,
      });
      return {
        available: true,
        note:
          `${opts.stateFile ? `state from ${opts.stateFile}` : 'state from the fleet spec (no --state file)'}; ` +
          `target ${target ?? 'the spec versions'}`,
        plan,
      };
    } catch (e) {
      return { available: false, note: (e as Error).message };
    }
  };
}
