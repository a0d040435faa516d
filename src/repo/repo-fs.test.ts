/**
 * resolveRel's shortcut for already-clean paths gives exactly what full normalisation gives
 * (value or error message), over hand-picked tricky paths and a seeded fuzz of path alphabets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRel, resolveRelSlow } from './repo-fs.js';

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
