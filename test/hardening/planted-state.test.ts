/**
 * `.aksfleet/` comes with the repository, so a pull request can plant a journal or a manifest in
 * it. `aksfleet generate` (and `--dry-run`) must refuse both with exit 2 and a clear message, and
 * touch nothing inside or outside the repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { exampleFleetText } from '../../src/spec/example.js';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'aksfleet-planted-state-'));

function captureIo(cwd: string): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    color: false,
    cwd,
    env: {},
  };
  return io;
}

function repoWithVictim(): { repo: string; victim: string } {
  const base = mkdtempSync(join(tmpdir(), 'aksfleet-planted-'));
  const repo = join(base, 'repo');
  mkdirSync(join(repo, '.aksfleet'), { recursive: true });
  mkdirSync(join(base, 'out'));
  writeFileSync(join(base, 'out', 'v.txt'), 'keep me\n');
  writeFileSync(join(repo, 'fleet.yaml'), exampleFleetText());
  return { repo, victim: join(base, 'out', 'v.txt') };
}

const PLANTED: Record<string, string> = {
  'journal.json': JSON.stringify({ version: 1, ops: [{ op: 'delete', path: '../out/v.txt' }] }),
  'journal.json ': JSON.stringify({ version: 1, ops: [{ op: 'rename', from: '../out/v.txt', to: 'clusters/v.txt' }] }),
  'manifest.json': JSON.stringify({
    generator: 'aksfleet',
    version: 1,
    files: { '../out/v.txt': { sha256: '0'.repeat(64) } },
  }),
};

test('generate refuses a journal or manifest planted in .aksfleet/ with exit 2 and touches nothing', async () => {
  for (const [name, text] of Object.entries(PLANTED)) {
    for (const args of [['generate'], ['generate', '--dry-run'], ['generate', '--force']]) {
      const { repo, victim } = repoWithVictim();
      writeFileSync(join(repo, '.aksfleet', name.trim()), text);
      const io = captureIo(repo);
      const code = await main(args, io);
      assert.equal(code, 2, `${name} ${args.join(' ')}: ${io.stderr}`);
      assert.match(
        io.stderr,
        name.startsWith('journal')
          ? /\.aksfleet\/journal\.json: refusing to replay the write journal/
          : /\.aksfleet\/manifest\.json: files: entry '\.\.\/out\/v\.txt' is not a path aksfleet writes/,
      );
      assert.doesNotMatch(io.stderr, /internal error|\n\s+at /);
      assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
      assert.deepEqual(readdirSync(repo).sort(), ['.aksfleet', 'fleet.yaml'], 'nothing generated');
    }
  }
});
