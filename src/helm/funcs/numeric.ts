/** sprig's numeric functions (numeric.go): integer math through cast.ToInt64, float math through shopspring/decimal. */
import { GoPanic, goFunc, typedSlice, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { goInt64Of, goIntOf, intArg, parseGoInt, toFloat64, toInt64, wrapInt64 } from './cast.js';
import * as dec from './decimal.js';
import { formatV } from './go-fmt.js';

/** Longest list until/untilStep/seq may build (untrusted charts): Go has no such cap. */
export const MAX_SEQUENCE = 1_000_000;

export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  const push = (i: number): void => {
    if (v.length >= MAX_SEQUENCE) throw new GoPanic(`aksfleet: sequence longer than ${MAX_SEQUENCE} elements`);
    v.push(i);
  };
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) push(i);
  return v;
}

const intSlice = (v: number[]): GoValue[] =>
  typedSlice(
    v.map((n) => goIntOf(n)),
    'int',
  );

function seq(params: number[]): string {
  let inc = 1;
  const join = (v: number[]): string => v.join(' ');
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      if (end < 1) inc = -1;
      return join(untilStep(1, end + inc, inc));
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

function divInt(a: bigint, b: bigint, op: 'div' | 'mod'): bigint {
  if (b === 0n) throw new GoPanic('runtime error: integer divide by zero');
  return wrapInt64(op === 'div' ? a / b : a % b);
}

function round(a: GoValue, p: number, rOpt: GoValue[]): number {
  const roundOn = rOpt.length > 0 ? (rOpt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** p;
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

function decimalOp(a: GoValue, b: GoValue[], f: (x: dec.Decimal, y: dec.Decimal) => dec.Decimal): number {
  let acc = dec.fromFloat(toFloat64(a));
  for (const x of b) acc = f(acc, dec.fromFloat(toFloat64(x ?? null)));
  return dec.toFloat(acc);
}

/** strconv.Atoi as sprig wraps it: 0 on a syntax error, the clamped value on a range error. */
function atoi(s: string): bigint {
  const v = parseGoInt(s, 10);
  if (v !== undefined) return v;
  if (/^[+-]?\d+$/.test(s)) return s.startsWith('-') ? -(1n << 63n) : (1n << 63n) - 1n;
  return 0n;
}

const I = 'interface{}';
export const numericFuncs: Record<string, GoFunc> = {
  atoi: goFunc(['string'], ['int'], ([a]) => goIntOf(atoi(a as string))),
  int64: goFunc([I], ['int64'], ([v]) => goInt64Of(toInt64(v ?? null))),
  int: goFunc([I], ['int'], ([v]) => goIntOf(toInt64(v ?? null))),
  float64: goFunc([I], ['float64'], ([v]) => toFloat64(v ?? null)),
  seq: goFunc([], ['string'], (ps) => seq(ps.map(intArg)), 'int'),
  toDecimal: goFunc([I], ['int64'], ([v]) => goInt64Of(parseGoInt(formatV(v ?? null), 8) ?? 0n)),
  until: goFunc(['int'], ['[]int'], ([c]) => {
    const n = intArg(c);
    return intSlice(untilStep(0, n, n < 0 ? -1 : 1));
  }),
  untilStep: goFunc(['int', 'int', 'int'], ['[]int'], ([a, b, c]) =>
    intSlice(untilStep(intArg(a), intArg(b), intArg(c))),
  ),
  add1: goFunc([I], ['int64'], ([v]) => goInt64Of(toInt64(v ?? null) + 1n)),
  add: goFunc([], ['int64'], (vs) => goInt64Of(vs.reduce<bigint>((a, b) => wrapInt64(a + toInt64(b ?? null)), 0n)), I),
  sub: goFunc([I, I], ['int64'], ([a, b]) => goInt64Of(toInt64(a ?? null) - toInt64(b ?? null))),
  div: goFunc([I, I], ['int64'], ([a, b]) => goInt64Of(divInt(toInt64(a ?? null), toInt64(b ?? null), 'div'))),
  mod: goFunc([I, I], ['int64'], ([a, b]) => goInt64Of(divInt(toInt64(a ?? null), toInt64(b ?? null), 'mod'))),
  mul: goFunc(
    [I],
    ['int64'],
    ([a, ...vs]) => goInt64Of(vs.reduce<bigint>((x, y) => wrapInt64(x * toInt64(y ?? null)), toInt64(a ?? null))),
    I,
  ),
  add1f: goFunc([I], ['float64'], ([v]) => decimalOp(v ?? null, [goIntOf(1)], dec.add)),
  addf: goFunc([], ['float64'], (vs) => decimalOp(0, vs, dec.add), I),
  subf: goFunc([I], ['float64'], ([a, ...vs]) => decimalOp(a ?? null, vs, dec.sub), I),
  divf: goFunc([I], ['float64'], ([a, ...vs]) => decimalOp(a ?? null, vs, dec.div), I),
  mulf: goFunc([I], ['float64'], ([a, ...vs]) => decimalOp(a ?? null, vs, dec.mul), I),
  biggest: goFunc(
    [I],
    ['int64'],
    ([a, ...vs]) =>
      goInt64Of(vs.reduce<bigint>((m, b) => (toInt64(b ?? null) > m ? toInt64(b ?? null) : m), toInt64(a ?? null))),
    I,
  ),
  max: goFunc(
    [I],
    ['int64'],
    ([a, ...vs]) =>
      goInt64Of(vs.reduce<bigint>((m, b) => (toInt64(b ?? null) > m ? toInt64(b ?? null) : m), toInt64(a ?? null))),
    I,
  ),
  min: goFunc(
    [I],
    ['int64'],
    ([a, ...vs]) =>
      goInt64Of(vs.reduce<bigint>((m, b) => (toInt64(b ?? null) < m ? toInt64(b ?? null) : m), toInt64(a ?? null))),
    I,
  ),
  maxf: goFunc(
    [I],
    ['float64'],
    ([a, ...vs]) => vs.reduce<number>((m, b) => goMax(m, toFloat64(b ?? null)), toFloat64(a ?? null)),
    I,
  ),
  minf: goFunc(
    [I],
    ['float64'],
    ([a, ...vs]) => vs.reduce<number>((m, b) => goMin(m, toFloat64(b ?? null)), toFloat64(a ?? null)),
    I,
  ),
  ceil: goFunc([I], ['float64'], ([a]) => Math.ceil(toFloat64(a ?? null))),
  floor: goFunc([I], ['float64'], ([a]) => Math.floor(toFloat64(a ?? null))),
  round: goFunc([I, 'int'], ['float64'], ([a, p, ...r]) => round(a ?? null, intArg(p ?? null), r), 'float64'),
};

/** math.Max / math.Min: NaN wins, and the sign of zero matters. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}
