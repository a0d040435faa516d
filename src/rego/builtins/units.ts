/** OPA's `units.parse_bytes`, `units.parse` and `time.parse_rfc3339_ns`. */
import { BuiltinError } from './types.js';

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
};

function splitNumber(name: string, s: string): [number, string] {
  const t = s.replace(/"/g, '');
  const m = /^([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)$/.exec(t.trim());
  if (!m || t.trim() !== t) {
    if (/^[0-9]*\.?[0-9]*$/.test(t) && t !== '') throw new BuiltinError(`${name}: could not parse amount to a number`);
    throw new BuiltinError(`${name}: no amount provided`);
  }
  return [Number(m[1]), m[2]!];
}

export function parseBytes(s: string): number {
  const [n, unit] = splitNumber('units.parse_bytes', s);
  const f = BYTE_UNITS[unit.toLowerCase()];
  if (f === undefined) throw new BuiltinError(`units.parse_bytes: byte unit ${unit} not recognized`);
  return Math.ceil(n * f - 1e-9 * n * f) === n * f ? n * f : Math.floor(n * f);
}

/** units.parse: `m` is milli; every other suffix is case-insensitive (`M`, `Mi`, `g`, `gi`...). */
const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  ki: 1024,
  mega: 1e6,
  mi: 1024 ** 2,
  g: 1e9,
  gi: 1024 ** 3,
  t: 1e12,
  ti: 1024 ** 4,
  p: 1e15,
  pi: 1024 ** 5,
  e: 1e18,
  ei: 1024 ** 6,
};

export function parseUnits(s: string): number {
  const [n, unit] = splitNumber('units.parse', s);
  const f = unit === 'm' ? 0.001 : unit === 'M' ? UNITS.mega : UNITS[unit.toLowerCase()];
  if (f === undefined || unit.toLowerCase() === 'mega')
    throw new BuiltinError(`units.parse: unit ${unit} not recognized`);
  const v = n * f;
  return Number(v.toPrecision(15));
}

/** RFC 3339 to nanoseconds since the epoch (bigint: beyond 2^53). */
export function parseRfc3339Ns(s: string): bigint {
  const m =
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$/.exec(
      s,
    );
  if (!m)
    throw new BuiltinError(
      `time.parse_rfc3339_ns: parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse`,
    );
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(ms)) throw new BuiltinError('time.parse_rfc3339_ns: out of range');
  let ns = BigInt(ms) * 1000000n;
  if (frac) ns += BigInt((frac.slice(1) + '000000000').slice(0, 9));
  if (tz && tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1n : 1n;
    const off = BigInt(Number(tz.slice(1, 3)) * 3600 + Number(tz.slice(4, 6)) * 60) * 1000000000n;
    ns -= sign * off;
  }
  return ns;
}
