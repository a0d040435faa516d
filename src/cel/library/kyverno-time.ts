/**
 * Kyverno's `time` library (github.com/kyverno/sdk extensions/cel/libs/time), for
 * ValidatingPolicy: `time.now()`, `time.truncate(timestamp, duration)`, `time.toCron(timestamp)`.
 * `now` is the evaluation's clock, given by the caller (the command's start), so that one run
 * judges every resource at the same instant.
 */
import { CelEvalError } from '../errors.js';
import { CelLibraryValue, type Duration } from '../values.js';
import type { CelRegistrar } from './types.js';

/** The CEL type of the `time` variable. */
export const CLOCK_TYPE = 'kyverno.time.Clock';

/** The value of the `time` variable. */
export class Clock extends CelLibraryValue {
  constructor(readonly now: Date) {
    super();
  }
}

const NANOS_PER_MS = 1_000_000n;

/** Go's time.Truncate: rounds down to a multiple of `d` since the zero time (a non-positive d: unchanged). */
export function truncateTime(t: Date, d: Duration): Date {
  const { seconds, nanos } = d as unknown as { seconds: bigint; nanos: number };
  const dNanos = seconds * 1_000_000_000n + BigInt(nanos);
  if (dNanos <= 0n) return t;
  // Go's zero time is January 1, year 1, UTC: 62135596800 s before the Unix epoch.
  const sinceZero = (BigInt(t.getTime()) + 62_135_596_800_000n) * NANOS_PER_MS;
  const rem = ((sinceZero % dNanos) + dNanos) % dNanos;
  const ms = (sinceZero - rem) / NANOS_PER_MS - 62_135_596_800_000n;
  return new Date(Number(ms));
}

/** time.toCron: "minute hour day month weekday" of the timestamp in UTC (weekday 0 = Sunday). */
export function toCron(t: Date): string {
  if (Number.isNaN(t.getTime())) throw new CelEvalError('time.toCron: invalid timestamp');
  return [t.getUTCMinutes(), t.getUTCHours(), t.getUTCDate(), t.getUTCMonth() + 1, t.getUTCDay()].join(' ');
}

export function registerKyvernoTime(env: CelRegistrar): void {
  env.registerType(CLOCK_TYPE, Clock);
  env.registerFunction(`${CLOCK_TYPE}.now(): google.protobuf.Timestamp`, (c: Clock) => new Date(c.now.getTime()));
  env.registerFunction(
    `${CLOCK_TYPE}.truncate(google.protobuf.Timestamp, google.protobuf.Duration): google.protobuf.Timestamp`,
    (_c: Clock, t: Date, d: Duration) => truncateTime(t, d),
  );
  env.registerFunction(`${CLOCK_TYPE}.toCron(google.protobuf.Timestamp): string`, (_c: Clock, t: Date) => toCron(t));
}
