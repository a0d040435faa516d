/**
 * `aksfleet backup verify`: per namespace the newest completed Velero backup and its age, and
 * with --restores the newest completed restore test. Exit 0 all fresh; 1 a namespace has no
 * completed backup, or it is too old (or, with --restores, its restore test is older than a
 * month); 2 bad input.
 *
 * Default --max-age: one schedule period plus a day, from the fleet's Velero schedule when a
 * fleet file is found (daily `0 2 * * *` -> 2 days); without a fleet, 31 days (the reference
 * architecture's "backups verified monthly"). Restore tests: --max-restore-age, default 31 days.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { appNamespace, tenantPlacedOn } from '../../model/fleet-model.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import type { Fleet } from '../../spec/schema.js';
import { loadFleet } from '../../spec/load.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { readInputFile } from '../../day2/io.js';
import { renderVerify, verifyBackups } from '../../day2/backup/index.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const usage =
  'aksfleet backup verify [--backups FILE | --live] [--max-age DAYS] [--restores FILE] [--max-restore-age DAYS] [-f fleet.yaml] [--cluster NAME] [--now ISO-TIME] [--format markdown|json]';

/** `kubectl get ... -o json` output: a List with items (or a single object). */
export function parseObjectList(text: string, file: string, kind: string): KObject[] {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1) throw new InputError(`expected one JSON document (kubectl get ${kind} -A -o json)`, { pos: { file, line: 1 } });
  const doc = docs[0]!;
  const v = doc.value;
  const items = isPlainObject(v) && Array.isArray(v.items) ? (v.items as unknown[]) : Array.isArray(v) ? v : [v];
  const base = isPlainObject(v) && Array.isArray(v.items) ? ['items'] : Array.isArray(v) ? [] : null;
  return items.map((it, i) => {
    const path = base === null ? [] : [...base, i];
    if (!isPlainObject(it) || typeof it.kind !== 'string' || !isPlainObject(it.metadata)) {
      throw new InputError(`expected a Velero object with kind and metadata`, { pos: { file, ...doc.posOf(path) }, fieldPath: path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace('.[', '[') || '(document)' });
    }
    return it as KObject;
  });
}

function kubectlJson(resource: string, env: Readonly<Record<string, string | undefined>>): string {
  const r = spawnSync('kubectl', ['get', resource, '-A', '-o', 'json', '--request-timeout=30s'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...env } as NodeJS.ProcessEnv, timeout: 60_000 });
  if (r.error) throw new InputError(`--live runs 'kubectl get ${resource} -A -o json': ${r.error.message}`);
  if (r.status !== 0) throw new InputError(`kubectl get ${resource} -A -o json failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Days between runs of a 5-field cron schedule, roughly: daily, weekly or monthly. */
export function schedulePeriodDays(cron: string): number {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return 31;
  if (f[2] !== '*' ) return 31;
  if (f[4] !== '*') return 7;
  return 1;
}

function days(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of days, got ${JSON.stringify(v)}`);
  return n;
}

function expectedNamespaces(fleet: Fleet, cluster: string | undefined): string[] {
  const c = cluster === undefined ? undefined : fleet.spec.clusters.find((x) => x.name === cluster);
  if (cluster !== undefined && !c) throw new InputError(`--cluster: no cluster '${cluster}' in the fleet (clusters: ${fleet.spec.clusters.map((x) => x.name).join(', ')})`);
  const out = new Set<string>();
  for (const t of fleet.spec.tenants) {
    if (!t.backup || (c && !tenantPlacedOn(t, c))) continue;
    for (const ns of t.namespaces) out.add(ns);
    for (const a of t.apps) out.add(appNamespace(t, a));
  }
  return [...out];
}

const command: Command = {
  usage,
  options: {
    backups: { type: 'string' },
    live: { type: 'boolean' },
    'max-age': { type: 'string' },
    restores: { type: 'string' },
    'max-restore-age': { type: 'string' },
    file: { type: 'string', short: 'f' },
    cluster: { type: 'string' },
    now: { type: 'string' },
    format: { type: 'string' },
  },
  async run({ io, args, flags }) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'\nUsage: ${usage}`);
    if ((flags.backups === undefined) === !flags.live) throw new UsageError(`give --backups FILE or --live\nUsage: ${usage}`);
    const format = choice('backup verify', 'format', flags.format, 'markdown');
    const now = flags.now === undefined ? new Date() : new Date(String(flags.now));
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO time like 2026-11-25T00:00:00Z, got ${JSON.stringify(flags.now)}`);
    const fleetPath = flags.file !== undefined ? resolve(io.cwd, String(flags.file)) : resolve(io.cwd, 'fleet.yaml');
    const fleet = flags.file !== undefined || existsSync(fleetPath) ? loadFleet(fleetPath) : undefined;
    if (flags.cluster !== undefined && !fleet) throw new UsageError('--cluster needs a fleet file (-f fleet.yaml)');
    const backups = flags.live ? parseObjectList(kubectlJson('backups.velero.io', io.env), 'kubectl get backups.velero.io', 'backups.velero.io') : parseObjectList(readInputFile(io.cwd, String(flags.backups), 'backups file'), String(flags.backups), 'backups.velero.io');
    const restores =
      flags.restores !== undefined
        ? parseObjectList(readInputFile(io.cwd, String(flags.restores), 'restores file'), String(flags.restores), 'restores.velero.io')
        : flags.live
          ? parseObjectList(kubectlJson('restores.velero.io', io.env), 'kubectl get restores.velero.io', 'restores.velero.io')
          : undefined;
    const maxAge = days(flags['max-age'], '--max-age') ?? (fleet ? schedulePeriodDays(fleet.spec.addons.velero.schedule) + 1 : 31);
    const maxRestoreAge = days(flags['max-restore-age'], '--max-restore-age') ?? 31;
    const expected = fleet ? expectedNamespaces(fleet, flags.cluster as string | undefined) : [];
    if (!fleet) io.err('note: no fleet file: checking the namespaces the backups name\n');
    const rows = verifyBackups({ backups, ...(restores ? { restores } : {}), expected, now, maxAgeDays: maxAge, maxRestoreAgeDays: maxRestoreAge });
    if (format === 'json') io.out(`${JSON.stringify({ now: now.toISOString(), maxAgeDays: maxAge, maxRestoreAgeDays: maxRestoreAge, namespaces: rows }, null, 2)}\n`);
    else io.out(`# Backup verification (${now.toISOString()}, backups at most ${maxAge} days old${restores ? `, restore tests at most ${maxRestoreAge}` : ''})\n\n${renderVerify(rows, restores !== undefined)}`);
    const bad = rows.filter((r) => r.problems.length > 0);
    if (rows.length === 0) io.err('no namespace to verify\n');
    if (bad.length) io.err(`${bad.length} namespace${bad.length === 1 ? '' : 's'} failed: ${bad.map((r) => r.namespace).join(', ')}\n`);
    return bad.length ? 1 : 0;
  },
};
export default command;
