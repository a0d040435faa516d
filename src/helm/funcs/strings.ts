/**
 * sprig's string functions (strings.go) and the goutils/xstrings helpers they call, with Go's byte
 * semantics for lengths and slicing.
 */
import { GoPanic, goFunc, typedMap, typedSlice, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { intArg } from './cast.js';
import { goQuote, formatV, strval } from './go-fmt.js';
import {
  byteLen,
  byteSlice,
  bytesAsRunes,
  isDigitOrNumber,
  isLetter,
  isLower,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  mapRunes,
  toLowerRune,
  toTitleRune,
  toUpperRune,
  utf8,
} from './unicode.js';

const s1 = (f: (s: string) => string): GoFunc => goFunc(['string'], ['string'], ([a]) => f(a as string));
const s2 = (f: (a: string, b: string) => GoValue, result = 'string'): GoFunc =>
  goFunc(['string', 'string'], [result], ([a, b]) => f(a as string, b as string));

/** Go slice bounds check: a panic as the runtime words it. */
function boundsCheck(lo: number, hi: number, len: number): void {
  if (hi < 0 || hi > len) throw new GoPanic(`runtime error: slice bounds out of range [:${hi}] with length ${len}`);
  if (lo < 0 || lo > hi) throw new GoPanic(`runtime error: slice bounds out of range [${lo}:${hi}]`);
}

export function trunc(c: number, s: string): string {
  const n = byteLen(s);
  if (c < 0 && n + c > 0) return byteSlice(s, n + c);
  if (c >= 0 && n > c) return byteSlice(s, 0, c);
  return s;
}

export function substr(start: number, end: number, s: string): string {
  const n = byteLen(s);
  if (start < 0) {
    boundsCheck(0, end, n);
    return byteSlice(s, 0, end);
  }
  if (end < 0 || end > n) {
    boundsCheck(start, n, n);
    return byteSlice(s, start);
  }
  boundsCheck(start, end, n);
  return byteSlice(s, start, end);
}

/** goutils.AbbreviateFull; undefined for its errors (sprig then returns ""). */
function abbreviateFull(str: string, offset: number, maxWidth: number): string | undefined {
  if (str === '') return '';
  if (maxWidth < 4) return undefined;
  const n = byteLen(str);
  if (n <= maxWidth) return str;
  if (offset > n) offset = n;
  if (n - offset < maxWidth - 3) offset = n - (maxWidth - 3);
  if (offset <= 4) return byteSlice(str, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return undefined;
  if (offset + maxWidth - 3 < n) return '...' + (abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3) ?? '');
  return '...' + byteSlice(str, n - (maxWidth - 3));
}

export function abbrev(width: number, s: string): string {
  if (width < 4) return s;
  return abbreviateFull(s, 0, width) ?? '';
}

export function abbrevboth(left: number, right: number, s: string): string {
  if (right < 4 || (left > 0 && right < 7)) return s;
  return abbreviateFull(s, left, right) ?? '';
}

/** goutils.Initials (bytes as runes, as goutils does). */
export function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const ch of bytesAsRunes(s)) {
    if (isSpace(ch)) gap = true;
    else if (gap) {
      out += ch;
      gap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace. */
export function nospace(s: string): string {
  const chars = bytesAsRunes(s);
  const kept = chars.filter((ch) => !isSpace(ch));
  return kept.length === chars.length ? s : kept.join('');
}

/** goutils.Uncapitalize: lower-case the first rune of every space-separated word. */
export function untitle(s: string): string {
  let next = true;
  return mapRunes(s, (ch) => {
    if (isSpace(ch)) {
      next = true;
      return ch;
    }
    if (next) {
      next = false;
      return toLowerRune(ch);
    }
    return ch;
  });
}

/** goutils.SwapCase. */
export function swapcase(s: string): string {
  let ws = true;
  return mapRunes(s, (ch) => {
    if (isUpper(ch) || isTitle(ch)) {
      ws = false;
      return toLowerRune(ch);
    }
    if (isLower(ch)) {
      if (ws) {
        ws = false;
        return toTitleRune(ch);
      }
      return toUpperRune(ch);
    }
    ws = isSpace(ch);
    return ch;
  });
}

/** strings.Title (deprecated in Go, still what sprig's title calls). */
export function title(s: string): string {
  let prev = ' ';
  return mapRunes(s, (ch) => {
    const sep = isTitleSeparator(prev);
    prev = ch;
    return sep ? toTitleRune(ch) : ch;
  });
}
function isTitleSeparator(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c <= 0x7f) {
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_') return false;
    return true;
  }
  if (isLetter(ch) || isDigitOrNumber(ch)) return false;
  return isSpace(ch);
}

/** goutils.WrapCustom (byte offsets, as goutils). */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const b = utf8(str);
  const n = b.length;
  const sl = (x: number, y?: number): string => b.subarray(x, y).toString('utf8');
  let offset = 0;
  let out = '';
  while (n - offset > wrapLength) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const seg = b.subarray(offset, Math.min(end, n));
    if (end > n) boundsCheck(offset, end, n);
    const space = seg.lastIndexOf(0x20) + offset;
    if (space >= offset) {
      out += sl(offset, space) + newLine;
      offset = space + 1;
    } else if (wrapLongWords) {
      out += sl(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = b.subarray(e).indexOf(0x20);
      if (idx === -1) {
        out += sl(offset);
        offset = n;
      } else {
        out += sl(offset, idx + e) + newLine;
        offset = idx + e + 1;
      }
    }
  }
  return out + sl(offset);
}

