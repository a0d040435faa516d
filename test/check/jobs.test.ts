/** `check --jobs N`: clusters over worker threads give exactly the single-thread report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers.js';

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

test('check --jobs 2 prints the same report as one thread; bad --jobs is a usage error', {
  timeout: 240_000,
}, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-jobs-'));
  assert.equal((await run(['demo'], cwd)).code, 0);
  const repo = join(cwd, 'aksfleet-demo');
  const one = await run(['check', repo, '--format', 'json'], cwd);
  const two = await run(['check', repo, '--format', 'json', '--jobs', '2'], cwd);
  assert.equal(two.code, one.code, two.err);
  assert.equal(two.out, one.out);
  assert.ok(JSON.parse(one.out).findings.length > 0, 'the report has findings to compare');
  const bad = await run(['check', repo, '--jobs', 'many'], cwd);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--jobs must be a whole number/);
});
