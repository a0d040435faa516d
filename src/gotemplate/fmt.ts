/**
 * Go's fmt for template values (mirrors fmt/print.go and fmt/format.go): Sprint, Sprintln, Sprintf
 * with every verb, flag, width, precision, `*` and argument index, and Go's error strings
 * (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA ...)`). Maps print with sorted keys.
 */
import { formatFloat } from './float.js';
import { isPrintRune } from './lex.js';
import { canBackquote, goBytes, goString, quote, quoteRune } from './strconv.js';
import {
  GoInt,
  type GoValue,
  isGoFunc,
  isGoMap,
  isGoStruct,
  mapValueType,
  namedTypeOf,
  sliceElemType,
} from './value.js';

/** Go's spelling of an interface/type name (`interface{}` is printed `interface {}`). */
export function goTypeName(t: string): string {
  return t.replace(/interface\{\}/g, 'interface {}');
}

/** Go's reflect.TypeOf(v).String() for a value (null: `<nil>`). */
export function typeString(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoInt) return v.kind;
  if (v instanceof Uint8Array) return '[]uint8';
  const named = namedTypeOf(v);
  if (named) return named.typeName;
  if (Array.isArray(v)) return `[]${goTypeName(sliceElemType(v))}`;
  if (isGoFunc(v)) {
    const params = v.params.map(goTypeName);
    if (v.variadic !== undefined) params.push(`...${goTypeName(v.variadic)}`);
    const res = v.results.map(goTypeName);
    return (
      `func(${params.join(', ')})` +
      `${res.length === 0 ? '' : res.length === 1 ? ` ${res[0]}` : ` (${res.join(', ')})`}`
    );
  }
  if (isGoStruct(v)) return v.typeName;
  if (isGoMap(v)) return `map[string]${goTypeName(mapValueType(v))}`;
  return '?';
}

