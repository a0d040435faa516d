import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from './diff.js';

const hasPatch = spawnSync('sh', ['-c', 'command -v patch']).status === 0;

test('unifiedDiff: deletions before additions, hunks with context', () => {
  const d = unifiedDiff('f.txt', 'a\nb\nc\n', 'a\nB\nc\n');
  assert.equal(d, '--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  assert.equal(unifiedDiff('f', 'x\n', 'x\n'), '');
});

test('unifiedDiff output applies with GNU patch and gives the new text (random texts)', (t) => {
  if (!hasPatch) return t.skip('patch not installed');
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-diff-'));
  const line = fc.constantFrom('a', 'b', 'c', 'd', '', 'weight: 10', 'weight: 90');
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
      const before = a.map((x) => `${x}\n`).join('');
      const after = b.map((x) => `${x}\n`).join('');
      const d = unifiedDiff('f.txt', before, after);
      if (before === after) return assert.equal(d, '');
      writeFileSync(join(dir, 'f.txt'), before);
      writeFileSync(join(dir, 'p.diff'), d);
      const r = spawnSync('patch', ['-s', '-p1', '--no-backup-if-mismatch', '-i', 'p.diff'], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}\n${d}`);
      assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), after);
    }),
    { numRuns: 200, seed: 42 },
  );
});
