import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GitRepoFs } from './git-repo-fs.js';
import { commitFiles, makeRepo } from './testing.js';
import { InputError } from '../errors.js';

test('reads a commit without touching the work tree', () => {
  const repo = makeRepo({
    'a/kustomization.yaml': 'resources: [cm.yaml]\n',
    'a/cm.yaml': 'kind: ConfigMap\n',
    'b.txt': 'x',
  });
  commitFiles(repo, { 'a/cm.yaml': 'kind: ConfigMap # v2\n' });
  const old = new GitRepoFs(repo, 'HEAD~1');
  const cur = new GitRepoFs(repo, 'HEAD');
  assert.equal(old.readFile('a/cm.yaml'), 'kind: ConfigMap\n');
  assert.equal(cur.readFile('a/cm.yaml'), 'kind: ConfigMap # v2\n');
  assert.deepEqual(cur.list(''), ['a', 'b.txt']);
  assert.deepEqual(cur.list('a'), ['cm.yaml', 'kustomization.yaml']);
  assert.ok(cur.isDir('a') && !cur.isDir('a/cm.yaml') && cur.isFile('a/cm.yaml') && !cur.exists('c'));
});

test('symlinks inside the tree are followed; links that leave it are refused', () => {
  const repo = makeRepo({
    'real.yaml': 'kind: X\n',
    'dir/link.yaml': { symlink: '../real.yaml' },
    'evil.yaml': { symlink: '../../../etc/passwd' },
  });
  const fs = new GitRepoFs(repo, 'main');
  assert.equal(fs.readFile('dir/link.yaml'), 'kind: X\n');
  assert.throws(
    () => fs.readFile('evil.yaml'),
    (e: unknown) => e instanceof InputError && /leaves the repository root/.test(e.message),
  );
  assert.throws(() => fs.readFile('../outside.yaml'), InputError);
});

test('an unknown ref is an input error naming the ref', () => {
  const repo = makeRepo({ 'a.yaml': 'x: 1\n' });
  assert.throws(() => new GitRepoFs(repo, 'env/nope'), /unknown git ref 'env\/nope'/);
});
