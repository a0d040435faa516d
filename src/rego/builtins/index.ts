/**
 * The built-in functions (OPA policy reference, "Built-in Functions"), those the Gatekeeper library
 * uses and the common rest. None reaches the network, the filesystem or the environment; the ones
 * that would are in OFFLINE_UNSUPPORTED and refused at compile time.
 */
import { RE2JS } from 're2js';
import {
  RObject,
  RSet,
  compare,
  compareNumbers,
  equal,
  fromJson,
  isNumber,
  isObject,
  isSet,
  jsonText,
  normNumber,
  toJson,
  typeName,
  type Value,
} from '../value.js';
import { sprintfBuiltin } from './sprintf.js';
import { BuiltinError, operandError, type Builtin, type BuiltinContext } from './types.js';
import { globMatch } from './glob.js';
import { parseRfc3339Ns, parseUnits, parseBytes } from './units.js';
import { cidrContains } from './net.js';

/** Built-ins that need the network, the filesystem or the process environment. */
export const OFFLINE_UNSUPPORTED: ReadonlySet<string> = new Set([
  'http.send',
  'opa.runtime',
  'net.lookup_ip_addr',
  'io.jwt.decode_verify',
  'rego.parse_module',
  'trace',
]);

/** Built-ins OPA removed from Rego v1 (defined for v0 modules only). */
export const DEPRECATED_IN_V1: ReadonlySet<string> = new Set([
  'any',
  'all',
  're_match',
  'set_diff',
  'cast_array',
  'cast_set',
  'cast_string',
  'cast_boolean',
  'cast_null',
  'cast_object',
  'net.cidr_overlap',
]);

const str = (name: string, v: Value | undefined, pos: number): string => {
  if (typeof v !== 'string') throw operandError(name, pos, v, 'string');
  return v;
};
const num = (name: string, v: Value | undefined, pos: number): number | bigint => {
  if (!isNumber(v)) throw operandError(name, pos, v, 'number');
  return v;
};
const arr = (name: string, v: Value | undefined, pos: number): Value[] => {
  if (!Array.isArray(v)) throw operandError(name, pos, v, 'array');
  return v;
};
const setv = (name: string, v: Value | undefined, pos: number): RSet => {
  if (!isSet(v)) throw operandError(name, pos, v, 'set');
  return v;
};
const obj = (name: string, v: Value | undefined, pos: number): RObject => {
  if (!isObject(v)) throw operandError(name, pos, v, 'object');
  return v;
};
const int = (name: string, v: Value | undefined, pos: number): number => {
  const n = num(name, v, pos);
  const x = Number(n);
  if (!Number.isInteger(x)) throw operandError(name, pos, v, 'integer');
  return x;
};

const isInt = (n: number | bigint): boolean => typeof n === 'bigint' || Number.isInteger(n);

function arith(op: string, a: number | bigint, b: number | bigint): number | bigint {
  const r = arithRaw(op, a, b);
  return typeof r === 'number' ? r + 0 : r; // no -0
}

function arithRaw(op: string, a: number | bigint, b: number | bigint): number | bigint {
  if (isInt(a) && isInt(b) && (typeof a === 'bigint' || typeof b === 'bigint' || op === 'mul')) {
    const x = BigInt(a);
    const y = BigInt(b);
    switch (op) {
      case 'plus':
        return normNumber(x + y);
      case 'minus':
        return normNumber(x - y);
      case 'mul':
        return normNumber(x * y);
    }
  }
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case 'plus':
    case 'minus':
    case 'mul':
      return decimalArith(op, x, y);
    case 'div':
      if (y === 0) throw new BuiltinError('div: divide by zero');
      return x / y;
    default:
      if (!Number.isInteger(x) || !Number.isInteger(y)) throw new BuiltinError('rem: modulo on floating-point number');
      if (y === 0) throw new BuiltinError('rem: modulo by zero');
      return x % y;
  }
}

