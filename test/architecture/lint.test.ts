/**
 * Format and lint (issue #20, 8): `npm run lint` (Biome, configured in biome.jsonc) must pass, so
 * `npm test` fails on a formatting difference or a lint finding. `npm run format` rewrites the
 * files; the rules turned off in biome.jsonc each say why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
