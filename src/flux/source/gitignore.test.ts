import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globMatch } from '../envsubst/glob.js';
import { toBytes } from '../envsubst/bytes.js';
import { DEFAULT_EXCLUDES, fnmatch, readPatterns } from './gitignore.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url).pathname;

function byteMatch(pattern: string, name: string): boolean | 'error' {
  try {
    return globMatch(toBytes(pattern), toBytes(name));
  } catch {
    return 'error';
  }
}

/** Every file and directory name under a folder (bounded). */
function names(dir: string, out: Set<string>, depth = 0): void {
  if (depth > 12 || out.size > 20000) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    out.add(e.name);
    if (e.isDirectory() && !e.isSymbolicLink()) names(join(dir, e.name), out, depth + 1);
  }
}

test('compiled name matchers agree with the byte-level glob on the corpus names and patterns', (t) => {
  let repos: string[];
  try {
    repos = readdirSync(CORPUS, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    t.skip('no corpus at ../shared/corpus');
    return;
  }
  const all = new Set<string>([
    '',
    '.',
    '..',
    'a.jpg',
    '.jpg',
    'x.JPG',
    'a.tar.gz',
    'tar.gz',
    'é.png',
    'a*b',
    'a?b',
    '[x]',
    'a\\b',
  ]);
  const patterns = new Set<string>([
    '*',
    '?',
    '*.yaml',
    'a*',
    '*a*',
    '[a-c]*',
    '[!a]*',
    '\\*',
    '[',
    'a[',
    '*[',
    '*.tar.gz',
    'é*',
    '*é',
  ]);
  for (const p of DEFAULT_EXCLUDES) for (const el of p.replace(/\/$/, '').split('/')) patterns.add(el);
  for (const r of repos) {
    names(join(CORPUS, r), all);
    for (const f of ['.sourceignore', '.gitignore']) {
      let text: string;
      try {
        text = readFileSync(join(CORPUS, r, f), 'utf8');
      } catch {
        continue;
      }
      for (const p of readPatterns(text, [])) for (const el of p.pattern) patterns.add(el);
    }
  }
  let compared = 0;
  let matched = 0;
  for (const p of patterns) {
    for (const n of all) {
      const want = byteMatch(p, n);
      assert.equal(fnmatch(p, n), want, `pattern ${JSON.stringify(p)} name ${JSON.stringify(n)}`);
      compared++;
      if (want === true) matched++;
    }
  }
  assert.ok(patterns.size > 30 && all.size > 200, `${patterns.size} patterns x ${all.size} names`);
  assert.ok(matched > 100, `some pairs match (${matched})`);
  t.diagnostic(`${compared} pairs compared, ${matched} matches`);
});
