/**
 * Kyverno's own JMESPath functions (pkg/engine/jmespath/functions.go, arithmetic.go, time.go), on
 * top of the standard ones. Functions that need the cluster or a clock are marked: `random` and the
 * `time_now*` family are not deterministic, `x509_decode` is not evaluable here.
 */
import { parse as parseYaml } from 'yaml';
import { createHash } from 'node:crypto';
import { parseDuration } from '../pattern/duration.js';
import { isMap } from '../pattern/go-values.js';
import { parseQuantity } from '../pattern/quantity.js';
import { wildcardMatch } from '../wildcard/match.js';
import { BUILTINS, arity, fail, num, str } from './builtins.js';
import type { FunctionTable } from './interpreter.js';
import { regexMatch, regexReplaceAll } from './regex.js';
import { satisfiesRange } from './semver-range.js';
import { durationOf, formatDuration, formatTime, parseTime } from './time.js';

/** Names of functions whose result depends on the clock or randomness. */
export const NON_DETERMINISTIC = new Set(['random', 'time_now', 'time_now_utc', 'time_since']);

/** A string or a number as text (ifaceToString). */
function strOrNum(name: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return fail(name, `argument #${i + 1}: invalid type, expected String or Real`);
}

function wrap<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if ((e as Error).message.startsWith('JMESPath function')) throw e;
    return fail(name, (e as Error).message);
  }
}

type Operand = { kind: 'number'; n: number } | { kind: 'duration'; ns: number } | { kind: 'quantity'; text: string };

function operand(name: string, v: unknown, i: number): Operand {
  if (typeof v === 'number') return { kind: 'number', n: v };
  if (typeof v === 'string') {
    const d = parseDuration(v);
    if (d !== undefined && v !== '0') return { kind: 'duration', ns: d };
    if (parseQuantity(v)) return { kind: 'quantity', text: v };
  }
  return fail(name, `argument #${i + 1}: invalid type, expected Number, Quantity or Duration`);
}

function quantityNumber(text: string): number {
  const q = parseQuantity(text)!;
  return Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2;
}

/** add/subtract/multiply/divide/modulo over numbers, durations and (as numbers) quantities. */
function arithmetic(name: string, a: unknown[], op: (x: number, y: number) => number): unknown {
  arity(name, a, 2);
  const x = operand(name, a[0], 0);
  const y = operand(name, a[1], 1);
  if (x.kind === 'number' && y.kind === 'number') return op(x.n, y.n);
  if (x.kind === 'duration' && y.kind === 'duration') {
    if (name === 'divide') return op(x.ns, y.ns);
    return formatDuration(op(x.ns, y.ns));
  }
  if (x.kind === 'duration' && y.kind === 'number')
    return formatDuration(op(x.ns, name === 'add' || name === 'subtract' || name === 'sum' ? y.n * 1e9 : y.n));
  if (x.kind === 'number' && y.kind === 'duration' && name === 'multiply') return formatDuration(op(x.n, y.ns));
  if (x.kind === 'quantity' || y.kind === 'quantity') {
    const xn = x.kind === 'quantity' ? quantityNumber(x.text) : x.kind === 'number' ? x.n : NaN;
    const yn = y.kind === 'quantity' ? quantityNumber(y.text) : y.kind === 'number' ? y.n : NaN;
    if (Number.isNaN(xn) || Number.isNaN(yn)) fail(name, 'quantities and durations cannot be mixed');
    return op(xn, yn);
  }
  return fail(name, 'invalid operand types');
}

function divide(x: number, y: number): number {
  if (y === 0) fail('divide', 'Zero divisor passed');
  return x / y;
}

function modulo(x: number, y: number): number {
  if (!Number.isInteger(x) || !Number.isInteger(y)) fail('modulo', 'Non-integer argument(s) passed for modulo');
  if (y === 0) fail('modulo', 'Zero divisor passed');
  return x % y;
}

