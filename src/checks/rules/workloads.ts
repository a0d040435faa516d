/**
 * Workload rules: workload identity wiring, resources and probes, disruption budgets that
 * protect replicated workloads yet still let a node drain during upgrades.
 */
import type { Resource } from '../../resources/resource.js';
import { containersOf, isKind, obj, podTemplates, str } from '../k8s.js';
import { labelSelectorMatches } from '../../resources/label-selector.js';
import type { ClusterRule } from '../types.js';

export const WI_CLIENT_ID = 'azure.workload.identity/client-id';
export const WI_USE_LABEL = 'azure.workload.identity/use';

export const workloadIdentityLabel: ClusterRule = {
  id: 'workload-identity-pod-label',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    `Pods that run as a workload-identity ServiceAccount (annotated ${WI_CLIENT_ID}) carry the label ` +
    `${WI_USE_LABEL}: "true", or the webhook injects no token.`,
  hint: `Add labels: { ${WI_USE_LABEL}: "true" } to the pod template metadata.`,
  check(ctx, report) {
    const wiSas = new Set(
      ctx.resources
        .filter((r) => isKind(r.object, 'ServiceAccount', '') && r.object.metadata?.annotations?.[WI_CLIENT_ID])
        .map((r) => `${r.object.metadata?.namespace ?? 'default'}/${r.object.metadata?.name}`),
    );
    for (const p of podTemplates(ctx.resources)) {
      const sa = str(p.spec.serviceAccountName) ?? str(p.spec.serviceAccount) ?? 'default';
      if (!wiSas.has(`${p.namespace}/${sa}`)) continue;
      const v = obj(p.meta.labels)?.[WI_USE_LABEL];
      if (String(v) !== 'true')
        report({
          resource: p.resource,
          message: `pods run as workload-identity ServiceAccount ${sa} but lack the label ${WI_USE_LABEL}: "true"`,
        });
    }
  },
};

export const containerResources: ClusterRule = {
  id: 'container-resources',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc:
    'Every container sets CPU and memory requests and a memory limit (a CPU limit is not required: throttling ' +
    'hurts more than it helps).',
  hint: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
  check(ctx, report) {
    for (const p of podTemplates(ctx.resources)) {
      for (const c of containersOf(p.spec)) {
        const res = obj(c.raw.resources) ?? {};
        const req = obj(res.requests) ?? {};
        const lim = obj(res.limits) ?? {};
        const missing = [
          ...(req.cpu === undefined ? ['requests.cpu'] : []),
          ...(req.memory === undefined && lim.memory === undefined ? ['requests.memory'] : []),
          ...(lim.memory === undefined ? ['limits.memory'] : []),
        ];
        if (missing.length)
          report({ resource: p.resource, message: `container ${c.name} sets no ${missing.join(', ')}` });
      }
    }
  },
};

const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet'];

export const containerProbes: ClusterRule = {
  id: 'container-probes',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc:
    'Containers of long-running workloads (Deployment, StatefulSet, DaemonSet) define a readinessProbe and a ' +
    'livenessProbe (or a startupProbe).',
  hint: 'Add readinessProbe and livenessProbe to the container.',
  check(ctx, report) {
    for (const p of podTemplates(ctx.resources)) {
      if (!LONG_RUNNING.includes(p.kind)) continue;
      for (const c of containersOf(p.spec)) {
        if (c.init) continue;
        const missing = [
          ...(c.raw.readinessProbe === undefined ? ['readinessProbe'] : []),
          ...(c.raw.livenessProbe === undefined && c.raw.startupProbe === undefined ? ['livenessProbe'] : []),
        ];
        if (missing.length)
          report({ resource: p.resource, message: `container ${c.name} has no ${missing.join(' or ')}` });
      }
    }
  },
};

function pdbsFor(resources: readonly Resource[], ns: string, labels: Record<string, unknown>): Resource[] {
  return resources.filter(
    (r) =>
      isKind(r.object, 'PodDisruptionBudget', 'policy') &&
      (r.object.metadata?.namespace ?? 'default') === ns &&
      labelSelectorMatches(obj(r.object.spec)?.selector, labels, 'nothing'),
  );
}

export const replicatedWorkloadHasPdb: ClusterRule = {
  id: 'replicated-workload-has-pdb',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc:
    'Deployments and StatefulSets with more than one replica have a PodDisruptionBudget selecting their pods, ' +
    'so a node drain keeps some of them running.',
  hint: 'Add a PodDisruptionBudget with maxUnavailable: 1 and the workload selector.',
  check(ctx, report) {
    for (const p of podTemplates(ctx.resources)) {
      if (p.replicas === undefined || p.replicas < 2) continue;
      const labels = obj(p.meta.labels) ?? {};
      if (pdbsFor(ctx.resources, p.namespace, labels).length === 0)
        report({
          resource: p.resource,
          message: `${p.kind} has ${p.replicas} replicas and no PodDisruptionBudget selects its pods`,
        });
    }
  },
};

/** How many pods a PDB allows to be evicted out of `replicas` (kubernetes rounds minAvailable % up, maxUnavailable % up). */
export function allowedDisruptions(spec: Record<string, unknown>, replicas: number): number | undefined {
  const pct = (v: string) => Number(v.slice(0, -1)) / 100;
  if (spec.maxUnavailable !== undefined) {
    const m = spec.maxUnavailable;
    if (typeof m === 'number') return m;
    if (typeof m === 'string' && m.endsWith('%')) return Math.ceil(pct(m) * replicas);
    if (typeof m === 'string' && /^\d+$/.test(m)) return Number(m);
    return undefined;
  }
  if (spec.minAvailable !== undefined) {
    const m = spec.minAvailable;
    if (typeof m === 'number') return replicas - m;
    if (typeof m === 'string' && m.endsWith('%')) return replicas - Math.ceil(pct(m) * replicas);
    if (typeof m === 'string' && /^\d+$/.test(m)) return replicas - Number(m);
    return undefined;
  }
  return replicas; // neither: no constraint
}

export const pdbAllowsDrain: ClusterRule = {
  id: 'pdb-allows-drain',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A PodDisruptionBudget lets at least one pod of the workload it covers be evicted (maxUnavailable > 0, ' +
    'minAvailable below the replicas), or node drains during upgrades hang.',
  hint: 'Use maxUnavailable: 1 (or minAvailable below the replica count).',
  check(ctx, report) {
    for (const p of podTemplates(ctx.resources)) {
      if (p.replicas === undefined) continue;
      const labels = obj(p.meta.labels) ?? {};
      for (const pdb of pdbsFor(ctx.resources, p.namespace, labels)) {
        const allowed = allowedDisruptions(obj(pdb.object.spec) ?? {}, p.replicas);
        if (allowed !== undefined && allowed < 1) {
          report({
            resource: pdb,
            message:
              `allows ${Math.max(allowed, 0)} disruptions for ${p.kind} ${p.resource.object.metadata?.name} ` +
              `(${p.replicas} replicas): draining its node blocks`,
          });
        }
      }
    }
  },
};

export const workloadRules: readonly ClusterRule[] = [
  workloadIdentityLabel,
  containerResources,
  containerProbes,
  replicatedWorkloadHasPdb,
  pdbAllowsDrain,
];
