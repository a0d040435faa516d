/**
 * Conversions and comparisons of the standard library cel-js lacks: `string(timestamp)`,
 * `string(duration)`, and ordering of bytes (lexicographic, as cel-go).
 */
import { compareCel } from '../semantics.js';
import { type Duration, durationString } from '../values.js';
import type { CelRegistrar } from './types.js';

const TS = 'google.protobuf.Timestamp';
const DUR = 'google.protobuf.Duration';

/** A timestamp as cel-go's string(): RFC 3339 in UTC, fraction only when non-zero. */
export function timestampString(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => (ms === '000' ? 'Z' : `.${ms.replace(/0+$/, '')}Z`));
}

export function registerConversions(env: CelRegistrar): void {
  env.registerFunction(`string(${TS}): string`, timestampString);
  env.registerFunction(`string(${DUR}): string`, (d: Duration) => durationString(d));
  env.registerOperator('bytes < bytes', (a: Uint8Array, b: Uint8Array) => compareCel(a, b) < 0);
  env.registerOperator('bytes <= bytes', (a: Uint8Array, b: Uint8Array) => compareCel(a, b) <= 0);
  env.registerOperator('bytes > bytes', (a: Uint8Array, b: Uint8Array) => compareCel(a, b) > 0);
  env.registerOperator('bytes >= bytes', (a: Uint8Array, b: Uint8Array) => compareCel(a, b) >= 0);
}
