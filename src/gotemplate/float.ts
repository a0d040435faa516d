/**
 * Go's strconv.FormatFloat for float64 ('e', 'E', 'f', 'g', 'G', 'b', 'x', 'X'; precision -1 is
 * the shortest representation that reads back exactly). Fixed precisions round the exact binary
 * value half to even, as Go does; shortest digits come from JavaScript's own shortest repr.
 */

interface Digits {
  /** Significant decimal digits, no leading or trailing zeros ('' for zero). */
  d: string;
  /** Position of the decimal point: value = 0.d × 10^dp. */
  dp: number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function bits(v: number): { neg: boolean; mant: bigint; exp: number; denorm: boolean } {
  f64[0] = v;
  const b = u64[0]!;
  const neg = b >> 63n === 1n;
  let exp = Number((b >> 52n) & 0x7ffn);
  let mant = b & ((1n << 52n) - 1n);
  let denorm = false;
  if (exp === 0) {
    exp++;
    denorm = true;
  } else mant |= 1n << 52n;
  exp -= 1023;
  return { neg, mant, exp, denorm };
}

/** The exact decimal expansion of |v| (finite). */
function exactDigits(v: number): Digits {
  const { mant, exp } = bits(v);
  if (mant === 0n) return { d: '', dp: 0 };
  const e2 = exp - 52;
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  return trim({ d: s, dp });
}

function trim(x: Digits): Digits {
  let d = x.d;
  let dp = x.dp;
  let i = 0;
  while (i < d.length && d[i] === '0') i++;
  d = d.slice(i);
  dp -= i;
  d = d.replace(/0+$/, '');
  if (d === '') dp = 0;
  return { d, dp };
}

/** The shortest digits that read back as v (JavaScript's Number#toString picks the same ones as Go). */
function shortestDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const s = Math.abs(v).toString();
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s)!;
  const int = m[1]!;
  const frac = m[2] ?? '';
  const e = m[3] ? Number(m[3]) : 0;
  return trim({ d: int + frac, dp: int.length + e });
}

/** Go's decimal.Round(nd): half to even on the exact digits. */
function round(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d[nd]!;
  let up: boolean;
  if (c === '5' && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= '5';
  if (!up) return trim({ d: x.d.slice(0, nd), dp: x.dp });
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return trim({ d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp });
}

function fmtE(neg: boolean, d: Digits, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += d.d.length ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(d.d.length, prec + 1);
    out += d.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += '0';
  }
  out += fmt;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(neg: boolean, d: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m) + '0'.repeat(d.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.d.length ? d.d[j] : '0';
    }
  }
  return out;
}

function formatDigits(shortest: boolean, neg: boolean, d: Digits, prec: number, fmt: string): string {
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, d, prec, fmt);
    case 'f':
      return fmtF(neg, d, prec);
    default: {
      let eprec = prec;
      const nd = d.d.length;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > d.dp) prec = nd;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}

/** Go's strconv.FormatFloat(v, fmt, prec, 64). */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const { neg, mant, exp } = bits(v);
  if (fmt === 'b') return `${neg ? '-' : ''}${mant}p${exp - 52 >= 0 ? '+' : ''}${exp - 52}`;
  if (fmt === 'x' || fmt === 'X') return fmtX(prec, fmt, neg, mant, exp);
  const shortest = prec < 0;
  if (shortest) {
    const d = shortestDigits(v);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(d.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(d.d.length - d.dp, 0);
    else prec = d.d.length;
    return formatDigits(true, neg, d, prec, fmt);
  }
  let d = exactDigits(v);
  if (fmt === 'e' || fmt === 'E') d = round(d, prec + 1);
  else if (fmt === 'f') d = round(d, d.dp + prec);
  else {
    if (prec === 0) prec = 1;
    d = round(d, prec);
  }
  return formatDigits(false, neg, d, prec, fmt);
}

function fmtX(prec: number, fmt: string, neg: boolean, mant0: bigint, exp0: number): string {
  let mant = mant0;
  let exp = exp0;
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  const M60 = (1n << 60n) - 1n;
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & M60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = neg ? '-' : '';
  out += '0' + fmt + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += fmt === 'X' ? 'P' : 'p';
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}
