/**
 * The .sourceignore dialect rule by rule, as source-controller builds a GitRepository artifact
 * (read from fluxcd/pkg sourceignore LoadIgnorePatterns, artifact/storage SourceIgnoreFilter
 * and Archive, and its go-git gitignore matcher; see source-fs.ts): one test per rule, each
 * through the artifact view the builds read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { SourceFs } from './source-fs.js';

const view = (files: Record<string, string>, ignore?: string) => new SourceFs(new MemoryRepoFs(files), '', ignore);
const present = (fs: SourceFs, paths: string[]) => paths.filter((p) => fs.exists(p));

test('comments, blank lines, an escaped # and trailing spaces', () => {
  const fs = view({
    '.sourceignore': '# a comment\n\n   \n\\#hash.yaml\nspaced.yaml   \nkept\\ \n',
    '#hash.yaml': 'x',
    'spaced.yaml': 'x',
    'kept ': 'x',
    kept: 'x',
    '# a comment': 'x',
  });
  assert.deepEqual(present(fs, ['#hash.yaml', 'spaced.yaml', 'kept ', 'kept', '# a comment']), ['kept', '# a comment']);
});

test('negation re-includes a file under an excluded folder (the archive walk does not stop at the folder)', () => {
  const fs = view({
    '.sourceignore': 'docs/\n!docs/keep.yaml\n',
    'docs/keep.yaml': 'k',
    'docs/drop.yaml': 'd',
    'docs/sub/x.yaml': 'x',
    'app.yaml': 'a',
  });
  assert.equal(fs.isFile('docs/keep.yaml'), true);
  assert.equal(fs.readFile('docs/keep.yaml'), 'k');
  assert.equal(fs.isDir('docs'), true, 'the untar creates the folder of a re-included file');
  assert.deepEqual(fs.list('docs'), ['keep.yaml']);
  assert.deepEqual(present(fs, ['docs/drop.yaml', 'docs/sub', 'docs/sub/x.yaml']), []);
  assert.throws(() => fs.readFile('docs/drop.yaml'), /excluded/);
  assert.deepEqual(fs.list(''), ['.sourceignore', 'app.yaml', 'docs']);
});

test('an excluded folder without re-includes is gone with all it holds', () => {
  const fs = view({
    '.sourceignore': 'tests/\n',
    'tests/a.yaml': 'a',
    'tests/deep/b.yaml': 'b',
    'app/tests/c.yaml': 'c',
    'app/d.yaml': 'd',
  });
  assert.deepEqual(
    present(fs, ['tests', 'tests/a.yaml', 'tests/deep/b.yaml', 'app/tests', 'app/tests/c.yaml', 'app/d.yaml']),
    ['app/d.yaml'],
  );
});

test('the last matching pattern wins, in both directions', () => {
  const fs = view({ '.sourceignore': '*.yaml\n!*.yaml\nsecret.yaml\n', 'a.yaml': 'a', 'secret.yaml': 's' });
  assert.deepEqual(present(fs, ['a.yaml', 'secret.yaml']), ['a.yaml']);
});

test('a trailing / matches folders only', () => {
  const fs = view({ '.sourceignore': 'build/\n', 'build/x.yaml': 'x', 'sub/build': 'a file named build' });
  assert.deepEqual(present(fs, ['build', 'build/x.yaml', 'sub/build']), ['sub/build']);
});

test("a name without / matches at any depth; a leading or middle / anchors to the file's folder", () => {
  const fs = view({
    '.sourceignore': 'local.yaml\n/root-only.yaml\nconfig/dev.yaml\n',
    'local.yaml': 'l',
    'a/b/local.yaml': 'l',
    'root-only.yaml': 'r',
    'a/root-only.yaml': 'r',
    'config/dev.yaml': 'd',
    'x/config/dev.yaml': 'd',
  });
  assert.deepEqual(
    present(fs, [
      'local.yaml',
      'a/b/local.yaml',
      'root-only.yaml',
      'a/root-only.yaml',
      'config/dev.yaml',
      'x/config/dev.yaml',
    ]),
    ['a/root-only.yaml', 'x/config/dev.yaml'],
  );
});

test('** forms: leading, middle, trailing', () => {
  const fs = view({
    '.sourceignore': '**/tmp.yaml\na/**/c.yaml\nlogs/**\n',
    'tmp.yaml': 't',
    'x/y/tmp.yaml': 't',
    'a/c.yaml': 'c',
    'a/b/c.yaml': 'c',
    'a/b/d/c.yaml': 'c',
    'logs/1/2.yaml': 'l',
    'a/keep.yaml': 'k',
  });
  assert.deepEqual(
    present(fs, ['tmp.yaml', 'x/y/tmp.yaml', 'a/c.yaml', 'a/b/c.yaml', 'a/b/d/c.yaml', 'logs/1/2.yaml', 'a/keep.yaml']),
    ['a/keep.yaml'],
  ); // a/**/c.yaml matches a/c.yaml too (zero folders)
});

