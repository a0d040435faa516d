/**
 * Backup plan: which namespaces hold PersistentVolumeClaims (from the rendered Flux repo) or are
 * tenant namespaces (from the spec), which Velero Schedule covers each, the Schedules still
 * missing, and a restore playbook with the exact velero/kubectl commands (including a test
 * restore into a scratch namespace with --namespace-mappings). Pure: objects in, plan out.
 */
import { appNamespace, tenantPlacedOn } from '../../model/fleet-model.js';
import { isPlainObject, resourceId, type KObject, type Resource } from '../../resources/resource.js';
import type { Cluster, Fleet } from '../../spec/schema.js';

export const VELERO_NAMESPACE = 'velero';

export interface NamespaceBackup {
  readonly namespace: string;
  /** `PersistentVolumeClaim/ns/name` or `StatefulSet/ns/name (volumeClaimTemplates)`; empty when unknown. */
  readonly volumes: readonly string[];
  /** The Schedule that covers it (`velero/tenant-app`), or undefined. */
  readonly schedule?: string;
  /** Where the namespace came from. */
  readonly from: 'repo' | 'spec';
}

export interface ClusterBackupPlan {
  readonly cluster: string;
  readonly namespaces: readonly NamespaceBackup[];
  /** Schedules to add (namespaces with volumes and no schedule). */
  readonly missing: readonly KObject[];
}

export interface BackupPlan {
  readonly source: 'repo' | 'spec';
  readonly clusters: readonly ClusterBackupPlan[];
}

/** Velero namespace include/exclude patterns: `*`, `?`, `[abc]` globs (Velero >= 1.15) or names. */
export function namespaceMatches(pattern: string, ns: string): boolean {
  if (pattern === '*' || pattern === ns) return true;
  if (!/[*?[]/.test(pattern)) return false;
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(ns);
}

/** Does a backup (or schedule template) spec cover the namespace? Empty includes mean all. */
export function specCovers(spec: unknown, ns: string): boolean {
  const s = isPlainObject(spec) ? spec : {};
  const inc = Array.isArray(s.includedNamespaces) ? (s.includedNamespaces as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const exc = Array.isArray(s.excludedNamespaces) ? (s.excludedNamespaces as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  if (exc.some((p) => namespaceMatches(p, ns))) return false;
  return inc.length === 0 || inc.some((p) => namespaceMatches(p, ns));
}

function isVelero(o: KObject, kind: string): boolean {
  return o.kind === kind && (o.apiVersion ?? '').startsWith('velero.io/');
}

/** A Schedule in the shape the Flux generator writes for tenants (one per namespace here). */
export function namespaceSchedule(fleet: Fleet, ns: string): KObject {
  const vel = fleet.spec.addons.velero;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: `ns-${ns}`.slice(0, 63), namespace: VELERO_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'aksfleet' } },
    spec: {
      schedule: vel.schedule,
      useOwnerReferencesInBackup: false,
      template: { includedNamespaces: [ns], storageLocation: 'default', snapshotVolumes: true, ttl: vel.ttl },
    },
  };
}

