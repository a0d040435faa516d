/**
 * The Azure Backup for AKS facts of the backup rules (rules/traffic-backup-alerts.ts): which
 * namespaces each cluster's backup instance covers. From fleet.yaml (what the generator creates:
 * every namespace but AZURE_BACKUP_EXCLUDED_NAMESPACES), then, where the generated file exists,
 * from infra/clusters/<c>/backup-instance.bicep as written (a hand edit is judged as is).
 */
import { AZURE_BACKUP_EXCLUDED_NAMESPACES, azureBackupOn, backupInstanceName } from '../spec/backup.js';
import type { Fleet } from '../spec/schema.js';
import type { ParsedDoc } from '../yaml/parse.js';
import type { InfraBackupInstance } from './types.js';

/** One backup instance per cluster with backup.engine azureBackup; undefined with Velero. */
export function backupInstancesFromFleet(
  fleet: Fleet,
  file: string,
  doc?: ParsedDoc,
): InfraBackupInstance[] | undefined {
  if (!azureBackupOn(fleet)) return undefined;
  const line = doc?.posOf(['spec', 'backup']).line;
  return fleet.spec.clusters.map((c) => ({
    cluster: c.name,
    name: backupInstanceName(c.name),
    excludedNamespaces: [...AZURE_BACKUP_EXCLUDED_NAMESPACES],
    file,
    ...(line !== undefined ? { line } : {}),
  }));
}

/** A Bicep string array (`key: [ 'a', 'b' ]`, on one line or several) after `key:`, with the line of the key. */
function stringArray(text: string, key: string): { values: string[]; line: number } | undefined {
  const m = new RegExp(`^\\s*${key}:\\s*\\[([^\\]]*)\\]`, 'm').exec(text);
  if (!m) return undefined;
  const line = text.slice(0, m.index).split('\n').length + (text[m.index] === '\n' ? 1 : 0);
  return { values: [...m[1]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((q) => q[1]!), line };
}

/** The namespace lists of a generated backup-instance.bicep (its backupDatasourceParametersList). */
export function readBackupInstance(text: string, file: string, cluster: string): InfraBackupInstance | undefined {
  if (!/'Microsoft\.DataProtection\/backupVaults\/backupInstances@/.test(text)) return undefined;
  const excluded = stringArray(text, 'excludedNamespaces');
  const included = stringArray(text, 'includedNamespaces');
  return {
    cluster,
    name: backupInstanceName(cluster),
    excludedNamespaces: excluded?.values ?? [],
    ...(included ? { includedNamespaces: included.values } : {}),
    file,
    line: (included ?? excluded)?.line ?? 1,
  };
}
