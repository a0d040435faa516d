/**
 * Scalar resolution as go-yaml does it (v3 for resources, v2 / YAML 1.1 for kustomization files),
 * shared by the full YAML reader (go-yaml.ts) and its fast path for block-style manifests
 * (fast-block.ts). Pure functions of the scalar text, except the bounded memory of big integers'
 * exact digits (exactIntText).
 */

/** At most this many alias expansions per document (kustomize has no limit; we refuse bombs). */
export const GO_MAX_ALIAS_EXPANSIONS = 10000;

/**
 * go-yaml v3 folds block scalars differently from the YAML spec (and the npm `yaml` library):
 * a line break before a more-indented line that follows a normal line is doubled.
 * Measured with kubectl kustomize (kustomize v5.5.0): `>-\n  a\n    b` gives "a\n\n  b".
 */
export function goFold(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let prevIndented: boolean | undefined;
  for (const line of lines) {
    if (line === '') {
      out.push(line);
      continue;
    }
    const indented = line[0] === ' ' || line[0] === '\t';
    if (indented && prevIndented === false) out.push('');
    out.push(line);
    prevIndented = indented;
  }
  return out.join('\n');
}

export interface Resolved {
  kind: 'null' | 'bool' | 'int' | 'float' | 'str' | 'timestamp';
  value: unknown;
}

const V3_MAP: Record<string, Resolved> = {};
for (const s of ['true', 'True', 'TRUE']) V3_MAP[s] = { kind: 'bool', value: true };
for (const s of ['false', 'False', 'FALSE']) V3_MAP[s] = { kind: 'bool', value: false };
for (const s of ['', '~', 'null', 'Null', 'NULL']) V3_MAP[s] = { kind: 'null', value: null };
for (const s of ['.nan', '.NaN', '.NAN']) V3_MAP[s] = { kind: 'float', value: NaN };
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) V3_MAP[s] = { kind: 'float', value: Infinity };
for (const s of ['-.inf', '-.Inf', '-.INF']) V3_MAP[s] = { kind: 'float', value: -Infinity };

const V2_MAP: Record<string, Resolved> = { ...V3_MAP };
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']) V2_MAP[s] = { kind: 'bool', value: true };
for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']) V2_MAP[s] = { kind: 'bool', value: false };

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** First-character hint table of go-yaml's resolver. */
function hint(c: string | undefined): 'D' | 'S' | 'M' | '.' | 'N' | '' {
  if (c === undefined) return 'N';
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

export function resolveV3(text: string, tag: string): Resolved {
  const h = hint(text[0]);
  if (h === '') return { kind: 'str', value: text };
  const m = V3_MAP[text];
  if (m) return m;
  if (h === '.') {
    const f = goParseFloat(text);
    if (f !== undefined) return { kind: 'float', value: f };
  } else if (h === 'D' || h === 'S') {
    if (tag === '' || tag === '!!timestamp') {
      const t = parseGoTimestamp(text);
      if (t !== undefined) return { kind: 'timestamp', value: t };
    }
    const plain = text.replace(/_/g, '');
    const i = goParseInt(plain, 0);
    if (i !== undefined) return { kind: 'int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    for (const [pre, base] of [
      ['0b', 2],
      ['0o', 8],
    ] as const) {
      if (plain.startsWith(pre)) {
        const v = goParseInt(plain.slice(2), base);
        if (v !== undefined) return { kind: 'int', value: v };
      } else if (plain.startsWith('-' + pre)) {
        const v = goParseInt('-' + plain.slice(3), base);
        if (v !== undefined) return { kind: 'int', value: v };
      }
    }
  }
  return { kind: 'str', value: text };
}

