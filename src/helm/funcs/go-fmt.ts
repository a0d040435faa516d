/**
 * Go's fmt and reflect as the function library uses them: `%v` (sprig's strval/cat/toString),
 * `%q` (quote) and `%T` (typeOf) from the template engine's fmt, reflect.Kind (kindOf) here.
 */
import { formatValue, quote, typeString } from '../../gotemplate/index.js';
import { GoInt, isGoFunc, isGoStruct, type GoValue } from '../../gotemplate/value.js';

/** strconv.FormatFloat(f, 'g', -1, 64) for the values encoding/json refuses (NaN, ±Inf) and others. */
export function formatFloatG(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return formatValue(n);
}

/** fmt.Sprintf("%v", v), from the template engine's fmt. */
export function formatV(v: GoValue): string {
  return formatValue(v ?? null);
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

/** strconv.Quote: Go's double-quoted string literal (what `%q` prints for a string). */
export function goQuote(s: string): string {
  return quote(s);
}

/** fmt.Sprintf("%T", v): the Go type name. */
export function typeName(v: GoValue): string {
  return typeString(v ?? null);
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
