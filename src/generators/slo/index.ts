import type { KObject } from '../../resources/resource.js';
import type { App, Fleet, Tenant } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { appNamespace } from '../../model/fleet-model.js';
import { toYaml } from '../../yaml/emit.js';
import { sloRuleGroups, type Rule, type RuleGroup, type SloTarget } from '../../slo/rules.js';
import { dashboardUid, sloDashboardJson } from '../../slo/dashboard.js';
import { sloPromtoolTests, type SkippedScenario } from '../../slo/promtool-tests.js';
import { isPromQLError, parseMatchers } from '../../slo/promql.js';
import { InputError } from '../../errors.js';

/**
 * The Helm release name of kube-prometheus-stack. With the chart's default
 * `ruleSelectorNilUsesHelmValues: true`, Prometheus selects PrometheusRules labelled
 * `release: <release name>`; the Flux HelmRelease must use this releaseName.
 */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';

/** Labels that make kube-prometheus-stack's Prometheus load a PrometheusRule. */
export const PROMETHEUS_RULE_SELECTOR_LABELS = { release: KUBE_PROMETHEUS_STACK_RELEASE } as const;

/** The label (and value) the Grafana dashboard sidecar of kube-prometheus-stack watches. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** Flux must not run postBuild substitution over these objects (PromQL and Grafana use `$`). */
const NO_SUBSTITUTE = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } as const;

/** Where the promtool tests of an SLO live in the generated repository. */
export function sloTestDir(tenant: Tenant, app: App, sloName: string): string {
  return `tests/slo/${tenant.name}/${app.name}/${sloName}`;
}

function enabled(fleet: Fleet): boolean {
  return fleet.spec.addons.kubePrometheusStack.enabled;
}

/**
 * Refuses SLO selectors that are not PromQL label matchers, naming the field
 * (`spec.tenants[0].apps[0].slos[1].selector`), all at once.
 */
export function checkSloSelectors(fleet: Fleet, tenant: Tenant, app: App): void {
  const ti = fleet.spec.tenants.indexOf(tenant);
  const ai = tenant.apps.indexOf(app);
  const errors: InputError[] = [];
  app.slos.forEach((slo, si) => {
    const fields = slo.kind === 'availability' ? (['selector', 'errorSelector'] as const) : (['selector'] as const);
    for (const field of fields) {
      const r = parseMatchers(slo[field]);
      if (isPromQLError(r)) {
        errors.push(
          new InputError(`${JSON.stringify(slo[field])} is ${r.message}`, {
            fieldPath: `spec.tenants[${ti}].apps[${ai}].slos[${si}].${field}`,
          }),
        );
      }
    }
  });
  if (errors.length > 0)
    throw new InputError(errors[0]!.message, { fieldPath: errors[0]!.fieldPath, more: errors.slice(1) });
}

/** The SLO targets of an app, in spec order. */
export function sloTargets(tenant: Tenant, app: App): SloTarget[] {
  return app.slos.map((slo) => ({
    tenant: tenant.name,
    app: app.name,
    namespace: appNamespace(tenant, app),
    owner: tenant.owner,
    slo,
    dashboardPath: `/d/${dashboardUid(tenant.name, app.name)}`,
  }));
}

/** A rule as the PrometheusRule CRD and Prometheus rule files write it (fixed key order). */
function ruleData(r: Rule): Record<string, unknown> {
  if ('record' in r) return { record: r.record, expr: r.expr, labels: { ...r.labels } };
  const out: Record<string, unknown> = { alert: r.alert, expr: r.expr };
  if (r.for) out.for = r.for;
  out.labels = { ...r.labels };
  out.annotations = { ...r.annotations };
  return out;
}

function groupsData(groups: readonly RuleGroup[]): Record<string, unknown>[] {
  return groups.map((g) => ({
    name: g.name,
    ...(g.interval ? { interval: g.interval } : {}),
    rules: g.rules.map(ruleData),
  }));
}

function commonLabels(tenant: Tenant, app: App): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'aksfleet',
    'aksfleet.dev/tenant': tenant.name,
    'aksfleet.dev/app': app.name,
  };
}

/**
 * The Kubernetes objects for an app's SLOs (PrometheusRule with recording rules and burn-rate
 * alerts; Grafana dashboard ConfigMaps). The Flux repo generator places them in the app's base.
 * None when the app has no SLOs or kube-prometheus-stack is disabled (no CRD, no Prometheus).
 */
