/**
 * resolveRel's shortcut for already-clean paths gives exactly what full normalisation gives
 * (value or error message), over hand-picked tricky paths and a seeded fuzz of path alphabets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskRepoFs, resolveRel, resolveRelSlow } from './repo-fs.js';

function outcome(f: () => string): string {
  try {
    return `ok:${f()}`;
  } catch (e) {
    return `error:${(e as Error).message}`;
  }
}

test('resolveRel: the clean-path shortcut agrees with full normalisation', () => {
  const tricky = [
    '',
    '.',
    '..',
    '...',
    '.git',
    'a',
    'a/',
    '/a',
    'a//b',
    'a/./b',
    'a/../b',
    '../a',
    'a/..',
    'a/...',
    'a\\b',
    'C:/x',
    'C:x',
    'c:\\x',
    'a/.b',
    'a/..b',
    'a/b.',
    '.a/b',
    'é/ü',
    ' a',
    'a /b',
    'a/b/',
    './a',
    'x/./',
    '..a',
  ];
  const bases = ['', 'a', 'a/b', 'a/', '.', '..', 'a/..', 'C:/', 'x\\y', '.git', 'a/./b'];
  let n = 0;
  for (const b of bases)
    for (const p of tricky) {
      assert.equal(
        outcome(() => resolveRel(b, p)),
        outcome(() => resolveRelSlow(b, p)),
        JSON.stringify([b, p]),
      );
      n++;
    }
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = ['a', 'b', '.', '/', '\\', ':', 'C', ' ', 'é'];
  const gen = () =>
    Array.from({ length: Math.floor(rnd() * 8) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  let shortcut = 0;
  for (let i = 0; i < 20000; i++) {
    const b = rnd() < 0.5 ? '' : gen();
    const p = gen();
    const fast = outcome(() => resolveRel(b, p));
    assert.equal(
      fast,
      outcome(() => resolveRelSlow(b, p)),
      JSON.stringify([b, p]),
    );
    if (fast.startsWith('ok:') && fast === `ok:${b ? `${b}/${p}` : p}`) shortcut++;
    n++;
  }
  assert.ok(shortcut > 1000, `the shortcut's case occurs (${shortcut} of ${n})`);
});

test('DiskRepoFs: real paths through symbolic links, as realpath(3) gives them, asked in any order', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-repofs-'));
  try {
    const root = path.join(tmp, 'root');
    fs.mkdirSync(path.join(root, 'a/b'), { recursive: true });
    fs.mkdirSync(path.join(root, 'c'));
    fs.mkdirSync(path.join(tmp, 'out'));
    fs.writeFileSync(path.join(root, 'a/b/f.yaml'), 'x');
    fs.writeFileSync(path.join(root, 'c/h.yaml'), 'z');
    fs.writeFileSync(path.join(tmp, 'out/g.yaml'), 'y');
    const links: [string, string][] = [
      ['lb', 'a/b'],
      ['lbb', 'lb'],
      ['lf', 'a/b/f.yaml'],
      ['esc', '../out'],
      ['broken', 'nowhere'],
      ['loop1', 'loop2'],
      ['loop2', 'loop1'],
      ['absin', path.join(root, 'c')],
    ];
    for (const [name, to] of links) fs.symlinkSync(to, path.join(root, name));
    const expected: [string, string][] = [
      ['a/b/f.yaml', 'a/b/f.yaml file'],
      ['lb/f.yaml', 'a/b/f.yaml file'],
      ['lbb', 'a/b dir'],
      ['esc', "!'esc' is a symlink that leaves the repository root"],
      ['esc/g.yaml', "!'esc/g.yaml' is a symlink that leaves the repository root"],
      ['broken', 'undefined'],
      ['loop1/x', 'undefined'],
      ['lf', 'a/b/f.yaml file'],
      ['lf/x', 'undefined'],
      ['absin/h.yaml', 'c/h.yaml file'],
      ['missing/x', 'undefined'],
    ];
    for (const order of [expected, [...expected].reverse()]) {
      const disk = new DiskRepoFs(root);
      for (const [p, want] of order) {
        let got: string;
        try {
          const real = disk.realPath(p);
          got = real === undefined ? 'undefined' : `${real} ${disk.isDir(p) ? 'dir' : disk.isFile(p) ? 'file' : '?'}`;
        } catch (e) {
          got = `!${(e as Error).message}`;
        }
        assert.equal(got, want, p);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
