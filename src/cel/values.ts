/**
 * The bridge between JSON-shaped data and CEL values as @marcbachmann/cel-js represents them:
 * int = bigint, uint = UnsignedInt, double = number, bytes = Uint8Array, map = Map, list = Array,
 * timestamp = Date, duration = Duration, optional = Optional.
 *
 * Inputs follow Kubernetes' unstructured conversion: a JSON number without a fraction part is an
 * int, any other number a double. Objects become Maps (no prototype lookups on untrusted keys).
 */
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { CelEvalError } from './errors.js';

export { Duration, Optional, UnsignedInt };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The deepest input nesting accepted (Kubernetes objects are far shallower). */
export const MAX_INPUT_DEPTH = 100;

/**
 * The base of library values handed to an evaluation as they are (Kyverno's `resource`, `image`
 * and `time` variables): toCel passes them through, they are not data.
 */
export abstract class CelLibraryValue {}

/** A JSON-shaped value (as parsed from YAML or JSON) as a CEL value. */
export function toCel(value: unknown, depth = 0): unknown {
  if (depth > MAX_INPUT_DEPTH) throw new CelEvalError(`input nested deeper than ${MAX_INPUT_DEPTH} levels`, 'input');
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isInteger(value) && inInt64(value) ? BigInt(value) : value;
    case 'bigint':
      return value;
    case 'undefined':
      return null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map((v) => toCel(v, depth + 1));
      if (value instanceof Map || value instanceof Uint8Array || value instanceof Date) return value;
      if (
        value instanceof UnsignedInt ||
        value instanceof Duration ||
        value instanceof Optional ||
        value instanceof CelLibraryValue
      )
        return value;
      const m = new Map<string, unknown>();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) m.set(k, toCel(v, depth + 1));
      return m;
    }
  }
  throw new CelEvalError(`input of type ${typeof value} is not JSON-shaped`, 'input');
}

function inInt64(n: number): boolean {
  // 2^63 is exactly representable as a double; it is out of range.
  return n >= -9223372036854775808 && n < 9223372036854775808;
}

/** A CEL value as plain JSON-shaped data: ints that fit become numbers (else decimal strings), maps objects. */
export function fromCel(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof UnsignedInt) return fromCel(value.value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (isCelMap(value)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of mapEntries(value)) o[String(fromCel(k))] = fromCel(v);
    return o;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  if (value instanceof Duration) return durationString(value);
  if (typeof value === 'object' && value !== null && typeof (value as { toString?: unknown }).toString === 'function') {
    return String(value);
  }
  return value;
}

/** True for a CEL map: a Map, or a plain (null-prototype) object as cel-js builds map literals. */
export function isCelMap(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** The entries of a CEL map. */
export function mapEntries(value: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  return value instanceof Map ? [...value] : Object.entries(value);
}

/** A duration as cel-go prints it (`string(d)`): seconds with up to 9 fraction digits and an `s`. */
export function durationString(d: Duration): string {
  const { seconds, nanos } = d as unknown as { seconds: bigint; nanos: number };
  if (nanos === 0) return `${seconds}s`;
  const neg = seconds < 0n || nanos < 0;
  const s = seconds < 0n ? -seconds : seconds;
  const n = Math.abs(nanos);
  const frac = String(n).padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${s}.${frac}s`;
}

export { INT64_MAX, INT64_MIN };
