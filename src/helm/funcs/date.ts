/**
 * sprig's date functions (date.go) over go-time.ts. `now` is injectable (HelmFuncMapOptions.now) so
 * that rendering is deterministic; Local is UTC.
 */
import { GoInt, goFunc, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { GoError } from '../../gotemplate/value.js';
import {
  addDuration,
  durationString,
  formatTime,
  fromDate,
  loadLocation,
  LOCAL,
  parseDuration,
  parseTime,
  timeOf,
  timeValue,
  unixTime,
  UTC,
  ZERO_TIME,
  type GoTime,
} from './go-time.js';

const I = 'interface{}';
const T = 'time.Time';

/** The time a date function's `interface{}` argument stands for (sprig's type switch). */
function timeArg(v: GoValue, now: () => GoTime, kinds: readonly string[]): GoTime {
  const t = timeOf(v);
  if (t) return t;
  if (v instanceof GoInt && kinds.includes(v.kind)) return unixTime(v.value);
  return now();
}

function dateInZone(layout: string, date: GoValue, zone: string, now: () => GoTime): string {
  const t = timeArg(date, now, ['int64', 'int', 'int32']);
  const loc = loadLocation(zone) ?? UTC;
  return formatTime({ ...t, zone: loc }, layout);
}

/** time.Since(t).Round(time.Second) as a Duration. */
function sinceRounded(t: GoTime, now: GoTime): bigint {
  const d = (now.sec - t.sec) * 1000000000n + BigInt(now.nsec - t.nsec);
  const s = 1000000000n;
  const r = ((d % s) + s) % s;
  const down = d - r;
  // Round half away from zero.
  if (d >= 0n) return r + r < s ? down : down + s;
  return r + r <= s ? down : down + s;
}

export function durationRound(v: GoValue, now: () => GoTime): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoInt && v.kind === 'int64') d = v.value;
  else {
    const t = timeOf(v);
    if (t) {
      const n = now();
      d = (n.sec - t.sec) * 1000000000n + BigInt(n.nsec - t.nsec);
    }
  }
  let u = BigInt.asUintN(64, d);
  if (d < 0n) u = BigInt.asUintN(64, -u);
  const hour = 3600000000000n;
  const steps: [bigint, string][] = [
    [hour * 24n * 365n, 'y'],
    [hour * 24n * 30n, 'mo'],
    [hour * 24n, 'd'],
    [hour, 'h'],
    [60000000000n, 'm'],
    [1000000000n, 's'],
  ];
  for (const [size, unit] of steps) if (u > size) return `${u / size}${unit}`;
  return '0s';
}

export function dateFuncs(nowDate: () => Date): Record<string, GoFunc> {
  const now = (): GoTime => fromDate(nowDate());
  const dateModify = (must: boolean) =>
    goFunc(['string', T], must ? [T, 'error'] : [T], ([f, d]) => {
      const t = timeOf(d ?? null) ?? ZERO_TIME;
      let dur: bigint;
      try {
        dur = parseDuration(f as string);
      } catch (e) {
        if (must) throw e;
        return timeValue(t);
      }
      return addDuration(t, dur);
    });
  const toDate = (must: boolean) =>
    goFunc(['string', 'string'], must ? [T, 'error'] : [T], ([f, s]) => {
      try {
        return timeValue(parseTime(f as string, s as string, LOCAL));
      } catch (e) {
        if (must || !(e instanceof GoError)) throw e;
        return timeValue(ZERO_TIME);
      }
    });
  return {
    now: goFunc([], [T], () => timeValue(now())),
    date: goFunc(['string', I], ['string'], ([f, d]) => dateInZone(f as string, d ?? null, 'Local', now)),
    dateInZone: goFunc(['string', I, 'string'], ['string'], ([f, d, z]) =>
      dateInZone(f as string, d ?? null, z as string, now),
    ),
    date_in_zone: goFunc(['string', I, 'string'], ['string'], ([f, d, z]) =>
      dateInZone(f as string, d ?? null, z as string, now),
    ),
    htmlDate: goFunc([I], ['string'], ([d]) => dateInZone('2006-01-02', d ?? null, 'Local', now)),
    htmlDateInZone: goFunc([I, 'string'], ['string'], ([d, z]) =>
      dateInZone('2006-01-02', d ?? null, z as string, now),
    ),
    dateModify: dateModify(false),
    date_modify: dateModify(false),
    mustDateModify: dateModify(true),
    must_date_modify: dateModify(true),
    ago: goFunc([I], ['string'], ([d]) =>
      durationString(sinceRounded(timeArg(d ?? null, now, ['int64', 'int']), now())),
    ),
    duration: goFunc([I], ['string'], ([s]) => {
      let n = 0n;
      if (typeof s === 'string')
        n = /^[+-]?\d+$/.test(s) && BigInt(s) >= -(1n << 63n) && BigInt(s) < 1n << 63n ? BigInt(s) : 0n;
      else if (s instanceof GoInt && s.kind === 'int64') n = s.value;
      return durationString(BigInt.asIntN(64, n * 1000000000n));
    }),
    durationRound: goFunc([I], ['string'], ([d]) => durationRound(d ?? null, now)),
    toDate: toDate(false),
    mustToDate: toDate(true),
    unixEpoch: goFunc([T], ['string'], ([d]) => String((timeOf(d ?? null) ?? ZERO_TIME).sec)),
  };
}
