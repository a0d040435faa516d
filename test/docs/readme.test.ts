/**
 * Docs that run: every `aksfleet ...` command in a ```sh block of README.md is executed in the
 * demo repository that `npm start` makes, and must succeed (exit 0, or 1 for findings or
 * differences) with output. A block whose first line is `# in a checkout of aksfleet` runs in the
 * package folder instead (examples/ there). A README example that stops working fails the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const IN_CHECKOUT = '# in a checkout of aksfleet';

function readmeCommands(): { line: string; inCheckout: boolean }[] {
  const text = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const out: { line: string; inCheckout: boolean }[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block[1]!.split('\n');
    const inCheckout = lines[0]!.trim() === IN_CHECKOUT;
    for (const line of lines) if (line.startsWith('aksfleet ')) out.push({ line: line.trim(), inCheckout });
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
  assert.ok(commands.some((c) => c.inCheckout), `no block marked '${IN_CHECKOUT}'`);
  for (const { line, inCheckout } of commands) {
    // A redirect (`> file`) is the shell's business: the command's own output is what we check.
    const argv = line.replace(/\s*>.*$/, '').split(/\s+/).slice(1);
    const r = await run(argv, inCheckout ? PACKAGE_ROOT : repo);
    t.diagnostic(`${line} -> exit ${r.code}`);
    assert.ok(r.code === 0 || r.code === 1, `README example '${line}' failed with exit ${r.code}:\n${r.err.slice(0, 1500)}`);
    assert.ok(r.out.length + r.err.length > 0, `README example '${line}' printed nothing`);
  }
});
