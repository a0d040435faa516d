/** Time helpers for Kyverno's time_* functions: RFC 3339 timestamps and Go's Duration.String. */
import { parseDuration } from '../pattern/duration.js';

const RFC3339_LAYOUT = '2006-01-02T15:04:05Z07:00';
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an RFC 3339 time (layout "" or Go's RFC3339 layout only). */
export function parseTime(layout: string, value: string): number {
  if (layout !== '' && layout !== RFC3339_LAYOUT)
    throw new Error(`time layout '${layout}' is not supported offline (only RFC 3339)`);
  const m = RFC3339.exec(value);
  if (!m) throw new Error(`parsing time "${value}" as "${RFC3339_LAYOUT}": cannot parse`);
  const t = Date.parse(value.toUpperCase());
  if (Number.isNaN(t)) throw new Error(`parsing time "${value}": out of range`);
  return t;
}

/** RFC 3339 text of a time in UTC (Go's time.Format(time.RFC3339) of a UTC time). */
export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** Go's time.Duration.String of nanoseconds: `1h2m3.5s`, `0s`, `1.5ms`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.round(Math.abs(ns));
  let out: string;
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFloat(n / div!)}${unit}`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const s = trimFloat(n / 1e9);
    out = `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** A Go duration in nanoseconds, or an error naming the text. */
export function durationOf(text: string): number {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`time: invalid duration "${text}"`);
  return d;
}
