/**
 * Conformance against the Gatekeeper library (../shared/policies/gatekeeper, README there): every
 * row of gatekeeper-cases.tsv runs through the in-process CLI, `aksfleet policy apply TEMPLATE
 * CONSTRAINT --resource OBJECT [--resource INVENTORY...] --format json` (the inventory paths come
 * from the case in suite.yaml; nothing reads the expected results but this comparison), and the
 * violations of the reviewed object (results `fail`/`warn` of the constraint whose message
 * contains the row's substring) are counted against the row's expectation. Exceptions are listed
 * with their reason; an exception that starts to agree fails the test, so the list stays honest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { readDocs } from '../apply.js';

const LIB = path.join(PACKAGE_ROOT, '..', 'shared', 'policies');
const TSV = path.join(LIB, 'gatekeeper-cases.tsv');

interface Row {
  readonly dir: string;
  readonly kind: string;
  readonly template: string;
  readonly constraint: string;
  readonly object: string;
  readonly case: string;
  readonly expected: string;
  readonly substring: string;
}

/** Rows that disagree today, by `dir case expected substring`, with why (none since rego b59e3c2). */
const EXCEPTIONS: Record<string, string> = {};

function rows(): Row[] {
  const [head, ...lines] = readFileSync(TSV, 'utf8').trimEnd().split('\n');
  const cols = head!.split('\t');
  return lines.map((l) => {
    const f = l.split('\t');
    const get = (c: string): string => f[cols.indexOf(c)] ?? '';
    return {
      dir: get('dir'),
      kind: get('kind'),
      template: get('template'),
      constraint: get('constraint'),
      object: get('object'),
      case: get('case'),
      expected: get('expected'),
      substring: get('message_substring'),
    };
  });
}

/** The inventory files of the suite case (an input of the case, like its object). */
function inventoryOf(dir: string, row: Row): string[] {
  const suite = readDocs(path.join(dir, 'suite.yaml'))[0]?.object ?? {};
  for (const t of (suite.tests as Record<string, unknown>[] | undefined) ?? []) {
    if (t.constraint !== row.constraint) continue;
    for (const c of (t.cases as Record<string, unknown>[] | undefined) ?? []) {
      if (c.name === row.case && c.object === row.object)
        return ((c.inventory as string[] | undefined) ?? []).map((p) => path.join(dir, p));
    }
  }
  return [];
}

interface JsonResult {
  policy: string;
  resource: { kind: string; name: string; namespace?: string };
  result: string;
  message?: string;
}

/** The identity of the reviewed object (an AdmissionReview reviews its request's object). */
function subjectOf(file: string): { kind: string; name: string; namespace?: string } {
  let o = readDocs(file)[0]!.object;
  if (o.kind === 'AdmissionReview') {
    const req = o.request as Record<string, unknown>;
    o = (req.object ?? req.oldObject) as Record<string, unknown>;
  }
  const md = (o.metadata ?? {}) as Record<string, unknown>;
  return {
    kind: String(o.kind),
    name: String(md.name ?? ''),
    ...(typeof md.namespace === 'string' && md.namespace ? { namespace: md.namespace } : {}),
  };
}

function agrees(expected: string, count: number): boolean {
  if (expected === 'allow') return count === 0;
  const n = /^violations=(\d+)$/.exec(expected);
  if (n) return count === Number(n[1]);
  return count > 0; // violation, violations=None
}

test('gatekeeper library: every assertion of gatekeeper-cases.tsv agrees through policy apply', {
  skip: !existsSync(TSV) && 'no ../shared/policies',
}, async () => {
  const all = rows();
  assert.ok(all.length > 100, `expected the library's ~155 assertions, got ${all.length}`);
  const disagree: string[] = [];
  const fixed: string[] = [];
  let agreed = 0;
  for (const row of all) {
    const dir = path.join(LIB, 'gatekeeper', row.dir);
    const objectFile = path.join(dir, row.object);
    const args = [
      'policy',
      'apply',
      path.join(dir, row.template),
      path.join(dir, row.constraint),
      '--resource',
      objectFile,
      ...inventoryOf(dir, row).flatMap((f) => ['--resource', f]),
      '--format',
      'json',
    ];
    const r = await runCli(args, { cwd: PACKAGE_ROOT });
    const key = `${row.dir} ${row.case} ${row.expected} ${row.substring}`;
    let ok: boolean;
    let detail: string;
    if (r.code === 2) {
      ok = false;
      detail = `exit 2: ${r.err.trim().split('\n')[0]}`;
    } else {
      const subject = subjectOf(objectFile);
      const mine = (JSON.parse(r.out).results as JsonResult[]).filter(
        (x) =>
          x.policy.startsWith(`${row.kind}/`) &&
          x.resource.kind === subject.kind &&
          x.resource.name === subject.name &&
          (x.resource.namespace ?? '') === (subject.namespace ?? ''),
      );
      const errors = mine.filter((x) => x.result === 'error');
      const count = mine.filter(
        (x) => (x.result === 'fail' || x.result === 'warn') && (x.message ?? '').includes(row.substring),
      ).length;
      ok = errors.length === 0 && agrees(row.expected, count);
      detail = errors.length
        ? `error: ${errors[0]!.message}`
        : `${count} matching violations: ${JSON.stringify(mine.map((x) => x.message ?? x.result))}`;
    }
    if (ok) agreed++;
    if (ok && EXCEPTIONS[key]) fixed.push(key);
    if (!ok && !EXCEPTIONS[key]) disagree.push(`${key}: ${detail}`);
  }
  assert.deepEqual(fixed, [], 'listed exceptions now agree: remove them from EXCEPTIONS');
  assert.deepEqual(disagree, [], `${agreed}/${all.length} agree`);
});
