/**
 * Day-2 rules: weighted HTTPRoute backends for blue/green, Velero schedules for namespaces
 * holding volumes, PrometheusRule expressions that parse and alerts that say how loud they are.
 */
import { apiGroup, type Resource } from '../../resources/resource.js';
import { parsePromQL, parsePromQLAll } from '../../slo/promql.js';
import { backupInstanceCovers } from '../../spec/backup.js';
import { backupInstancesFromFleet } from '../infra-backup.js';
import { arr, hasVariable, isKind, obj, str } from '../k8s.js';
import type { ClusterRule } from '../types.js';

export const httpRouteWeights: ClusterRule = {
  id: 'httproute-weights-valid',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'HTTPRoute backendRefs weights are integers from 0 to 1000000 and, in a rule with several backends, not ' +
    'all zero (all traffic would fail).',
  hint: 'Give each backend a weight (e.g. 90 and 10); a weight of 0 drains that backend.',
  check(ctx, report) {
    for (const r of ctx.resources) {
      if (r.object.kind !== 'HTTPRoute' || apiGroup(r.object.apiVersion) !== 'gateway.networking.k8s.io') continue;
      arr(obj(r.object.spec)?.rules).forEach((rule, i) => {
        const refs = arr(obj(rule)?.backendRefs).map((b) => obj(b) ?? {});
        const weights: number[] = [];
        refs.forEach((b, j) => {
          const w = b.weight;
          if (w === undefined) {
            weights.push(1);
            return;
          }
          if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 1_000_000) {
            if (!(typeof w === 'string' && hasVariable(w)))
              report({
                resource: r,
                message:
                  `rules[${i}].backendRefs[${j}].weight ${JSON.stringify(w)} must be an integer from 0 to ` + '1000000',
              });
            weights.push(1);
            return;
          }
          weights.push(w);
        });
        if (refs.length > 1 && weights.every((w) => w === 0))
          report({ resource: r, message: `rules[${i}]: every backend has weight 0, so requests fail with 500` });
      });
    }
  },
};

function veleroSchedules(resources: readonly Resource[]): Record<string, unknown>[] {
  return resources
    .filter((r) => r.object.kind === 'Schedule' && apiGroup(r.object.apiVersion) === 'velero.io')
    .map((r) => obj(r.object.spec) ?? {});
}
/** Does a Velero Schedule back up this namespace? (includedNamespaces empty or '*' means all) */
function covers(spec: Record<string, unknown>, ns: string): boolean {
  const t = obj(spec.template) ?? {};
  const inc = arr(t.includedNamespaces).map(String);
  const exc = arr(t.excludedNamespaces).map(String);
  if (exc.includes(ns)) return false;
  return inc.length === 0 || inc.includes('*') || inc.includes(ns);
}

/** Backup operators other than Velero whose objects in a namespace protect its volumes. */
const OTHER_BACKUP_GROUPS =
  /^(volsync\.backube|k8up\.io|stash\.appscode\.com|snapscheduler\.backube|kopiur\.[a-z0-9.-]+|cr\.kanister\.io|config\.kio\.kasten\.io|dataprotection\.azure\.com)$/;
/** Namespaces whose volumes are not the fleet's data. */
const NO_BACKUP_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'flux-system'];

