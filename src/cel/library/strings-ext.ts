/**
 * What cel-go's strings extension at version 2 (ext.Strings(ext.StringsVersion(2)), Kubernetes
 * 1.29+) adds to cel-js' own string functions: charAt, replace, format, strings.quote. Indexes
 * count Unicode code points, as Go's runes.
 */
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { durationString, fromCel, isCelMap, mapEntries, Optional, UnsignedInt } from '../values.js';
import { matches } from './regex.js';
import { namespaced, type CelRegistrar } from './types.js';

function codePoints(s: string): string[] {
  return Array.from(s);
}

function replace(s: string, from: string, to: string, n: bigint): string {
  charge(sizeCost(s.length));
  if (n === 0n) return s;
  if (n < 0n) return from === '' ? insertEverywhere(s, to, -1) : s.split(from).join(to);
  if (from === '') return insertEverywhere(s, to, Number(n));
  let out = '';
  let rest = s;
  let count = 0n;
  for (;;) {
    const i = rest.indexOf(from);
    if (i < 0 || count >= n) return out + rest;
    out += rest.slice(0, i) + to;
    rest = rest.slice(i + from.length);
    count++;
  }
}

/** Go's strings.Replace with an empty old string: `to` before every rune and at the end, n times. */
function insertEverywhere(s: string, to: string, n: number): string {
  const cps = codePoints(s);
  let out = '';
  let done = 0;
  for (let i = 0; i <= cps.length; i++) {
    if (n < 0 || done < n) {
      out += to;
      done++;
    }
    if (i < cps.length) out += cps[i];
  }
  return out;
}

/** strings.quote: a double-quoted CEL string literal. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\v':
        out += '\\v';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += ch;
    }
  }
  return out + '"';
}

function formatString(v: unknown, nested = false): string {
  if (typeof v === 'string') return nested ? quote(v) : v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v instanceof UnsignedInt) return String(v.value);
  if (typeof v === 'number') return formatDouble(v);
  if (Array.isArray(v)) return `[${v.map((e) => formatString(e, true)).join(', ')}]`;
  if (isCelMap(v)) {
    const entries = mapEntries(v).map(([k, x]) => [formatString(k, true), formatString(x, true)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof (v as { seconds?: unknown }).seconds === 'bigint') return durationString(v as never);
  return String(fromCel(v));
}

function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

function formatWith(verb: string, precision: number | undefined, v: unknown): string {
  switch (verb) {
    case 's':
      return formatString(v);
    case 'd':
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof UnsignedInt) return String(v.value);
      if (typeof v === 'number' && !Number.isFinite(v)) return formatDouble(v);
      throw new CelEvalError(
        `error during formatting: decimal clause can only be used on integers, was given ${typeOf(v)}`,
      );
    case 'f':
    case 'e': {
      const x =
        typeof v === 'bigint'
          ? Number(v)
          : v instanceof UnsignedInt
            ? Number(v.value)
            : typeof v === 'number'
              ? v
              : typeof v === 'string'
                ? Number(v)
                : NaN;
      if (typeof v !== 'number' && typeof v !== 'bigint' && !(v instanceof UnsignedInt) && typeof v !== 'string') {
        throw new CelEvalError(
          `error during formatting: fixed-point clause can only be used on doubles, was given ${typeOf(v)}`,
        );
      }
      if (!Number.isFinite(x)) return formatDouble(x);
      const p = precision ?? 6;
      if (verb === 'f') return x.toFixed(p);
      return x.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
    }
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const radix = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let out: string;
      if (typeof v === 'bigint') out = v < 0n ? `-${(-v).toString(radix)}` : v.toString(radix);
      else if (v instanceof UnsignedInt) out = (v.value as bigint).toString(radix);
      else if (typeof v === 'boolean' && verb === 'b') out = v ? '1' : '0';
      else if (typeof v === 'string' && radix === 16) out = Buffer.from(v, 'utf8').toString('hex');
      else if (v instanceof Uint8Array && radix === 16) out = Buffer.from(v).toString('hex');
      else
        throw new CelEvalError(
          `error during formatting: only integers${radix === 16 ? ', byte buffers, and strings' : ''} can be ` +
            `formatted as ${verb === 'b' ? 'binary' : verb === 'o' ? 'octal' : 'hex'}, was given ${typeOf(v)}`,
        );
      return verb === 'X' ? out.toUpperCase() : out;
    }
  }
  throw new CelEvalError(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
}

function typeOf(v: unknown): string {
  if (typeof v === 'number') return 'double';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return 'dyn';
}

/** `"…".format([args])` as cel-go's strings extension version 2 formats. */
export function format(template: string, args: unknown[]): string {
  charge(sizeCost(template.length));
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    if (template[i] === '%') {
      out += '%';
      continue;
    }
    let precision: number | undefined;
    if (template[i] === '.') {
      let j = i + 1;
      while (j < template.length && /[0-9]/.test(template[j])) j++;
      precision = Number(template.slice(i + 1, j));
      i = j;
    }
    const verb = template[i];
    if (verb === undefined) throw new CelEvalError('could not parse formatting clause: unexpected end of string');
    if (next >= args.length) throw new CelEvalError(`index ${next} out of range`);
    out += formatWith(verb, precision, args[next++]);
  }
  return out;
}

