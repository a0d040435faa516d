/**
 * OPA's own topdown conformance cases (../shared/policies/opa: upstream v1/test/cases/testdata,
 * expected results written by OPA's maintainers and checked by OPA's Go tests), as a list of runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface OpaCase {
  readonly file: string;
  readonly note: string;
  readonly modules: readonly string[];
  readonly v0: boolean;
  readonly data?: Record<string, unknown>;
  readonly input?: unknown;
  /** The query's reference (`data.test.p` of `data.test.p = x`). */
  readonly ref: string;
  /** The expected value of x, or undefined when the query has no result. */
  readonly want: unknown;
  readonly expectsError: boolean;
}

export function loadOpaCases(dir: string): OpaCase[] {
  const rows = readFileSync(join(dir, 'cases.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const out: OpaCase[] = [];
  for (const [file, , note, query, expectsError] of rows) {
    const doc = parse(readFileSync(join(dir, file!), 'utf8')) as { cases: Record<string, unknown>[] };
    const c = doc.cases.find((x) => x.note === note);
    if (!c) throw new Error(`${file}: no case ${note}`);
    const m = /^(\S+) = x$/.exec(query!);
    if (!m) throw new Error(`${file}: ${note}: query ${query} is not REF = x`);
    const want = c.want_result as Record<string, unknown>[] | undefined;
    out.push({
      file: file!,
      note: note!,
      modules: c.modules as string[],
      v0: file!.startsWith('v0/'),
      ...(c.data ? { data: c.data as Record<string, unknown> } : {}),
      ...('input' in c ? { input: c.input } : {}),
      ref: m[1]!,
      want: want && want.length > 0 ? want[0]!.x : undefined,
      expectsError: expectsError === 'yes',
    });
  }
  return out;
}
