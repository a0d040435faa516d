/** The standard JMESPath functions as go-jmespath implements them (numbers are float64). */
import { goJson, isMap } from '../pattern/go-values.js';
import { JmesPathError, type ExpRef, type FunctionTable } from './interpreter.js';

export function fail(name: string, msg: string): never {
  throw new JmesPathError(`JMESPath function '${name}': ${msg}`);
}

export const isExpRef = (v: unknown): v is ExpRef => isMap(v) && (v as { expref?: unknown }).expref === true;

export function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    fail(name, `expected ${min === max ? min : `${min}-${max}`} arguments, got ${args.length}`);
}

export function str(name: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') fail(name, `argument #${i + 1}: invalid type, expected String`);
  return v;
}

export function num(name: string, args: unknown[], i: number): number {
  const v = args[i];
  if (typeof v !== 'number') fail(name, `argument #${i + 1}: invalid type, expected Number`);
  return v;
}

function arr(name: string, args: unknown[], i: number): unknown[] {
  const v = args[i];
  if (!Array.isArray(v)) fail(name, `argument #${i + 1}: invalid type, expected Array`);
  return v;
}

function ref(name: string, args: unknown[], i: number): ExpRef {
  const v = args[i];
  if (!isExpRef(v)) fail(name, `argument #${i + 1}: invalid type, expected expref`);
  return v;
}

export function jmesType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** JSON text of a value as go-jmespath's to_string (encoding/json). */
function toStringValue(v: unknown): string {
  return typeof v === 'string' ? v : goJson(v);
}

