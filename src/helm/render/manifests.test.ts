/**
 * splitOnSeparator (linear) against the regular expression it replaces, `(?:^|\s*\n)---\s*`
 * with JavaScript's split (leftmost-first, as Go's regexp): hand-picked edges and seeded random
 * texts over the characters that matter. The 38 cases of test/helm judge the whole against helm.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../seeded-random.js';
import { splitManifests, splitOnSeparator } from './manifests.js';

const SEP = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/g;

test('splitOnSeparator: edges equal the regular expression split', () => {
  const cases = [
    '',
    '---',
    '---\n---',
    '\n---',
    'a\n---\nb',
    'a \t\n  \n---  \n\nb\n---',
    'a\n----b',
    '---a\n---\n---\n',
    ' \n--- \n ---\n---',
    'x\r\n---\r\ny',
    'a\f\n---\fb',
    'a\n--',
    '--\n---',
  ];
  for (const s of cases) assert.deepEqual(splitOnSeparator(s), s.split(SEP), JSON.stringify(s));
});

test('splitOnSeparator: 20,000 seeded random texts equal the regular expression split', () => {
  const rnd = mulberry32(21);
  const alphabet = ['-', '-', '-', '\n', '\n', ' ', ' ', '\t', '\r', '\f', 'a', 'k: v', '---', '\n---'];
  for (let i = 0; i < 20000; i++) {
    const n = Math.floor(rnd() * 24);
    let s = '';
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    assert.deepEqual(splitOnSeparator(s), s.split(SEP), JSON.stringify(s));
  }
});

test('splitManifests: documents under deep indentation', () => {
  const doc = `kind: A\nspec:\n${'x: 1\n'.padStart(2000, ' ')}`;
  const parts = splitManifests(Array.from({ length: 50 }, () => doc).join('\n---\n'));
  assert.deepEqual(
    parts,
    Array.from({ length: 50 }, (_, i) => (i === 49 ? doc : doc.trimEnd())),
  );
});