test('glob characters: * and ? within one name, [class], * does not cross /', () => {
  const fs = view({
    '.sourceignore': 'draft-*.yaml\nv?.yaml\n[ab].yaml\napps/*.json\n',
    'draft-1.yaml': 'd',
    'v1.yaml': 'v',
    'v10.yaml': 'v',
    'a.yaml': 'a',
    'c.yaml': 'c',
    'apps/x.json': 'x',
    'apps/sub/y.json': 'y',
  });
  assert.deepEqual(
    present(fs, ['draft-1.yaml', 'v1.yaml', 'v10.yaml', 'a.yaml', 'c.yaml', 'apps/x.json', 'apps/sub/y.json']),
    ['v10.yaml', 'c.yaml', 'apps/sub/y.json'],
  );
});

test('nested .sourceignore files: scoped to their folder, a deeper one re-includes, one inside an ignored folder still loads', () => {
  const fs = view({
    '.sourceignore': '*.md\nvendor/\n',
    'README.md': 'r',
    'docs/README.md': 'r',
    'docs/.sourceignore': '!README.md\n',
    'other/README.md': 'r',
    'vendor/.sourceignore': '!keep.yaml\n',
    'vendor/keep.yaml': 'k',
    'vendor/drop.yaml': 'd',
    'app/.sourceignore': 'local.yaml\n',
    'app/local.yaml': 'l',
    'lib/local.yaml': 'l',
  });
  assert.deepEqual(
    present(fs, [
      'README.md',
      'docs/README.md',
      'other/README.md',
      'vendor/keep.yaml',
      'vendor/drop.yaml',
      'app/local.yaml',
      'lib/local.yaml',
    ]),
    ['docs/README.md', 'vendor/keep.yaml', 'lib/local.yaml'],
  );
});

test('defaults: all of them when there is no pattern; only the VCS ones once any .sourceignore or spec.ignore pattern exists', () => {
  const files = {
    'logo.png': 'p',
    '.github/workflows/ci.yaml': 'c',
    '.sops.yaml': 's',
    '.gitignore': 'g',
    '.gitattributes': 'a',
    'app.yaml': 'a',
  };
  const all = ['logo.png', '.github/workflows/ci.yaml', '.sops.yaml', '.gitignore', '.gitattributes', 'app.yaml'];
  assert.deepEqual(present(view(files), all), ['app.yaml']);
  assert.deepEqual(present(view({ ...files, '.sourceignore': 'nothing-here.yaml\n' }), all), [
    'logo.png',
    '.github/workflows/ci.yaml',
    '.sops.yaml',
    'app.yaml',
  ]);
  assert.deepEqual(present(view(files, 'nothing-here.yaml\n'), all), [
    'logo.png',
    '.github/workflows/ci.yaml',
    '.sops.yaml',
    'app.yaml',
  ]);
  // A .sourceignore of comments only has no pattern: the defaults stay.
  assert.deepEqual(present(view({ ...files, '.sourceignore': '# nothing\n' }), all), ['app.yaml']);
});

test('spec.ignore comes last: it overrides every .sourceignore', () => {
  const fs = view({ '.sourceignore': '!keep.yaml\n', 'keep.yaml': 'k', 'drop.yaml': 'd' }, '*.yaml\n!drop.yaml\n');
  assert.deepEqual(present(fs, ['keep.yaml', 'drop.yaml']), ['drop.yaml']);
});
