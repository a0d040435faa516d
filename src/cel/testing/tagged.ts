/**
 * The tagged JSON encoding of CEL values shared with the cel oracle (test/oracles/programs/cel):
 * int, uint and double stay apart, maps keep non-string keys. Used to compare results.
 */
import { durationString, Duration, isCelMap, mapEntries, Optional, UnsignedInt } from '../values.js';

/** A CEL value in the oracle's tagged JSON form. */
export function tagged(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { int: value.toString() };
  if (value instanceof UnsignedInt) return { uint: (value.value as bigint).toString() };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { double: 'NaN' };
    if (value === Infinity) return { double: '+Inf' };
    if (value === -Infinity) return { double: '-Inf' };
    return { double: value };
  }
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Duration) return { duration: durationString(value) };
  if (value instanceof Date) return { timestamp: timestampString(value) };
  if (value instanceof Optional)
    return value.hasValue() ? { optional: tagged(value.value()) } : { optional: null, empty: true };
  if (Array.isArray(value)) return value.map(tagged);
  if (isCelMap(value)) {
    const entries = mapEntries(value).map(([k, v]) => [tagged(k), tagged(v)] as const);
    entries.sort((a, b) =>
      JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : JSON.stringify(a[0]) > JSON.stringify(b[0]) ? 1 : 0,
    );
    return { map: entries.map(([k, v]) => [k, v]) };
  }
  const celType = (value as { celType?: string })?.celType;
  if (celType) return { opaque: celType, string: String(value) };
  const ctor = (value as object)?.constructor?.name;
  if (ctor === 'Type') return { type: celTypeName(String((value as { name?: string }).name ?? value)) };
  return { opaque: ctor ?? typeof value, string: String(value) };
}

/** cel-js' type names as cel-go prints them. */
function celTypeName(name: string): string {
  if (name === 'null') return 'null_type';
  if (name.startsWith('list<')) return 'list';
  if (name.startsWith('map<')) return 'map';
  if (name.startsWith('optional<')) return 'optional_type';
  return name;
}

/** RFC 3339 with nanoseconds trimmed as Go's time.RFC3339Nano prints UTC. */
function timestampString(d: Date): string {
  const iso = d.toISOString();
  const nanos = (d as { nanos?: number }).nanos;
  return iso.replace(/\.(\d{3})Z$/, (_, ms: string) => {
    const frac = (nanos !== undefined ? String(nanos).padStart(9, '0') : ms).replace(/0+$/, '');
    return frac ? `.${frac}Z` : 'Z';
  });
}
