/**
 * Writing YAML the way `kustomize build` / `kubectl kustomize` do (go-yaml v2 Marshal after a
 * JSON round trip, §5.3 of ../shared/docs/kustomize-flux-semantics.md): keys in go-yaml v2's "natural" order, block
 * style, sequences not indented under their key, strings quoted when YAML 1.1 would read them
 * as something else, literal blocks for multi-line strings, long scalars folded past column 80,
 * floats in Go's shortest 'g' format. Ported from the behaviour of go-yaml v2's emitter
 * (emitterc.go, encode.go, sorter.go); comments and anchors never appear.
 */

import { exactIntText } from './go-yaml.js';

/** go-yaml v2 keyList.Less for string keys: letters vs non-letters, digit runs numerically. */
export function naturalLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0,
      bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i,
      bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai]!.codePointAt(0)! - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  return naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0;
}

const V2_SPECIAL = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function goInt(s: string): boolean {
  let t = s;
  if (t[0] === '+' || t[0] === '-') t = t.slice(1);
  if (
    /^0[xX][0-9a-fA-F]+$/.test(t) ||
    /^0[oO][0-7]+$/.test(t) ||
    /^0[bB][01]+$/.test(t) ||
    /^0[0-7]*$/.test(t) ||
    /^[1-9][0-9]*$/.test(t)
  ) {
    return true;
  }
  return false;
}

function looksLikeTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)
  );
}

/** True when go-yaml v2 would read the plain text as something other than a string. */
export function v2ResolvesAsNonString(s: string): boolean {
  if (V2_SPECIAL.has(s)) return true;
  const c = s[0];
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) || /^\.(inf|infinity|nan)$/i.test(s);
  if (c === '+' || c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    if (looksLikeTimestamp(s)) return true;
    const plain = s.replace(/_/g, '');
    if (goInt(plain)) return true;
    if (YAML_STYLE_FLOAT.test(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
  // 0x85 is not printable in go-yaml's check (it is a 2-byte sequence C2 85 < C2 A0).
}

function isBreak(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(value: string): Analysis {
  if (value.length === 0)
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false,
    special = false;
  let leadingSpace = false,
    leadingBreak = false,
    trailingSpace = false,
    trailingBreak = false;
  let breakSpace = false,
    spaceBreak = false;
  let precededByWs = true,
    prevSpace = false,
    prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  const cps = [...value].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const next = cps[i + 1];
    const followedByWs = next === undefined || next === 0x20 || next === 0x09 || isBreak(next);
    const ch = String.fromCodePoint(cp);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWs) blockIndicators = true;
      else if (ch === '-' && followedByWs) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWs) blockIndicators = true;
      else if (ch === '#' && precededByWs) blockIndicators = true;
    }
    if (!isPrintable(cp) && !(cp >= 0x10000 && false)) special = true;
    if (cp === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = cp === 0x20 || cp === 0x09 || isBreak(cp);
  }
  const a: Analysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

const BEST_WIDTH = 80;

class Writer {
  out = '';
  column = 0;
  indent = 0;
  whitespace = true;
  indention = true;

  put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }
  /** go-yaml write_break: `\n` is a line break; other break characters are copied as they are. */
  writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  plain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    const cps = [...value];
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  singleQuoted(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    this.put("'");
    const cps = [...value];
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== ' ')
          this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c.codePointAt(0)!)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.put("'");
    this.whitespace = false;
    this.indention = false;
  }

  doubleQuoted(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    this.put('"');
    const cps = [...value];
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      const cp = c.codePointAt(0)!;
      if (!isPrintable(cp) || cp === 0xfeff || isBreak(cp) || c === '"' || c === '\\') {
        const esc: Record<number, string> = {
          0x00: '0',
          0x07: 'a',
          0x08: 'b',
          0x09: 't',
          0x0a: 'n',
          0x0b: 'v',
          0x0c: 'f',
          0x0d: 'r',
          0x1b: 'e',
          0x22: '"',
          0x5c: '\\',
          0x85: 'N',
          0xa0: '_',
          0x2028: 'L',
          0x2029: 'P',
        };
        let e = esc[cp];
        if (e === undefined) {
          if (cp <= 0xff) e = 'x' + cp.toString(16).toUpperCase().padStart(2, '0');
          else if (cp <= 0xffff) e = 'u' + cp.toString(16).toUpperCase().padStart(4, '0');
          else e = 'U' + cp.toString(16).toUpperCase().padStart(8, '0');
        }
        this.put('\\' + e);
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.put('"');
    this.whitespace = false;
    this.indention = false;
  }

  literal(value: string): void {
    if (!this.whitespace) this.put(' ');
    this.put('|');
    const cps = [...value];
    if (cps.length > 0 && (cps[0] === ' ' || isBreak(cps[0]!.codePointAt(0)!))) this.put('2');
    let chomp = '';
    if (cps.length === 0) chomp = '-';
    else {
      const last = cps[cps.length - 1]!;
      if (!isBreak(last.codePointAt(0)!)) chomp = '-';
      else if (cps.length === 1) chomp = '+';
      else if (isBreak(cps[cps.length - 2]!.codePointAt(0)!)) chomp = '+';
    }
    this.put(chomp);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c.codePointAt(0)!)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64): exponent form when exp < -4 or exp >= 6 (shortest). */
