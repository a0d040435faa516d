/**
 * The condition operators of `preconditions` and `deny.conditions`
 * (pkg/engine/variables/operator): Equals, NotEquals, In/NotIn (deprecated), AnyIn, AllIn,
 * AnyNotIn, AllNotIn, GreaterThan(OrEquals), LessThan(OrEquals) over numbers, quantities,
 * durations and semver, and the deprecated Duration* operators. Matching is case-insensitive on
 * the operator name, as Kyverno's.
 */
import { parseDuration } from '../pattern/duration.js';
import { goParseFloat, goParseInt, goSprint, isMap } from '../pattern/go-values.js';
import { operatorOf } from '../pattern/operator.js';
import { validateValue } from '../pattern/pattern.js';
import { compareQuantity, parseQuantity } from '../pattern/quantity.js';
import { wildcardMatch } from '../wildcard/match.js';
import { compareSemver, parseSemver } from './semver.js';

/** Operator names as Kyverno spells them (lower-cased lookup). */
export const CONDITION_OPERATORS = [
  'Equal',
  'Equals',
  'NotEqual',
  'NotEquals',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThanOrEquals',
  'GreaterThan',
  'LessThanOrEquals',
  'LessThan',
  'DurationGreaterThanOrEquals',
  'DurationGreaterThan',
  'DurationLessThanOrEquals',
  'DurationLessThan',
] as const;

type Evaluator = (key: unknown, value: unknown) => boolean;

const TABLE: Record<string, Evaluator> = {
  equal: equals,
  equals,
  notequal: notEquals,
  notequals: notEquals,
  in: (k, v) => legacyIn(k, v, false),
  notin: (k, v) => legacyIn(k, v, true),
  anyin: (k, v) => setOp(k, v, 'anyIn'),
  allin: (k, v) => setOp(k, v, 'allIn'),
  anynotin: (k, v) => setOp(k, v, 'anyNotIn'),
  allnotin: (k, v) => setOp(k, v, 'allNotIn'),
  greaterthanorequals: (k, v) => numeric(k, v, (c) => c >= 0),
  greaterthan: (k, v) => numeric(k, v, (c) => c > 0),
  lessthanorequals: (k, v) => numeric(k, v, (c) => c <= 0),
  lessthan: (k, v) => numeric(k, v, (c) => c < 0),
  durationgreaterthanorequals: (k, v) => durationOp(k, v, (c) => c >= 0),
  durationgreaterthan: (k, v) => durationOp(k, v, (c) => c > 0),
  durationlessthanorequals: (k, v) => durationOp(k, v, (c) => c <= 0),
  durationlessthan: (k, v) => durationOp(k, v, (c) => c < 0),
};

/** The evaluator of an operator, or undefined when Kyverno does not know it. */
export function conditionOperator(name: string): Evaluator | undefined {
  return TABLE[name.toLowerCase()];
}

/** Both sides as durations in seconds (operator.parseDuration): numbers count as seconds; "0" is not a duration. */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  const asDur = (x: unknown): number | undefined => (typeof x === 'string' && x !== '0' ? parseDuration(x) : undefined);
  let k = asDur(key);
  let v = asDur(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = Math.trunc(key) * 1e9;
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = Math.trunc(value) * 1e9;
  }
  return [k / 1e9, v / 1e9];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') {
      const n = Number.isInteger(key) ? goParseInt(value) : goParseFloat(value);
      return n !== undefined && n === key;
    }
    return false;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] === d[1];
    const q = parseQuantity(key);
    if (q && typeof value === 'string') {
      const vq = parseQuantity(value);
      return !!vq && compareQuantity(q, vq) === 0;
    }
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (Array.isArray(key) || isMap(key)) return deepEqual(key, value);
  return false;
}

function notEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value !== 'boolean' || key !== value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key !== value;
    if (typeof value === 'string') {
      const n = Number.isInteger(key) ? goParseInt(value) : goParseFloat(value);
      return n === undefined || n !== key;
    }
    return true;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] !== d[1];
    const q = parseQuantity(key);
    if (q && typeof value === 'string' && value !== '') {
      const vq = parseQuantity(value);
      return !!vq && compareQuantity(q, vq) !== 0;
    }
    if (typeof value === 'string') return !wildcardMatch(value, key);
    return true;
  }
  if (Array.isArray(key)) return !Array.isArray(value) || !deepEqual(key, value);
  if (isMap(key)) return !isMap(value) || !deepEqual(key, value);
  return false;
}

/** A string value that is a JSON array of strings, or the string itself (json.Valid then Unmarshal). */
function stringsOf(value: string): string[] | 'invalid' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [value];
  }
  if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
  return 'invalid';
}

const wildEither = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a);

type SetOp = 'anyIn' | 'allIn' | 'anyNotIn' | 'allNotIn';

function setOp(key: unknown, value: unknown, op: SetOp): boolean {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
    const k = goSprint(key);
    const r = keyInValue(k, value);
    if (r === 'invalid') return false;
    return op === 'anyIn' || op === 'allIn' ? r : !r;
  }
  if (Array.isArray(key)) {
    const keys = key.map(goSprint);
    const r = setInValue(keys, value, op);
    return r === 'invalid' ? false : r;
  }
  return false;
}

