// The lexer's scans by index give the items of the character-by-character lexer it replaced
// (testing/lex-reference.ts, the lexer of commit 588d170): type, position, text and line of every
// item up to EOF or the error, on every template of ../shared/charts, on seeded mutations of them
// (cut, doubled, spliced with the characters the states branch on, non-ASCII letters and spaces),
// with other delimiters, and with break and continue defined as functions.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mulberry32 } from '../seeded-random.js';
import { type Item, ItemType, Lexer, type LexOptions } from './lex.js';
import { ReferenceLexer } from './testing/lex-reference.js';

const root = process.env.AKSFLEET_ROOT ?? new URL('../..', import.meta.url).pathname;
const chartsDir = join(root, '..', 'shared', 'charts');

function templateFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) templateFiles(p, out);
    else if (/\/templates\//.test(p) && /\.(ya?ml|tpl|txt)$/.test(name)) out.push(p);
  }
  return out;
}

interface Lex {
  options: LexOptions;
  nextItem(): Item;
}

function items(l: Lex, options: LexOptions): string[] {
  l.options = options;
  const out: string[] = [];
  for (let n = 0; n < 1_000_000; n++) {
    const i = l.nextItem();
    out.push(`${i.typ} ${i.pos} ${i.line} ${JSON.stringify(i.val)}`);
    if (i.typ === ItemType.EOF || i.typ === ItemType.Error) break;
  }
  return out;
}

const BOTH: LexOptions = { breakOK: true, continueOK: true };
const NEITHER: LexOptions = { breakOK: false, continueOK: false };

/** The first item where the two lexers differ, or undefined. */
function firstDifference(text: string, delims: [string, string], options: LexOptions): string | undefined {
  const want = items(new ReferenceLexer(text, ...delims), options);
  const got = items(new Lexer(text, ...delims), options);
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `item ${i}: want ${want[i]}, got ${got[i]}`;
  }
  return undefined;
}

const SPLICES = [
  ...['{{', '}}', '{{- ', ' -}}', '{{-', '-}}', '{{/*', '*/}}', '/*', '*/', ' ', '\n', '\t', '\r\n', '-', '.'],
  ...['$', '$x', '.a.b', '(', ')', '|', ':=', '=', ':', ',', '"', "'", '`', '\\', '"a\\"b"', "'\\n'", '`r\n`'],
  ...['0x1F', '1e3', '-1.5', '+2', '0b101', '1_000', '3i', '1+2i', '0o7', '0x1p-2', '9z', 'if', 'end', 'else'],
  ...['range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false', '_x', 'é', 'ü.x'],
  ...['$é', '.é', '\u00a0', '\u2028', '\u{1f600}', '\u0301', '\u0000', '\u007f', '#', '@', '{', '}', '[[', ']]'],
];

function mutate(text: string, rnd: () => number): string {
  const at = () => Math.floor(rnd() * (text.length + 1));
  const pick = () => SPLICES[Math.floor(rnd() * SPLICES.length)]!;
  let s = text;
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const i = at();
    const r = rnd();
    if (r < 0.15) s = s.slice(0, i);
    else if (r < 0.3) s = s.slice(0, i) + s.slice(Math.min(s.length, i + 1 + Math.floor(rnd() * 8)));
    else if (r < 0.4) s = s.slice(0, i) + s.slice(i, i + 40) + s.slice(i);
    else s = s.slice(0, i) + pick() + s.slice(i);
  }
  return s;
}

const skip = existsSync(chartsDir) ? false : `no chart corpus at ${chartsDir}`;

test('every chart template lexes to the same items as the reference lexer', { skip }, (t) => {
  const files = templateFiles(chartsDir);
  const diffs: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const d = firstDifference(text, ['{{', '}}'], BOTH) ?? firstDifference(text, ['{{', '}}'], NEITHER);
    if (d) diffs.push(`${f}: ${d}`);
  }
  t.diagnostic(`${files.length} chart templates`);
  assert.ok(files.length > 300, `${files.length} templates found`);
  assert.deepEqual(diffs, []);
});

test('seeded mutations of the chart templates lex to the same items as the reference lexer', { skip }, (t) => {
  const files = templateFiles(chartsDir);
  const rnd = mulberry32(20261208);
  const diffs: string[] = [];
  let errors = 0;
  let cases = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (let m = 0; m < 8; m++) {
      // A window of the file (the lexer's states do not depend on what lies far away), mutated.
      const from = Math.floor(rnd() * Math.max(1, text.length - 600));
      const s = mutate(text.slice(from, from + 600), rnd);
      const delims: [string, string] = m === 7 ? ['[[', ']]'] : ['{{', '}}'];
      const input = m === 7 ? s.replaceAll('{{', '[[').replaceAll('}}', ']]') : s;
      const options = m % 2 === 0 ? BOTH : NEITHER;
      const d = firstDifference(input, delims, options);
      if (d) diffs.push(`${JSON.stringify(input)}: ${d}`);
      if (
        items(new Lexer(input, ...delims), options)
          .at(-1)!
          .startsWith(`${ItemType.Error} `)
      )
        errors++;
      cases++;
    }
  }
  t.diagnostic(`${cases} mutated windows, ${errors} of them end in a lexing error`);
  assert.ok(errors > cases / 20, `only ${errors} lexing errors in ${cases} cases`);
  assert.deepEqual(diffs.slice(0, 10), []);
});

test('short inputs built from the lexer-relevant pieces lex to the same items as the reference lexer', () => {
  const rnd = mulberry32(7);
  const diffs: string[] = [];
  for (let n = 0; n < 20_000; n++) {
    let s = rnd() < 0.8 ? '{{' : '';
    const parts = 1 + Math.floor(rnd() * 8);
    for (let p = 0; p < parts; p++) s += SPLICES[Math.floor(rnd() * SPLICES.length)]!;
    if (rnd() < 0.7) s += rnd() < 0.5 ? '}}' : ' -}}';
    const d = firstDifference(s, ['{{', '}}'], n % 2 === 0 ? BOTH : NEITHER);
    if (d) diffs.push(`${JSON.stringify(s)}: ${d}`);
  }
  assert.deepEqual(diffs.slice(0, 10), []);
});
