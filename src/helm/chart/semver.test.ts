/**
 * Masterminds semver constraints judged by the upstream project's own test tables
 * (github.com/Masterminds/semver/v3 v3.5.0 constraints_test.go: TestConstraintCheck and
 * TestConstraintsCheck), read from the Go module cache (`go mod download`), never copied here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConstraints, parseSemver, satisfies } from './semver.js';

const MODULE = 'github.com/Masterminds/semver/v3@v3.5.0';

function upstreamTables(): { rows: [string, string, boolean][]; reason?: string } {
  let dir: string;
  try {
    const go = ['/usr/local/go/bin/go', 'go'].find((g) => {
      try {
        execFileSync(g, ['version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!go) return { rows: [], reason: 'Go is not installed (needed to read the upstream test tables)' };
    dir = (
      JSON.parse(execFileSync(go, ['mod', 'download', '-json', MODULE], { encoding: 'utf8', cwd: '/' })) as {
        Dir: string;
      }
    ).Dir;
  } catch (e) {
    return { rows: [], reason: `go mod download ${MODULE} failed: ${(e as Error).message}` };
  }
  const src = readFileSync(join(dir, 'constraints_test.go'), 'utf8');
  const section = (from: string, to: string): string => src.slice(src.indexOf(from), src.indexOf(to));
  const text =
    section('func TestConstraintCheck(', 'func TestNewConstraint(') +
    section('func TestConstraintsCheck(', 'func TestConstraintsCheckIncludePrerelease(');
  const rows: [string, string, boolean][] = [];
  for (const m of text.matchAll(/\{"((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)", (true|false)\},/g))
    rows.push([m[1]!, m[2]!, m[3] === 'true']);
  return { rows };
}

const tables = upstreamTables();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

test('constraints agree with Masterminds semver v3.5.0 test tables', {
  skip: !inCi && tables.reason ? tables.reason : false,
}, () => {
  assert.ok(
    tables.rows.length > 200,
    `only ${tables.rows.length} rows read: ${tables.reason ?? 'the table format changed'}`,
  );
  const wrong: string[] = [];
  for (const [constraint, version, want] of tables.rows) {
    // TestConstraintCheck calls parseConstraint alone, which accepts ""; NewConstraint (what Helm
    // calls, and what parseConstraints mirrors) refuses it ("improper constraint", checked with Go).
    if (constraint === '') {
      if (parseConstraints(constraint) !== undefined) wrong.push('"" must not parse as a constraint set');
      continue;
    }
    const c = parseConstraints(constraint);
    const v = parseSemver(version);
    if (!c || !v) {
      wrong.push(`${constraint} / ${version}: did not parse`);
      continue;
    }
    if (satisfies(v, c) !== want) wrong.push(`${constraint} / ${version}: want ${want}`);
  }
  assert.deepEqual(wrong, [], `${wrong.length}/${tables.rows.length} rows differ`);
});
