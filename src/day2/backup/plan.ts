/**
 * Backup plan: which namespaces hold PersistentVolumeClaims (from the rendered Flux repo) or are
 * tenant namespaces (from the spec), which Velero Schedule covers each, the Schedules still
 * missing, and a restore playbook with the exact velero/kubectl commands (including a test
 * restore into a scratch namespace with --namespace-mappings). With backup.engine azureBackup the
 * cluster's backup instance in the Backup vault covers every namespace but the system ones, and the
 * playbook speaks `az dataprotection`. Pure: objects in, plan out.
 */
import { appNamespace } from '../../model/fleet-model.js';
import { tenantPlacedOn } from '../../spec/placement.js';
import { isPlainObject, resourceId, type KObject, type Resource } from '../../resources/resource.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import {
  AZURE_BACKUP_EXCLUDED_NAMESPACES,
  azureBackupOn,
  backupInstanceName,
  backupVaultName,
} from '../../spec/backup.js';

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
  const re = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(ns);
}

/** Does a backup (or schedule template) spec cover the namespace? Empty includes mean all. */
export function specCovers(spec: unknown, ns: string): boolean {
  const s = isPlainObject(spec) ? spec : {};
  const inc = Array.isArray(s.includedNamespaces)
    ? (s.includedNamespaces as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
  const exc = Array.isArray(s.excludedNamespaces)
    ? (s.excludedNamespaces as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
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
    metadata: {
      name: `ns-${ns}`.slice(0, 63),
      namespace: VELERO_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'aksfleet' },
    },
    spec: {
      schedule: vel.schedule,
      useOwnerReferencesInBackup: false,
      template: { includedNamespaces: [ns], storageLocation: 'default', snapshotVolumes: true, ttl: vel.ttl },
    },
  };
}

/** `<vault>/<backup instance>`: what protects a cluster's namespaces with backup.engine azureBackup. */
export function azureBackupInstance(fleet: Fleet, cluster: string): string {
  return `${backupVaultName(fleet)}/${backupInstanceName(cluster)}`;
}