/** From the rendered objects of one cluster. */
export function planFromObjects(fleet: Fleet, cluster: string, objects: readonly Resource[]): ClusterBackupPlan {
  const volumes = new Map<string, string[]>();
  const add = (ns: string, what: string) => volumes.set(ns, [...(volumes.get(ns) ?? []), what]);
  const schedules: KObject[] = [];
  for (const r of objects) {
    const o = r.object;
    const ns = o.metadata?.namespace ?? 'default';
    if (o.kind === 'PersistentVolumeClaim') add(ns, resourceId(o));
    if (o.kind === 'StatefulSet' && Array.isArray((o.spec as { volumeClaimTemplates?: unknown } | undefined)?.volumeClaimTemplates) && ((o.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates.length > 0))
      add(ns, `${resourceId(o)} (volumeClaimTemplates)`);
    if (isVelero(o, 'Schedule')) schedules.push(o);
  }
  // Namespaces a Schedule names explicitly are protected even without volumes (their objects are backed up).
  const named = new Set<string>(volumes.keys());
  for (const s of schedules) {
    const inc = (s.spec as { template?: { includedNamespaces?: unknown } } | undefined)?.template?.includedNamespaces;
    if (Array.isArray(inc)) for (const x of inc) if (typeof x === 'string' && !/[*?[]/.test(x)) named.add(x);
  }
  const namespaces: NamespaceBackup[] = [...named].sort().map((ns) => {
    const s = schedules.find((x) => specCovers((x.spec as { template?: unknown } | undefined)?.template, ns));
    return { namespace: ns, volumes: volumes.get(ns) ?? [], ...(s ? { schedule: `${s.metadata?.namespace ?? VELERO_NAMESPACE}/${s.metadata?.name}` } : {}), from: 'repo' as const };
  });
  return { cluster, namespaces, missing: namespaces.filter((n) => !n.schedule && n.volumes.length > 0).map((n) => namespaceSchedule(fleet, n.namespace)) };
}

/** From the spec alone: tenant namespaces on the cluster; the generator's tenant Schedules cover those with backup: true. */
export function planFromSpec(fleet: Fleet, cluster: Cluster): ClusterBackupPlan {
  const namespaces: NamespaceBackup[] = [];
  for (const t of fleet.spec.tenants) {
    if (!tenantPlacedOn(t, cluster)) continue;
    const nss = new Set([...t.namespaces, ...t.apps.map((a) => appNamespace(t, a))]);
    for (const ns of [...nss].sort())
      namespaces.push({ namespace: ns, volumes: [], ...(t.backup && fleet.spec.addons.velero.enabled ? { schedule: `${VELERO_NAMESPACE}/tenant-${t.name}` } : {}), from: 'spec' });
  }
  return { cluster: cluster.name, namespaces, missing: [] };
}

export function restorePlaybook(fleet: Fleet, plan: BackupPlan): string {
  const L: string[] = ['## Restore playbook', ''];
  L.push(
    'Run against the cluster (`az aks get-credentials ...`). Velero runs in the `velero` namespace. Test the restore of every',
    'protected namespace monthly (the reference architecture: "Backups verified monthly. Restore playbook tested."), then',
    'record it: `aksfleet backup verify --restores` checks that a restore completed within the month.',
    '',
  );
  for (const c of plan.clusters) {
    const covered = c.namespaces.filter((n) => n.schedule);
    if (covered.length === 0) continue;
    L.push(`### ${c.cluster}`, '');
    for (const n of covered) {
      const ns = n.namespace;
      const sched = n.schedule!.split('/')[1]!;
      const scratch = `${ns}-restore-test`.slice(0, 63);
      L.push(`#### Namespace ${ns} (Schedule ${n.schedule})`, '');
      L.push('1. The schedule\'s backups (the restore below uses the newest completed one):', '');
      L.push('```sh', `velero backup get --selector velero.io/schedule-name=${sched}`, '```', '');
      L.push(`2. Test restore into the scratch namespace ${scratch} (routes and ingresses left out so that no hostname is taken over):`, '');
      L.push(
        '```sh',
        `velero restore create "${scratch}-$(date -u +%Y%m%d)" --from-schedule ${sched} --include-namespaces ${ns} --namespace-mappings ${ns}:${scratch} --exclude-resources httproutes.gateway.networking.k8s.io,ingresses.networking.k8s.io --wait`,
        `velero restore describe "${scratch}-$(date -u +%Y%m%d)" --details`,
        `kubectl -n ${scratch} get pvc,pods`,
        `kubectl -n ${scratch} wait --for=jsonpath='{.status.phase}'=Bound pvc --all --timeout=10m`,
        `kubectl -n ${scratch} wait --for=condition=Ready pods --all --timeout=10m`,
        '```',
        '',
        '   Pods using workload identity will not get Azure tokens in the scratch namespace (the federated credential names the original',
        '   namespace); check the data (PVC contents), not the Azure access.',
        '',
        '3. Clean up the test:',
        '',
        '```sh',
        `kubectl delete namespace ${scratch}`,
        '```',
        '',
        `4. Disaster restore of ${ns} (the namespace is gone or its data is lost). Suspend Flux first so it does not recreate objects mid-restore:`,
        '',
        '```sh',
        'flux suspend kustomization --all -n flux-system',
        `velero restore create "${ns}-$(date -u +%Y%m%d%H%M)" --from-schedule ${sched} --include-namespaces ${ns} --wait`,
        `kubectl -n ${ns} get pvc,pods`,
        'flux resume kustomization --all -n flux-system',
        '```',
        '',
      );
    }
  }
  void fleet;
  return L.join('\n');
}
