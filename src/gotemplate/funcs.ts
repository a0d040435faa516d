/**
 * Go's text/template builtins (mirrors text/template/funcs.go): and, or, not, len, index, slice,
 * print, printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge. Each is a GoFunc whose
 * `reflect.Value` parameters receive values untouched (undefined = invalid, null = nil interface).
 * `and`, `or` and `call` are evaluated specially by the executor, as in Go.
 */
import { compareGoStrings, sprint, sprintf, sprintln, typeString } from './fmt.js';
import { isTrue } from './exec.js';
import { isPrintRune } from './lex.js';
import { goBytes, goString } from './strconv.js';
import { REFLECT_VALUE, assignable, basicKind, canBeNil, reflectKind, zeroOf } from './types.js';
import {
  GoError,
  type GoFunc,
  GoInt,
  type GoValue,
  goFunc,
  isGoFunc,
  isGoMap,
  isGoStruct,
  mapValueType,
  sliceElemType,
  typedSlice,
} from './value.js';

const R = REFLECT_VALUE;

function fail(msg: string): never {
  throw new GoError(msg);
}

/** Go's indirectInterface: a nil interface is no value at all. */
function ind(v: GoValue): GoValue {
  return v === null ? undefined : v;
}

/** The type of a value after Go's indirect(): a pointer struct names its element type. */
function elemTypeString(v: GoValue): string {
  const t = typeString(v);
  return isGoStruct(v) && t.startsWith('*') ? t.slice(1) : t;
}

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.kind.startsWith('u') ? BigInt.asIntN(64, index.value) : index.value;
  else if (index === undefined) return fail('cannot index slice/array with nil');
  else return fail(`cannot index slice/array with type ${typeString(index)}`);
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function prepareMapKey(index: GoValue): string {
  if (index === undefined) fail('value is nil; should be of type string');
  if (typeof index === 'string') return index;
  return fail(`value has type ${typeString(index)}; should be string`);
}

function index(item0: GoValue, ...indexes: GoValue[]): GoValue {
  let item = ind(item0);
  if (item === undefined) fail('index of untyped nil');
  for (const i0 of indexes) {
    const index = ind(i0);
    if (item === null || item === undefined) fail('index of nil pointer');
    if (typeof item === 'string') {
      const bytes = goBytes(item);
      const x = indexArg(index, bytes.length);
      if (x === bytes.length) fail('reflect: string index out of range');
      item = new GoInt(BigInt(bytes[x]!), 'uint8');
    } else if (item instanceof Uint8Array) {
      const x = indexArg(index, item.length);
      if (x === item.length) fail('reflect: slice index out of range');
      item = new GoInt(BigInt(item[x]!), 'uint8');
    } else if (Array.isArray(item)) {
      const x = indexArg(index, item.length);
      if (x === item.length) fail('reflect: slice index out of range');
      const e: GoValue = item[x];
      item = e === undefined ? null : e;
    } else if (isGoMap(item)) {
      const k = prepareMapKey(index);
      if (Object.prototype.hasOwnProperty.call(item, k) && item[k] !== undefined) item = item[k]!;
      else item = zeroOf(mapValueType(item));
    } else {
      fail(`can't index item of type ${elemTypeString(item)}`);
    }
  }
  return item;
}

function slice(item0: GoValue, ...indexes: GoValue[]): GoValue {
  const item = ind(item0);
  if (item === undefined) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    len = goBytes(item).length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) len = item.length;
  else return fail(`can't slice item of type ${elemTypeString(item)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => (idx[i] = indexArg(ind(x), len)));
  if (idx[0]! > idx[1]!) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') return goString(goBytes(item).slice(idx[0], idx[1]));
  if (item instanceof Uint8Array) return item.slice(idx[0], idx[1]);
  return typedSlice(item.slice(idx[0], idx[1]), sliceElemType(item));
}

function length(item: GoValue): GoValue {
  if (item === null) fail('len of nil pointer');
  if (item === undefined) fail('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt(BigInt(goBytes(item).length));
  if (Array.isArray(item) || item instanceof Uint8Array) return new GoInt(BigInt(item.length));
  if (isGoMap(item)) return new GoInt(BigInt(Object.keys(item).length));
  return fail(`len of type ${elemTypeString(item)}`);
}

function isNilValue(v: GoValue): boolean {
  return v === undefined || v === null;
}

function eq(arg1: GoValue, ...arg2: GoValue[]): boolean {
  const a = ind(arg1);
  if (arg2.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b0 of arg2) {
    const b = ind(b0);
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = (a as GoInt).value >= 0n && (a as GoInt).value === (b as GoInt).value;
      else if (k1 === 'uint' && k2 === 'int') t = (b as GoInt).value >= 0n && (a as GoInt).value === (b as GoInt).value;
      else if (a !== undefined && b !== undefined)
        fail(`incompatible types for comparison: ${typeString(a)} and ${typeString(b)}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
        case 'float':
          t = a === b;
          break;
        case 'int':
        case 'uint':
          t = (a as GoInt).value === (b as GoInt).value;
          break;
        default: {
          const ka = reflectKind(a);
          const kb = reflectKind(b);
          if (!(ka === kb || ka === 'invalid' || kb === 'invalid')) {
            fail(
              `non-comparable types ${sprintf('%s', [a])}: ${typeString(a)}, ${typeString(b)}: ${sprintf('%v', [b])}`,
            );
          }
          if (isNilValue(a) || isNilValue(b)) t = isNilValue(a) === isNilValue(b);
          else {
            if (kb === 'slice' || kb === 'map' || kb === 'func')
              fail(`non-comparable type ${sprintf('%s', [b])}: ${typeString(b)}`);
            t = a === b;
          }
        }
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  const a = ind(arg1);
  const k1 = basicKind(a);
  if (k1 === 'invalid') fail('invalid type for comparison');
  const b = ind(arg2);
  const k2 = basicKind(b);
  if (k2 === 'invalid') fail('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (a as GoInt).value < 0n || (a as GoInt).value < (b as GoInt).value;
    if (k1 === 'uint' && k2 === 'int') return (b as GoInt).value >= 0n && (a as GoInt).value < (b as GoInt).value;
    return fail(`incompatible types for comparison: ${typeString(a)} and ${typeString(b)}`);
  }
  switch (k1) {
    case 'bool':
      return fail('invalid type for comparison');
    case 'float':
      return (a as number) < (b as number);
    case 'int':
    case 'uint':
      return (a as GoInt).value < (b as GoInt).value;
    default:
      return compareGoStrings(a as string, b as string) < 0;
  }
}

