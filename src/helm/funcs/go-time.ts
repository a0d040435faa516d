/**
 * The part of Go's time package sprig's date functions use: a Time (Unix seconds, nanoseconds, a
 * location), Format and Parse with Go's reference layouts, Duration's String and ParseDuration, and
 * time.Time as a template value (a GoStruct with Go's methods). Local time is UTC, as in the Flux
 * controllers' containers; other zones come from the runtime's IANA database (Intl).
 */
import { GoError, GoInt, GO_STRUCT, goFunc, isGoStruct, type GoStruct, type GoValue } from '../../gotemplate/value.js';
import { goQuote } from './go-fmt.js';

export interface Zone {
  readonly name: string;
  /** Offset east of UTC in seconds and the abbreviation, at a Unix second. */
  at(sec: bigint): { offset: number; abbrev: string };
}

export const UTC: Zone = { name: 'UTC', at: () => ({ offset: 0, abbrev: 'UTC' }) };
export const LOCAL: Zone = { name: 'Local', at: () => ({ offset: 0, abbrev: 'UTC' }) };

/** A fixed zone as Parse creates for a numeric offset. */
export function fixedZone(offset: number, abbrev = ''): Zone {
  return { name: abbrev, at: () => ({ offset, abbrev }) };
}

/**
 * Locales whose short zone names are the tz database's abbreviations for their region (JST, CEST,
 * IST, AEST...). Where none has letters, Go's tzdata uses the numeric form (-03, +0530), as here.
 */
const ABBREV_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'ja-JP', 'en-NZ', 'en-IE', 'en-ZA', 'en-SG', 'en-HK'];
function abbreviation(names: readonly Intl.DateTimeFormat[], d: Date, offset: number): string {
  for (const f of names) {
    const v = f.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(v)) return v;
  }
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = Math.floor((a % 3600) / 60);
  return (offset < 0 ? '-' : '+') + hh + (mm ? String(mm).padStart(2, '0') : '');
}

const zoneCache = new Map<string, Zone | undefined>();
/** time.LoadLocation; undefined for an unknown name. */
export function loadLocation(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return LOCAL;
  if (zoneCache.has(name)) return zoneCache.get(name);
  let z: Zone | undefined;
  try {
    const dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const names = ABBREV_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZone: name, timeZoneName: 'short' }));
    z = {
      name,
      at(sec) {
        const ms = Number(sec) * 1000;
        const d = new Date(ms);
        const parts = Object.fromEntries(dtf.formatToParts(d).map((p) => [p.type, p.value]));
        const wall = Date.UTC(
          Number(parts.year),
          Number(parts.month) - 1,
          Number(parts.day),
          Number(parts.hour) % 24,
          Number(parts.minute),
          Number(parts.second),
        );
        const offset = Math.round((wall - ms) / 1000);
        return { offset, abbrev: abbreviation(names, d, offset) };
      },
    };
  } catch {
    z = undefined;
  }
  zoneCache.set(name, z);
  return z;
}

export interface GoTime {
  readonly sec: bigint;
  readonly nsec: number;
  readonly zone: Zone;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
/** The date of a day number (civil_from_days). */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}
const daysIn = (y: number, m: number): number =>
  daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);

