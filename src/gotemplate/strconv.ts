/**
 * The parts of Go's strconv the template engine needs: quoting (Quote, QuoteToASCII, QuoteRune,
 * CanBackquote), unquoting of template string and character literals, and parsing of Go number
 * literals. Strings are JavaScript strings; Go's bytes are their UTF-8 encoding.
 */
import { isPrintRune } from './lex.js';

const hexDigits = '0123456789abcdef';

function appendEscapedRune(out: string[], r: number, quote: number, asciiOnly: boolean, graphicOnly = false): void {
  if (r === quote || r === 0x5c) {
    out.push('\\', String.fromCodePoint(r));
    return;
  }
  if (asciiOnly) {
    if (r < 0x80 && isPrintRune(r)) {
      out.push(String.fromCodePoint(r));
      return;
    }
  } else if (isPrintRune(r) || (graphicOnly && false)) {
    out.push(String.fromCodePoint(r));
    return;
  }
  switch (r) {
    case 0x07:
      out.push('\\a');
      return;
    case 0x08:
      out.push('\\b');
      return;
    case 0x0c:
      out.push('\\f');
      return;
    case 0x0a:
      out.push('\\n');
      return;
    case 0x0d:
      out.push('\\r');
      return;
    case 0x09:
      out.push('\\t');
      return;
    case 0x0b:
      out.push('\\v');
      return;
  }
  if (r < 0x20 || r === 0x7f) {
    out.push('\\x', hexDigits[r >> 4]!, hexDigits[r & 0xf]!);
  } else if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) {
    out.push('\\ufffd');
  } else if (r < 0x10000) {
    out.push('\\u', r.toString(16).padStart(4, '0'));
  } else {
    out.push('\\U', r.toString(16).padStart(8, '0'));
  }
}

/** Go's strconv.Quote (asciiOnly: QuoteToASCII). `maxRunes` mirrors `%.Nq`. */
export function quote(s: string, asciiOnly = false, maxRunes = -1): string {
  const out: string[] = ['"'];
  let n = 0;
  for (const ch of s) {
    if (maxRunes >= 0 && n >= maxRunes) break;
    n++;
    const r = ch.codePointAt(0)!;
    if (r >= 0xdc80 && r <= 0xdcff) {
      out.push('\\x', hexDigits[(r >> 4) & 0xf]!, hexDigits[r & 0xf]!);
      continue;
    }
    if (r >= 0xd800 && r <= 0xdfff) {
      out.push('\\ufffd');
      continue;
    }
    appendEscapedRune(out, r, 0x22, asciiOnly);
  }
  out.push('"');
  return out.join('');
}

/** Go's strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). */
export function quoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd;
  const out: string[] = ["'"];
  appendEscapedRune(out, r, 0x27, asciiOnly);
  out.push("'");
  return out.join('');
}

/** Go's strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 0xfeff) return false;
    if (r === 0xfffd || (r >= 0xd800 && r <= 0xdfff)) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

export class SyntaxError extends Error {}

function unhex(c: string): number {
  const i = '0123456789abcdef'.indexOf(c.toLowerCase());
  return i;
}

/**
 * Go's strconv.UnquoteChar over a JavaScript string at index `i`; returns the rune or byte (isByte) and the next index.
 */
export function unquoteChar(s: string, i: number, quote: string): { value: number; isByte: boolean; next: number } {
  const c = s.codePointAt(i)!;
  if (s[i] === quote && (quote === "'" || quote === '"')) throw new SyntaxError('invalid syntax');
  if (c !== 0x5c) return { value: c, isByte: false, next: i + (c > 0xffff ? 2 : 1) };
  if (i + 1 >= s.length) throw new SyntaxError('invalid syntax');
  const e = s[i + 1]!;
  let j = i + 2;
  switch (e) {
    case 'a':
      return { value: 7, isByte: false, next: j };
    case 'b':
      return { value: 8, isByte: false, next: j };
    case 'f':
      return { value: 12, isByte: false, next: j };
    case 'n':
      return { value: 10, isByte: false, next: j };
    case 'r':
      return { value: 13, isByte: false, next: j };
    case 't':
      return { value: 9, isByte: false, next: j };
    case 'v':
      return { value: 11, isByte: false, next: j };
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (j + n > s.length) throw new SyntaxError('invalid syntax');
      let v = 0;
      for (let k = 0; k < n; k++) {
        const d = unhex(s[j + k]!);
        if (d < 0) throw new SyntaxError('invalid syntax');
        v = v * 16 + d;
      }
      j += n;
      if (e === 'x') return { value: v, isByte: true, next: j };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError('invalid syntax');
      return { value: v, isByte: false, next: j };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      let v = 0;
      j = i + 1;
      if (j + 3 > s.length) throw new SyntaxError('invalid syntax');
      for (let k = 0; k < 3; k++) {
        const d = s.charCodeAt(j + k) - 0x30;
        if (d < 0 || d > 7) throw new SyntaxError('invalid syntax');
        v = v * 8 + d;
      }
      if (v > 255) throw new SyntaxError('invalid syntax');
      return { value: v, isByte: true, next: j + 3 };
    }
    case '\\':
      return { value: 0x5c, isByte: false, next: j };
    case "'":
    case '"':
      if (e !== quote) throw new SyntaxError('invalid syntax');
      return { value: e.charCodeAt(0), isByte: false, next: j };
  }
  throw new SyntaxError('invalid syntax');
}