/**
 * OPA computes with arbitrary-precision decimals (big.Float from the numbers' text), so
 * 0.1 + 0.2 is 0.3, not 0.30000000000000004: add, subtract and multiply the shortest decimal
 * texts exactly, then round once to a float64.
 */
function decimalArith(op: 'plus' | 'minus' | 'mul', x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return op === 'plus' ? x + y : op === 'minus' ? x - y : x * y;
  const [mx, ex] = decimalOf(x);
  const [my, ey] = decimalOf(y);
  if (op === 'mul') return Number(`${mx * my}e${ex + ey}`);
  const e = Math.min(ex, ey);
  const ax = mx * 10n ** BigInt(ex - e);
  const ay = my * 10n ** BigInt(ey - e);
  return Number(`${op === 'plus' ? ax + ay : ax - ay}e${e}`);
}

/** A float as mantissa * 10^exponent (from its shortest text). */
function decimalOf(n: number): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(n));
  if (!m) return [BigInt(Math.round(n)), 0];
  const frac = m[3] ?? '';
  return [BigInt(m[1]! + m[2]! + frac), Number(m[4] ?? 0) - frac.length];
}

function fn(arity: number, f: (args: Value[], ctx: BuiltinContext) => Value | undefined): Builtin {
  return { arity, fn: f };
}

function collection(name: string, v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v;
  if (isSet(v)) return v.sorted();
  throw operandError(name, 1, v, 'any of {array, set}');
}

function regex(ctx: BuiltinContext, pattern: string): RE2JS {
  let re = ctx.regexCache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new BuiltinError(`regex.match: ${(e as Error).message}`);
    }
    if (ctx.regexCache.size > 1000) ctx.regexCache.clear();
    ctx.regexCache.set(pattern, re);
  }
  return re;
}

function trimSet(cutset: string): Set<string> {
  return new Set([...cutset]);
}
function trimLeft(s: string, cut: Set<string>): string {
  const cs = [...s];
  let i = 0;
  while (i < cs.length && cut.has(cs[i]!)) i++;
  return cs.slice(i).join('');
}
function trimRight(s: string, cut: Set<string>): string {
  const cs = [...s];
  let j = cs.length;
  while (j > 0 && cut.has(cs[j - 1]!)) j--;
  return cs.slice(0, j).join('');
}

function toNumber(v: Value | undefined): Value {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumber(v)) return v;
  if (typeof v === 'string') {
    if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(v.trim()) || v.trim() !== v)
      throw new BuiltinError(`to_number: invalid syntax`);
    const t = v.replace(/^\+/, '');
    if (/^-?[0-9]+$/.test(t)) {
      const n = Number(t);
      return Number.isSafeInteger(n) ? n : BigInt(t);
    }
    return Number(t);
  }
  throw operandError('to_number', 1, v, 'one of {null, boolean, number, string}');
}

function formatInt(v: Value | undefined, base: Value | undefined): string {
  const n = num('format_int', v, 1);
  const b = int('format_int', base, 2);
  if (![2, 8, 10, 16].includes(b)) throw new BuiltinError('format_int: operand 2 must be one of {2, 8, 10, 16}');
  const x = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  return x.toString(b);
}

function objectGet(o: RObject, key: Value, dflt: Value): Value {
  if (Array.isArray(key)) {
    let cur: Value = o;
    for (const k of key) {
      if (isObject(cur)) {
        const x = cur.get(k);
        if (x === undefined) return dflt;
        cur = x;
      } else if (Array.isArray(cur)) {
        if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= cur.length) return dflt;
        cur = cur[k]!;
      } else if (isSet(cur)) {
        if (!cur.has(k)) return dflt;
        cur = k;
      } else return dflt;
    }
    return cur;
  }
  const x = o.get(key);
  return x === undefined ? dflt : x;
}

function unionAll(name: string, v: Value | undefined): RSet {
  const s = setv(name, v, 1);
  const out = new RSet();
  for (const x of s.values()) for (const y of setv(name, x, 1).values()) out.add(y);
  return out;
}

