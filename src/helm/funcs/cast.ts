/**
 * spf13/cast v1.7.0 (ToInt64, ToInt, ToFloat64) as sprig's numeric functions use them, and the Go
 * conversions and strconv parsers underneath (int64(float64), strconv.ParseInt with base 0,
 * strconv.ParseFloat).
 */
import { GoInt, type GoValue } from '../../gotemplate/value.js';
import { underscoreOK } from '../../gotemplate/strconv.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Wraps a bigint to int64 (two's complement), as Go's int64(uint64) conversion does. */
export function wrapInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** Go's int64(f) on amd64: truncation; NaN and out-of-range values give math.MinInt64. */
export function float64ToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/** strconv.ParseInt(s, base, 64); undefined on a syntax or range error. Base 0 reads Go prefixes and underscores. */
export function parseGoInt(s: string, base: 0 | 2 | 8 | 10 | 16 = 10): bigint | undefined {
  if (s === '') return undefined;
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  let b: number = base;
  if (base === 0) {
    b = 10;
    if (body[0] === '0') {
      const p = body[1]?.toLowerCase();
      if (body.length >= 3 && p === 'b') {
        b = 2;
        body = body.slice(2);
      } else if (body.length >= 3 && p === 'o') {
        b = 8;
        body = body.slice(2);
      } else if (body.length >= 3 && p === 'x') {
        b = 16;
        body = body.slice(2);
      } else {
        b = 8;
        body = body.slice(1);
        if (body === '') return 0n;
      }
    }
    if (body.includes('_')) {
      if (!underscoreOK(s)) return undefined;
      body = body.replace(/_/g, '');
    }
  }
  if (body === '') return undefined;
  let n = 0n;
  const bb = BigInt(b);
  for (const ch of body.toLowerCase()) {
    const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
    if (d >= b) return undefined;
    n = n * bb + BigInt(d);
  }
  if (neg) n = -n;
  if (n < INT64_MIN || n > INT64_MAX) return undefined;
  return n;
}

/** strconv.ParseFloat(s, 64); undefined on a syntax error (a range error gives ±Inf, as Go's value does). */
export function parseGoFloat(s: string): number | undefined {
  const lower = s.toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (special) return special[2] === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    s = s.replace(/_/g, '');
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (hex && (hex[2] !== '' || hex[3] !== '')) {
    const mant = parseInt((hex[2] || '0') + (hex[3] ?? ''), 16);
    const v = mant * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? '').length);
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

/** cast's trimZeroDecimal: "1.000" -> "1" (only an all-zero fraction). */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64E: undefined when cast gives an error (ToInt64 then returns 0). */
export function toInt64E(v: GoValue): bigint | undefined {
  if (v === null || v === undefined) return 0n;
  if (v instanceof GoInt) return wrapInt64(v.value);
  if (typeof v === 'number') return float64ToInt64(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') return parseGoInt(trimZeroDecimal(v), 0);
  return undefined;
}

/** cast.ToInt64 (0 on failure). */
export function toInt64(v: GoValue): bigint {
  return toInt64E(v) ?? 0n;
}

/** cast.ToFloat64 (0 on failure). */
export function toFloat64(v: GoValue): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  return 0;
}

/** A Go int (as passed to an `int` parameter) as a JS number; GoInt or number accepted. */
export function intArg(v: GoValue): number {
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'number') return Math.trunc(v);
  return 0;
}

/** A Go `int` result. */
export function goIntOf(n: number | bigint): GoInt {
  return new GoInt(typeof n === 'bigint' ? BigInt.asIntN(64, n) : BigInt(Math.trunc(n)), 'int');
}
/** A Go `int64` result. */
export function goInt64Of(n: bigint): GoInt {
  return new GoInt(BigInt.asIntN(64, n), 'int64');
}
