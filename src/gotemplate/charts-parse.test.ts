// The parser on real charts: every template file of the shared chart corpus (../shared/charts) is
// parsed by this engine and by Go's text/template (the gotemplate oracle), with sprig's and Helm's
// function names defined; the parse trees (Go's Root.String()) or the parse errors must be equal.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

const root = process.env.AKSFLEET_ROOT ?? new URL('../..', import.meta.url).pathname;
const chartsDir = join(root, '..', 'shared', 'charts');
const funcs = readFileSync(new URL('./testdata/sprig-helm-func-names.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

function templateFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) templateFiles(p, out);
    else if (/\/templates\//.test(p) && /\.(ya?ml|tpl|txt)$/.test(name)) out.push(p);
  }
  return out;
}

const skip = gotemplateOracle.skip || (existsSync(chartsDir) ? false : `no chart corpus at ${chartsDir}`);

test('every chart template parses to the same tree as Go', { skip }, (t) => {
  const files = templateFiles(chartsDir);
  const cases: TemplateCase[] = files.map((f) => ({
    templates: { [relative(chartsDir, f)]: readFileSync(f, 'utf8') },
    entry: relative(chartsDir, f),
    parseOnly: true,
    funcs,
  }));
  const want = runOracle(cases);
  const diffs = cases.filter((c, i) => JSON.stringify(runOurs(c)) !== JSON.stringify(want[i])).map((c) => c.entry);
  t.diagnostic(`${files.length - diffs.length}/${files.length} chart templates parse as in Go`);
  assert.deepEqual(diffs, []);
});