function substring(s: string, start: number, len: number): string {
  const cs = [...s];
  if (start < 0) throw new BuiltinError('substring: negative offset');
  if (start >= cs.length) return '';
  return len < 0 ? cs.slice(start).join('') : cs.slice(start, start + len).join('');
}

function splitGo(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

function replaceN(patterns: RObject, s: string): string {
  // Go's strings.NewReplacer with the pairs in key order.
  const pairs = patterns
    .sortedPairs()
    .map(([k, v]) => [str('strings.replace_n', k, 1), str('strings.replace_n', v, 1)] as const);
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (const [k, v] of pairs) {
      if (k !== '' && s.startsWith(k, i)) {
        out += v;
        i += k.length;
        continue outer;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

function numbersOf(name: string, v: Value | undefined): (number | bigint)[] {
  return collection(name, v).map((x, i) => num(name, x, i + 1));
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  // comparison
  equal: fn(2, ([a, b]) => equal(a!, b!)),
  neq: fn(2, ([a, b]) => !equal(a!, b!)),
  lt: fn(2, ([a, b]) => compare(a!, b!) < 0),
  gt: fn(2, ([a, b]) => compare(a!, b!) > 0),
  lte: fn(2, ([a, b]) => compare(a!, b!) <= 0),
  gte: fn(2, ([a, b]) => compare(a!, b!) >= 0),
  // arithmetic and sets
  plus: fn(2, ([a, b]) => arith('plus', num('plus', a, 1), num('plus', b, 2))),
  minus: fn(2, ([a, b]) => {
    if (isSet(a) && isSet(b)) return RSet.from(a.values().filter((x) => !b.has(x)));
    if (isSet(a) || isSet(b)) throw new BuiltinError('minus: operand 2 must be set');
    return arith('minus', num('minus', a, 1), num('minus', b, 2));
  }),
  mul: fn(2, ([a, b]) => arith('mul', num('mul', a, 1), num('mul', b, 2))),
  div: fn(2, ([a, b]) => arith('div', num('div', a, 1), num('div', b, 2))),
  rem: fn(2, ([a, b]) => arith('rem', num('rem', a, 1), num('rem', b, 2))),
  or: fn(2, ([a, b]) => RSet.from([...setv('or', a, 1).values(), ...setv('or', b, 2).values()])),
  and: fn(2, ([a, b]) => {
    const y = setv('and', b, 2);
    return RSet.from(
      setv('and', a, 1)
        .values()
        .filter((x) => y.has(x)),
    );
  }),
  abs: fn(1, ([a]) => {
    const n = num('abs', a, 1);
    return typeof n === 'bigint' ? normNumber(n < 0n ? -n : n) : Math.abs(n);
  }),
  round: fn(1, ([a]) => {
    const n = Number(num('round', a, 1));
    return Math.sign(n) * Math.round(Math.abs(n));
  }),
  ceil: fn(1, ([a]) => Math.ceil(Number(num('ceil', a, 1)))),
  floor: fn(1, ([a]) => Math.floor(Number(num('floor', a, 1)))),
  'internal.member_2': fn(2, ([x, c]) => {
    if (Array.isArray(c)) return c.some((e) => equal(e, x!));
    if (isObject(c)) return [...c.pairs()].some(([, e]) => equal(e, x!));
    if (isSet(c)) return c.has(x!);
    return false;
  }),
  'internal.member_3': fn(3, ([k, x, c]) => {
    if (Array.isArray(c))
      return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < c.length && equal(c[k]!, x!);
    if (isObject(c)) {
      const e = c.get(k!);
      return e !== undefined && equal(e, x!);
    }
    return false;
  }),
  // aggregates
  count: fn(1, ([a]) => {
    if (typeof a === 'string') return [...a].length;
    if (Array.isArray(a)) return a.length;
    if (isObject(a) || isSet(a)) return a.size;
    throw operandError('count', 1, a, 'any of {array, object, set, string}');
  }),
  sum: fn(1, ([a]) => numbersOf('sum', a).reduce<number | bigint>((x, y) => arith('plus', x, y), 0)),
  product: fn(1, ([a]) => numbersOf('product', a).reduce<number | bigint>((x, y) => arith('mul', x, y), 1)),
  max: fn(1, ([a]) => {
    const xs = collection('max', a);
    return xs.length === 0 ? undefined : xs.reduce((x, y) => (compare(x, y) >= 0 ? x : y));
  }),
  min: fn(1, ([a]) => {
    const xs = collection('min', a);
    return xs.length === 0 ? undefined : xs.reduce((x, y) => (compare(x, y) <= 0 ? x : y));
  }),
  sort: fn(1, ([a]) => [...collection('sort', a)].sort(compare)),
  all: fn(1, ([a]) => collection('all', a).every((x) => x === true)),
  any: fn(1, ([a]) => collection('any', a).some((x) => x === true)),
  // strings
  concat: fn(2, ([sep, xs]) =>
    collection('concat', xs)
      .map((x, i) => str('concat', x, i + 2))
      .join(str('concat', sep, 1)),
  ),
  contains: fn(2, ([s, sub]) => str('contains', s, 1).includes(str('contains', sub, 2))),
  startswith: fn(2, ([s, p]) => str('startswith', s, 1).startsWith(str('startswith', p, 2))),
  endswith: fn(2, ([s, p]) => str('endswith', s, 1).endsWith(str('endswith', p, 2))),
  'strings.any_prefix_match': fn(2, ([s, p]) => {
    const ss =
      typeof s === 'string'
        ? [s]
        : collection('strings.any_prefix_match', s).map((x) => str('strings.any_prefix_match', x, 1));
    const ps =
      typeof p === 'string'
        ? [p]
        : collection('strings.any_prefix_match', p).map((x) => str('strings.any_prefix_match', x, 2));
    return ss.some((x) => ps.some((y) => x.startsWith(y)));
  }),
  'strings.any_suffix_match': fn(2, ([s, p]) => {
    const ss =
      typeof s === 'string'
        ? [s]
        : collection('strings.any_suffix_match', s).map((x) => str('strings.any_suffix_match', x, 1));
    const ps =
      typeof p === 'string'
        ? [p]
        : collection('strings.any_suffix_match', p).map((x) => str('strings.any_suffix_match', x, 2));
    return ss.some((x) => ps.some((y) => x.endsWith(y)));
  }),
  indexof: fn(2, ([s, sub]) => {
    const a = str('indexof', s, 1);
    const i = a.indexOf(str('indexof', sub, 2));
    return i < 0 ? -1 : [...a.slice(0, i)].length;
  }),
  lower: fn(1, ([s]) => str('lower', s, 1).toLowerCase()),
  upper: fn(1, ([s]) => str('upper', s, 1).toUpperCase()),
  split: fn(2, ([s, sep]) => splitGo(str('split', s, 1), str('split', sep, 2))),
  replace: fn(3, ([s, o, n]) =>
    str('replace', s, 1)
      .split(str('replace', o, 2))
      .join(str('replace', n, 3)),
  ),
  'strings.replace_n': fn(2, ([p, s]) => replaceN(obj('strings.replace_n', p, 1), str('strings.replace_n', s, 2))),
  substring: fn(3, ([s, a, b]) => substring(str('substring', s, 1), int('substring', a, 2), int('substring', b, 3))),
  trim: fn(2, ([s, c]) => {
    const cut = trimSet(str('trim', c, 2));
    return trimRight(trimLeft(str('trim', s, 1), cut), cut);
  }),
  trim_left: fn(2, ([s, c]) => trimLeft(str('trim_left', s, 1), trimSet(str('trim_left', c, 2)))),
  trim_right: fn(2, ([s, c]) => trimRight(str('trim_right', s, 1), trimSet(str('trim_right', c, 2)))),
  trim_prefix: fn(2, ([s, p]) => {
    const a = str('trim_prefix', s, 1);
    const b = str('trim_prefix', p, 2);
    return a.startsWith(b) ? a.slice(b.length) : a;
  }),
  trim_suffix: fn(2, ([s, p]) => {
    const a = str('trim_suffix', s, 1);
    const b = str('trim_suffix', p, 2);
    return b !== '' && a.endsWith(b) ? a.slice(0, a.length - b.length) : a;
  }),
  trim_space: fn(1, ([s]) =>
    str('trim_space', s, 1).replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, ''),
  ),
  sprintf: fn(2, sprintfBuiltin),
  format_int: fn(2, ([n, b]) => formatInt(n, b)),
  'strings.reverse': fn(1, ([s]) => [...str('strings.reverse', s, 1)].reverse().join('')),
  'strings.count': fn(2, ([s, sub]) => {
    const a = str('strings.count', s, 1);
    const b = str('strings.count', sub, 2);
    return b === '' ? [...a].length + 1 : a.split(b).length - 1;
  }),
  // regex and glob
  'regex.match': fn(2, ([p, s], ctx) =>
    regex(ctx, str('regex.match', p, 1))
      .matcher(str('regex.match', s, 2))
      .find(),
  ),
  re_match: fn(2, ([p, s], ctx) =>
    regex(ctx, str('re_match', p, 1))
      .matcher(str('re_match', s, 2))
      .find(),
  ),
  'regex.is_valid': fn(1, ([p], ctx) => {
    if (typeof p !== 'string') return false;
    try {
      regex(ctx, p);
      return true;
    } catch {
      return false;
    }
  }),
  'regex.find_n': fn(3, ([p, s, n], ctx) => {
    const m = regex(ctx, str('regex.find_n', p, 1)).matcher(str('regex.find_n', s, 2));
    const limit = int('regex.find_n', n, 3);
    const out: Value[] = [];
    while ((limit < 0 || out.length < limit) && m.find()) out.push(m.group(0) ?? '');
    return out;
  }),
  'regex.split': fn(2, ([p, s], ctx) => {
    const text = str('regex.split', s, 2);
    const m = regex(ctx, str('regex.split', p, 1)).matcher(text);
    const out: Value[] = [];
    let last = 0;
    while (m.find()) {
      out.push(text.slice(last, m.start()));
      last = m.end();
    }
    out.push(text.slice(last));
    return out;
  }),
  'regex.replace': fn(3, ([s, p, r], ctx) =>
    regex(ctx, str('regex.replace', p, 2))
      .matcher(str('regex.replace', s, 1))
      .replaceAll(str('regex.replace', r, 3).replace(/\$\{?([0-9]+)\}?/g, '$$$1')),
  ),
  'glob.match': fn(3, ([p, d, s]) => {
    const delims = d === null ? ['.'] : arr('glob.match', d, 2).map((x) => str('glob.match', x, 2));
    return globMatch(str('glob.match', p, 1), delims.length === 0 ? ['.'] : delims, str('glob.match', s, 3));
  }),
  'glob.quote_meta': fn(1, ([s]) => str('glob.quote_meta', s, 1).replace(/[*?\\[\]{}]/g, '\\$&')),
  // objects and arrays
  'object.get': fn(3, ([o, k, d]) => objectGet(obj('object.get', o, 1), k!, d!)),
  'object.keys': fn(1, ([o]) => RSet.from(obj('object.keys', o, 1).keys())),
  'object.remove': fn(2, ([o, ks]) => {
    const src = obj('object.remove', o, 1);
    const drop = isObject(ks) ? RSet.from(ks.keys()) : RSet.from(collection('object.remove', ks));
    return RObject.from([...src.pairs()].filter(([k]) => !drop.has(k)));
  }),
  'object.filter': fn(2, ([o, ks]) => {
    const src = obj('object.filter', o, 1);
    const keep = isObject(ks) ? RSet.from(ks.keys()) : RSet.from(collection('object.filter', ks));
    return RObject.from([...src.pairs()].filter(([k]) => keep.has(k)));
  }),
  'object.union': fn(2, ([a, b]) => mergeObjects(obj('object.union', a, 1), obj('object.union', b, 2))),
  'object.union_n': fn(1, ([xs]) =>
    arr('object.union_n', xs, 1).reduce<RObject>(
      (acc, x) => mergeObjects(acc, obj('object.union_n', x, 1)),
      new RObject(),
    ),
  ),
  'array.concat': fn(2, ([a, b]) => [...arr('array.concat', a, 1), ...arr('array.concat', b, 2)]),
  'array.slice': fn(3, ([a, s, e]) => {
    const xs = arr('array.slice', a, 1);
    let i = int('array.slice', s, 2);
    let j = int('array.slice', e, 3);
    if (i < 0) i = 0;
    if (j > xs.length) j = xs.length;
    return i >= j ? [] : xs.slice(i, j);
  }),
  'array.reverse': fn(1, ([a]) => [...arr('array.reverse', a, 1)].reverse()),
  union: fn(1, ([s]) => unionAll('union', s)),
  intersection: fn(1, ([s]) => {
    const sets = setv('intersection', s, 1)
      .values()
      .map((x) => setv('intersection', x, 1));
    if (sets.length === 0) return new RSet();
    return RSet.from(sets[0]!.values().filter((x) => sets.every((y) => y.has(x))));
  }),
  // types
  is_number: fn(1, ([a]) => isNumber(a)),
  is_string: fn(1, ([a]) => typeof a === 'string'),
  is_boolean: fn(1, ([a]) => typeof a === 'boolean'),
  is_array: fn(1, ([a]) => Array.isArray(a)),
  is_set: fn(1, ([a]) => isSet(a)),
  is_object: fn(1, ([a]) => isObject(a)),
  is_null: fn(1, ([a]) => a === null),
  type_name: fn(1, ([a]) => typeName(a!)),
  to_number: fn(1, ([a]) => toNumber(a)),
  // encoding
  'json.marshal': fn(1, ([a]) => jsonText(toJson(a!))),
  'json.unmarshal': fn(1, ([s]) => {
    try {
      return fromJson(JSON.parse(str('json.unmarshal', s, 1)));
    } catch {
      throw new BuiltinError('json.unmarshal: invalid JSON');
    }
  }),
  'json.is_valid': fn(1, ([s]) => {
    if (typeof s !== 'string') return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  }),
  'base64.encode': fn(1, ([s]) => Buffer.from(str('base64.encode', s, 1), 'utf8').toString('base64')),
  'base64.decode': fn(1, ([s]) => {
    const t = str('base64.decode', s, 1);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0)
      throw new BuiltinError('base64.decode: illegal base64 data');
    return Buffer.from(t, 'base64').toString('utf8');
  }),
  'base64.is_valid': fn(1, ([s]) => typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0),
  'base64url.encode': fn(1, ([s]) =>
    Buffer.from(str('base64url.encode', s, 1), 'utf8')
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
  ),
  'base64url.decode': fn(1, ([s]) => Buffer.from(str('base64url.decode', s, 1), 'base64url').toString('utf8')),
  // units and time
  'units.parse_bytes': fn(1, ([s]) => parseBytes(str('units.parse_bytes', s, 1))),
  'units.parse': fn(1, ([s]) => parseUnits(str('units.parse', s, 1))),
  'time.now_ns': fn(0, (_a, ctx) => normNumber(ctx.nowNs)),
  'time.parse_rfc3339_ns': fn(1, ([s]) => normNumber(parseRfc3339Ns(str('time.parse_rfc3339_ns', s, 1)))),
  // net
  'net.cidr_contains': fn(2, ([a, b]) => cidrContains(str('net.cidr_contains', a, 1), str('net.cidr_contains', b, 2))),
  // misc
  // Variadic (arity -1); its output goes nowhere.
  print: fn(-1, () => true),
};

function mergeObjects(a: RObject, b: RObject): RObject {
  const out = new RObject();
  for (const [k, v] of a.pairs()) out.set(k, v);
  for (const [k, v] of b.pairs()) {
    const old = out.get(k);
    out.set(k, isObject(old) && isObject(v) ? mergeObjects(old, v) : v);
  }
  return out;
}

export { compareNumbers };
