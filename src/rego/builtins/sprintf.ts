/**
 * OPA's `sprintf`: Go's fmt.Sprintf over the values converted to Go values the way OPA does
 * (topdown/strings.go): numbers become ints when integral (big ints keep their digits) and floats
 * otherwise, strings stay strings, and every other value is printed in its Rego text form (`%v`
 * of an ast.Term prints `["a", "b"]`, `{"a": 1}`, `{"x"}`).
 */
import { type RObject, RSet, compare, type Value } from '../value.js';
import { BuiltinError } from './types.js';

/** The Rego text of a value (ast.Term's String()). */
export function regoText(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(regoText).join(', ') + ']';
  if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sorted().map(regoText).join(', ') + '}';
  return (
    '{' +
    (v as RObject)
      .sortedPairs()
      .map(([k, x]) => regoText(k) + ': ' + regoText(x))
      .join(', ') +
    '}'
  );
}

/** A number as OPA prints it (json.Number text: integers plainly, floats as Go's 'g'-like shortest). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const s = String(n);
  return s.replace(/e\+?/, 'e+').replace('e+-', 'e-');
}

interface Spec {
  flags: string;
  width?: number;
  prec?: number;
  verb: string;
}

export function sprintf(format: string, args: readonly Value[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (format[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let flags = '';
    while (i < format.length && '+-# 0'.includes(format[i]!)) flags += format[i++];
    let width: number | undefined;
    let ws = '';
    while (i < format.length && /[0-9]/.test(format[i]!)) ws += format[i++];
    if (ws) width = Number(ws);
    let prec: number | undefined;
    if (format[i] === '.') {
      i++;
      let ps = '';
      while (i < format.length && /[0-9]/.test(format[i]!)) ps += format[i++];
      prec = ps ? Number(ps) : 0;
    }
    const verb = format[i];
    i++;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const spec: Spec = {
      flags,
      verb,
      ...(width !== undefined ? { width } : {}),
      ...(prec !== undefined ? { prec } : {}),
    };
    out += pad(formatOne(spec, args[argi++]!), spec);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => `${goTypeName(a)}=${formatOne({ flags: '', verb: 'v' }, a)}`)
        .join(', ') +
      ')';
  }
  return out;
}

function goTypeName(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'bigint') return '*big.Int';
  return '*ast.Term';
}

function pad(s: string, spec: Spec): string {
  if (spec.width === undefined || [...s].length >= spec.width) return s;
  const n = spec.width - [...s].length;
  if (spec.flags.includes('-')) return s + ' '.repeat(n);
  if (
    spec.flags.includes('0') &&
    /^[+-]?[0-9.]/.test(s) &&
    spec.verb !== 's' &&
    spec.verb !== 'v' &&
    spec.verb !== 'q'
  ) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function formatOne(spec: Spec, v: Value): string {
  const { verb } = spec;
  if (typeof v === 'string') {
    switch (verb) {
      case 'v':
      case 's':
        return spec.prec !== undefined ? [...v].slice(0, spec.prec).join('') : v;
      case 'q':
        return goQuoted(v);
      case 'x':
        return Buffer.from(v, 'utf8').toString('hex');
      case 'X':
        return Buffer.from(v, 'utf8').toString('hex').toUpperCase();
      default:
        return `%!${verb}(string=${v})`;
    }
  }
  // OPA passes a number as a Go int when it fits int64; beyond, a float64 (unless written as a big integer).
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63) return formatInt(spec, BigInt(v));
  if (typeof v === 'bigint') return formatInt(spec, v);
  if (typeof v === 'number') {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
        return spec.prec !== undefined ? String(Number(v.toPrecision(spec.prec))) : formatFloatG(v);
      case 'f':
      case 'F':
        return v.toFixed(spec.prec ?? 6);
      case 'e':
        return goExp(v.toExponential(spec.prec ?? 6));
      case 's':
        return `%!s(float64=${formatFloatG(v)})`;
      case 'd':
        return `%!d(float64=${formatFloatG(v)})`;
      default:
        return `%!${verb}(float64=${formatFloatG(v)})`;
    }
  }
  // Everything else is an *ast.Term: %v and %s print its Rego text.
  const text = regoText(v);
  if (verb === 'v' || verb === 's') return text;
  if (verb === 'q') return goQuoted(text);
  return `%!${verb}(*ast.Term=${text})`;
}

function formatInt(spec: Spec, n: bigint): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let body: string;
  switch (spec.verb) {
    case 'v':
    case 'd':
    case 's':
      body = abs.toString(10);
      // OPA passes integers beyond int64 as *big.Int, whose %s prints the digits.
      if (spec.verb === 's' && abs < 2n ** 63n) return `%!s(int=${n.toString()})`;
      break;
    case 'b':
      body = abs.toString(2);
      break;
    case 'o':
      body = abs.toString(8);
      break;
    case 'x':
      body = abs.toString(16);
      break;
    case 'X':
      body = abs.toString(16).toUpperCase();
      break;
    case 'c':
      return String.fromCodePoint(Number(n));
    case 'q':
      return `'${String.fromCodePoint(Number(n))}'`;
    case 'f':
    case 'F':
    case 'e':
    case 'g':
      return formatOne(spec, Number(n) + 0.5 - 0.5);
    default:
      return `%!${spec.verb}(int=${n.toString()})`;
  }
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return sign + body;
}

function formatFloatG(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toString();
  const s = v.toString();
  const m = /^(-?[0-9.]+)e([+-])([0-9]+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  return s;
}

function goExp(s: string): string {
  const m = /^(-?[0-9.]+)e([+-])([0-9]+)$/.exec(s);
  return m ? `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}` : s;
}

/** Go's strconv.Quote. */
export function goQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

export function sprintfBuiltin(args: Value[]): Value {
  const [format, values] = args;
  if (typeof format !== 'string') throw new BuiltinError('sprintf: operand 1 must be string');
  if (!Array.isArray(values)) throw new BuiltinError('sprintf: operand 2 must be array');
  return sprintf(format, values);
}

export { compare };