export const pvcNamespaceHasBackup: ClusterRule = {
  id: 'pvc-namespace-has-backup',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc:
    'Every namespace with PersistentVolumeClaims (or StatefulSet volumeClaimTemplates) is covered by a Velero ' +
    "Schedule, or with backup.engine azureBackup by the cluster's backup instance (its included and excluded " +
    'namespaces, as infra/clusters/<c>/backup-instance.bicep says), or holds objects of another backup ' +
    'operator (VolSync, K8up, Stash, SnapScheduler, kopiur, Kanister, Kasten).',
  hint:
    'Add a velero.io/v1 Schedule with template.includedNamespaces naming the namespace (with backup.engine ' +
    "azureBackup: take the namespace out of the backup instance's excludedNamespaces, or add it to its " +
    'includedNamespaces).',
  check(ctx, report) {
    const schedules = veleroSchedules(ctx.resources);
    // With Azure Backup for AKS the instance we generate judges coverage; its absence for this cluster is a finding too.
    const instances =
      ctx.infra?.backupInstances ?? (ctx.fleet ? backupInstancesFromFleet(ctx.fleet, 'fleet.yaml') : undefined);
    const instance = instances?.find((b) => b.cluster === ctx.cluster);
    const seen = new Set<string>();
    for (const r of ctx.resources) {
      const isPvc = isKind(r.object, 'PersistentVolumeClaim', '');
      const isSts = isKind(r.object, 'StatefulSet', 'apps') && arr(obj(r.object.spec)?.volumeClaimTemplates).length > 0;
      if (!isPvc && !isSts) continue;
      const ns = r.object.metadata?.namespace ?? 'default';
      if (seen.has(ns) || NO_BACKUP_NAMESPACES.includes(ns) || ctx.config.systemNamespaces.includes(ns)) continue;
      seen.add(ns);
      if (instance && backupInstanceCovers(instance, ns)) continue;
      if (schedules.some((s) => covers(s, ns))) continue;
      if (
        ctx.resources.some(
          (o) => o.object.metadata?.namespace === ns && OTHER_BACKUP_GROUPS.test(apiGroup(o.object.apiVersion)),
        )
      )
        continue;
      if (instance) {
        const why = instance.excludedNamespaces.includes(ns)
          ? 'excludes it'
          : `does not include it (includedNamespaces: ${instance.includedNamespaces!.join(', ')})`;
        report({
          resource: r,
          message: `namespace ${ns} holds persistent volumes but the Azure Backup instance ${instance.name} ${why}`,
          related: [
            {
              file: instance.file,
              ...(instance.line !== undefined ? { line: instance.line } : {}),
              message: `backup instance ${instance.name}`,
            },
          ],
        });
      } else if (instances)
        report({
          resource: r,
          message:
            `namespace ${ns} holds persistent volumes but backup.engine is azureBackup and cluster ` +
            `${ctx.cluster} has no backup instance`,
        });
      else
        report({ resource: r, message: `namespace ${ns} holds persistent volumes but no Velero Schedule backs it up` });
    }
  },
};

function ruleEntries(r: Resource): { group: number; index: number; rule: Record<string, unknown> }[] {
  const out: { group: number; index: number; rule: Record<string, unknown> }[] = [];
  arr(obj(r.object.spec)?.groups).forEach((g, gi) => {
    arr(obj(g)?.rules).forEach((rule, ri) => {
      const o = obj(rule);
      if (o) out.push({ group: gi, index: ri, rule: o });
    });
  });
  return out;
}
function isPrometheusRule(r: Resource): boolean {
  return r.object.kind === 'PrometheusRule' && apiGroup(r.object.apiVersion) === 'monitoring.coreos.com';
}

export const prometheusRuleParses: ClusterRule = {
  id: 'prometheus-rule-parses',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'Every PrometheusRule expression parses as PromQL (a rule that does not parse is rejected by the operator ' +
    'and never alerts).',
  hint: "Fix the expression; 'promtool check rules' shows the same error.",
  check(ctx, report) {
    const exprs: string[] = [];
    for (const r of ctx.resources)
      if (isPrometheusRule(r))
        for (const e of ruleEntries(r))
          if (typeof e.rule.expr === 'string' && !hasVariable(e.rule.expr)) exprs.push(e.rule.expr);
    // The cluster's expressions' verdicts at once: kept in the validators store by the set.
    const verdicts = parsePromQLAll(exprs, ctx.validatorStore);
    for (const r of ctx.resources) {
      if (!isPrometheusRule(r)) continue;
      for (const e of ruleEntries(r)) {
        const name = str(e.rule.alert) ?? str(e.rule.record) ?? `#${e.index}`;
        const expr = e.rule.expr;
        if (typeof expr !== 'string' && typeof expr !== 'number') {
          report({ resource: r, message: `groups[${e.group}].rules[${e.index}] (${name}) has no expr` });
          continue;
        }
        const text = String(expr);
        if (hasVariable(text)) continue;
        const known = verdicts.get(text);
        const err = known !== undefined ? known : parsePromQL(text);
        if (err)
          report({
            resource: r,
            message:
              `groups[${e.group}].rules[${e.index}] (${name}): expr does not parse at ` +
              `${err.line}:${err.column}: ${err.message}`,
          });
      }
    }
  },
};

export const alertHasSeverity: ClusterRule = {
  id: 'alert-has-severity',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc: 'Every alerting rule carries a severity label, which routes it (page or ticket).',
  hint: 'Add labels: { severity: page } (or warning/ticket, as your Alertmanager routes expect).',
  check(ctx, report) {
    for (const r of ctx.resources) {
      if (!isPrometheusRule(r)) continue;
      for (const e of ruleEntries(r)) {
        const alert = str(e.rule.alert);
        if (!alert) continue;
        if (!str(obj(e.rule.labels)?.severity))
          report({ resource: r, message: `alert ${alert} has no severity label` });
      }
    }
  },
};

export const dayTwoRules: readonly ClusterRule[] = [
  httpRouteWeights,
  pvcNamespaceHasBackup,
  prometheusRuleParses,
  alertHasSeverity,
];