/** anyKeyExistsInArray / allKeyExistsInArray (identical for one key). */
function keyInValue(key: string, value: unknown): boolean | 'invalid' {
  if (Array.isArray(value)) return value.some((v) => wildEither(goSprint(v), key));
  if (typeof value === 'string') {
    if (wildcardMatch(value, key)) return true;
    if (operatorOf(value) === '-') return validateValue(key, value);
    const arr = stringsOf(value);
    if (arr === 'invalid') return 'invalid';
    return arr.includes(key);
  }
  return 'invalid';
}

function setInValue(keys: string[], value: unknown, op: SetOp): boolean | 'invalid' {
  let values: string[];
  if (Array.isArray(value)) values = value.map(goSprint);
  else if (typeof value === 'number' || typeof value === 'boolean') {
    if (op === 'allIn' || op === 'allNotIn') return 'invalid';
    values = [goSprint(value)];
  } else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return op === 'anyIn' || op === 'allIn';
    if (operatorOf(value) === '-') {
      switch (op) {
        case 'anyIn':
          return keys.some((k) => validateValue(k, value));
        case 'anyNotIn':
          return keys.some((k) => validateValue(k, value.replace('-', '!-')));
        case 'allIn':
          return keys.every((k) => validateValue(k, value));
        case 'allNotIn':
          return !keys.some((k) => validateValue(k, value));
      }
    }
    const arr = stringsOf(value);
    if (arr === 'invalid') return 'invalid';
    values = arr;
  } else return 'invalid';
  const found = (k: string): boolean => values.some((v) => wildEither(k, v));
  switch (op) {
    case 'anyIn':
      return keys.some(found);
    case 'allIn':
      return keys.every(found);
    case 'anyNotIn':
      return keys.some((k) => !found(k));
    case 'allNotIn':
      return !keys.some(found);
  }
}

/** The deprecated In / NotIn: exact set membership for lists, wildcard for single keys. */
function legacyIn(key: unknown, value: unknown, negate: boolean): boolean {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
    const k = goSprint(key);
    let exists: boolean | 'invalid';
    if (Array.isArray(value)) exists = value.some((v) => wildEither(goSprint(v), k));
    else if (typeof value === 'string') {
      if (wildcardMatch(value, k)) exists = true;
      else {
        try {
          const arr: unknown = JSON.parse(value);
          exists = Array.isArray(arr) && arr.every((x) => typeof x === 'string') ? arr.includes(k) : 'invalid';
        } catch {
          exists = 'invalid';
        }
      }
    } else exists = 'invalid';
    if (exists === 'invalid') return false;
    return negate ? !exists : exists;
  }
  if (Array.isArray(key)) {
    if (!key.every((x) => typeof x === 'string')) return false;
    let values: string[];
    if (Array.isArray(value)) {
      if (!value.every((x) => typeof x === 'string')) return false;
      values = value as string[];
    } else if (typeof value === 'string') {
      if (key.length === 1 && key[0] === value) return true;
      try {
        const arr: unknown = JSON.parse(value);
        if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string')) return false;
        values = arr as string[];
      } catch {
        return false;
      }
    } else return false;
    const set = new Set(values);
    const allIn = (key as string[]).every((k) => set.has(k));
    return negate ? !allIn : allIn;
  }
  return false;
}

/** GreaterThan & co.: durations, quantities, numbers, then semver. */
function numeric(key: unknown, value: unknown, ok: (cmp: number) => boolean): boolean {
  const cmp = compareNumeric(key, value);
  return cmp !== undefined && ok(cmp);
}

function compareNumbers(key: number, value: unknown): number | undefined {
  if (typeof value === 'number') return Math.sign(key - value);
  if (typeof value === 'string') {
    const d = durations(key, value);
    if (d) return Math.sign(d[0] - d[1]);
    const f = goParseFloat(value);
    if (f !== undefined) return Math.sign(key - f);
  }
  return undefined;
}

function compareNumeric(key: unknown, value: unknown): number | undefined {
  if (typeof key === 'number') return compareNumbers(key, value);
  if (typeof key !== 'string') return undefined;
  const d = durations(key, value);
  if (d) return Math.sign(d[0] - d[1]);
  const qk = parseQuantity(key);
  const qv = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (qk && qv) return compareQuantity(qk, qv);
  const f = goParseFloat(key);
  if (f !== undefined) return compareNumbers(f, value);
  const sk = parseSemver(key);
  if (sk && typeof value === 'string') {
    const sv = parseSemver(value);
    return sv ? compareSemver(sk, sv) : undefined;
  }
  return undefined;
}

/** The deprecated Duration* operators: numbers are seconds. */
function durationOp(key: unknown, value: unknown, ok: (cmp: number) => boolean): boolean {
  const asNs = (x: unknown): number | undefined =>
    typeof x === 'number' ? Math.trunc(x) * 1e9 : typeof x === 'string' ? parseDuration(x) : undefined;
  if (typeof key !== 'number' && typeof key !== 'string') return false;
  const k = asNs(key);
  const v = asNs(value);
  if (k === undefined || v === undefined) return false;
  return ok(Math.sign(k - v));
}
