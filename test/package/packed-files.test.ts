/** The allow-list checker of the pack test bites: unlisted, forbidden and missing files are reported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { checkPackedFiles, globToRegExp, parseAllowList } from './packed-files.js';

test('globs: * within a folder, **/ across folders', () => {
  assert.ok(globToRegExp('dist/**/*.js').test('dist/a.js'));
  assert.ok(globToRegExp('dist/**/*.js').test('dist/cli/commands/a.js'));
  assert.ok(!globToRegExp('dist/**/*.js').test('dist/a.jsx'));
  assert.ok(globToRegExp('data/crds/*').test('data/crds/x.yaml'));
  assert.ok(!globToRegExp('data/crds/*').test('data/crds/sub/x.yaml'));
  assert.ok(!globToRegExp('a.b').test('axb'), 'dots are literal');
});

test('the checker reports unlisted, forbidden and missing files', () => {
  const allow = parseAllowList('required bin/aksfleet\ndist/**/*.js\nrequired ui/index.html\n');
  assert.deepEqual(checkPackedFiles(['bin/aksfleet', 'dist/x.js', 'ui/index.html'], allow), []);
  assert.deepEqual(
    checkPackedFiles(
      [
        'bin/aksfleet',
        'dist/x.js',
        'dist/x.test.js',
        'dist/cli/testing/run-cli.js',
        'dist/bench/synthetic-fleet.js',
        'secret.env',
      ],
      allow,
    ),
    [
      'dist/bench/synthetic-fleet.js: a test, test helper, fixture or bench file is packed',
      'dist/cli/testing/run-cli.js: a test, test helper, fixture or bench file is packed',
      'dist/x.test.js: a test, test helper, fixture or bench file is packed',
      'secret.env: packed, but no line of packed-files.txt allows it',
      "packed-files.txt:3: required 'ui/index.html' is not packed",
    ],
  );
  assert.throws(() => parseAllowList('required a b\n'), /packed-files\.txt:1/);
});

test('packed-files.txt parses and requires what the commands read at run time', () => {
  const allow = parseAllowList(readFileSync(join(PACKAGE_ROOT, 'test/package/packed-files.txt'), 'utf8'));
  const required = allow.filter((a) => a.required).map((a) => a.glob);
  for (const f of [
    'examples/fleet.yaml',
    'ui/index.html',
    'dist/bundle/main.js',
    'scripts/gate/gate.mjs',
    'ci/azure-pipelines/aksfleet-gate.yml',
  ])
    assert.ok(required.includes(f), f);
});
