/**
 * How Go's strconv and fmt see the JSON values Kyverno compares: resource numbers that are whole
 * are int64 there, others float64; we tell them apart with Number.isInteger.
 */

const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const INT = /^[+-]?\d+$/;

/** strconv.ParseFloat(s, 64), or undefined on error (hex floats and underscores not accepted). */
export function goParseFloat(s: string): number | undefined {
  if (!FLOAT.test(s)) return undefined;
  const t = s.toLowerCase().replace(/^\+/, '');
  if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t === 'nan' || t === '-nan') return NaN;
  return Number(t);
}

/** strconv.ParseInt(s, 10, 64), or undefined on error. */
export function goParseInt(s: string): number | undefined {
  if (!INT.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && Math.abs(n) <= 9223372036854775807 ? n : undefined;
}

/** strconv.FormatFloat(v, 'E', -1, 64): `1.5E+00`. */
export function formatFloatE(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const [mant, exp] = v.toExponential().split('e');
  const e = Number(exp);
  const digits = String(Math.abs(e)).padStart(2, '0');
  return `${mant}E${e < 0 ? '-' : '+'}${digits}`;
}

/** fmt.Sprint / %v of a JSON value the way Go prints it (maps and slices in Go syntax). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return goFormatNumber(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goSprint(o[k])}`)
    .join(' ')}]`;
}

/** %v of a number: an int64 as digits, a float64 as Go's %v (shortest, exponent for large/small). */
export function goFormatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mant, exp] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(v);
}

/** Go's JSON for a value (json.Marshal: sorted keys, no spaces, HTML escaping of <, >, &). */
export function goJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/** The JSON type name of a value, Go-style for messages. */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