export function resolveV2(text: string, _tag: string): Resolved {
  const h = hint(text[0]);
  if (h === '') return { kind: 'str', value: text };
  const m = V2_MAP[text];
  if (m) return m;
  if (h === '.') {
    const f = goParseFloat(text);
    if (f !== undefined) return { kind: 'float', value: f };
  } else if (h === 'D' || h === 'S') {
    const plain = text.replace(/_/g, '');
    const i = goParseInt(plain, 0);
    if (i !== undefined) return { kind: 'int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    if (plain.startsWith('0b')) {
      const v = goParseInt(plain.slice(2), 2);
      if (v !== undefined) return { kind: 'int', value: v };
    } else if (plain.startsWith('-0b')) {
      const v = goParseInt('-' + plain.slice(3), 2);
      if (v !== undefined) return { kind: 'int', value: v };
    }
  }
  return { kind: 'str', value: text };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Go's strconv.ParseInt(s, base, 64), falling back to ParseUint for base 0 (as go-yaml does).
 * Returns a JS number (exact up to 2^53; larger values lose precision).
 */
export function goParseInt(s: string, base: 0 | 2 | 8 | 16): number | undefined {
  let neg = false;
  let t = s;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let b = base as number;
  if (base === 0) {
    b = 10;
    if (/^0[xX]/.test(t)) {
      b = 16;
      t = t.slice(2);
    } else if (/^0[oO]/.test(t)) {
      b = 8;
      t = t.slice(2);
    } else if (/^0[bB]/.test(t)) {
      b = 2;
      t = t.slice(2);
    } else if (t.length > 1 && t[0] === '0') {
      b = 8;
      t = t.slice(1);
    }
  }
  if (t === '') return undefined;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : b === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(t)) return undefined;
  let v = 0n;
  const B = BigInt(b);
  for (const ch of t) v = v * B + BigInt(parseInt(ch, 16));
  if (neg) v = -v;
  if (v > UINT64_MAX || v < INT64_MIN) return undefined;
  if (v > INT64_MAX && (neg || s.startsWith('+'))) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) rememberExactInt(n, v.toString());
  return n;
}

/**
 * Integers beyond 2^53 (int64/uint64 values such as CRD `maximum: 9223372036854775807`) are
 * JavaScript numbers here and lose precision. To still print them as kustomize does, the exact
 * decimal text read for each such value is remembered (keyed by the double it became; bounded)
 * and used by the emitter (go-emit.ts). Two different big integers that round to the same double
 * print the same: a known, documented limit.
 */
const exactInts = new Map<number, string>();
const MAX_EXACT_INTS = 10000;
function rememberExactInt(n: number, text: string): void {
  if (exactInts.size >= MAX_EXACT_INTS && !exactInts.has(n)) return;
  exactInts.set(n, text);
}

/** The exact decimal text of a big integer read by this module, if known. */
export function exactIntText(n: number): string | undefined {
  return exactInts.get(n);
}

/** Go's strconv.ParseFloat for the decimal forms YAML uses. */
function goParseFloat(s: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    if (/^[-+]?(inf|infinity|nan)$/i.test(s))
      return s.toLowerCase().includes('nan') ? NaN : s.startsWith('-') ? -Infinity : Infinity;
    return undefined;
  }
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/**
 * go-yaml v3 timestamp resolution, returned as Go's time.Time JSON form (RFC 3339 with
 * nanoseconds trimmed). Formats: `2006-1-2T15:4:5.999999999Z07:00` (also lower-case `t`),
 * `2006-1-2 15:4:5.999999999` and `2006-1-2`.
 */
export function parseGoTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const d = ymd(m[1]!, m[2]!, m[3]!);
    return d ? `${d}T00:00:00Z` : undefined;
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return undefined;
  const sep = m[4]!;
  const tz = m[9];
  if (sep === ' ' && tz !== undefined) return undefined;
  if (sep !== ' ' && tz === undefined) return undefined;
  const d = ymd(m[1]!, m[2]!, m[3]!);
  if (!d) return undefined;
  const hh = Number(m[5]),
    mi = Number(m[6]),
    ss = Number(m[7]);
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  let frac = (m[8] ?? '').slice(1).slice(0, 9).replace(/0+$/, '');
  if (frac) frac = '.' + frac;
  const p2 = (n: number) => String(n).padStart(2, '0');
  let zone = tz ?? 'Z';
  if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  return `${d}T${p2(hh)}:${p2(mi)}:${p2(ss)}${frac}${zone}`;
}

function ymd(y: string, mo: string, d: string): string | undefined {
  const Y = Number(y),
    M = Number(mo),
    D = Number(d);
  if (M < 1 || M > 12 || D < 1) return undefined;
  const dim = new Date(Date.UTC(Y, M, 0)).getUTCDate();
  if (D > dim) return undefined;
  return `${y}-${String(M).padStart(2, '0')}-${String(D).padStart(2, '0')}`;
}
