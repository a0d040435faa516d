/**
 * Conformance against the Kyverno policy corpus (../shared/policies): every case folder goes
 * through the in-process CLI (`aksfleet policy apply --format json`) with the inputs its
 * kyverno-test.yaml names (policies, resources, variables, userinfo; never its expected results), and each
 * row of kyverno-cases.tsv is compared with our result for that policy, rule (or its autogen
 * variants), kind and resource. Tests only.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main.js';
import type { Io } from '../../cli/command.js';
import { readTestDoc, testInputs } from '../kyverno-test.js';

export interface CaseRow {
  readonly group: string;
  readonly dir: string;
  readonly policy: string;
  readonly rule: string;
  readonly kind: string;
  readonly resource: string;
  readonly expected: string;
  readonly tier: string;
  readonly needs: string;
}

export interface CaseOutcome extends CaseRow {
  /** Our result, `none` when we gave no result for the rule and resource. */
  readonly actual: string;
  readonly agree: boolean;
  readonly message?: string;
}

/** The rows of kyverno-cases.tsv. */
export function readCases(tsv: string): CaseRow[] {
  const [head, ...lines] = readFileSync(tsv, 'utf8').trimEnd().split('\n');
  const cols = head!.split('\t');
  return lines.map((l) => {
    const f = l.split('\t');
    const get = (c: string): string => f[cols.indexOf(c)] ?? '';
    return {
      group: get('group'),
      dir: get('dir'),
      policy: get('policy'),
      rule: get('rule'),
      kind: get('kind'),
      resource: get('resource'),
      expected: get('expected'),
      tier: get('tier'),
      needs: get('needs'),
    };
  });
}

interface JsonResult {
  policy: string;
  rule: string;
  resource: { kind: string; name: string; namespace?: string };
  result: string;
  message?: string;
}

/** Runs one case folder through the CLI; returns its JSON results, exit code and stderr. */
export async function runCaseFolder(folder: string): Promise<{ results: JsonResult[]; code: number; stderr: string }> {
  const doc = readTestDoc(path.join(folder, 'kyverno-test.yaml'));
  const inputs = testInputs(doc, folder);
  const args = [
    'policy',
    'apply',
    ...inputs.policies,
    ...inputs.resources.flatMap((r) => ['--resource', r]),
    '--format',
    'json',
  ];
  if (inputs.variables) args.push('--values-file', inputs.variables);
  if (inputs.userinfo) args.push('--userinfo', inputs.userinfo);
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd: folder, env: {} };
  const code = await main(args, io);
  let results: JsonResult[] = [];
  try {
    results = (JSON.parse(out) as { results: JsonResult[] }).results;
  } catch {
    /* no JSON: counted as no results */
  }
  return { results, code, stderr: err };
}

/** Compares the rows of one folder with its results. */
export function compareRows(rows: readonly CaseRow[], results: readonly JsonResult[]): CaseOutcome[] {
  return rows.map((row) => {
    const [ns, name] = row.resource.includes('/') ? row.resource.split('/', 2) : [undefined, row.resource];
    const mine = results.filter(
      (r) =>
        r.policy === row.policy &&
        (row.rule === '' ||
          r.rule === row.rule ||
          r.rule === `autogen-${row.rule}` ||
          r.rule === `autogen-cronjob-${row.rule}`) &&
        r.resource.kind === row.kind &&
        r.resource.name === name &&
        (ns === undefined || (r.resource.namespace ?? '') === ns),
    );
    // No result (Kyverno's nil rule response, e.g. a foreach whose elements were all skipped) agrees
    // with an expected skip only; `kyverno test` would accept it for any expectation.
    if (mine.length === 0) return { ...row, actual: 'none', agree: row.expected === 'skip' };
    const differing = mine.find((r) => r.result !== row.expected);
    const pick = differing ?? mine[0]!;
    return { ...row, actual: pick.result, agree: !differing, message: pick.message };
  });
}

/** Runs every folder of a group and compares all its rows. */
export async function runConformance(policiesDir: string, group: string): Promise<CaseOutcome[]> {
  const rows = readCases(path.join(policiesDir, 'kyverno-cases.tsv')).filter((r) => r.group === group);
  const byDir = new Map<string, CaseRow[]>();
  for (const r of rows) byDir.set(r.dir, [...(byDir.get(r.dir) ?? []), r]);
  const out: CaseOutcome[] = [];
  for (const [dir, dirRows] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    const { results } = await runCaseFolder(path.join(policiesDir, group, dir));
    out.push(...compareRows(dirRows, results));
  }
  return out;
}

/** `N/M agree` overall and per tier. */
export function summarize(outcomes: readonly CaseOutcome[]): string[] {
  const tiers = new Map<string, [number, number]>();
  for (const o of outcomes) {
    const t = tiers.get(o.tier) ?? [0, 0];
    t[0] += o.agree ? 1 : 0;
    t[1]++;
    tiers.set(o.tier, t);
  }
  const agree = outcomes.filter((o) => o.agree).length;
  return [
    `${agree}/${outcomes.length} agree`,
    ...[...tiers].sort(([a], [b]) => a.localeCompare(b)).map(([t, [a, n]]) => `  ${t}: ${a}/${n}`),
  ];
}