function le(a: GoValue, b: GoValue): boolean {
  return lt(a, b) || eq(a, b);
}

// --- escapers ---

/** Go's template.HTMLEscapeString. */
export function htmlEscapeString(s: string): string {
  return s.replace(
    /[\0"'&<>]/g,
    (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!,
  );
}

/** Go's template.JSEscapeString. */
export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80) out += ch;
    else if (r >= 0xdc80 && r <= 0xdcff)
      out += ch; // an invalid byte: Go writes it as is
    else if (isPrintRune(r) && !(r >= 0xd800 && r <= 0xdfff)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of goBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's evalArgs of the escapers: one string as is, else Sprint with `<no value>` for missing values. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

function callFn(name: GoValue, fn0: GoValue, ...args: GoValue[]): GoValue {
  const fn = ind(fn0);
  if (fn === undefined) fail('call of nil');
  if (!isGoFunc(fn)) return fail(`non-function ${String(name)} of type ${typeString(fn)}`);
  const n = fn.results.length;
  if (!(n === 1 || (n === 2 && fn.results[1] === 'error'))) {
    if (n === 2)
      fail(`invalid function signature for ${String(name)}: second return value should be error; is ${fn.results[1]}`);
    fail(`function ${String(name)} has ${n} return values; should be 1 or 2`);
  }
  const numIn = fn.params.length;
  if (fn.variadic !== undefined) {
    if (args.length < numIn)
      fail(`wrong number of args for ${String(name)}: got ${args.length} want at least ${numIn}`);
  } else if (args.length !== numIn) fail(`wrong number of args for ${String(name)}: got ${args.length} want ${numIn}`);
  const argv = args.map((a0, i) => {
    const a = ind(a0);
    const t = i < numIn ? fn.params[i]! : fn.variadic!;
    if (a === undefined) {
      if (!canBeNil(t)) fail(`arg ${i}: value is nil; should be of type ${t.replace('interface{}', 'interface {}')}`);
      return zeroOf(t);
    }
    if (assignable(a, t)) return a;
    if (a instanceof GoInt && /^u?int(8|16|32|64|ptr)?$/.test(t))
      return new GoInt(t.startsWith('u') ? BigInt.asUintN(64, a.value) : a.value, t as GoInt['kind']);
    return fail(`arg ${i}: value has type ${typeString(a)}; should be ${t.replace('interface{}', 'interface {}')}`);
  });
  return fn.call(argv);
}

/** The builtin function table, fresh (GoFuncs are immutable, so it may be shared). */
export const builtins: Readonly<Record<string, GoFunc>> = {
  and: goFunc([R], [R], () => fail('unreachable'), R),
  or: goFunc([R], [R], () => fail('unreachable'), R),
  not: goFunc([R], ['bool'], ([a]) => !isTrue(ind(a))),
  call: goFunc([R], [R, 'error'], ([name, fn, ...rest]) => callFn(name, fn, ...rest), R),
  html: goFunc([], ['string'], (args) => htmlEscapeString(evalArgs(args)), 'interface{}'),
  js: goFunc([], ['string'], (args) => jsEscapeString(evalArgs(args)), 'interface{}'),
  urlquery: goFunc([], ['string'], (args) => queryEscape(evalArgs(args)), 'interface{}'),
  index: goFunc([R], [R, 'error'], ([item, ...rest]) => index(item, ...rest), R),
  slice: goFunc([R], [R, 'error'], ([item, ...rest]) => slice(item, ...rest), R),
  len: goFunc([R], ['int', 'error'], ([item]) => length(item)),
  print: goFunc([], ['string'], (args) => sprint(args), 'interface{}'),
  printf: goFunc(['string'], ['string'], ([f, ...args]) => sprintf(f as string, args), 'interface{}'),
  println: goFunc([], ['string'], (args) => sprintln(args), 'interface{}'),
  eq: goFunc([R], ['bool', 'error'], ([a, ...b]) => eq(a, ...b), R),
  ne: goFunc([R, R], ['bool', 'error'], ([a, b]) => !eq(a, b)),
  lt: goFunc([R, R], ['bool', 'error'], ([a, b]) => lt(a, b)),
  le: goFunc([R, R], ['bool', 'error'], ([a, b]) => le(a, b)),
  gt: goFunc([R, R], ['bool', 'error'], ([a, b]) => !le(a, b)),
  ge: goFunc([R, R], ['bool', 'error'], ([a, b]) => !lt(a, b)),
};

export { isGoStruct };
