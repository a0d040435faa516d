/**
 * Kyverno's `math` library (github.com/kyverno/sdk extensions/cel/libs/math): `math.round(double,
 * int)` rounds to a number of decimal places as Go computes it, `math.Round(v * 10^p) / 10^p`
 * (halves away from zero; a negative precision rounds to tens, hundreds...).
 */
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

/** Go's math.Round: the nearest integer, halves away from zero; NaN and infinities unchanged. */
export function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** math.round(value, precision). */
export function roundTo(value: number, precision: bigint): number {
  const shift = 10 ** Number(precision);
  return goRound(value * shift) / shift;
}

export function registerKyvernoMath(env: CelRegistrar): void {
  namespaced(env, 'math.round', ['double', 'int'], 'double', roundTo);
}
