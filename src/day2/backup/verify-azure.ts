/**
 * Backup verification with Azure Backup for AKS (spec `backup.engine: azureBackup`): from the jobs
 * of the Backup vault (`az dataprotection job list -o json`: an array of AzureBackupJobResource,
 * `properties.operationCategory` Backup or Restore, `properties.status` InProgress, Completed,
 * CompletedWithWarnings, Failed, Cancelled, ...) and optionally its backup instances
 * (`az dataprotection backup-instance list -o json`: `properties.protectionStatus.status`,
 * `properties.policyInfo.policyParameters.backupDatasourceParametersList[].includedNamespaces` /
 * `excludedNamespaces`), per cluster: the newest successful backup job of its backup instance and
 * its age, the backup jobs after it that failed, the newest completed restore job (the monthly
 * restore test) and, with the instances, whether protection is configured and the tenant
 * namespaces are covered. Pure: JSON values in, rows out. Shapes: az CLI's dataprotection
 * extension (aaz `dataprotection job list`, `backup-instance list`: camelCase serialized names).
 */
import { isPlainObject } from '../../resources/resource.js';
import { backupInstanceCovers, backupInstanceName } from '../../spec/backup.js';

/** One job (`properties` of an AzureBackupJobResource) as read from the list. */
export interface AzureBackupJob {
  readonly name: string;
  /** The backup instance name (last segment of backupInstanceId), or the friendly name. */
  readonly instance: string;
  /** The AKS cluster (dataSourceName). */
  readonly dataSourceName?: string;
  readonly category: string;
  readonly status: string;
  readonly start?: number;
  readonly end?: number;
  readonly userTriggered: boolean;
  readonly errors: readonly string[];
}

/** One backup instance of the vault as read from the list. */
export interface AzureBackupInstanceState {
  readonly name: string;
  readonly cluster?: string;
  readonly protection?: string;
  readonly protectionError?: string;
  readonly includedNamespaces?: readonly string[];
  readonly excludedNamespaces: readonly string[];
}

export interface AzureVerifyRow {
  readonly cluster: string;
  readonly instance: string;
  readonly backupJob?: string;
  readonly completed?: string;
  readonly ageDays?: number;
  readonly restoreJob?: string;
  readonly restoreCompleted?: string;
  readonly restoreAgeDays?: number;
  /** Worth knowing, not a failure (a backup that completed with warnings). */
  readonly notes: readonly string[];
  readonly problems: readonly string[];
}

export interface AzureVerifyInput {
  readonly jobs: readonly AzureBackupJob[];
  readonly instances?: readonly AzureBackupInstanceState[];
  /** Clusters that must be protected, with the tenant namespaces each runs; empty: the instances the jobs name. */
  readonly expected: readonly { readonly cluster: string; readonly namespaces: readonly string[] }[];
  readonly now: Date;
  readonly maxAgeDays: number;
  readonly maxRestoreAgeDays: number;
}

const DAY = 86_400_000;
/** Job states that leave a recovery point (CompletedWithWarnings: some items were skipped). */
const SUCCEEDED = ['Completed', 'CompletedWithWarnings'];
/** Job states that failed for good. */
const FAILED = ['Failed', 'Cancelled'];

function round(d: number): number {
  return Math.round(d * 10) / 10;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ms = (v: unknown): number | undefined => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
};
const lastSegment = (id: string | undefined): string | undefined => id?.split('/').filter(Boolean).at(-1);

/** Why a list element is not a job (the CLI reports it at the element's position), or the job. */
export function readAzureBackupJob(v: unknown): AzureBackupJob | string {
  if (!isPlainObject(v) || !isPlainObject(v.properties))
    return 'expected a job of az dataprotection job list (an object with properties)';
  const p = v.properties;
  const category = str(p.operationCategory);
  const status = str(p.status);
  if (!category || !status)
    return 'expected properties.operationCategory and properties.status (az dataprotection job list -o json)';
  const instance = lastSegment(str(p.backupInstanceId)) ?? str(p.backupInstanceFriendlyName) ?? '';
  const errors = Array.isArray(p.errorDetails)
    ? p.errorDetails
        .map((e) => (isPlainObject(e) ? [str(e.code), str(e.message)].filter(Boolean).join(': ') : ''))
        .filter(Boolean)
    : [];
  const start = ms(p.startTime);
  const end = ms(p.endTime);
  return {
    name: str(v.name) ?? lastSegment(str(v.id)) ?? str(p.activityID) ?? '(unnamed)',
    instance,
    ...(str(p.dataSourceName) ? { dataSourceName: str(p.dataSourceName) } : {}),
    category,
    status,
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    userTriggered: p.isUserTriggered === true,
    errors,
  };
}

/** Why a list element is not a backup instance, or the instance. */
export function readAzureBackupInstance(v: unknown): AzureBackupInstanceState | string {
  if (!isPlainObject(v) || !isPlainObject(v.properties) || typeof v.name !== 'string')
    return 'expected a backup instance of az dataprotection backup-instance list (name and properties)';
  const p = v.properties;
  const status = isPlainObject(p.protectionStatus) ? p.protectionStatus : {};
  const err = isPlainObject(status.errorDetails)
    ? status.errorDetails
    : isPlainObject(p.protectionErrorDetails)
      ? p.protectionErrorDetails
      : undefined;
  const params =
    isPlainObject(p.policyInfo) && isPlainObject(p.policyInfo.policyParameters) ? p.policyInfo.policyParameters : {};
  const k8s = (Array.isArray(params.backupDatasourceParametersList) ? params.backupDatasourceParametersList : []).find(
    (x) => isPlainObject(x) && x.objectType === 'KubernetesClusterBackupDatasourceParameters',
  ) as Record<string, unknown> | undefined;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined);
  const protection = str(status.status) ?? str(p.currentProtectionState);
  const cluster = isPlainObject(p.dataSourceInfo) ? str(p.dataSourceInfo.resourceName) : undefined;
  const included = list(k8s?.includedNamespaces);
  return {
    name: v.name,
    ...(cluster ? { cluster } : {}),
    ...(protection ? { protection } : {}),
    ...(err && (str(err.message) ?? str(err.code))
      ? { protectionError: [str(err.code), str(err.message)].filter(Boolean).join(': ') }
      : {}),
    ...(included ? { includedNamespaces: included } : {}),
    excludedNamespaces: list(k8s?.excludedNamespaces) ?? [],
  };
}

