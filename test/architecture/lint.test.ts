/**
 * Format and lint (issue #20, 8): `npm run lint` (Biome, configured in biome.jsonc) must pass, so
 * `npm test` fails on a formatting difference or a lint finding. `npm run format` rewrites the
 * files; the rules turned off in biome.jsonc each say why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const BIOME = join(PACKAGE_ROOT, 'node_modules', '.bin', 'biome');

test('npm run lint (biome ci) passes: the code is formatted and has no lint finding', () => {
  assert.ok(existsSync(BIOME), `${BIOME} is missing: @biomejs/biome is a devDependency, run npm ci`);
  const r = spawnSync(BIOME, ['ci', '--error-on-warnings', '--colors=off', '--max-diagnostics=50'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `biome ci failed (fix, or run npm run format for formatting):\n${r.stdout}${r.stderr}`);
});

/**
 * Lines over 120 columns: Biome breaks every line it can at 120; what is left are string and
 * template literals, regular expressions and comments it cannot split. Their number may only go
 * down (lower the bound when you split some).
 */
const LONG_LINES_AT_MOST = 444;
/** Generated files (their long lines are the rules' docs as strings): left out of the count. */
const GENERATED = new Set(['src/checks/rule-catalog.ts']);

function codeFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    if (n === 'node_modules' || n === 'fixtures' || n === 'testdata' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) codeFiles(p, out);
    else if (/\.(ts|mts|mjs)$/.test(n)) out.push(p);
  }
  return out;
}

test(`lines over 120 columns in src, test, scripts and bench: at most ${LONG_LINES_AT_MOST}, never more`, () => {
  let long = 0;
  for (const d of ['src', 'test', 'scripts', 'bench']) {
    for (const f of codeFiles(join(PACKAGE_ROOT, d))) {
      if (GENERATED.has(relative(PACKAGE_ROOT, f).split(sep).join('/'))) continue;
      for (const line of readFileSync(f, 'utf8').split('\n')) if ([...line].length > 120) long++;
    }
  }
  assert.ok(
    long <= LONG_LINES_AT_MOST,
    `${long} lines over 120 columns (at most ${LONG_LINES_AT_MOST}): break the new ones`,
  );
});
