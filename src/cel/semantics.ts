/**
 * CEL equality and ordering over cel-js values, for the library functions that need them
 * (indexOf, isSorted, min, max, sets). Numbers compare across int, uint and double by value, as
 * cel-go does with heterogeneous equality and cross-type numeric comparisons.
 */
import { CelEvalError } from './errors.js';
import { Duration, isCelMap, mapEntries, UnsignedInt } from './values.js';

type Num = { kind: 'int'; v: bigint } | { kind: 'double'; v: number };

function numeric(x: unknown): Num | undefined {
  if (typeof x === 'bigint') return { kind: 'int', v: x };
  if (x instanceof UnsignedInt) return { kind: 'int', v: x.value as bigint };
  if (typeof x === 'number') return { kind: 'double', v: x };
  return undefined;
}

function compareNum(a: Num, b: Num): number {
  if (a.kind === 'int' && b.kind === 'int') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  const x = a.kind === 'int' ? Number(a.v) : a.v;
  const y = b.kind === 'int' ? Number(b.v) : b.v;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares two strings by Unicode code points (as Go compares UTF-8 bytes). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** CEL `<` ordering: -1, 0, 1; throws for values without an order. */
export function compareCel(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na && nb) return compareNum(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
  }
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Duration && b instanceof Duration) {
    const x = (a.seconds as bigint) * 1_000_000_000n + BigInt(a.nanos as number);
    const y = (b.seconds as bigint) * 1_000_000_000n + BigInt(b.nanos as number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ca = a as { compareTo?: (o: unknown) => number };
  if (typeof ca?.compareTo === 'function' && a?.constructor === (b as object)?.constructor) return ca.compareTo(b);
  throw new CelEvalError(`no such overload: ${typeName(a)} < ${typeName(b)}`);
}

/** CEL `==`: heterogeneous, numbers by value, lists and maps deeply. */
export function equalCel(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na || nb) return !!na && !!nb && compareNum(na, nb) === 0;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equalCel(x, b[i]));
  }
  if (isCelMap(a) || isCelMap(b)) {
    if (!(isCelMap(a) && isCelMap(b))) return false;
    const ea = mapEntries(a);
    const mb = new Map(mapEntries(b));
    if (ea.length !== mb.size) return false;
    for (const [k, v] of ea) {
      const other = lookupKey(mb, k);
      if (!other.found || !equalCel(v, other.value)) return false;
    }
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Duration && b instanceof Duration) return compareCel(a, b) === 0;
  const ea = a as { equals?: (o: unknown) => boolean };
  if (typeof ea.equals === 'function' && a.constructor === b.constructor) return ea.equals(b);
  return false;
}

/** A map lookup where numeric keys match across int, uint and double. */
export function lookupKey(m: Map<unknown, unknown>, k: unknown): { found: boolean; value?: unknown } {
  if (m.has(k)) return { found: true, value: m.get(k) };
  if (numeric(k)) for (const [key, value] of m) if (numeric(key) && equalCel(key, k)) return { found: true, value };
  return { found: false };
}

/** The CEL type name of a value, for messages. */
export function typeName(x: unknown): string {
  if (x === null) return 'null_type';
  if (typeof x === 'bigint') return 'int';
  if (typeof x === 'number') return 'double';
  if (typeof x === 'string') return 'string';
  if (typeof x === 'boolean') return 'bool';
  if (x instanceof UnsignedInt) return 'uint';
  if (Array.isArray(x)) return 'list';
  if (isCelMap(x)) return 'map';
  if (x instanceof Uint8Array) return 'bytes';
  if (x instanceof Date) return 'google.protobuf.Timestamp';
  if (x instanceof Duration) return 'google.protobuf.Duration';
  const t = (x as { celType?: string }).celType;
  return t ?? typeof x;
}
