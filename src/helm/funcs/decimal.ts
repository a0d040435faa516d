/**
 * The little of shopspring/decimal v1.4.0 that sprig's addf/subf/mulf/divf use: NewFromFloat (the
 * shortest decimal that round-trips), exact add/sub/mul, Div rounded to 16 places, Float64.
 */
import { GoPanic } from '../../gotemplate/value.js';

/** value = coef * 10^exp */
export interface Decimal {
  readonly coef: bigint;
  readonly exp: number;
}

export function fromFloat(f: number): Decimal {
  if (Number.isNaN(f)) throw new GoPanic('Cannot create a Decimal from NaN');
  if (!Number.isFinite(f))
    throw new GoPanic(f > 0 ? 'Cannot create a Decimal from +Inf' : 'Cannot create a Decimal from -Inf');
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f))!;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0) - frac.length;
  const coef = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return { coef, exp };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

export const add = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
};
export const sub = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
};
export const mul = (a: Decimal, b: Decimal): Decimal => ({ coef: a.coef * b.coef, exp: a.exp + b.exp });

/** decimal.Div: the quotient rounded half away from zero to 16 decimal places. */
export function div(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new GoPanic('decimal division by 0');
  const places = 16;
  // a/b * 10^places as a rational: a.coef*10^(a.exp+places) / (b.coef*10^b.exp)
  let num = a.coef;
  let den = b.coef;
  const shift = a.exp - b.exp + places;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const neg = num < 0n !== den < 0n;
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  let q = an / ad;
  const r = an % ad;
  if (r * 2n >= ad) q += 1n;
  return { coef: neg ? -q : q, exp: -places };
}

export function toFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}
