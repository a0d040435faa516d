/**
 * The string functions of Flux's envsubst dialect (fluxcd/pkg envsubst/funcs.go), on byte
 * strings: lengths and offsets count UTF-8 bytes, as in Go.
 */
import { decodeRune, encodeRune, mapRune, mapRunes, reverseRunes } from './bytes.js';
import { globMatch } from './glob.js';

export type SubstituteFn = (s: string, args: string[]) => string;

export const toLen: SubstituteFn = (s) => String(s.length);
export const toLower: SubstituteFn = (s) => mapRunes(s, false);
export const toUpper: SubstituteFn = (s) => mapRunes(s, true);

function mapFirst(s: string, upper: boolean): string {
  if (s === '') return s;
  const [r, n] = decodeRune(s, 0);
  return encodeRune(mapRune(r, upper)) + s.slice(n);
}
export const toLowerFirst: SubstituteFn = (s) => mapFirst(s, false);
export const toUpperFirst: SubstituteFn = (s) => mapFirst(s, true);

/** Every default form: the value if non-empty, else the arguments joined without separator. */
export const toDefault: SubstituteFn = (s, args) => (s.length === 0 && args.length > 0 ? args.join('') : s);

/** Go's strconv.Atoi (decimal, optional sign); undefined when it would fail. */
function atoi(a: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(a)) return undefined;
  const n = Number(a);
  return Number.isSafeInteger(n) ? n : undefined;
}

export const toSubstr: SubstituteFn = (s, args) => {
  if (args.length === 0) return s;
  let pos = atoi(args[0]!);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : '';
  const length = atoi(args[1]!);
  if (length === undefined) return s;
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : '';
  return s.slice(pos, pos + length);
};

const replaceN = (s: string, from: string, to: string, n: number): string => {
  if (n < 0) return from === '' ? goReplaceEmptyAll(s, to) : s.split(from).join(to);
  if (from === '') return to + s; // Go: an empty old string matches at the start
  const i = s.indexOf(from);
  return i < 0 ? s : s.slice(0, i) + to + s.slice(i + from.length);
};
/** Go's strings.Replace(s, "", new, -1) inserts `new` before every rune and at the end. */
function goReplaceEmptyAll(s: string, to: string): string {
  let out = '';
  let pos = 0;
  while (pos < s.length) {
    const [, w] = decodeRune(s, pos);
    out += to + s.slice(pos, pos + w);
    pos += w;
  }
  return out + to;
}

export const replaceAll: SubstituteFn = (s, args) => (args.length === 0 ? s : replaceN(s, args[0]!, args[1] ?? '', -1));
export const replaceFirst: SubstituteFn = (s, args) =>
  args.length === 0 ? s : replaceN(s, args[0]!, args[1] ?? '', 1);
export const replacePrefix: SubstituteFn = (s, args) =>
  args.length === 2 && s.startsWith(args[0]!) ? replaceN(s, args[0]!, args[1]!, 1) : s;
export const replaceSuffix: SubstituteFn = (s, args) =>
  args.length === 2 && s.endsWith(args[0]!) ? s.slice(0, s.length - args[0]!.length) + args[1]! : s;

function trimShortest(s: string, arg: string): string {
  let shortest = '';
  for (let i = 0; i < s.length; i++) {
    let m: boolean;
    try {
      m = globMatch(arg, s.slice(0, s.length - i));
    } catch {
      return s;
    }
    if (m) shortest = s.slice(0, s.length - i);
  }
  return shortest !== '' && s.startsWith(shortest) ? s.slice(shortest.length) : s;
}

function trimLongest(s: string, arg: string): string {
  for (let i = 0; i < s.length; i++) {
    let m: boolean;
    try {
      m = globMatch(arg, s.slice(0, s.length - i));
    } catch {
      return s;
    }
    if (m) return s.slice(s.length - i);
  }
  return s;
}

export const trimShortestPrefix: SubstituteFn = (s, args) => (args.length ? trimShortest(s, args[0]!) : s);
export const trimLongestPrefix: SubstituteFn = (s, args) => (args.length ? trimLongest(s, args[0]!) : s);
export const trimShortestSuffix: SubstituteFn = (s, args) =>
  args.length ? reverseRunes(trimShortest(reverseRunes(s), reverseRunes(args[0]!))) : s;
export const trimLongestSuffix: SubstituteFn = (s, args) =>
  args.length ? reverseRunes(trimLongest(reverseRunes(s), reverseRunes(args[0]!))) : s;

/** The function for an operator name; unknown names (and every default form) use toDefault. */
export function lookupFunc(name: string, nargs: number): SubstituteFn {
  switch (name) {
    case ',':
      return toLowerFirst;
    case ',,':
      return toLower;
    case '^':
      return toUpperFirst;
    case '^^':
      return toUpper;
    case '#':
      return nargs === 0 ? toLen : trimShortestPrefix;
    case '##':
      return trimLongestPrefix;
    case '%':
      return trimShortestSuffix;
    case '%%':
      return trimLongestSuffix;
    case ':':
      return toSubstr;
    case '/#':
      return replacePrefix;
    case '/%':
      return replaceSuffix;
    case '/':
      return replaceFirst;
    case '//':
      return replaceAll;
    default:
      return toDefault;
  }
}

/** Operators that supply their own value when the variable is unset (exempt from strict mode). */
export function isDefaultOp(name: string): boolean {
  return ['-', '+', '=', '?', ':-', ':+', ':=', ':?'].includes(name);
}
