/**
 * `aksfleet backup verify`: per namespace the newest completed Velero backup and its age, and
 * with --restores the newest completed restore test. Exit 0 all fresh; 1 a namespace has no
 * completed backup, or it is too old (or, with --restores, its restore test is older than a
 * month); 2 bad input.
 *
 * Default --max-age: one schedule period plus a day, from the fleet's Velero schedule when a
 * fleet file is found (daily `0 2 * * *` -> 2 days); without a fleet, 31 days (the reference
 * architecture's "backups verified monthly"). Restore tests: --max-restore-age, default 31 days.
 *
 * With backup.engine azureBackup (or, without a fleet, when --backups holds az jobs) the unit is
 * the cluster's backup instance: --backups is `az dataprotection job list -o json` (backup and
 * restore jobs; the restore test is always checked, the record holding both), --instances
 * `az dataprotection backup-instance list -o json` (protection status, namespaces covered), --live
 * runs both against the fleet's vault. Default --max-age: the policy's period plus one more
 * period, at most a day more (daily -> 2 days, every 6 hours -> 0.5).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { appNamespace } from '../../model/fleet-model.js';
import { tenantPlacedOn } from '../../spec/placement.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import type { Fleet } from '../../spec/schema.js';
import { loadFleet } from '../../spec/load.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { readInputFile } from '../../day2/io.js';
import { renderVerify, verifyBackups } from '../../day2/backup/index.js';
import {
  readAzureBackupInstance,
  readAzureBackupJob,
  renderAzureVerify,
  verifyAzureBackups,
  type AzureBackupInstanceState,
  type AzureBackupJob,
} from '../../day2/backup/verify-azure.js';
import { sharedResourceGroup } from '../../generators/infra/plan.js';
import { azureBackupOn, azureBackupPeriodHours, backupVaultName } from '../../spec/backup.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const usage =
  'aksfleet backup verify [--backups FILE | --live] [--max-age DAYS] [--restores FILE] [--instances FILE] ' +
  '[--max-restore-age DAYS] [-f fleet.yaml] [--cluster NAME] [--now ISO-TIME] [--format markdown|json]';

/** `kubectl get ... -o json` output: a List with items (or a single object). */
export function parseObjectList(text: string, file: string, kind: string): KObject[] {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1)
    throw new InputError(`expected one JSON document (kubectl get ${kind} -A -o json)`, { pos: { file, line: 1 } });
  const doc = docs[0]!;
  const v = doc.value;
  const items = isPlainObject(v) && Array.isArray(v.items) ? (v.items as unknown[]) : Array.isArray(v) ? v : [v];
  const base = isPlainObject(v) && Array.isArray(v.items) ? ['items'] : Array.isArray(v) ? [] : null;
  return items.map((it, i) => {
    const path = base === null ? [] : [...base, i];
    if (!isPlainObject(it) || typeof it.kind !== 'string' || !isPlainObject(it.metadata)) {
      throw new InputError(`expected a Velero object with kind and metadata`, {
        pos: { file, ...doc.posOf(path) },
        fieldPath:
          path
            .map((p) => (typeof p === 'number' ? `[${p}]` : p))
            .join('.')
            .replace('.[', '[') || '(document)',
      });
    }
    return it as KObject;
  });
}

/**
 * `az ... list -o json` output: an array (or the REST shape `{ value: [...] }`), each element read by `read` or refused
 * at its position.
 */
export function parseAzList<T>(text: string, file: string, what: string, read: (v: unknown) => T | string): T[] {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1)
    throw new InputError(`expected one JSON document (${what} -o json)`, { pos: { file, line: 1 } });
  const doc = docs[0]!;
  const v = doc.value;
  const rest = isPlainObject(v) && Array.isArray(v.value);
  const items = rest ? (v as { value: unknown[] }).value : Array.isArray(v) ? v : undefined;
  if (!items)
    throw new InputError(`expected the JSON array that '${what} -o json' prints`, { pos: { file, ...doc.posOf([]) } });
  return items.map((it, i) => {
    const r = read(it);
    if (typeof r !== 'string') return r;
    const path = rest ? ['value', i] : [i];
    throw new InputError(r, { pos: { file, ...doc.posOf(path) }, fieldPath: rest ? `value[${i}]` : `[${i}]` });
  });
}

/** Does the text hold az dataprotection jobs (not Velero objects)? For a run without a fleet file. */
function looksLikeAzJobs(text: string, file: string): boolean {
  const docs = parseYamlDocuments(text, file);
  const v = docs.length === 1 ? docs[0]!.value : undefined;
  const items = isPlainObject(v) && Array.isArray(v.value) ? v.value : Array.isArray(v) ? v : [];
  const first = items[0];
  return isPlainObject(first) && isPlainObject(first.properties) && 'operationCategory' in first.properties;
}