/** Go's strconv.Unquote for "..." and `...` literals (bytes from \x escapes are decoded as UTF-8). */
export function unquote(lit: string): string {
  if (lit.length < 2) throw new SyntaxError('invalid syntax');
  const q = lit[0]!;
  if (q !== lit[lit.length - 1]) throw new SyntaxError('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError('invalid syntax');
  if (body.includes('\n')) throw new SyntaxError('invalid syntax');
  if (!body.includes('\\')) {
    if (q === "'" || body.includes('"')) {
      // a char literal, or a stray quote: the slow path reports it
    } else return body;
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const { value, isByte, next } = unquoteChar(body, i, q);
    if (isByte) bytes.push(value);
    else for (const b of goBytes(String.fromCodePoint(value))) bytes.push(b);
    i = next;
  }
  return goString(new Uint8Array(bytes));
}

/** Go's strconv.ParseInt/ParseUint(text, 0, 64) syntax: a bigint, or undefined when it is not an integer literal. */
export function parseGoInt(text: string): bigint | undefined {
  if (/^[+-]?[1-9]\d{0,14}$|^0$/.test(text)) return BigInt(text);
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    digits = s.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    digits = s.slice(2);
    prefixed = true;
  } else if (/^0[0-9_]/.test(s)) {
    base = 8;
    digits = s.slice(1);
    prefixed = true;
  }
  if (!underscoreOK(s, prefixed ? base : 10)) return undefined;
  digits = digits.replace(/_/g, '');
  if (digits === '') return prefixed && base === 8 && !/^0[oO]/.test(s) ? 0n : undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const d of digits) v = v * b + BigInt(parseInt(d, base));
  return neg ? -v : v;
}

/** Go's strconv underscoreOK: underscores only between digits or after a base prefix. */
export function underscoreOK(s: string, _base = 10): boolean {
  if (!s.includes('_')) return true;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Go's strconv.ParseFloat(text, 64) syntax (decimal and hex floats, underscores, inf/nan). */
export function parseGoFloat(text: string): number | undefined {
  let s = text;
  const lower = s.toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (m) return m[2] === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  if (s.includes('_') && !underscoreOK(s, 10)) return undefined;
  s = s.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const hm = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (hm && (hm[2]! + hm[3]!).length > 0) {
    const mant = parseInt(hm[2]! + hm[3]! || '0', 16);
    const v = mant * 2 ** (Number(hm[4]) - 4 * hm[3]!.length);
    return hm[1] === '-' ? -v : v;
  }
  return undefined;
}

/**
 * Go strings are bytes; ours are JavaScript strings. A byte that is not part of valid UTF-8 is
 * kept as the lone surrogate U+DC80..U+DCFF (as Python's "surrogateescape"), so `"\xff"` keeps its
 * byte through `len`, `index`, `slice`, `%x` and `%q`. {@link goBytes} and {@link goString}
 * convert between the two.
 */
export function goBytes(s: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  const out: number[] = [];
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r < 0x80) out.push(r);
    else if (r >= 0xdc80 && r <= 0xdcff) out.push(r - 0xdc00);
    else if (r >= 0xd800 && r <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else if (r < 0x800) out.push(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
    else if (r < 0x10000) out.push(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
    else out.push(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Bytes to a string as Go sees them: valid UTF-8 decoded, every other byte kept (see {@link goBytes}). */
export function goString(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    let r = n === 4 ? c & 0x07 : n === 3 ? c & 0x0f : c & 0x1f;
    let ok = n > 0 && n <= 4 && i + n <= b.length && c < 0xf5;
    for (let k = 1; ok && k < n; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) ok = false;
      else r = (r << 6) | (d & 0x3f);
    }
    if (ok && ((n === 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff))) || (n === 4 && (r < 0x10000 || r > 0x10ffff))))
      ok = false;
    if (ok) {
      out += String.fromCodePoint(r);
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    }
  }
  return out;
}
