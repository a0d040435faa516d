/**
 * Line hunks of multi-line string fields against the real `diff -u` (GNU diffutils) where it is
 * installed, and the property any edit script must have (it rebuilds both sides), on seeded
 * random texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineOps, unifiedHunks } from './line-diff.js';

function gnuDiff(a: string, b: string): string[] | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-linediff-'));
  try {
    writeFileSync(join(dir, 'a'), a.endsWith('\n') ? a : `${a}\n`);
    writeFileSync(join(dir, 'b'), b.endsWith('\n') ? b : `${b}\n`);
    let out: string;
    try {
      out = execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    } catch (e) {
      const err = e as { status?: number; stdout?: string };
      if (err.status !== 1) return undefined;
      out = err.stdout ?? '';
    }
    return out
      .split('\n')
      .slice(2)
      .filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let haveDiff = true;
try {
  execFileSync('diff', ['--version'], { stdio: 'ignore' });
} catch {
  haveDiff = false;
}

const CASES: [string, string, string][] = [
  ['one line changed in the middle', 'a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nD\ne\nf\ng\nh\n'],
  [
    'two changes far apart: two hunks',
    Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'),
    Array.from({ length: 30 }, (_, i) => (i === 2 ? 'two' : i === 25 ? 'twenty-five' : `line ${i}`)).join('\n'),
  ],
  ['lines added at the end', 'server:\n  port: 80\n', 'server:\n  port: 80\n  tls: true\n  cert: /etc/tls\n'],
  ['lines removed at the start', 'x\ny\nz\nkeep\n', 'keep\n'],
  [
    'a post-render patch',
    '- op: add\n  path: /spec/replicas\n  value: 2\n',
    '- op: replace\n  path: /spec/replicas\n  value: 3\n',
  ],
  ['from one line to several', 'single', 'single\nsecond\n'],
];

test('unified hunks are what diff -u prints', { skip: haveDiff ? false : 'GNU diff is not installed' }, () => {
  for (const [name, a, b] of CASES) assert.deepEqual(unifiedHunks(a, b), gnuDiff(a, b), name);
});

test('the edit script rebuilds both sides (seeded random texts)', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const text = () => Array.from({ length: Math.floor(rnd() * 12) }, () => 'abcd'[Math.floor(rnd() * 4)]).join('\n');
  for (let k = 0; k < 2000; k++) {
    const a = text();
    const b = text();
    const ops = lineOps(a, b);
    const side = (keep: string) =>
      ops
        .filter((o) => o.op === ' ' || o.op === keep)
        .map((o) => o.line)
        .join('\n');
    const norm = (s: string) =>
      s
        .split('\n')
        .filter((_, i, all) => !(i === all.length - 1 && all.length > 1 && all[i] === ''))
        .join('\n');
    assert.equal(side('-'), norm(a), JSON.stringify([a, b]));
    assert.equal(side('+'), norm(b), JSON.stringify([a, b]));
  }
  assert.deepEqual(unifiedHunks('same\n', 'same\n'), []);
});