/** Compares strings as Go does (bytewise on UTF-8, i.e. by code point). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

function clearFlags(): Flags {
  return {
    widPresent: false,
    precPresent: false,
    minus: false,
    plus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    prec: 0,
  };
}

const MAX_UINT64 = (1n << 64n) - 1n;

class Printer {
  buf: string[] = [];
  f: Flags = clearFlags();
  erroring = false;

  write(s: string): void {
    this.buf.push(s);
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf.push((this.f.zero && !this.f.minus ? '0' : ' ').repeat(n));
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf.push(s);
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf.push(s);
    } else {
      this.buf.push(s);
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.f.sharp && u <= 0x10ffffn && isPrintRune(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const z = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = z;
  }

  fmtInteger(v: bigint, base: number, isSigned: boolean, verb: string, upper: boolean): void {
    const negative = isSigned && v < 0n;
    let u = negative ? -v : v;
    if (!isSigned && u < 0n) u &= MAX_UINT64;
    let prec = 0;
    const f = this.f;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const z = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = z;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (f.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s[0] !== '0') s = '0' + s;
      } else if (base === 16) s = (upper ? '0X' : '0x') + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (f.plus) s = '+' + s;
    else if (f.space) s = ' ' + s;
    const z = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = z;
  }

  truncateString(s: string): string {
    if (this.f.precPresent) {
      let n = this.f.prec;
      let i = 0;
      for (const ch of s) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  fmtSbx(b: Uint8Array, upper: boolean): void {
    const digits = upper ? '0123456789ABCDEFX' : '0123456789abcdefx';
    const f = this.f;
    let length = b.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.writePadding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.writePadding(f.wid - width);
    let out = '';
    if (f.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += ' ';
        if (f.sharp) out += '0' + digits[16];
      }
      const c = b[i]!;
      out += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.buf.push(out);
    if (f.widPresent && f.wid > width && f.minus) this.writePadding(f.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(quote(s, this.f.plus));
  }

  fmtC(c: bigint): void {
    const r = c > 0x10ffffn || (c >= 0xd800n && c <= 0xdfffn) ? 0xfffd : Number(c);
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: bigint): void {
    const r = c > 0x10ffffn ? 0xfffd : Number(c);
    this.pad(quoteRune(r, this.f.plus));
  }

  fmtFloatRaw(v: number, verb: string, prec0: number): void {
    const f = this.f;
    const prec = f.precPresent ? f.prec : prec0;
    let num = formatFloat(v, verb, prec);
    if (num[0] === '-' || num[0] === '+') {
      /* keep */
    } else num = '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const z = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = z;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') {
          hasDecimalPoint = true;
        } else if (c === 'p' || c === 'P') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else if ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf.push(num[0]!);
        this.writePadding(f.wid - num.length);
        this.buf.push(num.slice(1));
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // --- print.go ---
  badVerb(verb: string, v: GoValue, isArg: boolean): void {
    this.erroring = true;
    this.buf.push('%!', verb, '(');
    if (v === null || v === undefined) this.buf.push('<nil>');
    else {
      this.buf.push(typeString(v), '=');
      if (isArg) this.printArg(v, 'v');
      else this.printValue(v, 'v', 0);
    }
    this.buf.push(')');
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb, v, true);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.f.sharp;
    this.f.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', false);
    this.f.sharp = sharp;
  }

  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string, orig: GoValue): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, false);
        return;
      case 'd':
        return this.fmtInteger(v, 10, isSigned, verb, false);
      case 'b':
        return this.fmtInteger(v, 2, isSigned, verb, false);
      case 'o':
      case 'O':
        return this.fmtInteger(v, 8, isSigned, verb, false);
      case 'x':
        return this.fmtInteger(v, 16, isSigned, verb, false);
      case 'X':
        return this.fmtInteger(v, 16, isSigned, verb, true);
      case 'c':
        return this.fmtC(isSigned && v < 0n ? v & MAX_UINT64 : v);
      case 'q':
        return this.fmtQc(isSigned && v < 0n ? v & MAX_UINT64 : v);
      case 'U':
        return this.fmtUnicode(isSigned && v < 0n ? v & MAX_UINT64 : v);
      default:
        this.badVerb(verb, orig, true);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatRaw(v, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloatRaw(v, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloatRaw(v, verb, 6);
      case 'F':
        return this.fmtFloatRaw(v, 'f', 6);
      default:
        this.badVerb(verb, v, true);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        return this.fmtS(v);
      case 'x':
        return this.fmtSbx(goBytes(v), false);
      case 'X':
        return this.fmtSbx(goBytes(v), true);
      case 'q':
        return this.fmtQ(v);
      default:
        this.badVerb(verb, v, true);
    }
  }

  fmtBytes(v: Uint8Array, verb: string, typeStr: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.f.sharpV) {
          this.buf.push(typeStr, '{');
          v.forEach((c, i) => {
            if (i > 0) this.buf.push(', ');
            this.fmt0x64(BigInt(c), true);
          });
          this.buf.push('}');
        } else {
          this.buf.push('[');
          v.forEach((c, i) => {
            if (i > 0) this.buf.push(' ');
            this.fmtInteger(BigInt(c), 10, false, verb, false);
          });
          this.buf.push(']');
        }
        return;
      case 's':
        return this.fmtS(goString(v));
      case 'x':
        return this.fmtSbx(v, false);
      case 'X':
        return this.fmtSbx(v, true);
      case 'q':
        return this.fmtQ(goString(v));
      default:
        this.printSlice(
          [...v].map((b) => new GoInt(BigInt(b), 'uint8')),
          verb,
          0,
          '[]uint8',
        );
    }
  }

  /** A non-nil top-level operand. */
  printArg(arg: GoValue, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, null, true);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeString(arg));
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(arg, 'p');
      return;
    }
    switch (typeof arg) {
      case 'boolean':
        return this.fmtBool(arg, verb);
      case 'number':
        return this.fmtFloat(arg, verb);
      case 'string':
        return this.fmtString(arg, verb);
    }
    if (arg instanceof GoInt) return this.fmtIntegerVerb(arg.value, !arg.kind.startsWith('u'), verb, arg);
    if (arg instanceof Uint8Array) return this.fmtBytes(arg, verb, '[]byte');
    if (this.handleMethods(arg, verb)) return;
    this.printValue(arg, verb, 0);
  }

  /** Go's handleMethods: %w (always bad in Sprintf) and Stringers (a GoStruct with `String() string`). */
  handleMethods(v: GoValue, verb: string): boolean {
    if (this.erroring) return false;
    if (verb === 'w') {
      this.badVerb(verb, v, true);
      return true;
    }
    if (this.f.sharpV) return false;
    if (!isGoStruct(v)) return false;
    const m = v.methods?.String ?? v.methods?.Error;
    if (m?.params.length !== 0 || m.variadic !== undefined || m.results[0] !== 'string') return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    this.fmtString(String(m.call([])), verb);
    return true;
  }

  printValue(v: GoValue, verb: string, depth: number): void {
    if (depth > 0 && v !== null && v !== undefined && this.handleMethods(v, verb)) return;
    if (v === undefined) {
      if (depth === 0) this.buf.push('<invalid reflect.Value>');
      else if (verb === 'v') this.buf.push('<nil>');
      else this.badVerb(verb, null, false);
      return;
    }
    if (v === null) {
      // an interface{} holding nothing (an element of a []interface{} or map)
      if (this.f.sharpV) this.buf.push('interface {}(nil)');
      else this.buf.push('<nil>');
      return;
    }
    switch (typeof v) {
      case 'boolean':
        return this.fmtBool(v, verb);
      case 'number':
        return this.fmtFloat(v, verb);
      case 'string':
        return this.fmtString(v, verb);
    }
    if (v instanceof GoInt) {
      const signed = !v.kind.startsWith('u');
      return this.fmtIntegerVerb(v.value, signed, verb, v);
    }
    if (v instanceof Uint8Array) return this.fmtBytes(v, verb, '[]uint8');
    if (Array.isArray(v)) {
      const elem = sliceElemType(v);
      if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && (elem === 'uint8' || elem === 'byte')) {
        return this.fmtBytes(
          Uint8Array.from(v.map((x) => (x instanceof GoInt ? Number(x.value) : 0))),
          verb,
          typeString(v),
        );
      }
      return this.printSlice(v, verb, depth, typeString(v));
    }
    if (isGoFunc(v)) return this.fmtPointer(v, verb);
    if (isGoStruct(v)) {
      if (v.typeName.startsWith('*') && depth > 0) return this.fmtPointer(v, verb);
      if (v.typeName.startsWith('*')) this.buf.push('&');
      if (this.f.sharpV) this.buf.push(v.typeName.replace(/^\*/, ''));
      this.buf.push('{');
      Object.keys(v.fields).forEach((name, i) => {
        if (i > 0) this.buf.push(this.f.sharpV ? ', ' : ' ');
        if (this.f.plusV || this.f.sharpV) this.buf.push(name, ':');
        const fv = v.fields[name];
        this.printValue(fv === undefined ? null : fv, verb, depth + 1);
      });
      this.buf.push('}');
      return;
    }
    if (isGoMap(v)) {
      if (this.f.sharpV) this.buf.push(typeString(v), '{');
      else this.buf.push('map[');
      const keys = Object.keys(v).sort(compareGoStrings);
      keys.forEach((k, i) => {
        if (i > 0) this.buf.push(this.f.sharpV ? ', ' : ' ');
        this.printValue(k, verb, depth + 1);
        this.buf.push(':');
        const mv = v[k];
        this.printValue(mv === undefined ? null : mv, verb, depth + 1);
      });
      this.buf.push(this.f.sharpV ? '}' : ']');
      return;
    }
    this.buf.push('?', typeString(v), '?');
  }

  printSlice(v: GoValue[], verb: string, depth: number, typeStr: string): void {
    if (this.f.sharpV) {
      this.buf.push(typeStr, '{');
      v.forEach((x, i) => {
        if (i > 0) this.buf.push(', ');
        this.printValue(x === undefined ? null : x, verb, depth + 1);
      });
      this.buf.push('}');
    } else {
      this.buf.push('[');
      v.forEach((x, i) => {
        if (i > 0) this.buf.push(' ');
        this.printValue(x === undefined ? null : x, verb, depth + 1);
      });
      this.buf.push(']');
    }
  }

  /** Pointers (functions, pointer structs): Go prints an address; we print a fixed stand-in. */
  fmtPointer(v: GoValue, verb: string): void {
    const refLike =
      isGoFunc(v) ||
      Array.isArray(v) ||
      isGoMap(v) ||
      v instanceof Uint8Array ||
      (isGoStruct(v) && v.typeName.startsWith('*'));
    if (!refLike) {
      this.badVerb(verb, v, true);
      return;
    }
    const u = 0xc000010000n;
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.buf.push('(', typeString(v), ')(0xc000010000)');
        else this.fmt0x64(u, !this.f.sharp);
        return;
      case 'p':
        return this.fmt0x64(u, !this.f.sharp);
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        return this.fmtIntegerVerb(u, false, verb, v);
      default:
        this.badVerb(verb, v, true);
    }
  }

  doPrint(a: GoValue[]): void {
    let prevString = false;
    a.forEach((arg, i) => {
      const isString = typeof arg === 'string';
      if (i > 0 && !isString && !prevString) this.buf.push(' ');
      this.printArg(arg, 'v');
      prevString = isString;
    });
  }

  doPrintln(a: GoValue[]): void {
    a.forEach((arg, i) => {
      if (i > 0) this.buf.push(' ');
      this.printArg(arg, 'v');
    });
    this.buf.push('\n');
  }

  doPrintf(format: string, a: GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;
    const argNumber = (argNum0: number, i: number): [number, number, boolean] => {
      if (end <= i || format[i] !== '[') return [argNum0, i, false];
      reordered = true;
      const [index, wid, ok] = parseArgNumber(format.slice(i));
      if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
      goodArgNum = false;
      return [argNum0, i + wid, ok];
    };
    let i = 0;
    formatLoop: while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf.push(format.slice(lasti, i));
      if (i >= end) break;
      i++;
      this.f = clearFlags();
      const f = this.f;
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            f.sharp = true;
            break;
          case '0':
            f.zero = true;
            break;
          case '+':
            f.plus = true;
            break;
          case '-':
            f.minus = true;
            break;
          case ' ':
            f.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v' || c === 'w') {
                f.sharpV = f.sharp;
                f.sharp = false;
                f.plusV = f.plus;
                f.plus = false;
              }
              this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i < end && format[i] === '*') {
        i++;
        [f.wid, f.widPresent, argNum] = intFromArg(a, argNum);
        if (!f.widPresent) this.buf.push('%!(BADWIDTH)');
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        [f.wid, f.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && f.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(argNum, i);
        if (i < end && format[i] === '*') {
          i++;
          [f.prec, f.precPresent, argNum] = intFromArg(a, argNum);
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) this.buf.push('%!(BADPREC)');
          afterIndex = false;
        } else {
          [f.prec, f.precPresent, i] = parsenum(format, i, end);
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i >= end) {
        this.buf.push('%!(NOVERB)');
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === '%') this.buf.push('%');
      else if (!goodArgNum) this.buf.push('%!', verb, '(BADINDEX)');
      else if (argNum >= a.length) this.buf.push('%!', verb, '(MISSING)');
      else {
        if (verb === 'v' || verb === 'w') {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }
    if (!reordered && argNum < a.length) {
      this.f = clearFlags();
      this.buf.push('%!(EXTRA ');
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.buf.push(', ');
        if (arg === null || arg === undefined) this.buf.push('<nil>');
        else {
          this.buf.push(typeString(arg), '=');
          this.printArg(arg, 'v');
        }
      });
      this.buf.push(')');
    }
  }
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return [num, isnum, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: GoValue[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (v instanceof GoInt) {
      const n = v.value;
      if (n >= -(1n << 63n) && n < 1n << 63n) {
        num = Number(n);
        isInt = true;
      }
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, newArgNum];
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args.map(nilOf));
  return p.buf.join('');
}

/** Go's fmt.Sprint (spaces between operands when neither is a string). */
export function sprint(args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrint(args.map(nilOf));
  return p.buf.join('');
}

/** Go's fmt.Sprintln. */
export function sprintln(args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrintln(args.map(nilOf));
  return p.buf.join('');
}

/** Go's fmt.Sprint of one value (`%v`): what sprig's toString and the template printer produce. */
export function formatValue(v: GoValue): string {
  // Fast paths for the common kinds (same result as the general printer).
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (Number.isInteger(v) && Math.abs(v) < 1e6 && !Object.is(v, -0)) return String(v);
      break;
  }
  if (v instanceof GoInt) return v.value.toString();
  return sprint([v]);
}

function nilOf(v: GoValue): GoValue {
  return v === undefined ? null : v;
}
