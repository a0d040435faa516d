/**
 * cel-go's ext.Math (github.com/google/cel-go ext/math.go), which Kyverno's environment adds to the
 * Kubernetes one (kyverno pkg/cel/compiler DefaultEnvOptions): `math.greatest/least` (2 to 6
 * numbers, or one list), `math.ceil/floor/round/trunc`, `math.abs`, `math.sign`,
 * `math.isInf/isNaN/isFinite`, `math.sqrt`, and the bit operations on int and uint, with
 * cel-go's error wordings.
 */
import { CelEvalError } from '../errors.js';
import { compareCel } from '../semantics.js';
import { UnsignedInt } from '../values.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

const INT64_MIN = -(2n ** 63n);
const isNumber = (v: unknown): boolean => typeof v === 'bigint' || typeof v === 'number' || v instanceof UnsignedInt;
const uval = (u: UnsignedInt): bigint => (u as unknown as { value: bigint }).value;

function extreme(name: 'greatest' | 'least', values: readonly unknown[]): unknown {
  if (values.length === 0)
    throw new CelEvalError(`math.@${name === 'greatest' ? 'max' : 'min'}(list) argument must not be empty`);
  let best = values[0];
  for (const v of values) {
    if (!isNumber(v)) throw new CelEvalError(`no such overload: math.@${name === 'greatest' ? 'max' : 'min'}`);
    const c = compareCel(v, best);
    if (name === 'greatest' ? c > 0 : c < 0) best = v;
  }
  return best;
}

/** Go's math.Round: halves away from zero. */
const goRound = (x: number): number => (Number.isFinite(x) ? (x < 0 ? -Math.round(-x) : Math.round(x)) : x);

export function registerMathExt(env: CelRegistrar): void {
  for (const name of ['greatest', 'least'] as const) {
    namespaced(env, `math.${name}`, ['list<dyn>'], 'dyn', (l: unknown[]) => extreme(name, l));
    for (let n = 1; n <= 6; n++) {
      const params = Array.from({ length: n }, () => 'dyn');
      if (n === 1) {
        for (const t of ['int', 'uint', 'double']) namespaced(env, `math.${name}`, [t], t, (x: unknown) => x);
        continue;
      }
      namespaced(env, `math.${name}`, params, 'dyn', (...xs: unknown[]) => extreme(name, xs));
    }
  }
  namespaced(env, 'math.ceil', ['double'], 'double', Math.ceil);
  namespaced(env, 'math.floor', ['double'], 'double', Math.floor);
  namespaced(env, 'math.round', ['double'], 'double', goRound);
  namespaced(env, 'math.trunc', ['double'], 'double', Math.trunc);
  namespaced(env, 'math.isInf', ['double'], 'bool', (x: number) => x === Infinity || x === -Infinity);
  namespaced(env, 'math.isNaN', ['double'], 'bool', Number.isNaN);
  namespaced(env, 'math.isFinite', ['double'], 'bool', Number.isFinite);
  namespaced(env, 'math.abs', ['int'], 'int', (x: bigint) => {
    if (x === INT64_MIN) throw new CelEvalError('integer overflow');
    return x < 0n ? -x : x;
  });
  namespaced(env, 'math.abs', ['uint'], 'uint', (x: UnsignedInt) => x);
  namespaced(env, 'math.abs', ['double'], 'double', Math.abs);
  namespaced(env, 'math.sign', ['int'], 'int', (x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n));
  namespaced(env, 'math.sign', ['uint'], 'uint', (x: UnsignedInt) => new UnsignedInt(uval(x) > 0n ? 1n : 0n));
  namespaced(env, 'math.sign', ['double'], 'double', (x: number) =>
    Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : x,
  );
  for (const t of ['int', 'uint', 'double'])
    namespaced(env, 'math.sqrt', [t], 'double', (x: unknown) =>
      Math.sqrt(Number(x instanceof UnsignedInt ? uval(x) : (x as number | bigint))),
    );
  const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
  const u64 = (v: bigint): UnsignedInt => new UnsignedInt(BigInt.asUintN(64, v));
  namespaced(env, 'math.bitAnd', ['int', 'int'], 'int', (a: bigint, b: bigint) => a & b);
  namespaced(env, 'math.bitOr', ['int', 'int'], 'int', (a: bigint, b: bigint) => a | b);
  namespaced(env, 'math.bitXor', ['int', 'int'], 'int', (a: bigint, b: bigint) => a ^ b);
  namespaced(env, 'math.bitNot', ['int'], 'int', (a: bigint) => ~a);
  namespaced(env, 'math.bitAnd', ['uint', 'uint'], 'uint', (a: UnsignedInt, b: UnsignedInt) => u64(uval(a) & uval(b)));
  namespaced(env, 'math.bitOr', ['uint', 'uint'], 'uint', (a: UnsignedInt, b: UnsignedInt) => u64(uval(a) | uval(b)));
  namespaced(env, 'math.bitXor', ['uint', 'uint'], 'uint', (a: UnsignedInt, b: UnsignedInt) => u64(uval(a) ^ uval(b)));
  namespaced(env, 'math.bitNot', ['uint'], 'uint', (a: UnsignedInt) => u64(~uval(a)));
  const shift = (dir: 'Left' | 'Right', n: bigint): bigint => {
    if (n < 0n) throw new CelEvalError(`math.bitShift${dir}() negative offset: ${n}`);
    return n;
  };
  namespaced(env, 'math.bitShiftLeft', ['int', 'int'], 'int', (a: bigint, n: bigint) =>
    shift('Left', n) > 63n ? 0n : i64(a << n),
  );
  namespaced(env, 'math.bitShiftRight', ['int', 'int'], 'int', (a: bigint, n: bigint) =>
    shift('Right', n) > 63n ? 0n : i64(BigInt.asUintN(64, a) >> n),
  );
  namespaced(env, 'math.bitShiftLeft', ['uint', 'int'], 'uint', (a: UnsignedInt, n: bigint) =>
    shift('Left', n) > 63n ? u64(0n) : u64(uval(a) << n),
  );
  namespaced(env, 'math.bitShiftRight', ['uint', 'int'], 'uint', (a: UnsignedInt, n: bigint) =>
    shift('Right', n) > 63n ? u64(0n) : u64(uval(a) >> n),
  );
}

/** cel-go's ext.Encoders: `base64.encode(bytes): string`, `base64.decode(string): bytes` (padding optional). */
export function registerEncoders(env: CelRegistrar): void {
  namespaced(env, 'base64.encode', ['bytes'], 'string', (b: Uint8Array) => Buffer.from(b).toString('base64'));
  namespaced(env, 'base64.decode', ['string'], 'bytes', (s: string) => {
    const ok = /^[A-Za-z0-9+/]*={0,2}$/.test(s) && (s.length % 4 === 0 || !s.includes('='));
    if (!ok || s.replace(/=+$/, '').length % 4 === 1)
      throw new CelEvalError('illegal base64 data at input byte ' + Math.max(0, s.search(/[^A-Za-z0-9+/=]/)));
    return new Uint8Array(Buffer.from(s, 'base64'));
  });
}