/** strings.Trim(s, cutset). */
function trimCutset(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const cs = Array.from(s);
  let a = 0;
  let b = cs.length;
  while (a < b && set.has(cs[a]!)) a++;
  while (b > a && set.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

function base64Decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('illegal base64 data');
  return Buffer.from(s, 'base64').toString('utf8');
}

export const KYVERNO_FUNCTIONS: FunctionTable = {
  ...BUILTINS,
  compare: (a) => (
    arity('compare', a, 2), Math.sign(str('compare', a, 0) < str('compare', a, 1) ? -1 : a[0] === a[1] ? 0 : 1)
  ),
  equal_fold: (a) => (
    arity('equal_fold', a, 2), str('equal_fold', a, 0).toLowerCase() === str('equal_fold', a, 1).toLowerCase()
  ),
  replace: (a) => {
    arity('replace', a, 4);
    const s = str('replace', a, 0);
    const o = str('replace', a, 1);
    const n = str('replace', a, 2);
    let count = Math.trunc(num('replace', a, 3));
    if (count < 0) return s.split(o).join(n);
    let out = s;
    let from = 0;
    while (count-- > 0) {
      const i = out.indexOf(o, from);
      if (i < 0) break;
      out = out.slice(0, i) + n + out.slice(i + o.length);
      from = i + n.length + (o === '' ? 1 : 0);
    }
    return out;
  },
  replace_all: (a) => (
    arity('replace_all', a, 3),
    str('replace_all', a, 0)
      .split(str('replace_all', a, 1))
      .join(str('replace_all', a, 2))
  ),
  to_upper: (a) => (arity('to_upper', a, 1), str('to_upper', a, 0).toUpperCase()),
  to_lower: (a) => (arity('to_lower', a, 1), str('to_lower', a, 0).toLowerCase()),
  trim: (a) => (arity('trim', a, 2), trimCutset(str('trim', a, 0), str('trim', a, 1))),
  trim_prefix: (a) => {
    arity('trim_prefix', a, 2);
    const s = str('trim_prefix', a, 0);
    const p = str('trim_prefix', a, 1);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  split: (a) => {
    arity('split', a, 2);
    const s = str('split', a, 0);
    const sep = str('split', a, 1);
    return sep === '' ? Array.from(s) : s.split(sep);
  },
  regex_replace_all: (a) => (
    arity('regex_replace_all', a, 3),
    wrap('regex_replace_all', () =>
      regexReplaceAll(
        str('regex_replace_all', a, 0),
        strOrNum('regex_replace_all', a, 1),
        strOrNum('regex_replace_all', a, 2),
        true,
      ),
    )
  ),
  regex_replace_all_literal: (a) => (
    arity('regex_replace_all_literal', a, 3),
    wrap('regex_replace_all_literal', () =>
      regexReplaceAll(
        str('regex_replace_all_literal', a, 0),
        strOrNum('regex_replace_all_literal', a, 1),
        strOrNum('regex_replace_all_literal', a, 2),
        false,
      ),
    )
  ),
  regex_match: (a) => (
    arity('regex_match', a, 2),
    wrap('regex_match', () => regexMatch(str('regex_match', a, 0), strOrNum('regex_match', a, 1)))
  ),
  pattern_match: (a) => (
    arity('pattern_match', a, 2), wildcardMatch(str('pattern_match', a, 0), strOrNum('pattern_match', a, 1))
  ),
  label_match: (a) => {
    arity('label_match', a, 2);
    const [labels, match] = a;
    if (!isMap(labels)) fail('label_match', 'argument #0: invalid type, expected Object');
    if (!isMap(match)) fail('label_match', 'argument #1: invalid type, expected Object');
    return Object.entries(labels).every(([k, v]) => Object.hasOwn(match, k) && match[k] === v);
  },
  to_boolean: (a) => {
    arity('to_boolean', a, 1);
    const s = str('to_boolean', a, 0).toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    return fail('to_boolean', `lowercase argument must be 'true' or 'false' (provided: '${String(a[0])}')`);
  },
  add: (a) => arithmetic('add', a, (x, y) => x + y),
  subtract: (a) => arithmetic('subtract', a, (x, y) => x - y),
  multiply: (a) => arithmetic('multiply', a, (x, y) => x * y),
  divide: (a) => arithmetic('divide', a, divide),
  modulo: (a) => arithmetic('modulo', a, modulo),
  sum: (a) => {
    arity('sum', a, 1);
    const xs = a[0];
    if (!Array.isArray(xs)) fail('sum', 'invalid type, expected Array');
    if (xs.length === 0) fail('sum', 'at least one element in the array is required');
    let acc = xs[0];
    for (const x of xs.slice(1)) acc = arithmetic('sum', [acc, x], (p, q) => p + q);
    return acc;
  },
  round: (a) => {
    arity('round', a, 2);
    const x = num('round', a, 0);
    const n = num('round', a, 1);
    if (!Number.isInteger(n)) fail('round', 'Non-integer argument(s) passed for round off');
    if (n < 0) fail('round', 'Argument out of bounds');
    const shift = 10 ** n;
    return Math.round(x * shift) / shift;
  },
  base64_decode: (a) => (
    arity('base64_decode', a, 1), wrap('base64_decode', () => base64Decode(str('base64_decode', a, 0)))
  ),
  base64_encode: (a) => (
    arity('base64_encode', a, 1), Buffer.from(str('base64_encode', a, 0), 'utf8').toString('base64')
  ),
  path_canonicalize: (a) => {
    arity('path_canonicalize', a, 1);
    const s = str('path_canonicalize', a, 0);
    if (s === '') return '';
    const abs = s.startsWith('/');
    const parts: string[] = [];
    for (const p of s.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (p !== '..' || !abs) parts.push(p);
    }
    return (abs ? '/' : '') + parts.join('/') || (abs ? '/' : '.');
  },
  truncate: (a) => {
    arity('truncate', a, 2);
    const s = str('truncate', a, 0);
    const n = Math.max(0, Math.trunc(num('truncate', a, 1)));
    return Array.from(s).slice(0, n).join('');
  },
  semver_compare: (a) => (
    arity('semver_compare', a, 2),
    wrap('semver_compare', () => satisfiesRange(str('semver_compare', a, 0), str('semver_compare', a, 1)))
  ),
  parse_json: (a) => (
    arity('parse_json', a, 1), wrap('parse_json', () => JSON.parse(str('parse_json', a, 0)) as unknown)
  ),
  parse_yaml: (a) => (
    arity('parse_yaml', a, 1),
    wrap(
      'parse_yaml',
      () => JSON.parse(JSON.stringify(parseYaml(str('parse_yaml', a, 0), { maxAliasCount: 100 }) ?? null)) as unknown,
    )
  ),
  lookup: (a) => {
    arity('lookup', a, 2);
    const [input, key] = a;
    if (isMap(input)) {
      if (typeof key !== 'string') fail('lookup', 'argument #2: invalid type, expected String');
      return input[key] ?? null;
    }
    if (Array.isArray(input)) {
      if (typeof key !== 'number') fail('lookup', 'argument #2: invalid type, expected Number');
      if (!Number.isInteger(key)) fail('lookup', 'argument #2: expected an integer number');
      return key < 0 || key >= input.length ? null : input[key];
    }
    return fail('lookup', 'argument #1: invalid type, expected Object or Array');
  },
  items: (a) => {
    arity('items', a, 3);
    const [input] = a;
    const k = str('items', a, 1);
    const v = str('items', a, 2);
    if (isMap(input))
      return Object.keys(input)
        .sort()
        .map((key) => ({ [k]: key, [v]: input[key] }));
    if (Array.isArray(input)) return input.map((value, i) => ({ [k]: i, [v]: value }));
    return fail('items', 'argument #1: invalid type, expected Object or Array');
  },
  object_from_lists: (a) => {
    arity('object_from_lists', a, 2);
    const [keys, values] = a;
    if (!Array.isArray(keys)) fail('object_from_lists', 'argument #1: invalid type, expected Array');
    if (!Array.isArray(values)) fail('object_from_lists', 'argument #2: invalid type, expected Array');
    const out: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      if (typeof key !== 'string') fail('object_from_lists', 'keys must be strings');
      out[key] = i < values.length ? values[i] : null;
    });
    return out;
  },
  random: () => fail('random', 'not deterministic: not evaluated offline'),
  x509_decode: () => fail('x509_decode', 'not evaluable offline (certificate decoding is not implemented)'),
  time_now: () => formatTime(Date.now()),
  time_now_utc: () => formatTime(Date.now()),
  time_since: (a) => {
    arity('time_since', a, 3);
    return wrap('time_since', () => {
      const layout = str('time_since', a, 0);
      const t1 = parseTime(layout, str('time_since', a, 1));
      const s2 = str('time_since', a, 2);
      const t2 = s2 === '' ? Date.now() : parseTime(layout, s2);
      return formatDuration((t2 - t1) * 1e6);
    });
  },
  time_add: (a) => (
    arity('time_add', a, 3),
    wrap('time_add', () =>
      formatTime(parseTime(str('time_add', a, 0), str('time_add', a, 1)) + durationOf(str('time_add', a, 2)) / 1e6),
    )
  ),
  time_parse: (a) => (
    arity('time_parse', a, 2),
    wrap('time_parse', () => formatTime(parseTime(str('time_parse', a, 0), str('time_parse', a, 1))))
  ),
  time_utc: (a) => (arity('time_utc', a, 1), wrap('time_utc', () => formatTime(parseTime('', str('time_utc', a, 0))))),
  time_diff: (a) => (
    arity('time_diff', a, 2),
    wrap('time_diff', () =>
      formatDuration((parseTime('', str('time_diff', a, 1)) - parseTime('', str('time_diff', a, 0))) * 1e6),
    )
  ),
  time_before: (a) => (
    arity('time_before', a, 2),
    wrap('time_before', () => parseTime('', str('time_before', a, 0)) < parseTime('', str('time_before', a, 1)))
  ),
  time_after: (a) => (
    arity('time_after', a, 2),
    wrap('time_after', () => parseTime('', str('time_after', a, 0)) > parseTime('', str('time_after', a, 1)))
  ),
  time_between: (a) => {
    arity('time_between', a, 3);
    return wrap('time_between', () => {
      const t = parseTime('', str('time_between', a, 0));
      return t > parseTime('', str('time_between', a, 1)) && t < parseTime('', str('time_between', a, 2));
    });
  },
  time_truncate: (a) => {
    arity('time_truncate', a, 2);
    return wrap('time_truncate', () => {
      const t = parseTime('', str('time_truncate', a, 0));
      const d = durationOf(str('time_truncate', a, 1)) / 1e6;
      return formatTime(d <= 0 ? t : Math.floor(t / d) * d);
    });
  },
  time_to_cron: (a) => {
    arity('time_to_cron', a, 1);
    return wrap('time_to_cron', () => {
      const d = new Date(parseTime('', str('time_to_cron', a, 0)));
      return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCDay()}`;
    });
  },
  is_external_url: (a) => {
    arity('is_external_url', a, 1);
    return wrap('is_external_url', () => {
      const u = new URL(str('is_external_url', a, 0));
      const h = u.hostname.replace(/^\[|\]$/g, '');
      if (h === 'localhost') return false;
      return !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|::1$|fe80:|fc|fd)/.test(h);
    });
  },
  sha256: (a) => (
    arity('sha256', a, 1),
    createHash('sha256')
      .update(str('sha256', a, 0))
      .digest('hex')
  ),
  sha1: (a) => (
    arity('sha1', a, 1),
    createHash('sha1')
      .update(str('sha1', a, 0))
      .digest('hex')
  ),
  md5: (a) => (
    arity('md5', a, 1),
    createHash('md5')
      .update(str('md5', a, 0))
      .digest('hex')
  ),
  image_normalize: (a) => {
    arity('image_normalize', a, 1);
    let s = str('image_normalize', a, 0);
    const first = s.split('/')[0]!;
    const hasRegistry = s.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (!hasRegistry) s = `docker.io/${s}`;
    const last = s.split('/').pop()!;
    if (!last.includes(':') && !last.includes('@')) s += ':latest';
    return s;
  },
};
