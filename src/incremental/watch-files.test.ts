/**
 * The file watcher of `check --watch`: saves in the tree and in new folders come in one batch
 * after the quiet time; `.git` internals and node_modules do not, `.git/HEAD` and refs do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeTree } from '../cli/testing/fixture-repos.js';
import { relevantPath, watchFiles } from './watch-files.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('relevantPath: .git internals and node_modules are not, HEAD and refs are', () => {
  assert.deepEqual(
    ['a/b.yaml', '.git/objects/ab/cd', '.git/index', '.git/HEAD', '.git/refs/heads/main', 'node_modules/x/y.js'].map(
      relevantPath,
    ),
    [true, false, false, true, true, false],
  );
});

test('watchFiles: batches after a quiet time, new folders followed, .git internals left out', async () => {
  const dir = tempDir('aksfleet-watch-files-');
  const batches: string[][] = [];
  writeTree(dir, { 'a/one.yaml': '1', '.git/HEAD': 'ref: refs/heads/main\n', '.git/objects/x': '' });
  const w = watchFiles({ roots: [dir], debounceMs: 150, onBatch: (b) => void batches.push([...b]) });
  try {
    assert.equal(w.watched, 3, 'the root, a/, .git/ (not .git/objects)');
    writeFileSync(join(dir, 'a/one.yaml'), '2');
    writeFileSync(join(dir, '.git/objects/x'), 'y');
    mkdirSync(join(dir, 'b'));
    await sleep(100);
    writeFileSync(join(dir, 'b/two.yaml'), '3');
    for (let i = 0; i < 100 && batches.length === 0; i++) await sleep(50);
    await sleep(300);
    // One batch unless the machine is so loaded that 100 ms pass as 150 between two writes.
    const seen = batches.flat();
    assert.ok(batches.length <= 2, JSON.stringify(batches));
    assert.ok(seen.includes('a/one.yaml'));
    assert.ok(seen.includes('b/two.yaml') || seen.includes('b'), JSON.stringify(batches));
    assert.ok(!seen.some((p) => p.startsWith('.git/objects')));
    const before = batches.length;
    writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/other\n');
    for (let i = 0; i < 100 && batches.length === before; i++) await sleep(50);
    assert.deepEqual(batches[before], ['.git/HEAD']);
  } finally {
    w.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