function azJson(args: string[], env: Readonly<Record<string, string | undefined>>): string {
  const shown = `az ${args.join(' ')}`;
  const r = spawnSync('az', args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...env } as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
  if (r.error) throw new InputError(`--live runs '${shown}': ${r.error.message}`);
  if (r.status !== 0) throw new InputError(`${shown} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Default --max-age with Azure Backup: one period of the policy plus one more, at most a day more. */
export function azureMaxAgeDays(cron: string): number {
  const hours = azureBackupPeriodHours(cron) ?? 24;
  return (hours + Math.min(hours, 24)) / 24;
}

function kubectlJson(resource: string, env: Readonly<Record<string, string | undefined>>): string {
  const r = spawnSync('kubectl', ['get', resource, '-A', '-o', 'json', '--request-timeout=30s'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...env } as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
  if (r.error) throw new InputError(`--live runs 'kubectl get ${resource} -A -o json': ${r.error.message}`);
  if (r.status !== 0) throw new InputError(`kubectl get ${resource} -A -o json failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Days between runs of a 5-field cron schedule, roughly: daily, weekly or monthly. */
export function schedulePeriodDays(cron: string): number {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return 31;
  if (f[2] !== '*') return 31;
  if (f[4] !== '*') return 7;
  return 1;
}

function days(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive number of days, got ${JSON.stringify(v)}`);
  return n;
}

function expectedNamespaces(fleet: Fleet, cluster: string | undefined, all = false): string[] {
  const c = cluster === undefined ? undefined : fleet.spec.clusters.find((x) => x.name === cluster);
  if (cluster !== undefined && !c)
    throw new InputError(
      `--cluster: no cluster '${cluster}' in the fleet (clusters: ` +
        `${fleet.spec.clusters.map((x) => x.name).join(', ')})`,
    );
  const out = new Set<string>();
  for (const t of fleet.spec.tenants) {
    // Velero: the tenants with backup: true have a Schedule; Azure Backup: the instance covers every tenant namespace.
    if ((!all && !t.backup) || (c && !tenantPlacedOn(t, c))) continue;
    for (const ns of t.namespaces) out.add(ns);
    for (const a of t.apps) out.add(appNamespace(t, a));
  }
  return [...out].sort();
}

const command: Command = {
  usage,
  options: {
    backups: { type: 'string' },
    live: { type: 'boolean' },
    'max-age': { type: 'string' },
    restores: { type: 'string' },
    'max-restore-age': { type: 'string' },
    instances: { type: 'string' },
    file: { type: 'string', short: 'f' },
    cluster: { type: 'string' },
    now: { type: 'string' },
    format: { type: 'string' },
  },
  async run({ io, args, flags }) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'\nUsage: ${usage}`);
    if ((flags.backups === undefined) === !flags.live)
      throw new UsageError(`give --backups FILE or --live\nUsage: ${usage}`);
    const format = choice('backup verify', 'format', flags.format, 'markdown');
    const now = flags.now === undefined ? new Date() : new Date(String(flags.now));
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now must be an ISO time like 2026-11-25T00:00:00Z, got ${JSON.stringify(flags.now)}`);
    const fleetPath = flags.file !== undefined ? resolve(io.cwd, String(flags.file)) : resolve(io.cwd, 'fleet.yaml');
    const fleet = flags.file !== undefined || existsSync(fleetPath) ? loadFleet(fleetPath) : undefined;
    if (flags.cluster !== undefined && !fleet) throw new UsageError('--cluster needs a fleet file (-f fleet.yaml)');
    const backupsText =
      flags.backups !== undefined ? readInputFile(io.cwd, String(flags.backups), 'backups file') : undefined;
    const azure = fleet
      ? azureBackupOn(fleet)
      : backupsText !== undefined && looksLikeAzJobs(backupsText, String(flags.backups));
    if (azure) return verifyAzure();
    if (flags.instances !== undefined)
      throw new UsageError(
        `--instances (az dataprotection backup-instance list) applies to backup.engine azureBackup; this ` +
          `fleet uses Velero\nUsage: ${usage}`,
      );
    const backups = flags.live
      ? parseObjectList(kubectlJson('backups.velero.io', io.env), 'kubectl get backups.velero.io', 'backups.velero.io')
      : parseObjectList(backupsText!, String(flags.backups), 'backups.velero.io');
    const restores =
      flags.restores !== undefined
        ? parseObjectList(
            readInputFile(io.cwd, String(flags.restores), 'restores file'),
            String(flags.restores),
            'restores.velero.io',
          )
        : flags.live
          ? parseObjectList(
              kubectlJson('restores.velero.io', io.env),
              'kubectl get restores.velero.io',
              'restores.velero.io',
            )
          : undefined;
    const maxAge =
      days(flags['max-age'], '--max-age') ?? (fleet ? schedulePeriodDays(fleet.spec.addons.velero.schedule) + 1 : 31);
    const maxRestoreAge = days(flags['max-restore-age'], '--max-restore-age') ?? 31;
    const expected = fleet ? expectedNamespaces(fleet, flags.cluster as string | undefined) : [];
    if (!fleet) io.err('note: no fleet file: checking the namespaces the backups name\n');
    const rows = verifyBackups({
      backups,
      ...(restores ? { restores } : {}),
      expected,
      now,
      maxAgeDays: maxAge,
      maxRestoreAgeDays: maxRestoreAge,
    });
    if (format === 'json')
      io.out(
        `${JSON.stringify({ now: now.toISOString(), maxAgeDays: maxAge, maxRestoreAgeDays: maxRestoreAge, namespaces: rows }, null, 2)}\n`,
      );
    else
      io.out(
        `# Backup verification (${now.toISOString()}, backups at most ${maxAge} days ` +
          `old${restores ? `, restore tests at most ${maxRestoreAge}` : ''})\n\n` +
          `${renderVerify(rows, restores !== undefined)}`,
      );
    const bad = rows.filter((r) => r.problems.length > 0);
    if (rows.length === 0) io.err('no namespace to verify\n');
    if (bad.length)
      io.err(
        `${bad.length} namespace${bad.length === 1 ? '' : 's'} failed: ${bad.map((r) => r.namespace).join(', ')}\n`,
      );
    return bad.length ? 1 : 0;

    function verifyAzure(): number {
      const vault = fleet ? backupVaultName(fleet) : '<vault>';
      const rg = fleet ? sharedResourceGroup(fleet) : '<resource group>';
      const jobsCmd = ['dataprotection', 'job', 'list', '-g', rg, '--vault-name', vault, '-o', 'json'];
      const instCmd = ['dataprotection', 'backup-instance', 'list', '-g', rg, '--vault-name', vault, '-o', 'json'];
      if (flags.live && !fleet)
        throw new UsageError('--live with Azure Backup needs the fleet file (-f fleet.yaml): it names the vault');
      const jobs: AzureBackupJob[] = flags.live
        ? parseAzList(
            azJson(jobsCmd, io.env),
            `az ${jobsCmd.join(' ')}`,
            'az dataprotection job list',
            readAzureBackupJob,
          )
        : parseAzList(backupsText!, String(flags.backups), 'az dataprotection job list', readAzureBackupJob);
      if (flags.restores !== undefined)
        jobs.push(
          ...parseAzList(
            readInputFile(io.cwd, String(flags.restores), 'restores file'),
            String(flags.restores),
            'az dataprotection job list',
            readAzureBackupJob,
          ),
        );
      const instances: AzureBackupInstanceState[] | undefined =
        flags.instances !== undefined
          ? parseAzList(
              readInputFile(io.cwd, String(flags.instances), 'instances file'),
              String(flags.instances),
              'az dataprotection backup-instance list',
              readAzureBackupInstance,
            )
          : flags.live
            ? parseAzList(
                azJson(instCmd, io.env),
                `az ${instCmd.join(' ')}`,
                'az dataprotection backup-instance list',
                readAzureBackupInstance,
              )
            : undefined;
      const maxAge = days(flags['max-age'], '--max-age') ?? (fleet ? azureMaxAgeDays(fleet.spec.backup.schedule) : 31);
      const maxRestoreAge = days(flags['max-restore-age'], '--max-restore-age') ?? 31;
      const cluster = flags.cluster as string | undefined;
      // an unknown --cluster is refused, as with Velero
      if (fleet && cluster !== undefined) expectedNamespaces(fleet, cluster, true);
      const expected = fleet
        ? fleet.spec.clusters
            .filter((c) => cluster === undefined || c.name === cluster)
            .map((c) => ({ cluster: c.name, namespaces: expectedNamespaces(fleet, c.name, true) }))
        : [];
      if (!fleet) io.err('note: no fleet file: checking the backup instances the jobs name\n');
      const rows = verifyAzureBackups({
        jobs,
        ...(instances ? { instances } : {}),
        expected,
        now,
        maxAgeDays: maxAge,
        maxRestoreAgeDays: maxRestoreAge,
      });
      if (format === 'json')
        io.out(
          `${JSON.stringify({ now: now.toISOString(), engine: 'azureBackup', vault, maxAgeDays: maxAge, maxRestoreAgeDays: maxRestoreAge, clusters: rows }, null, 2)}\n`,
        );
      else
        io.out(
          `# Backup verification, Azure Backup for AKS, vault ${vault} (${now.toISOString()}, backups at ` +
            `most ${maxAge} days old, restore tests at most ${maxRestoreAge})\n\n${renderAzureVerify(rows)}`,
        );
      if (!instances)
        io.err(`note: backup instances not checked (give --instances with the output of 'az ${instCmd.join(' ')}')\n`);
      const failed = rows.filter((r) => r.problems.length > 0);
      if (rows.length === 0) io.err('no cluster to verify\n');
      if (failed.length)
        io.err(
          `${failed.length} cluster${failed.length === 1 ? '' : 's'} failed: ` +
            `${failed.map((r) => r.cluster).join(', ')}\n`,
        );
      return failed.length ? 1 : 0;
    }
  },
};
export default command;
