/**
 * Tests of the artifact view: source-controller's default excludes and .sourceignore scoping
 * (semantics of fluxcd/pkg sourceignore and its go-git gitignore matcher).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { SourceFs } from './source-fs.js';
import { parsePattern, isExcluded } from './gitignore.js';

test('source fs: default excludes', () => {
  const fs = new SourceFs(
    new MemoryRepoFs({
      'a/x.yaml': 'x',
      'a/.sops.yaml': 's',
      '.sops.yaml': 's',
      'img/logo.png': 'p',
      '.github/workflows/ci.yaml': 'c',
      '.gitlab-ci.yml': 'g',
      'sub/.gitlab-ci.yml': 'g',
      'a/.flux.yaml': 'f',
      'a/b.tar.gz': 't',
    }),
  );
  assert.deepEqual(fs.list(''), ['a', 'img', 'sub']);
  assert.deepEqual(fs.list('a'), ['x.yaml']);
  assert.deepEqual(fs.list('img'), []);
  assert.equal(fs.isDir('.github'), false);
  // unanchored simple names match at any depth
  assert.equal(fs.isFile('sub/.gitlab-ci.yml'), false);
  assert.throws(() => fs.readFile('a/.sops.yaml'), /excluded/);
});

test('source fs: .sourceignore scoped to its directory, negation, dir-only, anchored globs', () => {
  const base = new MemoryRepoFs({
    '.sourceignore': '# comment\n\n/docs/\n*.md\n!keep.md\nscripts/**\n',
    'docs/a.yaml': 'x',
    'README.md': 'r',
    'keep.md': 'k',
    'scripts/x/y.sh': 's',
    'app/docs/b.yaml': 'b',
    'app/.sourceignore': 'tests/\nlocal.yaml\n',
    'app/tests/t.yaml': 't',
    'app/local.yaml': 'l',
    'other/local.yaml': 'l',
    'other/tests': 'a file named tests',
  });
  const fs = new SourceFs(base);
  assert.equal(fs.isDir('docs'), false);
  assert.equal(fs.isFile('app/docs/b.yaml'), true); // anchored /docs/ only at the root
  assert.equal(fs.isFile('README.md'), false);
  assert.equal(fs.isFile('keep.md'), true);
  assert.equal(fs.isFile('scripts/x/y.sh'), false);
  assert.equal(fs.isFile('app/tests/t.yaml'), false);
  assert.equal(fs.isFile('app/local.yaml'), false);
  assert.equal(fs.isFile('other/local.yaml'), true); // app/.sourceignore does not reach other/
  assert.equal(fs.isFile('other/tests'), true);
});

test('source fs: sub-rooted artifact and spec.ignore', () => {
  const base = new MemoryRepoFs({ 'apps/base/a.yaml': 'a', 'apps/base/b.yaml': 'b', 'other/c.yaml': 'c' });
  const fs = new SourceFs(base, 'apps', 'b.yaml\n');
  assert.deepEqual(fs.list('base'), ['a.yaml']);
  assert.equal(fs.repoPath('base/a.yaml'), 'apps/base/a.yaml');
  assert.throws(() => fs.readFile('../other/c.yaml'), /leaves the repository root/);
});

test('gitignore patterns: ** forms', () => {
  const p = (s: string) => [parsePattern(s, [])];
  assert.equal(isExcluded(p('**/foo'), ['a', 'b', 'foo'], false), true);
  assert.equal(isExcluded(p('a/**/c'), ['a', 'x', 'y', 'c'], false), true);
  assert.equal(isExcluded(p('a/**'), ['a', 'x'], false), true);
  assert.equal(isExcluded(p('a/b'), ['x', 'a', 'b'], false), false);
  assert.equal(isExcluded(p('build/'), ['build'], false), false);
  assert.equal(isExcluded(p('build/'), ['build'], true), true);
});

test('source fs: "exclude all, include manifest dirs" (the .sourceignore of fluxcd/flux2-kustomize-helm-example)', () => {
  const fs = new SourceFs(
    new MemoryRepoFs({
      '.sourceignore': '# Exclude all\n/*\n\n# Include manifest directories\n!/apps/\n!/clusters/\n!/infrastructure/\n',
      LICENSE: 'l',
      '.fluxschema.yml': 's',
      'scripts/x.yaml': 'x',
      'apps/base/podinfo/release.yaml': 'r',
      'clusters/production/apps.yaml': 'a',
      'infrastructure/configs/k.yaml': 'k',
    }),
  );
  assert.deepEqual(fs.list(''), ['apps', 'clusters', 'infrastructure']);
  assert.equal(fs.isFile('apps/base/podinfo/release.yaml'), true);
  assert.equal(fs.isFile('scripts/x.yaml'), false);
});