export function sloObjects(fleet: Fleet, tenant: Tenant, app: App): KObject[] {
  if (!enabled(fleet) || app.slos.length === 0) return [];
  checkSloSelectors(fleet, tenant, app);
  const targets = sloTargets(tenant, app);
  const ns = appNamespace(tenant, app);
  const rules: KObject[] = targets.map((t) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `slo-${app.name}-${t.slo.name}`,
      namespace: ns,
      labels: { ...PROMETHEUS_RULE_SELECTOR_LABELS, ...commonLabels(tenant, app), 'aksfleet.dev/slo': t.slo.name },
      annotations: { ...NO_SUBSTITUTE },
    },
    spec: { groups: groupsData(sloRuleGroups(t)) },
  }));
  const dashboard: KObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `slo-dashboard-${app.name}`,
      namespace: ns,
      labels: { ...GRAFANA_DASHBOARD_LABEL, ...commonLabels(tenant, app) },
      annotations: { ...NO_SUBSTITUTE },
    },
    data: { [`${dashboardUid(tenant.name, app.name)}.json`]: sloDashboardJson(tenant.name, app.name, targets) },
  };
  return [...rules, dashboard];
}

const HEADER =
  '# Generated by aksfleet from fleet.yaml. Do not edit: change the SLO in fleet.yaml and run `aksfleet generate`.\n';

function readme(rows: { dir: string; slo: string; tests: number }[], skipped: SkippedScenario[]): string {
  const lines = [
    '# SLO rule tests',
    '',
    'Generated by aksfleet. Each directory holds the rules of one SLO exactly as its PrometheusRule',
    '(`spec.groups`) carries them (`rules.yaml`), and promtool unit tests of those rules: `tests.yaml`',
    '(1-minute scrapes, up to 6h of data) and `tests-3d.yaml` (4-minute scrapes, 3 days of history):',
    'a fast burn pages within the minutes the burn-rate arithmetic allows and not before; a healthy',
    'service raises nothing; a quiet service below minRequestsPerSecond never pages (a ticket instead);',
    'a slow burn opens a ticket and never pages; a service without error series has ratio 0, not none;',
    'SLOMetricAbsent fires when the metric disappears.',
    '',
    'Run them (promtool ships with Prometheus; Debian/Ubuntu package `prometheus`):',
    '',
    '```sh',
    'for d in tests/slo/*/*/*/; do promtool check rules "$d/rules.yaml" && ' +
      'promtool test rules "$d/tests.yaml" "$d/tests-3d.yaml" || exit 1; done',
    '```',
    '',
    '| Directory | SLO | Scenarios |',
    '|---|---|---|',
    ...rows.map((r) => `| \`${r.dir}\` | ${r.slo} | ${r.tests} |`),
    '',
  ];
  if (skipped.length > 0) {
    lines.push('Scenarios not generated:', '', ...skipped.map((s) => `- ${s.slo}: ${s.scenario}: ${s.reason}`), '');
  }
  return lines.join('\n');
}

/**
 * promtool unit tests (and the plain rule files they load), kept in the repo beside the rules:
 * `tests/slo/<tenant>/<app>/<slo>/{rules.yaml,tests.yaml,tests-3d.yaml}` and `tests/slo/README.md`.
 */
export function generateSloTests(fleet: Fleet): GeneratedFile[] {
  if (!enabled(fleet)) return [];
  const files: GeneratedFile[] = [];
  const rows: { dir: string; slo: string; tests: number }[] = [];
  const skipped: SkippedScenario[] = [];
  for (const tenant of fleet.spec.tenants) {
    for (const app of tenant.apps) {
      checkSloSelectors(fleet, tenant, app);
      for (const t of sloTargets(tenant, app)) {
        const dir = sloTestDir(tenant, app, t.slo.name);
        const groups = sloRuleGroups(t);
        files.push({ path: `${dir}/rules.yaml`, content: HEADER + toYaml({ groups: groupsData(groups) }) });
        let tests: ReturnType<typeof sloPromtoolTests>;
        try {
          tests = sloPromtoolTests(t, groups, 'rules.yaml');
        } catch (e) {
          // A selector whose regexes defeat the series synthesis: rules still, tests by hand.
          skipped.push({
            slo: `${tenant.name}/${app.name}/${t.slo.name}`,
            scenario: 'all scenarios',
            reason: `${(e as Error).message}; write tests.yaml by hand`,
          });
          rows.push({ dir, slo: `${tenant.name}/${app.name}/${t.slo.name}`, tests: 0 });
          continue;
        }
        const { short, long, skipped: sk } = tests;
        files.push({ path: `${dir}/tests.yaml`, content: HEADER + toYaml(short) });
        files.push({ path: `${dir}/tests-3d.yaml`, content: HEADER + toYaml(long) });
        rows.push({
          dir,
          slo: `${tenant.name}/${app.name}/${t.slo.name}`,
          tests: short.tests.length + long.tests.length,
        });
        skipped.push(...sk.map((s) => ({ ...s, slo: `${tenant.name}/${app.name}/${s.slo}` })));
      }
    }
  }
  if (files.length > 0) files.push({ path: 'tests/slo/README.md', content: readme(rows, skipped) });
  return files;
}