function jobOf(j: AzureBackupJob, cluster: string): boolean {
  return j.instance.toLowerCase() === backupInstanceName(cluster).toLowerCase() || j.dataSourceName === cluster;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const label = (j: AzureBackupJob) =>
  `${j.name} (${j.status}${j.start !== undefined ? `, started ${iso(j.start)}` : ''}` +
  `${j.errors.length ? `: ${j.errors.join('; ')}` : ''})`;

export function verifyAzureBackups(input: AzureVerifyInput): AzureVerifyRow[] {
  let expected = input.expected.map((e) => ({ cluster: e.cluster, namespaces: e.namespaces }));
  if (expected.length === 0) {
    const named = new Set(input.jobs.map((j) => j.dataSourceName ?? j.instance.replace(/^aks-/, '')).filter(Boolean));
    expected = [...named].map((cluster) => ({ cluster, namespaces: [] }));
  }
  expected.sort((a, b) => a.cluster.localeCompare(b.cluster));
  const nowMs = input.now.getTime();
  return expected.map(({ cluster, namespaces }) => {
    const problems: string[] = [];
    const notes: string[] = [];
    const instance = backupInstanceName(cluster);
    const row: { -readonly [K in keyof AzureVerifyRow]: AzureVerifyRow[K] } = { cluster, instance, notes, problems };
    const mine = input.jobs.filter((j) => jobOf(j, cluster));
    const backups = mine.filter((j) => j.category === 'Backup');
    const ok = backups
      .filter((j) => SUCCEEDED.includes(j.status) && j.end !== undefined)
      .sort((a, b) => b.end! - a.end! || a.name.localeCompare(b.name));
    const best = ok[0];
    if (!best) {
      problems.push(
        backups.length
          ? `no successful backup job (${backups.map(label).join(', ')})`
          : `no backup job of backup instance ${instance}`,
      );
    } else {
      const age = (nowMs - best.end!) / DAY;
      row.backupJob = best.name;
      row.completed = iso(best.end!);
      row.ageDays = round(age);
      if (best.status !== 'Completed') notes.push(`${best.name} ${best.status}`);
      if (age > input.maxAgeDays)
        problems.push(`newest successful backup is ${round(age)} days old (limit ${input.maxAgeDays})`);
      const failedAfter = backups.filter((j) => FAILED.includes(j.status) && (j.start ?? j.end ?? 0) > best.end!);
      if (failedAfter.length) problems.push(`backup jobs after it failed: ${failedAfter.map(label).join(', ')}`);
    }
    const restores = mine.filter((j) => j.category === 'Restore');
    const r = restores
      .filter((j) => j.status === 'Completed' && j.end !== undefined)
      .sort((a, b) => b.end! - a.end!)[0];
    if (!r)
      problems.push(
        restores.length
          ? `no completed restore job (${restores.map(label).join(', ')})`
          : 'no restore job (test) of it',
      );
    else {
      const age = (nowMs - r.end!) / DAY;
      row.restoreJob = r.name;
      row.restoreCompleted = iso(r.end!);
      row.restoreAgeDays = round(age);
      if (age > input.maxRestoreAgeDays)
        problems.push(
          `last restore test is ${round(age)} days old (limit ${input.maxRestoreAgeDays}: restores are tested monthly)`,
        );
      const failedAfter = restores.filter((j) => FAILED.includes(j.status) && (j.start ?? j.end ?? 0) > r.end!);
      if (failedAfter.length) problems.push(`restore jobs after it failed: ${failedAfter.map(label).join(', ')}`);
    }
    if (input.instances) {
      const inst =
        input.instances.find((i) => i.name.toLowerCase() === instance.toLowerCase()) ??
        input.instances.find((i) => i.cluster === cluster);
      if (!inst) problems.push(`no backup instance ${instance} in the vault`);
      else {
        if (inst.protection !== 'ProtectionConfigured')
          problems.push(
            `backup instance ${inst.name}: protection ` +
              `${inst.protection ?? 'unknown'}${inst.protectionError ? ` (${inst.protectionError})` : ''}`,
          );
        const out = namespaces.filter((ns) => !backupInstanceCovers(inst, ns));
        if (out.length) problems.push(`backup instance ${inst.name} leaves out tenant namespaces: ${out.join(', ')}`);
      }
    }
    return row;
  });
}

export function renderAzureVerify(rows: readonly AzureVerifyRow[]): string {
  const L = [
    '| Cluster | Backup instance | Last successful backup job | Completed | Age (days) ' +
      '| Last restore test | Age (days) | Status |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const st = r.problems.length
      ? `FAIL: ${r.problems.join('; ')}`
      : r.notes.length
        ? `ok (${r.notes.join('; ')})`
        : 'ok';
    const cells = [
      r.cluster,
      r.instance,
      r.backupJob ?? '-',
      r.completed ?? '-',
      r.ageDays?.toString() ?? '-',
      r.restoreJob ?? '-',
      r.restoreAgeDays?.toString() ?? '-',
      st,
    ];
    L.push(`| ${cells.join(' | ')} |`);
  }
  return `${L.join('\n')}\n`;
}