export function goFormatFloatG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '.inf' : '-.inf';
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(n.toExponential())!;
  const x = Number(m[2] + m[3]);
  if (x < -4 || x >= 6) return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  return String(n);
}

/**
 * A number as kustomize prints it. The JSON round trip turns integral values that fit in
 * int64/uint64 into ints (printed plainly); everything else is a float64 that go-yaml v2 prints
 * with Go's shortest 'g' format.
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
    const exact = exactIntText(n);
    if (exact !== undefined) return exact;
  }
  if (Number.isInteger(n) && Math.abs(n) < 1.8e19) return String(n);
  return goFormatFloatG(n);
}

function isScalar(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== 'object';
}

function writeScalar(w: Writer, v: unknown, isKey: boolean): void {
  if (v === null || v === undefined) return w.plain('null', false);
  if (typeof v === 'boolean') return w.plain(v ? 'true' : 'false', false);
  if (typeof v === 'number' || typeof v === 'bigint')
    return w.plain(typeof v === 'number' ? formatNumber(v) : v.toString(), false);
  const s = String(v);
  const canPlain = !v2ResolvesAsNonString(s) && !BASE60.test(s);
  let style: 'plain' | 'single' | 'double' | 'literal' = s.includes('\n') ? 'literal' : canPlain ? 'plain' : 'double';
  const a = analyze(s);
  if (isKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (s.length === 0 && isKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || isKey)) style = 'double';
  const allowBreaks = !isKey;
  if (style === 'plain') w.plain(s, allowBreaks);
  else if (style === 'single') w.singleQuoted(s, allowBreaks);
  else if (style === 'double') w.doubleQuoted(s, allowBreaks);
  else w.literal(s);
}

function emptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

/** Writes any node value in the current context (after a key's ':' or a '-'). */
function writeNode(w: Writer, v: unknown, parentIndent: number, inSequence: boolean): void {
  const empty = emptyCollection(v);
  if (isScalar(v) || empty) {
    const saved = w.indent;
    w.indent = parentIndent + 2;
    if (empty) w.plain(empty, false);
    else writeScalar(w, v, false);
    w.indent = saved;
    return;
  }
  if (Array.isArray(v)) {
    // In a mapping: indentless (items at the key's column); in a sequence: nested one level.
    writeSeq(w, v, inSequence ? parentIndent + 2 : parentIndent, inSequence);
  } else {
    writeMap(w, v as Record<string, unknown>, parentIndent + 2, inSequence);
  }
}

function writeMap(w: Writer, m: Record<string, unknown>, indent: number, inline: boolean): void {
  const keys = Object.keys(m).sort(naturalCompare);
  keys.forEach((k, i) => {
    w.indent = indent;
    if (!(inline && i === 0)) w.writeIndent();
    // libyaml writes a key as a "simple key" (`k: v`) only when it is one line and at most 128
    // bytes; otherwise as a complex key (`? k` / `: v`), the value compact after `: `.
    const simple = !analyze(k).multiline && Buffer.byteLength(k, 'utf8') <= 128;
    if (simple) {
      writeScalar(w, k, true);
      w.put(':');
      w.whitespace = false;
      w.indention = false;
      writeNode(w, m[k], indent, false);
      return;
    }
    w.put('?');
    w.whitespace = false;
    writeNode(w, k, indent, true);
    w.indent = indent;
    w.writeIndent();
    w.put(':');
    w.whitespace = false;
    w.indention = true;
    const v = m[k];
    if (!isScalar(v) && !emptyCollection(v)) {
      w.put(' ');
      w.whitespace = true;
    }
    writeNode(w, v, indent, true);
  });
}

function writeSeq(w: Writer, l: unknown[], indent: number, inline: boolean): void {
  l.forEach((item, i) => {
    w.indent = indent;
    if (!(inline && i === 0)) w.writeIndent();
    if (!w.whitespace) w.put(' ');
    w.put('-');
    w.whitespace = false;
    w.indention = true;
    if (!isScalar(item) && !emptyCollection(item)) {
      w.put(' ');
      w.whitespace = true;
      writeNode(w, item, indent, true);
    } else {
      writeNode(w, item, indent, true);
    }
  });
}

/** One value as kustomize writes a resource (a document body ending in a newline). */
export function toGoYaml(value: unknown): string {
  const w = new Writer();
  if (isScalar(value) || emptyCollection(value)) {
    const empty = emptyCollection(value);
    if (empty) w.plain(empty, false);
    else writeScalar(w, value, false);
  } else if (Array.isArray(value)) writeSeq(w, value, 0, true);
  else writeMap(w, value as Record<string, unknown>, 0, true);
  return w.column === 0 && w.out.endsWith('\n') ? w.out : w.out + '\n';
}

/** Several resources as `kubectl kustomize` prints them (documents separated by `---`). */
export function toGoYamlStream(values: readonly unknown[]): string {
  return values.map(toGoYaml).join('---\n');
}
