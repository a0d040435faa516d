/**
 * Docs that run: every `aksfleet ...` command in a ```sh block of README.md is executed in the
 * demo repository that `npm start` makes, and must succeed (exit 0, or 1 for findings or
 * differences) with output. A README example that stops working fails the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

function readmeCommands(): string[] {
  const text = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const out: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) if (line.startsWith('aksfleet ')) out.push(line.trim());
  }
  return out;
}

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

test('every aksfleet command in the README runs in the demo repository', { timeout: 300_000 }, async (t) => {
  const commands = readmeCommands();
  assert.ok(commands.length >= 10, `found ${commands.length} README commands`);
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-readme-'));
  assert.equal((await run(['demo'], cwd)).code, 0);
  const repo = join(cwd, 'aksfleet-demo');
  for (const line of commands) {
    // A redirect (`> file`) is the shell's business: the command's own output is what we check.
    const argv = line.replace(/\s*>.*$/, '').split(/\s+/).slice(1);
    const r = await run(argv, repo);
    t.diagnostic(`${line} -> exit ${r.code}`);
    assert.ok(r.code === 0 || r.code === 1, `README example '${line}' failed with exit ${r.code}:\n${r.err.slice(0, 1500)}`);
    assert.ok(r.out.length + r.err.length > 0, `README example '${line}' printed nothing`);
  }
});
