/**
 * The Kubernetes quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over our own
 * parser of resource.Quantity strings (k8s.io/apimachinery/pkg/api/resource ParseQuantity):
 * the value is kept exactly, in nano-units, rounded up to 1n as Kubernetes does.
 */
import { CelEvalError } from '../errors.js';
import type { CelRegistrar } from './types.js';

const NANO = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** A resource.Quantity: its exact value in nano-units and the text it was written as. */
export class Quantity {
  readonly celType = 'kubernetes.Quantity';
  constructor(
    readonly nanos: bigint,
    readonly text: string,
  ) {}
  compareTo(o: Quantity): number {
    return this.nanos < o.nanos ? -1 : this.nanos > o.nanos ? 1 : 0;
  }
  equals(o: Quantity): boolean {
    return this.nanos === o.nanos;
  }
  toString(): string {
    return this.text;
  }
}

const FORMAT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*)([+-]?[0-9]*)$/;

/** Parses a quantity as resource.ParseQuantity does; undefined when it is not one. */
export function parseQuantity(s: string): Quantity | undefined {
  if (s.length === 0 || s.length > 1000) return undefined;
  const m = FORMAT.exec(s);
  if (!m) return undefined;
  const [, sign, intPart, frac = '', letters, expo] = m;
  if (intPart === '' && frac === '' && !/^[0-9]/.test(s.replace(/^[+-]/, '')) && s.replace(/^[+-]/, '')[0] !== '.')
    return undefined;
  const suffix = letters + expo;
  let numerator = BigInt((intPart || '0') + frac);
  let denominator = 10n ** BigInt(frac.length);
  if (suffix in BINARY_SUFFIXES) {
    numerator *= 2n ** BigInt(BINARY_SUFFIXES[suffix]);
  } else {
    let exp: number;
    if (suffix in DECIMAL_SUFFIXES) exp = DECIMAL_SUFFIXES[suffix];
    else if (/^[eE][+-]?[0-9]+$/.test(suffix)) exp = Number(suffix.slice(1));
    else return undefined;
    if (Math.abs(exp) > 400) return undefined;
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  // Round up (away from zero) to whole nano-units.
  const scaled = numerator * NANO;
  let nanos = scaled / denominator + (scaled % denominator === 0n ? 0n : 1n);
  if (suffix in BINARY_SUFFIXES && nanos > INT64_MAX * NANO) nanos = INT64_MAX * NANO;
  return new Quantity(sign === '-' ? -nanos : nanos, s);
}

function quantity(s: string): Quantity {
  const q = parseQuantity(s);
  if (!q)
    throw new CelEvalError(
      /[eEinumkKMGTP]/.test(s) && /^[+-]?[0-9.]+/.test(s)
        ? "unable to parse quantity's suffix"
        : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  return q;
}

function asInt64(q: Quantity): bigint | undefined {
  if (q.nanos % NANO !== 0n) return undefined;
  const v = q.nanos / NANO;
  return v <= INT64_MAX && v >= INT64_MIN ? v : undefined;
}

const Q = 'kubernetes.Quantity';

export function registerQuantity(env: CelRegistrar): void {
  env.registerType(Q, Quantity);
  env.registerFunction(`quantity(string): ${Q}`, quantity);
  env.registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
  env.registerFunction(`${Q}.sign(): int`, (q: Quantity) => BigInt(q.nanos > 0n ? 1 : q.nanos < 0n ? -1 : 0));
  env.registerFunction(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.nanos > b.nanos);
  env.registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.nanos < b.nanos);
  env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)));
  env.registerFunction(`${Q}.asApproximateFloat(): double`, (q: Quantity) => Number(q.nanos) / 1e9);
  env.registerFunction(`${Q}.isInteger(): bool`, (q: Quantity) => asInt64(q) !== undefined);
  env.registerFunction(`${Q}.asInteger(): int`, (q: Quantity) => {
    const v = asInt64(q);
    if (v === undefined) throw new CelEvalError('cannot convert value to integer');
    return v;
  });
  env.registerFunction(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => new Quantity(a.nanos + b.nanos, ''));
  env.registerFunction(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => new Quantity(a.nanos + b * NANO, ''));
  env.registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => new Quantity(a.nanos - b.nanos, ''));
  env.registerFunction(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => new Quantity(a.nanos - b * NANO, ''));
  env.registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => a.nanos === b.nanos);
}
