/**
 * Backup verification: from Velero Backup objects (`kubectl get backups.velero.io -A -o json`),
 * per namespace the newest successful backup (status.phase Completed) and its age; optionally
 * from Restore objects the newest completed restore (test) of the namespace. Pure.
 */
import { isPlainObject, type KObject } from '../../resources/resource.js';
import { specCovers } from './plan.js';

export interface VerifyRow {
  readonly namespace: string;
  readonly backup?: string;
  readonly completed?: string;
  readonly ageDays?: number;
  readonly schedule?: string;
  readonly restore?: string;
  readonly restoreCompleted?: string;
  readonly restoreAgeDays?: number;
  readonly problems: readonly string[];
}

export interface VerifyInput {
  readonly backups: readonly KObject[];
  readonly restores?: readonly KObject[];
  /** Namespaces that must be protected; when empty, those named in backups' includedNamespaces. */
  readonly expected: readonly string[];
  readonly now: Date;
  readonly maxAgeDays: number;
  readonly maxRestoreAgeDays: number;
}

const DAY = 86_400_000;

function status(o: KObject): Record<string, unknown> {
  return isPlainObject(o.status) ? (o.status as Record<string, unknown>) : {};
}

function time(o: KObject): number | undefined {
  const t = status(o).completionTimestamp;
  if (typeof t !== 'string') return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Namespaces a restore wrote into: its namespace mapping applied to what it covered. */
function restoredInto(r: KObject, ns: string): boolean {
  // A restore (test) counts for ns when it restored ns, mapped or not.
  return specCovers(r.spec, ns);
}

function round(d: number): number {
  return Math.round(d * 10) / 10;
}

export function verifyBackups(input: VerifyInput): VerifyRow[] {
  const backups = input.backups.filter((o) => o.kind === 'Backup');
  let expected = [...new Set(input.expected)];
  if (expected.length === 0) {
    const named = new Set<string>();
    for (const b of backups) {
      const inc = (b.spec as { includedNamespaces?: unknown } | undefined)?.includedNamespaces;
      if (Array.isArray(inc)) for (const x of inc) if (typeof x === 'string' && !/[*?[]/.test(x)) named.add(x);
    }
    expected = [...named];
  }
  expected.sort();
  const nowMs = input.now.getTime();
  return expected.map((ns) => {
    const problems: string[] = [];
    const covering = backups.filter((b) => specCovers(b.spec, ns));
    const ok = covering
      .filter((b) => status(b).phase === 'Completed' && time(b) !== undefined)
      .sort((a, b) => time(b)! - time(a)! || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
    const best = ok[0];
    const row: { -readonly [K in keyof VerifyRow]: VerifyRow[K] } = { namespace: ns, problems };
    if (!best) {
      const other = covering.map((b) => `${b.metadata?.name}: ${String(status(b).phase ?? 'no phase')}`);
      problems.push(other.length ? `no completed backup (${other.join(', ')})` : 'no backup covers it');
    } else {
      const age = (nowMs - time(best)!) / DAY;
      row.backup = String(best.metadata?.name);
      row.completed = String(status(best).completionTimestamp);
      row.ageDays = round(age);
      const sched = best.metadata?.labels?.['velero.io/schedule-name'];
      if (sched) row.schedule = sched;
      if (age > input.maxAgeDays)
        problems.push(`newest completed backup is ${round(age)} days old (limit ${input.maxAgeDays})`);
      const newer = covering.filter(
        (b) =>
          b !== best &&
          (Date.parse(String(status(b).startTimestamp ?? '')) > time(best)! || time(b)! > time(best)!) &&
          status(b).phase !== 'Completed',
      );
      if (newer.length)
        problems.push(
          `backups after it did not complete: ${newer
            .map((b) => `${b.metadata?.name} (${String(status(b).phase ?? 'no phase')})`)
            .join(', ')}`,
        );
    }
    if (input.restores) {
      const rs = input.restores
        .filter(
          (r) =>
            r.kind === 'Restore' && status(r).phase === 'Completed' && time(r) !== undefined && restoredInto(r, ns),
        )
        .sort((a, b) => time(b)! - time(a)!);
      const r = rs[0];
      if (!r) problems.push('no completed restore (test) of it');
      else {
        const age = (nowMs - time(r)!) / DAY;
        row.restore = String(r.metadata?.name);
        row.restoreCompleted = String(status(r).completionTimestamp);
        row.restoreAgeDays = round(age);
        if (age > input.maxRestoreAgeDays)
          problems.push(
            `last restore test is ${round(age)} days old (limit ${input.maxRestoreAgeDays}: ` +
              `restores are tested monthly)`,
          );
      }
    }
    return row;
  });
}

export function renderVerify(rows: readonly VerifyRow[], withRestores: boolean): string {
  const L = [
    withRestores
      ? '| Namespace | Last completed backup | Completed | Age (days) | Last restore test | Age (days) | Status |'
      : '| Namespace | Last completed backup | Completed | Age (days) | Status |',
    withRestores ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const st = r.problems.length ? `FAIL: ${r.problems.join('; ')}` : 'ok';
    const base = [r.namespace, r.backup ?? '-', r.completed ?? '-', r.ageDays?.toString() ?? '-'];
    if (withRestores) base.push(r.restore ?? '-', r.restoreAgeDays?.toString() ?? '-');
    L.push(`| ${[...base, st].join(' | ')} |`);
  }
  return `${L.join('\n')}\n`;
}