/** Go's unicode.IsSpace. */
const GO_SPACE_CLASS = String.raw`[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
/** Leading or trailing Go spaces. */
const GO_SPACE = new RegExp(`^${GO_SPACE_CLASS}+|${GO_SPACE_CLASS}+$`, 'g');

function indexOfRunes(s: string, sub: string, offset: bigint): bigint {
  if (sub === '') return offset;
  const r = codePoints(s);
  const q = codePoints(sub);
  if (offset < 0n) throw new CelEvalError(`index out of range: ${offset}`);
  charge(sizeCost(r.length));
  for (let i = Number(offset); i < r.length - (q.length - 1); i++)
    if (q.every((c, j) => r[i + j] === c)) return BigInt(i);
  return -1n;
}

function lastIndexOfRunes(s: string, sub: string, offset?: bigint): bigint {
  const r = codePoints(s);
  const q = codePoints(sub);
  if (offset === undefined) {
    if (sub === '') return BigInt(r.length);
    if (Buffer.byteLength(s) < Buffer.byteLength(sub)) return -1n;
    offset = BigInt(r.length - 1);
  }
  if (sub === '') return offset;
  if (offset < 0n) throw new CelEvalError(`index out of range: ${offset}`);
  if (offset >= BigInt(r.length)) return -1n;
  charge(sizeCost(r.length));
  for (let i = Math.min(Number(offset), r.length - q.length); i >= 0; i--)
    if (q.every((c, j) => r[i + j] === c)) return BigInt(i);
  return -1n;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const r = codePoints(s);
  const l = BigInt(r.length);
  if (end !== undefined && start > end) throw new CelEvalError(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > l) throw new CelEvalError(`index out of range: ${start}`);
  if (end !== undefined && (end < 0n || end > l)) throw new CelEvalError(`index out of range: ${end}`);
  return r.slice(Number(start), end === undefined ? undefined : Number(end)).join('');
}

/** Go's strings.SplitN (n < 0: all; 0: none; an empty separator splits into runes). */
function splitN(s: string, sep: string, n: bigint): string[] {
  charge(sizeCost(s.length));
  if (n === 0n) return [];
  const parts = sep === '' ? codePoints(s) : s.split(sep);
  if (n < 0n || BigInt(parts.length) <= n) return parts;
  const k = Number(n);
  return [...parts.slice(0, k - 1), sep === '' ? parts.slice(k - 1).join('') : parts.slice(k - 1).join(sep)];
}

const asciiMap = (s: string, f: (c: string) => string): string => s.replace(/[A-Za-z]/g, f);

/**
 * Methods cel-js has with other semantics than cel-go (strings: UTF-16 and Unicode case; regex:
 * JavaScript; orValue/or: errors on a non-optional receiver): expressions call ours instead (the
 * compiler renames the method to `k8s_<name>`).
 */
export const OVERRIDDEN_METHODS: ReadonlySet<string> = new Set([
  'lowerAscii',
  'upperAscii',
  'trim',
  'indexOf',
  'lastIndexOf',
  'substring',
  'split',
  'matches',
  'orValue',
  'or',
]);

/** Global functions cel-js has with other semantics (renamed to `k8s_<name>` like the methods). */
export const OVERRIDDEN_FUNCTIONS: ReadonlySet<string> = new Set(['matches', 'int']);

/** cel-go's int() conversion: range-checked from uint and double, base-10 from string, seconds from a timestamp. */
function toInt(v: unknown): bigint {
  const MAX = 2n ** 63n - 1n;
  if (typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) {
    if ((v.value as bigint) > MAX) throw new CelEvalError('range error converting uint to int');
    return v.value as bigint;
  }
  if (typeof v === 'number') {
    if (!(v > -9.223372036854775808e18 && v < 9.223372036854775807e18))
      throw new CelEvalError('range error converting double to int');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    if (!/^[+-]?[0-9]+$/.test(v)) throw new CelEvalError(`type conversion error from 'string' to 'int'`);
    const n = BigInt(v);
    if (n > MAX || n < -MAX - 1n) throw new CelEvalError(`type conversion error from 'string' to 'int'`);
    return n;
  }
  if (v instanceof Date) return BigInt(Math.floor(v.getTime() / 1000));
  throw new CelEvalError(`found no matching overload for 'int' applied to '(${typeof v})'`);
}

export function registerStringsExt(env: CelRegistrar): void {
  env.registerFunction('string.k8s_lowerAscii(): string', (s: string) => asciiMap(s, (c) => c.toLowerCase()));
  env.registerFunction('string.k8s_upperAscii(): string', (s: string) => asciiMap(s, (c) => c.toUpperCase()));
  env.registerFunction('string.k8s_trim(): string', (s: string) => s.replace(GO_SPACE, ''));
  env.registerFunction('string.k8s_indexOf(string): int', (s: string, q: string) => indexOfRunes(s, q, 0n));
  env.registerFunction('string.k8s_indexOf(string, int): int', indexOfRunes);
  env.registerFunction('string.k8s_lastIndexOf(string): int', (s: string, q: string) => lastIndexOfRunes(s, q));
  env.registerFunction('string.k8s_lastIndexOf(string, int): int', lastIndexOfRunes);
  env.registerFunction('string.k8s_substring(int): string', (s: string, a: bigint) => substring(s, a));
  env.registerFunction('string.k8s_substring(int, int): string', substring);
  env.registerFunction('string.k8s_split(string): list<string>', (s: string, sep: string) => splitN(s, sep, -1n));
  env.registerFunction('string.k8s_split(string, int): list<string>', splitN);
  env.registerFunction('string.k8s_matches(string): bool', matches);
  env.registerFunction('k8s_matches(string, string): bool', matches);
  env.registerFunction('k8s_int(dyn): int', toInt);
  // cel-go's orValue/or return a non-optional receiver unchanged (cel-js raises an error).
  env.registerFunction('dyn.k8s_orValue(dyn): dyn', (o: unknown, d: unknown) =>
    o instanceof Optional ? o.orValue(d) : o,
  );
  env.registerFunction('dyn.k8s_or(dyn): dyn', (o: unknown, d: unknown) => {
    if (!(o instanceof Optional)) return o;
    if (!(d instanceof Optional)) throw new CelEvalError('no such overload: optional.or(non-optional)');
    return o.hasValue() ? o : d;
  });
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = codePoints(s);
    if (i < 0n || i > BigInt(cps.length)) throw new CelEvalError(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
    replace(s, a, b, -1n),
  );
  env.registerFunction('string.replace(string, string, int): string', replace);
  env.registerFunction('string.format(list): string', format);
  namespaced(env, 'strings.quote', ['string'], 'string', quote);
}