// xstrings v1.5.0 case conversion.
const isConnector = (ch: string): boolean => ch === '-' || ch === '_' || isSpace(ch);
const isAlphabet = (ch: string): boolean => isLetter(ch) && !isCjk(ch);
const isCjk = (ch: string): boolean =>
  ch.codePointAt(0)! >= 0x3400 && /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(ch);

/** xstrings.ToPascalCase (sprig's camelcase). */
export function pascalCase(str: string): string {
  const rs = Array.from(str);
  if (rs.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  let firstUpper = false;
  for (; i < rs.length; ) {
    r0 = rs[i++]!;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpperRune(r0);
      break;
    }
    out += r0;
    r0 = '';
  }
  if (i >= rs.length) return out + r0;
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpperRune(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLowerRune(r0);
        else firstUpper = false;
      }
      out += r1;
    }
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alpha' | 'connector' | 'punct' | 'other';
function nextWord(rs: string[], at: number): [WordType, string, number] {
  if (at >= rs.length) return ['invalid', '', at];
  const start = at;
  const r = rs[at]!;
  let i = at + 1;
  const take = (pred: (c: string) => boolean): void => {
    while (i < rs.length && pred(rs[i]!)) i++;
  };
  let wt: WordType;
  if (isConnector(r)) {
    wt = 'connector';
    take(isConnector);
  } else if (isPunct(r)) {
    wt = 'punct';
    take(isPunct);
  } else if (isUpper(r)) {
    wt = 'upper';
    if (i < rs.length) {
      const n = rs[i]!;
      if (isUpper(n)) {
        take(isUpper);
        if (i < rs.length && isAlphabet(rs[i]!)) i--;
      } else if (isAlphabet(n)) {
        take((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    wt = 'alpha';
    take((c) => isAlphabet(c) && !isUpper(c));
  } else if (isDigitOrNumber(r)) {
    wt = 'number';
    take(isDigitOrNumber);
  } else {
    wt = 'other';
    take((c) => !(isConnector(c) || isAlphabet(c) || isDigitOrNumber(c) || isPunct(c)));
  }
  return [wt, rs.slice(start, i).join(''), i];
}
function lowerWord(wt: WordType, word: string, connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return word;
  return mapRunes(word, (c) => (isConnector(c) ? connector : isUpper(c) ? toLowerRune(c) : c));
}

/** xstrings.camelCaseToLowerCase (snakecase with '_', kebabcase with '-'). */
export function camelToLower(str: string, connector: string): string {
  const rs = Array.from(str);
  if (rs.length === 0) return '';
  let out = '';
  let [wt, word, pos] = nextWord(rs, 0);
  const more = (): boolean => pos < rs.length;
  const step = (): WordType => {
    [wt, word, pos] = nextWord(rs, pos);
    return wt;
  };
  while (more()) {
    if (wt !== 'connector') out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    step();
    if (prev === 'number') {
      while (wt === 'alpha' || wt === 'number') {
        out += lowerWord(wt, word, connector);
        step();
      }
      if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
    } else if (prev === 'connector') {
      out += lowerWord(prev, last, connector);
    } else if (prev === 'punct') {
      // nothing
    } else {
      if (wt !== 'number') {
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      if (!more()) continue;
      const lastNum = word;
      const after = step();
      if (after !== 'alpha') {
        out += lowerWord('number', lastNum, connector);
        if (after !== 'connector' && after !== 'punct') out += connector;
        continue;
      }
      out += connector + lowerWord('number', lastNum, connector);
      while ((wt as WordType) === 'alpha' || wt === 'number') {
        out += lowerWord(wt, word, connector);
        step();
      }
      if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
    }
  }
  return out + lowerWord(wt, word, connector);
}

/** strings.Trim(s, cutset) and friends on runes. */
function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(cutset));
  const rs = Array.from(s);
  let a = 0;
  let b = rs.length;
  if (left) while (a < b && set.has(rs[a]!)) a++;
  if (right) while (b > a && set.has(rs[b - 1]!)) b--;
  return rs.slice(a, b).join('');
}
/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const rs = Array.from(s);
  let a = 0;
  let b = rs.length;
  while (a < b && isSpace(rs[a]!)) a++;
  while (b > a && isSpace(rs[b - 1]!)) b--;
  return rs.slice(a, b).join('');
}

/** sprig's strslice (toStrings): nil elements dropped, the rest through strval. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return typedSlice(v.filter((x) => x !== null && x !== undefined).map(strval), 'string');
  if (v instanceof Uint8Array)
    return typedSlice(
      Array.from(v, (b) => String(b)),
      'string',
    );
  if (v === null || v === undefined) return typedSlice([], 'string');
  return typedSlice([strval(v)], 'string');
}

function splitMap(parts: string[]): Record<string, GoValue> {
  const res: Record<string, GoValue> = {};
  parts.forEach((p, i) => (res[`_${i}`] = p));
  return typedMap(res, 'string');
}

/** strings.Split. */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = Array.from(s);
    if (n > 0 && rs.length > n) return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
    return rs;
  }
  const all = s.split(sep);
  if (n > 0 && all.length > n) return [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
  return all;
}

export const stringFuncs: Record<string, GoFunc> = {
  hello: goFunc([], ['string'], () => 'Hello!'),
  abbrev: goFunc(['int', 'string'], ['string'], ([w, s]) => abbrev(intArg(w), s as string)),
  abbrevboth: goFunc(['int', 'int', 'string'], ['string'], ([l, r, s]) =>
    abbrevboth(intArg(l), intArg(r), s as string),
  ),
  trunc: goFunc(['int', 'string'], ['string'], ([c, s]) => trunc(intArg(c), s as string)),
  trim: s1(trimSpace),
  upper: s1((s) => mapRunes(s, toUpperRune)),
  lower: s1((s) => mapRunes(s, toLowerRune)),
  title: s1(title),
  untitle: s1(untitle),
  substr: goFunc(['int', 'int', 'string'], ['string'], ([a, b, s]) => substr(intArg(a), intArg(b), s as string)),
  repeat: goFunc(['int', 'string'], ['string'], ([c, s]) => {
    const n = intArg(c);
    if (n < 0) throw new GoPanic('strings: negative Repeat count');
    if (n * byteLen(s as string) > 64 << 20)
      throw new GoPanic('strings: Repeat output length overflow (aksfleet cap: 64 MiB)');
    return (s as string).repeat(n);
  }),
  trimall: s2((a, b) => trimCutset(b, a, true, true)),
  trimAll: s2((a, b) => trimCutset(b, a, true, true)),
  trimSuffix: s2((a, b) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: s1(nospace),
  initials: s1(initials),
  swapcase: s1(swapcase),
  snakecase: s1((s) => camelToLower(s, '_')),
  camelcase: s1(pascalCase),
  kebabcase: s1((s) => camelToLower(s, '-')),
  wrap: goFunc(['int', 'string'], ['string'], ([l, s]) => wrapCustom(s as string, intArg(l), '', false)),
  wrapWith: goFunc(['int', 'string', 'string'], ['string'], ([l, sep, s]) =>
    wrapCustom(s as string, intArg(l), sep as string, true),
  ),
  contains: s2((a, b) => b.includes(a), 'bool'),
  hasPrefix: s2((a, b) => b.startsWith(a), 'bool'),
  hasSuffix: s2((a, b) => b.endsWith(a), 'bool'),
  quote: goFunc(
    [],
    ['string'],
    (args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => goQuote(strval(a)))
        .join(' '),
    'interface{}',
  ),
  squote: goFunc(
    [],
    ['string'],
    (args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => `'${formatV(a)}'`)
        .join(' '),
    'interface{}',
  ),
  cat: goFunc(
    [],
    ['string'],
    (args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map(formatV)
        .join(' '),
    'interface{}',
  ),
  indent: goFunc(['int', 'string'], ['string'], ([n, s]) => indent(intArg(n), s as string)),
  nindent: goFunc(['int', 'string'], ['string'], ([n, s]) => '\n' + indent(intArg(n), s as string)),
  replace: goFunc(['string', 'string', 'string'], ['string'], ([o, n, s]) =>
    goReplaceAll(s as string, o as string, n as string),
  ),
  plural: goFunc(['string', 'string', 'int'], ['string'], ([one, many, c]) => (intArg(c) === 1 ? one : many)),
  toString: goFunc(['interface{}'], ['string'], ([v]) => strval(v ?? null)),
  join: goFunc(['string', 'interface{}'], ['string'], ([sep, v]) => strslice(v ?? null).join(sep as string)),
  split: s2((sep, s) => splitMap(goSplit(s, sep)), 'map[string]string'),
  splitList: s2((sep, s) => typedSlice(goSplit(s, sep), 'string'), '[]string'),
  splitn: goFunc(['string', 'int', 'string'], ['map[string]string'], ([sep, n, s]) =>
    splitMap(goSplit(s as string, sep as string, intArg(n))),
  ),
  toStrings: goFunc(['interface{}'], ['[]string'], ([v]) => strslice(v ?? null)),
};

/** strings.Replace(s, old, new, -1), including Go's rule for an empty `old` (insert between runes). */
export function goReplaceAll(s: string, old: string, nw: string): string {
  if (old === '') return nw + Array.from(s).join(nw) + (s === '' ? '' : nw);
  return s.split(old).join(nw);
}

function indent(n: number, s: string): string {
  if (n < 0) throw new GoPanic('strings: negative Repeat count');
  // Go allocates; past what any machine can, it panics as below. We cap far lower (untrusted charts).
  if (n > 2 ** 40) throw new GoPanic('runtime error: makeslice: len out of range');
  if (n > 1 << 20) throw new GoPanic(`aksfleet: indent ${n} is wider than ${1 << 20}`);
  const pad = ' '.repeat(n);
  return pad + s.split('\n').join('\n' + pad);
}