function sortable(name: string, values: unknown[]): unknown[] {
  if (values.length === 0) return [];
  const t = jmesType(values[0]);
  if ((t !== 'string' && t !== 'number') || values.some((v) => jmesType(v) !== t))
    fail(name, 'invalid type, expected array of numbers or strings');
  return [...values].sort((a, b) =>
    (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0,
  );
}

function byKey(name: string, values: unknown[], r: ExpRef, pick: 'max' | 'min'): unknown {
  if (values.length === 0) return null;
  const keyed = values.map((v) => ({ v, k: r.evaluate(v) }));
  const t = jmesType(keyed[0]!.k);
  if ((t !== 'string' && t !== 'number') || keyed.some((x) => jmesType(x.k) !== t))
    fail(name, 'invalid type, expected number or string keys');
  let best = keyed[0]!;
  for (const x of keyed)
    if (pick === 'max' ? (x.k as number) > (best.k as number) : (x.k as number) < (best.k as number)) best = x;
  return best.v;
}

export const BUILTINS: FunctionTable = {
  abs: (a) => (arity('abs', a, 1), Math.abs(num('abs', a, 0))),
  avg: (a) => {
    arity('avg', a, 1);
    const xs = arr('avg', a, 0);
    if (!xs.every((x) => typeof x === 'number')) fail('avg', 'invalid type, expected array of numbers');
    return xs.length ? (xs as number[]).reduce((s, x) => s + x, 0) / xs.length : null;
  },
  ceil: (a) => (arity('ceil', a, 1), Math.ceil(num('ceil', a, 0))),
  floor: (a) => (arity('floor', a, 1), Math.floor(num('floor', a, 0))),
  contains: (a) => {
    arity('contains', a, 2);
    const [subject, search] = a;
    if (typeof subject === 'string') return typeof search === 'string' && subject.includes(search);
    if (Array.isArray(subject)) return subject.some((x) => goJson(x) === goJson(search));
    return fail('contains', 'argument #1: invalid type, expected array or string');
  },
  ends_with: (a) => (arity('ends_with', a, 2), str('ends_with', a, 0).endsWith(str('ends_with', a, 1))),
  starts_with: (a) => (arity('starts_with', a, 2), str('starts_with', a, 0).startsWith(str('starts_with', a, 1))),
  join: (a) => {
    arity('join', a, 2);
    const sep = str('join', a, 0);
    const xs = arr('join', a, 1);
    if (!xs.every((x) => typeof x === 'string')) fail('join', 'invalid type, expected array of strings');
    return xs.join(sep);
  },
  keys: (a) => {
    arity('keys', a, 1);
    if (!isMap(a[0])) fail('keys', 'argument #1: invalid type, expected object');
    return Object.keys(a[0]);
  },
  values: (a) => {
    arity('values', a, 1);
    if (!isMap(a[0])) fail('values', 'argument #1: invalid type, expected object');
    return Object.values(a[0]);
  },
  length: (a) => {
    arity('length', a, 1);
    const v = a[0];
    if (typeof v === 'string') return Array.from(v).length;
    if (Array.isArray(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    return fail('length', 'argument #1: invalid type, expected string, array or object');
  },
  map: (a) => {
    arity('map', a, 2);
    const r = ref('map', a, 0);
    return arr('map', a, 1).map((x) => r.evaluate(x));
  },
  max: (a) => {
    arity('max', a, 1);
    const s = sortable('max', arr('max', a, 0));
    return s.length ? s[s.length - 1] : null;
  },
  min: (a) => {
    arity('min', a, 1);
    const s = sortable('min', arr('min', a, 0));
    return s.length ? s[0] : null;
  },
  max_by: (a) => (arity('max_by', a, 2), byKey('max_by', arr('max_by', a, 0), ref('max_by', a, 1), 'max')),
  min_by: (a) => (arity('min_by', a, 2), byKey('min_by', arr('min_by', a, 0), ref('min_by', a, 1), 'min')),
  merge: (a) => {
    if (a.length < 1) fail('merge', 'expected at least 1 argument');
    const out: Record<string, unknown> = {};
    for (const [i, o] of a.entries()) {
      if (!isMap(o)) fail('merge', `argument #${i + 1}: invalid type, expected object`);
      Object.assign(out, o);
    }
    return out;
  },
  not_null: (a) => {
    if (a.length < 1) fail('not_null', 'expected at least 1 argument');
    return a.find((x) => x !== null && x !== undefined) ?? null;
  },
  reverse: (a) => {
    arity('reverse', a, 1);
    const v = a[0];
    if (typeof v === 'string') return Array.from(v).reverse().join('');
    if (Array.isArray(v)) return [...v].reverse();
    return fail('reverse', 'argument #1: invalid type, expected string or array');
  },
  sort: (a) => (arity('sort', a, 1), sortable('sort', arr('sort', a, 0))),
  sort_by: (a) => {
    arity('sort_by', a, 2);
    const xs = arr('sort_by', a, 0);
    const r = ref('sort_by', a, 1);
    const keyed = xs.map((v) => ({ v, k: r.evaluate(v) }));
    if (keyed.length === 0) return [];
    const t = jmesType(keyed[0]!.k);
    if ((t !== 'string' && t !== 'number') || keyed.some((x) => jmesType(x.k) !== t))
      fail('sort_by', 'invalid type, expected number or string keys');
    return keyed
      .sort((x, y) => ((x.k as number) < (y.k as number) ? -1 : (x.k as number) > (y.k as number) ? 1 : 0))
      .map((x) => x.v);
  },
  sum: (a) => {
    arity('sum', a, 1);
    const xs = arr('sum', a, 0);
    if (!xs.every((x) => typeof x === 'number')) fail('sum', 'invalid type, expected array of numbers');
    return (xs as number[]).reduce((s, x) => s + x, 0);
  },
  to_array: (a) => (arity('to_array', a, 1), Array.isArray(a[0]) ? a[0] : [a[0]]),
  to_string: (a) => (arity('to_string', a, 1), toStringValue(a[0])),
  to_number: (a) => {
    arity('to_number', a, 1);
    const v = a[0];
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      const n = Number(v.trim() === '' ? NaN : v);
      return Number.isNaN(n) ? null : n;
    }
    return null;
  },
  type: (a) => (arity('type', a, 1), jmesType(a[0])),
};
