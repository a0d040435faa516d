/**
 * `aksfleet policy test` against the real `kyverno test` (Kyverno CLI 1.19.1, oracle kyverno-1.19)
 * over the whole ValidatingPolicy suite, ../shared/policies/kyverno-vpol: for every test file and
 * every expectation (policy, kind, resource), the CLI's verdict (Pass: it got what the test
 * expects; Fail: it did not, or the policy is not found) must be ours. This judges the policies
 * that use Kyverno's CEL libraries (resource, image data, time, parseServiceAccount) fed from the
 * tests' context files, which the Kubernetes Validator (vap-oracle.test.ts) cannot.
 * Prints `N/M agree` and the CLI's own summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadOracle } from '../../cel/testing/oracle.js';
import { findTestFiles, runTestFile } from '../kyverno-test.js';

const root = path.join(process.env.AKSFLEET_ROOT ?? process.cwd(), '..', 'shared', 'policies', 'kyverno-vpol');
const kyverno = await loadOracle('kyverno-1.19');

interface Row {
  readonly POLICY: string;
  readonly RESOURCE: string;
  readonly RESULT: string;
  readonly REASON: string;
}

/**
 * `policy kind/name` -> Pass|Fail. No namespace: the CLI prints the resource's own (none for
 * cluster-scoped kinds), the expectations of a test often name none.
 */
type Verdicts = Map<string, string>;

function put(v: Verdicts, key: string, result: string): void {
  // One expectation may give several rows (one per rule): any Fail is the verdict.
  if (v.get(key) !== 'Fail') v.set(key, result);
}

/** The CLI's rows per test file (relative to the suite), from `kyverno test DIR -o json`. */
function theirs(): { byFile: Map<string, Verdicts>; summary: string } {
  const r = spawnSync(kyverno.path, ['test', '.', '-o', 'json', '--remove-color'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout}`;
  const byFile = new Map<string, Verdicts>();
  // Each test file: `Loading test  ( DIR/kyverno-test.yaml ) ...`, progress lines, then a JSON array of rows.
  const sections = out.split(/^Loading test\s+\(\s*/m).slice(1);
  for (const s of sections) {
    const file = s.slice(0, s.indexOf(' )')).trim();
    const start = s.search(/^\[/m);
    const end = s.search(/^\]/m);
    assert.ok(start >= 0 && end > start, `no result rows for ${file}: ${s.slice(0, 500)}`);
    const rows = JSON.parse(s.slice(start, end + 1)) as Row[];
    const v: Verdicts = new Map();
    for (const row of rows) {
      const parts = row.RESOURCE.split('/');
      const [name, kind] = [parts[parts.length - 1], parts[parts.length - 3]];
      put(v, `${row.POLICY} ${kind}/${name}`, row.RESULT);
    }
    byFile.set(path.normalize(file), v);
  }
  const summary =
    out.match(/Test Summary: .*/g)?.pop() ?? `(no summary; exit ${r.status}) ${`${r.stderr}`.slice(0, 500)}`;
  return { byFile, summary };
}

function ours(file: string): Verdicts {
  const outcome = runTestFile(file, root);
  const v: Verdicts = new Map();
  for (const row of outcome.rows) put(v, `${row.policy} ${row.kind}/${row.resource}`, row.ok ? 'Pass' : 'Fail');
  return v;
}

test('policy test agrees with kyverno test 1.19 on every kyverno-vpol expectation', {
  skip: kyverno.skip || (existsSync(root) ? false : `${root} not found`),
}, () => {
  const { byFile, summary } = theirs();
  const files = findTestFiles(root);
  assert.ok(files.length > 50, `only ${files.length} test files`);
  const differ: string[] = [];
  let total = 0;
  for (const f of files) {
    const rel = path.normalize(path.relative(root, f));
    const mine = ours(f);
    const cli = byFile.get(rel);
    if (!cli) {
      differ.push(`${rel}: kyverno test printed no rows`);
      continue;
    }
    for (const key of new Set([...mine.keys(), ...cli.keys()])) {
      total++;
      if (mine.get(key) !== cli.get(key))
        differ.push(`${rel} ${key}: ours ${mine.get(key) ?? 'no row'}, kyverno ${cli.get(key) ?? 'no row'}`);
    }
  }
  console.log(`kyverno-vpol vs kyverno test 1.19: ${total - differ.length}/${total} agree; the CLI's ${summary}`);
  assert.deepEqual(differ, []);
});
