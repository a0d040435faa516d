/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.ParseQuantity and Quantity.Cmp), exact:
 * a quantity is mantissa x 10^exp10 x 2^exp2 with a BigInt mantissa, so `1Gi` vs `1073741824` and
 * `500m` vs `0.5` compare exactly.
 */

export interface Quantity {
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly exp2: number;
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|(n|u|m|k|M|G|T|P|E)|([eE][+-]?\d+))?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The quantity, or undefined when the text is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, num, bin, dec, exp] = m;
  const [int = '', frac = ''] = num!.split('.');
  let mantissa = BigInt((int || '0') + frac);
  if (sign === '-') mantissa = -mantissa;
  let exp10 = -frac.length;
  let exp2 = 0;
  if (bin) exp2 = BINARY[bin]!;
  else if (dec) exp10 += DECIMAL[dec]!;
  else if (exp) {
    const e = Number(exp.slice(1));
    if (!Number.isSafeInteger(e) || Math.abs(e) > 1000) return undefined;
    exp10 += e;
  }
  return { mantissa, exp10, exp2 };
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  // a.m * 10^a.e10 * 2^a.e2  vs  b.m * 10^b.e10 * 2^b.e2: bring both to integers.
  const e10 = Math.min(a.exp10, b.exp10);
  const e2 = Math.min(a.exp2, b.exp2);
  const scale = (q: Quantity): bigint => q.mantissa * 10n ** BigInt(q.exp10 - e10) * 2n ** BigInt(q.exp2 - e2);
  const x = scale(a);
  const y = scale(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