/** Civil fields of a Time in its zone. */
export function civil(t: GoTime): {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  wday: number;
  yday: number;
  offset: number;
  abbrev: string;
} {
  const { offset, abbrev } = t.zone.at(t.sec);
  const local = t.sec + BigInt(offset);
  const days = local >= 0n ? local / 86400n : -((-local + 86399n) / 86400n);
  const rem = Number(local - days * 86400n);
  const n = Number(days);
  const { y, m, d } = civilFromDays(n);
  return {
    year: y,
    month: m,
    day: d,
    hour: Math.floor(rem / 3600),
    min: Math.floor((rem % 3600) / 60),
    sec: rem % 60,
    wday: (((n + 4) % 7) + 7) % 7,
    yday: n - daysFromCivil(y, 1, 1) + 1,
    offset,
    abbrev,
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Chunk = { lit: string } | { std: string; n?: number; sep?: string };

/** Splits a Go layout into literal text and std elements (time/format.go nextStdChunk). */
export function layoutChunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  const isDigit = (i: number): boolean => i < layout.length && layout[i]! >= '0' && layout[i]! <= '9';
  const lower = (i: number): boolean => i < layout.length && layout[i]! >= 'a' && layout[i]! <= 'z';
  let i = 0;
  const emit = (std: string, len: number, extra: Partial<{ n: number; sep: string }> = {}): void => {
    if (lit) out.push({ lit });
    lit = '';
    out.push({ std, ...extra });
    i += len;
  };
  while (i < layout.length) {
    const r = layout.slice(i);
    const c = layout[i]!;
    if (c === 'J' && r.startsWith('Jan')) {
      if (r.startsWith('January')) {
        emit('January', 7);
        continue;
      }
      if (!lower(i + 3)) {
        emit('Jan', 3);
        continue;
      }
    } else if (c === 'M' && r.length >= 3) {
      if (r.startsWith('Mon')) {
        if (r.startsWith('Monday')) {
          emit('Monday', 6);
          continue;
        }
        if (!lower(i + 3)) {
          emit('Mon', 3);
          continue;
        }
      }
      if (r.startsWith('MST')) {
        emit('MST', 3);
        continue;
      }
    } else if (c === '0') {
      if (r.length >= 2 && r[1]! >= '1' && r[1]! <= '6') {
        emit('0' + r[1], 2);
        continue;
      }
      if (r.startsWith('002')) {
        emit('002', 3);
        continue;
      }
    } else if (c === '1') {
      if (r.startsWith('15')) {
        emit('15', 2);
        continue;
      }
      emit('1', 1);
      continue;
    } else if (c === '2') {
      if (r.startsWith('2006')) {
        emit('2006', 4);
        continue;
      }
      emit('2', 1);
      continue;
    } else if (c === '_') {
      if (r[1] === '2') {
        if (r.startsWith('_2006')) {
          lit += '_';
          i++;
          emit('2006', 4);
          continue;
        }
        emit('_2', 2);
        continue;
      }
      if (r.startsWith('__2')) {
        emit('__2', 3);
        continue;
      }
    } else if (c === '3' || c === '4' || c === '5') {
      emit(c, 1);
      continue;
    } else if (c === 'P' && r[1] === 'M') {
      emit('PM', 2);
      continue;
    } else if (c === 'p' && r[1] === 'm') {
      emit('pm', 2);
      continue;
    } else if (c === '-' || c === 'Z') {
      const m = ['070000', '07:00:00', '0700', '07:00', '07'].find((s) => r.startsWith(c + s));
      if (m) {
        emit(c + m, m.length + 1);
        continue;
      }
    } else if ((c === '.' || c === ',') && (r[1] === '0' || r[1] === '9')) {
      let j = i + 1;
      while (j < layout.length && layout[j] === r[1]) j++;
      if (!isDigit(j)) {
        emit(r[1] === '0' ? 'frac0' : 'frac9', j - i, { n: j - i - 1, sep: c });
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');

/** Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  for (const ch of layoutChunks(layout)) {
    if ('lit' in ch) {
      out += ch.lit;
      continue;
    }
    const tz = (colon: boolean, secs: boolean, short: boolean, iso: boolean): string => {
      if (iso && c.offset === 0) return 'Z';
      const z = Math.floor(Math.abs(c.offset) / 60);
      let s = (c.offset < 0 ? '-' : '+') + pad(Math.floor(z / 60), 2);
      if (!short) s += (colon ? ':' : '') + pad(z % 60, 2);
      if (secs) s += (colon ? ':' : '') + pad(Math.abs(c.offset) % 60, 2);
      return s;
    };
    switch (ch.std) {
      case 'January':
        out += MONTHS[c.month - 1];
        break;
      case 'Jan':
        out += MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case 'Monday':
        out += DAYS[c.wday];
        break;
      case 'Mon':
        out += DAYS[c.wday]!.slice(0, 3);
        break;
      case 'MST':
        out += c.abbrev !== '' ? c.abbrev : tz(false, false, false, false);
        break;
      case '01':
        out += pad(c.month, 2);
        break;
      case '02':
        out += pad(c.day, 2);
        break;
      case '03':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case '04':
        out += pad(c.min, 2);
        break;
      case '05':
        out += pad(c.sec, 2);
        break;
      case '06':
        out += pad(c.year % 100, 2);
        break;
      case '002':
        out += pad(c.yday, 3);
        break;
      case '15':
        out += pad(c.hour, 2);
        break;
      case '1':
        out += String(c.month);
        break;
      case '2':
        out += String(c.day);
        break;
      case '_2':
        out += String(c.day).padStart(2, ' ');
        break;
      case '__2':
        out += String(c.yday).padStart(3, ' ');
        break;
      case '2006':
        out += c.year < 0 ? '-' + pad(-c.year, 4) : pad(c.year, 4);
        break;
      case '3':
        out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case '4':
        out += String(c.min);
        break;
      case '5':
        out += String(c.sec);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case '-070000':
        out += tz(false, true, false, false);
        break;
      case '-07:00:00':
        out += tz(true, true, false, false);
        break;
      case '-0700':
        out += tz(false, false, false, false);
        break;
      case '-07:00':
        out += tz(true, false, false, false);
        break;
      case '-07':
        out += tz(false, false, true, false);
        break;
      case 'Z070000':
        out += tz(false, true, false, true);
        break;
      case 'Z07:00:00':
        out += tz(true, true, false, true);
        break;
      case 'Z0700':
        out += tz(false, false, false, true);
        break;
      case 'Z07:00':
        out += tz(true, false, false, true);
        break;
      case 'Z07':
        out += tz(false, false, true, true);
        break;
      case 'frac0':
        out += ch.sep! + String(t.nsec).padStart(9, '0').slice(0, ch.n);
        break;
      case 'frac9': {
        const digits = String(t.nsec).padStart(9, '0').slice(0, ch.n).replace(/0+$/, '');
        if (digits) out += ch.sep! + digits;
        break;
      }
    }
  }
  return out;
}

/** Time.String: "2006-01-02 15:04:05.999999999 -0700 MST". */
export const timeString = (t: GoTime): string => formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');

/**
 * time.Parse / ParseInLocation (the layouts charts use: numbers, names, zones, fractions).
 * Elements missing from the layout are zero, or one where zero is impossible: year 0, January 1.
 */
export function parseTime(layout: string, value: string, loc: Zone): GoTime {
  const orig = value;
  const fail = (valueElem: string, layoutElem: string, extra = ''): never => {
    throw new GoError(
      `parsing time ${goQuote(orig)} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ` +
        `${goQuote(layoutElem)}${extra}`,
    );
  };
  let year = 0,
    month = 1,
    day = 1,
    hour = 0,
    min = 0,
    sec = 0,
    nsec = 0,
    pm = false,
    pmSet = false,
    yday = -1;
  let zoneOffset: number | undefined;
  let zoneName: string | undefined;
  const num = (ch: string, w: number, exact: boolean): number => {
    const m = exact ? new RegExp(`^\\d{${w}}`).exec(value) : /^\d{1,2}/.exec(value);
    if (!m) fail(value, ch);
    value = value.slice(m![0].length);
    return Number(m![0]);
  };
  const chunks = layoutChunks(layout);
  for (let k = 0; k < chunks.length; k++) {
    const ch = chunks[k]!;
    if ('lit' in ch) {
      // Go skips leading spaces in both before comparing a literal.
      let l = ch.lit;
      if (l.startsWith(' ') || value.startsWith(' ')) {
        l = l.replace(/^ +/, '');
        value = value.replace(/^ +/, '');
      }
      if (!value.startsWith(l)) fail(value, l);
      value = value.slice(l.length);
      continue;
    }
    const std = ch.std;
    switch (std) {
      case '2006': {
        const m = /^\d{4}/.exec(value);
        if (!m) fail(value, std);
        year = Number(m![0]);
        value = value.slice(4);
        break;
      }
      case '06':
        year = num(std, 2, true);
        year += year >= 69 ? 1900 : 2000;
        break;
      case 'January':
      case 'Jan': {
        const names = std === 'January' ? MONTHS : MONTHS.map((m) => m.slice(0, 3));
        const i = names.findIndex((n) => value.toLowerCase().startsWith(n.toLowerCase()));
        if (i < 0) fail(value, std);
        month = i + 1;
        value = value.slice(names[i]!.length);
        break;
      }
      case 'Monday':
      case 'Mon': {
        const names = std === 'Monday' ? DAYS : DAYS.map((d) => d.slice(0, 3));
        const i = names.findIndex((n) => value.toLowerCase().startsWith(n.toLowerCase()));
        if (i < 0) fail(value, std);
        value = value.slice(names[i]!.length);
        break;
      }
      case '01':
      case '1':
        month = num(std, 2, std === '01');
        if (month < 1 || month > 12) throw new GoError(`parsing time ${goQuote(orig)}: month out of range`);
        break;
      case '02':
      case '2':
      case '_2':
        if (std === '_2' && value.startsWith(' ')) value = value.slice(1);
        day = num(std, 2, std === '02');
        break;
      case '002':
      case '__2':
        yday = num(std, 3, std === '002');
        break;
      case '15':
        hour = num(std, 2, false);
        if (hour > 23) throw new GoError(`parsing time ${goQuote(orig)}: hour out of range`);
        break;
      case '03':
      case '3':
        hour = num(std, 2, std === '03');
        if (hour > 12) throw new GoError(`parsing time ${goQuote(orig)}: hour out of range`);
        break;
      case '04':
      case '4':
        min = num(std, 2, std === '04');
        if (min > 59) throw new GoError(`parsing time ${goQuote(orig)}: minute out of range`);
        break;
      case '05':
      case '5': {
        sec = num(std, 2, std === '05');
        if (sec > 59) throw new GoError(`parsing time ${goQuote(orig)}: second out of range`);
        // A fractional second in the value is accepted even when the layout has none after it.
        const next = chunks[k + 1];
        if (/^[.,]\d/.test(value) && !(next && 'std' in next && next.std.startsWith('frac'))) {
          const m = /^[.,](\d+)/.exec(value)!;
          nsec = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
          value = value.slice(m[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2).toUpperCase();
        if (p !== 'AM' && p !== 'PM') fail(value, std);
        pm = p === 'PM';
        pmSet = true;
        value = value.slice(2);
        break;
      }
      case 'frac0':
      case 'frac9': {
        const m = std === 'frac0' ? new RegExp(`^[.,]\\d{${ch.n}}`).exec(value) : /^[.,]\d+/.exec(value);
        if (!m) {
          if (std === 'frac9') break;
          fail(value, ch.sep! + '0'.repeat(ch.n!));
        }
        nsec = Number(m![0].slice(1, 10).padEnd(9, '0'));
        value = value.slice(m![0].length);
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT([+-]\d{1,2})?|[A-Z]{3,5}|[+-]\d{2,4})/.exec(value);
        if (!m) fail(value, std);
        zoneName = m![0];
        value = value.slice(zoneName!.length);
        break;
      }
      default: {
        if (std.startsWith('Z') && value.startsWith('Z')) {
          value = value.slice(1);
          zoneOffset = 0;
          zoneName = 'UTC';
          break;
        }
        const colon = std.includes(':');
        const secs = std.endsWith('0000') || std.endsWith(':00:00');
        const short = std.endsWith('07');
        const re = new RegExp(
          `^([+-])(\\d{2})${short ? '' : `${colon ? ':' : ''}(\\d{2})`}${secs ? `${colon ? ':' : ''}(\\d{2})` : ''}`,
        );
        const m = re.exec(value);
        if (!m) fail(value, std);
        zoneOffset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
        value = value.slice(m![0].length);
      }
    }
  }
  if (value !== '') throw new GoError(`parsing time ${goQuote(orig)}: extra text: ${goQuote(value)}`);
  if (pmSet) {
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const c = civilFromDays(daysFromCivil(year, 1, 1) + yday - 1);
    month = c.m;
    day = c.d;
  }
  if (day < 1 || day > daysIn(year, month)) throw new GoError(`parsing time ${goQuote(orig)}: day out of range`);
  const wall = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + min * 60 + sec);
  if (zoneOffset !== undefined) {
    const z =
      zoneOffset === 0 && zoneName === 'UTC'
        ? UTC
        : zoneOffset === loc.at(wall - BigInt(zoneOffset)).offset
          ? loc
          : fixedZone(zoneOffset, '');
    return { sec: wall - BigInt(zoneOffset), nsec, zone: z };
  }
  if (zoneName !== undefined) {
    const off = loc.at(wall).abbrev === zoneName ? loc.at(wall).offset : 0;
    return { sec: wall - BigInt(off), nsec, zone: off === 0 && zoneName === 'UTC' ? UTC : fixedZone(off, zoneName) };
  }
  const off = loc.at(wall).offset;
  return { sec: wall - BigInt(off), nsec, zone: loc };
}

/** time.Duration.String. */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1000000000n) {
    const units: [bigint, string][] = [
      [1n, 'ns'],
      [1000n, 'µs'],
      [1000000n, 'ms'],
    ];
    const [div, unit] = u < 1000n ? units[0]! : u < 1000000n ? units[1]! : units[2]!;
    out = fracString(u, div) + unit;
  } else {
    const h = u / 3600000000000n;
    u -= h * 3600000000000n;
    const m = u / 60000000000n;
    u -= m * 60000000000n;
    out = (h > 0n ? `${h}h` : '') + (h > 0n || m > 0n ? `${m}m` : '') + fracString(u, 1000000000n) + 's';
  }
  return (neg ? '-' : '') + out;
}
function fracString(v: bigint, div: bigint): string {
  const whole = v / div;
  const frac = v % div;
  if (frac === 0n) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

const UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** time.ParseDuration; throws GoError. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const bad = (): never => {
    throw new GoError(`time: invalid duration ${goQuote(orig)}`);
  };
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') bad();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === '' || m[0] === '.') bad();
    s = s.slice(m[0].length);
    const u = /^[^\d.]+/.exec(s);
    if (!u) throw new GoError(`time: missing unit in duration ${goQuote(orig)}`);
    const unit = UNIT[u[0]];
    if (unit === undefined) throw new GoError(`time: unknown unit ${goQuote(u[0])} in duration ${goQuote(orig)}`);
    s = s.slice(u[0].length);
    const whole = BigInt(m[1] || '0');
    const fracDigits = m[2] ?? '';
    let v = whole * unit;
    if (fracDigits !== '') v += (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    total += v;
    if (total > 1n << 63n) bad();
  }
  if (!neg && total > (1n << 63n) - 1n) bad();
  return neg ? -total : total;
}

const TIME = Symbol('time.Time');

/** The GoTime inside a time.Time template value, or undefined. */
export function timeOf(v: GoValue): GoTime | undefined {
  return isGoStruct(v) ? (v as unknown as { [TIME]?: GoTime })[TIME] : undefined;
}

/** time.Time as a template value, with the methods charts call. */
export function timeValue(t: GoTime): GoStruct {
  const T = 'time.Time';
  const other = (o: GoValue): GoTime =>
    timeOf(o) ??
    (() => {
      throw new GoError('wrong type for value; expected time.Time');
    })();
  const ns = (x: GoTime): bigint => x.sec * 1000000000n + BigInt(x.nsec);
  const c = (): ReturnType<typeof civil> => civil(t);
  const int = (n: number | bigint, k: GoInt['kind'] = 'int'): GoInt => new GoInt(BigInt(n), k);
  const v = {
    [GO_STRUCT]: true as const,
    [TIME]: t,
    typeName: T,
    fields: {},
    methods: {
      String: goFunc([], ['string'], () => timeString(t)),
      Format: goFunc(['string'], ['string'], ([l]) => formatTime(t, l as string)),
      Unix: goFunc([], ['int64'], () => int(t.sec, 'int64')),
      UnixNano: goFunc([], ['int64'], () => int(ns(t), 'int64')),
      UnixMilli: goFunc([], ['int64'], () => int(ns(t) / 1000000n, 'int64')),
      UTC: goFunc([], [T], () => timeValue({ ...t, zone: UTC })),
      Local: goFunc([], [T], () => timeValue({ ...t, zone: LOCAL })),
      Year: goFunc([], ['int'], () => int(c().year)),
      Day: goFunc([], ['int'], () => int(c().day)),
      Hour: goFunc([], ['int'], () => int(c().hour)),
      Minute: goFunc([], ['int'], () => int(c().min)),
      Second: goFunc([], ['int'], () => int(c().sec)),
      Nanosecond: goFunc([], ['int'], () => int(t.nsec)),
      YearDay: goFunc([], ['int'], () => int(c().yday)),
      IsZero: goFunc([], ['bool'], () => t.sec === -62135596800n && t.nsec === 0),
      Add: goFunc(['time.Duration'], [T], ([d]) =>
        addDuration(t, d instanceof GoInt ? d.value : BigInt(Math.trunc(Number(d ?? 0)))),
      ),
      Sub: goFunc([T], ['time.Duration'], ([o]) => int(ns(t) - ns(other(o ?? null)), 'int64')),
      Before: goFunc([T], ['bool'], ([o]) => ns(t) < ns(other(o ?? null))),
      After: goFunc([T], ['bool'], ([o]) => ns(t) > ns(other(o ?? null))),
      Equal: goFunc([T], ['bool'], ([o]) => ns(t) === ns(other(o ?? null))),
      MarshalJSON: goFunc([], ['[]byte', 'error'], () => `"${formatTime(t, '2006-01-02T15:04:05.999999999Z07:00')}"`),
    },
  };
  return v;
}

export function addDuration(t: GoTime, d: bigint): GoStruct {
  const total = t.sec * 1000000000n + BigInt(t.nsec) + d;
  const sec = total >= 0n ? total / 1000000000n : -((-total + 999999999n) / 1000000000n);
  return timeValue({ sec, nsec: Number(total - sec * 1000000000n), zone: t.zone });
}

/** time.Unix(sec, 0) in Local. */
export const unixTime = (sec: bigint): GoTime => ({ sec, nsec: 0, zone: LOCAL });
/** A JS Date as a Go Time in Local. */
export function fromDate(d: Date): GoTime {
  const ms = BigInt(d.getTime());
  const sec = ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
  return { sec, nsec: Number(ms - sec * 1000n) * 1000000, zone: LOCAL };
}
/** time.Time{}: January 1, year 1, 00:00:00 UTC. */
export const ZERO_TIME: GoTime = { sec: -62135596800n, nsec: 0, zone: UTC };
