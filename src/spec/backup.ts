/**
 * Backup facts derived from the fleet spec, one place for each: which engine protects the
 * clusters, the Backup vault's name, the repeating interval (ISO 8601) and the retention Azure
 * Backup for AKS gets from the cron schedule and the retention duration, and the cross-field
 * rules of `spec.backup` (run with the others from rules.ts).
 *
 * Azure Backup for AKS backs up daily or every 4, 6, 8 or 12 hours (the frequencies of its policy,
 * az CLI's AzureKubernetesService manifest: supportedBackupFrequency Daily, Hourly); the extension
 * needs its storage account in the cluster's region (az k8s-extension refuses another region).
 */
import type { Fleet } from './schema.js';

type FieldPath = (string | number)[];
type Push = (path: FieldPath, message: string) => void;

const S = ['spec'];

export function azureBackupOn(fleet: Fleet): boolean {
  return fleet.spec.backup.engine === 'azureBackup';
}

/** The namespace the Backup extension (microsoft.dataprotection.kubernetes) runs in: its own Velero. */
export const AZURE_BACKUP_EXTENSION_NAMESPACE = 'dataprotection-microsoft';

/** Namespaces the backup instance leaves out (system ones and the Backup extension's own). */
export const AZURE_BACKUP_EXCLUDED_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  AZURE_BACKUP_EXTENSION_NAMESPACE,
] as const;

/**
 * Does a backup instance with these namespace lists back up the namespace? Azure Backup for AKS
 * (KubernetesClusterBackupDatasourceParameters): no includedNamespaces means every namespace;
 * excludedNamespaces win.
 */
export function backupInstanceCovers(
  instance: { readonly includedNamespaces?: readonly string[]; readonly excludedNamespaces: readonly string[] },
  ns: string,
): boolean {
  if (instance.excludedNamespaces.includes(ns)) return false;
  return !instance.includedNamespaces?.length || instance.includedNamespaces.includes(ns);
}

/** The backup instance of a cluster in the vault. */
export function backupInstanceName(cluster: string): string {
  return `aks-${cluster}`;
}

/** A backup storage account exists: Velero's (addons.velero) or the Backup extension's (backup.engine azureBackup). */
export function hasBackupStorage(fleet: Fleet): boolean {
  return fleet.spec.addons.velero.enabled || azureBackupOn(fleet);
}

export function backupVaultName(fleet: Fleet): string {
  return fleet.spec.backup.vaultName ?? `bv-${fleet.metadata.name}`.slice(0, 50);
}

/** Hour intervals Azure Backup for AKS offers besides daily. */
export const AKS_BACKUP_HOURS = [4, 6, 8, 12] as const;

/**
 * A cron schedule as Azure Backup's repeating time interval, `R/<start>/<period>`
 * (start on a fixed past date, so the value does not change between runs), or why it cannot be.
 */
export function repeatingInterval(cron: string): { interval: string } | { problem: string } {
  const f = cron.trim().split(/\s+/);
  const why =
    "Azure Backup for AKS backs up daily ('M H * * *') or every 4, 6, 8 or 12 hours ('M H/N * * *', 'M */N * * *')";
  if (f.length !== 5 || f[2] !== '*' || f[3] !== '*' || f[4] !== '*') return { problem: `schedule '${cron}': ${why}` };
  const minute = /^\d{1,2}$/.test(f[0]!) ? Number(f[0]) : NaN;
  if (!(minute >= 0 && minute <= 59))
    return { problem: `schedule '${cron}': the minute must be one number 0-59; ${why}` };
  const hour = f[1]!;
  const at = (h: number) => `2024-01-01T${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+00:00`;
  if (/^\d{1,2}$/.test(hour) && Number(hour) <= 23) return { interval: `R/${at(Number(hour))}/P1D` };
  const m = /^(\*|\d{1,2})\/(\d{1,2})$/.exec(hour);
  if (m) {
    const start = m[1] === '*' ? 0 : Number(m[1]);
    const n = Number(m[2]);
    if ((AKS_BACKUP_HOURS as readonly number[]).includes(n) && start < n) return { interval: `R/${at(start)}/PT${n}H` };
  }
  return { problem: `schedule '${cron}': ${why}` };
}

/**
 * Hours between two backups of the policy from a cron schedule (24 daily, 4/6/8/12), or undefined when Azure Backup
 * cannot take it.
 */
export function azureBackupPeriodHours(cron: string): number | undefined {
  const r = repeatingInterval(cron);
  if ('problem' in r) return undefined;
  const m = /\/PT(\d+)H$/.exec(r.interval);
  return m ? Number(m[1]) : 24;
}

/** A Go duration in whole days (`168h` -> 7), or undefined when it is not whole days. */
export function wholeDays(d: string): number | undefined {
  let seconds = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h)/g)) {
    const n = Number(m[1]);
    seconds += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
  }
  return seconds > 0 && seconds % 86_400 === 0 ? seconds / 86_400 : undefined;
}

/** The rules of spec.backup. */
export function backupRules(f: Fleet, push: Push): void {
  const b = f.spec.backup;
  const p = [...S, 'backup'];
  if (b.engine !== 'azureBackup') {
    for (const k of ['vaultName'] as const)
      if (b[k] !== undefined) push([...p, k], `${k} is used by engine azureBackup only (engine is ${b.engine})`);
    return;
  }
  if (f.spec.addons.velero.enabled)
    push(
      [...S, 'addons', 'velero'],
      `backup.engine azureBackup: the Backup extension runs its own Velero (namespace ` +
        `${AZURE_BACKUP_EXTENSION_NAMESPACE}); set addons.velero.enabled: false so the two do not install ` +
        `the same CRDs`,
    );
  const r = repeatingInterval(b.schedule);
  if ('problem' in r) push([...p, 'schedule'], r.problem);
  if (wholeDays(b.retention) === undefined)
    push(
      [...p, 'retention'],
      `retention ${b.retention} must be whole days (a multiple of 24h): Azure Backup keeps recovery points for P<n>D`,
    );
  const first = f.spec.clusters[0]!;
  f.spec.clusters.forEach((c, i) => {
    if (c.location !== first.location)
      push(
        [...S, 'clusters', i, 'location'],
        `backup.engine azureBackup: the Backup extension needs its storage account (${b.storageAccount}) ` +
          `in the cluster's region; the fleet has one, in ${first.location} (cluster ${first.name}), ` +
          `and ${c.name} is in ${c.location}`,
      );
  });
}