/** The backup instance backs up every namespace but the excluded system ones. */
export function azureBackupCovers(ns: string): boolean {
  return !(AZURE_BACKUP_EXCLUDED_NAMESPACES as readonly string[]).includes(ns);
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
    if (
      o.kind === 'StatefulSet' &&
      Array.isArray((o.spec as { volumeClaimTemplates?: unknown } | undefined)?.volumeClaimTemplates) &&
      (o.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates.length > 0
    )
      add(ns, `${resourceId(o)} (volumeClaimTemplates)`);
    if (isVelero(o, 'Schedule')) schedules.push(o);
  }
  // Namespaces a Schedule names explicitly are protected even without volumes (their objects are backed up).
  const named = new Set<string>(volumes.keys());
  for (const s of schedules) {
    const inc = (s.spec as { template?: { includedNamespaces?: unknown } } | undefined)?.template?.includedNamespaces;
    if (Array.isArray(inc)) for (const x of inc) if (typeof x === 'string' && !/[*?[]/.test(x)) named.add(x);
  }
  if (azureBackupOn(fleet)) {
    const instance = azureBackupInstance(fleet, cluster);
    const namespaces = [...named].sort().map((ns) => ({
      namespace: ns,
      volumes: volumes.get(ns) ?? [],
      ...(azureBackupCovers(ns) ? { schedule: instance } : {}),
      from: 'repo' as const,
    }));
    return { cluster, namespaces, missing: [] };
  }
  const namespaces: NamespaceBackup[] = [...named].sort().map((ns) => {
    const s = schedules.find((x) => specCovers((x.spec as { template?: unknown } | undefined)?.template, ns));
    return {
      namespace: ns,
      volumes: volumes.get(ns) ?? [],
      ...(s ? { schedule: `${s.metadata?.namespace ?? VELERO_NAMESPACE}/${s.metadata?.name}` } : {}),
      from: 'repo' as const,
    };
  });
  return {
    cluster,
    namespaces,
    missing: namespaces
      .filter((n) => !n.schedule && n.volumes.length > 0)
      .map((n) => namespaceSchedule(fleet, n.namespace)),
  };
}

/**
 * From the spec alone: tenant namespaces on the cluster; the generator's tenant Schedules cover those with backup:
 * true.
 */
export function planFromSpec(fleet: Fleet, cluster: Cluster): ClusterBackupPlan {
  const namespaces: NamespaceBackup[] = [];
  for (const t of fleet.spec.tenants) {
    if (!tenantPlacedOn(t, cluster)) continue;
    const nss = new Set([...t.namespaces, ...t.apps.map((a) => appNamespace(t, a))]);
    for (const ns of [...nss].sort())
      namespaces.push({
        namespace: ns,
        volumes: [],
        ...(azureBackupOn(fleet)
          ? azureBackupCovers(ns)
            ? { schedule: azureBackupInstance(fleet, cluster.name) }
            : {}
          : t.backup && fleet.spec.addons.velero.enabled
            ? { schedule: `${VELERO_NAMESPACE}/tenant-${t.name}` }
            : {}),
        from: 'spec',
      });
  }
  return { cluster: cluster.name, namespaces, missing: [] };
}

/** The restore playbook with Azure Backup for AKS: az dataprotection, a restore config per namespace. */
export function azureBackupPlaybook(fleet: Fleet, plan: BackupPlan): string {
  const vault = backupVaultName(fleet);
  const L: string[] = ['## Restore playbook (Azure Backup for AKS)', ''];
  L.push(
    `Backups are recovery points of each cluster's backup instance in ` +
      `the Backup vault ${vault} (resource group of the shared resources).`,
    'Test the restore of every protected namespace monthly (the reference architecture: ' +
      '"Backups verified monthly. Restore playbook tested.");',
    'the restore job in `az dataprotection job list` is the record. Needs az with the dataprotection extension and jq.',
    '',
  );
  for (const c of plan.clusters) {
    const covered = c.namespaces.filter((n) => n.schedule);
    if (covered.length === 0) continue;
    const cluster = fleet.spec.clusters.find((x) => x.name === c.cluster);
    const instance = backupInstanceName(c.cluster);
    L.push(`### ${c.cluster}`, '');
    L.push(
      '```sh',
      `VAULT_RG=<resource group of ${vault}>`,
      `INSTANCE_ID="$(az dataprotection backup-instance show -g "$VAULT_RG" ` +
        `--vault-name ${vault} -n ${instance} --query id -o tsv)"`,
      `RP="$(az dataprotection recovery-point list -g "$VAULT_RG" --vault-name ${vault} ` +
        `--backup-instance-name ${instance} --query "sort_by([], &properties.recoveryPointTime)[-1].name" -o tsv)"`,
      '```',
      '',
    );
    for (const n of covered) {
      const ns = n.namespace;
      const scratch = `${ns}-restore-test`.slice(0, 63);
      L.push(`#### Namespace ${ns} (${n.schedule})`, '');
      L.push(
        `1. Test restore of the newest recovery point into the scratch namespace ` +
          `${scratch} (routes and ingresses left out so that no hostname is taken over):`,
        '',
      );
      L.push(
        '```sh',
        'az dataprotection backup-instance initialize-restoreconfig ' +
          '--datasource-type AzureKubernetesService -o json \\',
        `  | jq '.included_namespaces = ["${ns}"] | .namespace_mappings = {"${ns}": ` +
          `"${scratch}"} | .excluded_resource_types = ["httproutes.gateway.networking.k8s.io", ` +
          `"ingresses.networking.k8s.io"] | .conflict_policy = "Skip"' > restore-config.json`,
        `az dataprotection backup-instance restore initialize-for-item-recovery ` +
          `--datasource-type AzureKubernetesService --restore-location ${cluster?.location ?? '<region>'} \\`,
        '  --source-datastore OperationalStore --recovery-point-id "$RP" ' +
          '--restore-configuration restore-config.json --backup-instance-id "$INSTANCE_ID" -o json ' +
          '> restore-request.json',
        `az dataprotection backup-instance validate-for-restore -g "$VAULT_RG" ` +
          `--vault-name ${vault} -n ${instance} --restore-request-object restore-request.json`,
        `az dataprotection backup-instance restore trigger -g "$VAULT_RG" ` +
          `--vault-name ${vault} -n ${instance} --restore-request-object restore-request.json`,
        `az dataprotection job list -g "$VAULT_RG" --vault-name ${vault} ` +
          `--query "[?properties.operationCategory=='Restore'] | [0].{status: properties.status, ` +
          `start: properties.startTime}"`,
        `kubectl -n ${scratch} get pvc,pods`,
        '```',
        '',
        '2. Clean up the test:',
        '',
        '```sh',
        `kubectl delete namespace ${scratch}`,
        '```',
        '',
        `3. Disaster restore of ${ns}: suspend Flux (\`flux suspend kustomization ` +
          `--all -n flux-system\`), run step 1 without \`namespace_mappings\``,
        '   and the resource exclusions, then `flux resume kustomization --all -n flux-system`.',
        '',
      );
    }
  }
  return L.join('\n');
}

export function restorePlaybook(fleet: Fleet, plan: BackupPlan): string {
  if (azureBackupOn(fleet)) return azureBackupPlaybook(fleet, plan);
  const L: string[] = ['## Restore playbook', ''];
  L.push(
    'Run against the cluster (`az aks get-credentials ...`). ' +
      'Velero runs in the `velero` namespace. Test the restore of every',
    'protected namespace monthly (the reference architecture: ' +
      '"Backups verified monthly. Restore playbook tested."), then',
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
      L.push("1. The schedule's backups (the restore below uses the newest completed one):", '');
      L.push('```sh', `velero backup get --selector velero.io/schedule-name=${sched}`, '```', '');
      L.push(
        `2. Test restore into the scratch namespace ${scratch} (routes ` +
          `and ingresses left out so that no hostname is taken over):`,
        '',
      );
      L.push(
        '```sh',
        `velero restore create "${scratch}-$(date -u +%Y%m%d)" --from-schedule ${sched} ` +
          `--include-namespaces ${ns} --namespace-mappings ${ns}:${scratch} ` +
          `--exclude-resources httproutes.gateway.networking.k8s.io,ingresses.networking.k8s.io --wait`,
        `velero restore describe "${scratch}-$(date -u +%Y%m%d)" --details`,
        `kubectl -n ${scratch} get pvc,pods`,
        `kubectl -n ${scratch} wait --for=jsonpath='{.status.phase}'=Bound pvc --all --timeout=10m`,
        `kubectl -n ${scratch} wait --for=condition=Ready pods --all --timeout=10m`,
        '```',
        '',
        '   Pods using workload identity will not get Azure tokens in the ' +
          'scratch namespace (the federated credential names the original',
        '   namespace); check the data (PVC contents), not the Azure access.',
        '',
        '3. Clean up the test:',
        '',
        '```sh',
        `kubectl delete namespace ${scratch}`,
        '```',
        '',
        `4. Disaster restore of ${ns} (the namespace is gone or its data is lost). ` +
          `Suspend Flux first so it does not recreate objects mid-restore:`,
        '',
        '```sh',
        'flux suspend kustomization --all -n flux-system',
        `velero restore create "${ns}-$(date -u +%Y%m%d%H%M)" ` +
          `--from-schedule ${sched} --include-namespaces ${ns} --wait`,
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
