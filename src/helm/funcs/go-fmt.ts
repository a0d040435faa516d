/**
 * The little of Go's fmt and reflect that the function library needs to print and classify values:
 * `%v` (sprig's strval/cat/toString), `%q` (quote), `%T` (typeOf) and reflect.Kind (kindOf).
 * The template engine has the full fmt; this mirrors its `%v` for the values funcs produce.
 */
import { GoInt, isGoFunc, isGoMap, isGoStruct, mapValueType, sliceElemType, type GoStruct, type GoValue } from '../../gotemplate/value.js';

/** Go's strconv.FormatFloat(f, 'g', -1, 64) with %v's exponent threshold (exp < -4 || exp >= 21). */
export function formatFloatV(n: number): string {
  return formatFloatG(n, 21);
}

/** strconv.FormatFloat(f, 'g', -1, 64) (shortest), exponent form when exp < -4 || exp >= `eprec`. */
export function formatFloatG(n: number, eprec = 21): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(n.toExponential())!;
  const exp = Number(m[4]);
  const digits = m[2]! + (m[3] ?? '');
  if (exp < -4 || exp >= Math.max(eprec, digits.length)) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${m[1]}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${m[1]}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${m[1]}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${m[1]}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A struct's String() method, when it has one (fmt.Stringer). */
function stringer(s: GoStruct): string | undefined {
  const m = s.methods?.String;
  if (m && m.params.length === 0) return String(m.call([]));
  return undefined;
}

/** fmt.Sprintf("%v", v). */
export function formatV(v: GoValue): string {
  return formatIn(v, 0);
}

function formatIn(v: GoValue, depth: number): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatFloatV(v);
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (depth > 100) return '...';
  if (Array.isArray(v)) return `[${v.map((x) => formatIn(x, depth + 1)).join(' ')}]`;
  if (isGoFunc(v)) return '0x0';
  if (isGoStruct(v)) {
    const s = stringer(v);
    if (s !== undefined) return s;
    return `{${Object.values(v.fields).map((x) => formatIn(x, depth + 1)).join(' ')}}`;
  }
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort(byteCompare);
    return `map[${keys.map((k) => `${k}:${formatIn(v[k], depth + 1)}`).join(' ')}]`;
  }
  return String(v);
}

/** Go compares strings byte-wise (UTF-8); for UTF-16 this is code point order. */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  for (let i = 0, j = 0; i < la && j < lb; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: Go's double-quoted string literal (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x80) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** fmt.Sprintf("%T", v): the Go type name. */
export function typeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return `[]${goTypeSpelling(sliceElemType(v))}`;
  if (isGoFunc(v)) {
    const params = v.params.map(goTypeSpelling);
    if (v.variadic !== undefined) params.push(`...${goTypeSpelling(v.variadic)}`);
    const res = v.results.map(goTypeSpelling);
    return `func(${params.join(', ')})${res.length === 0 ? '' : res.length === 1 ? ` ${res[0]}` : ` (${res.join(', ')})`}`;
  }
  if (isGoStruct(v)) return v.typeName;
  return `map[string]${goTypeSpelling(mapValueType(v as Record<string, GoValue>))}`;
}

/** reflect's spelling of a type: `interface {}` with a space. */
function goTypeSpelling(t: string): string {
  return t.replace(/interface\{\}/g, 'interface {}');
}

/** reflect.ValueOf(v).Kind().String(). */
export function kindName(v: GoValue): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  if (isGoFunc(v)) return 'func';
  if (isGoStruct(v)) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

/** sprig's strval: strings and []byte as they are, Stringers and errors by their method, else `%v`. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return formatV(v);
}
