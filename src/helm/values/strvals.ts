/**
 * `--set`, `--set-string` and `--set-json` as Helm parses them (pkg/strvals/parser.go):
 * `a.b=c,d[0]=e,f={x,y}`, backslash escapes, `--set` values typed (`true`/`false`/`null`,
 * integers without a leading zero become int64, everything else a string), `--set-string` values
 * always strings, `--set-json` values JSON. Caps as Helm's: list index at most 65536, names nested
 * at most 30 levels. Errors carry Helm's words.
 */
import { GoInt, type GoMap, type GoValue } from '../../gotemplate/value.js';
import { has, isTable, setKey } from './copy.js';

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

class Eof extends Error {
  constructor() {
    super('EOF');
  }
}
class NotList extends Error {}
/** A strvals parse error (its message is Helm's). */
export class StrvalsError extends Error {}

type Reader = (rs: string) => GoValue;

class Scanner {
  pos = 0;
  constructor(readonly runes: string[]) {}
  read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }
  unread(): void {
    this.pos--;
  }
  rest(): string {
    return this.runes.slice(this.pos).join('');
  }
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Reads until a stop rune; `\` escapes the next rune. Returns the text, the stop rune (undefined at EOF). */
function runesUntil(sc: Scanner, stop: string): { v: string; last: string | undefined; eof: boolean } {
  let v = '';
  for (;;) {
    const r = sc.read();
    if (r === undefined) return { v, last: undefined, eof: true };
    if (stop.includes(r)) return { v, last: r, eof: false };
    if (r === '\\') {
      const next = sc.read();
      if (next === undefined) return { v, last: undefined, eof: true };
      v += next;
    } else v += r;
  }
}

/** Helm's typedVal for `--set` (st=false) and `--set-string` (st=true). */
export function typedVal(val: string, st: boolean): GoValue {
  if (st) return val;
  const low = val.toLowerCase();
  if (low === 'true') return true;
  if (low === 'false') return false;
  if (low === 'null') return null;
  if (val === '0') return new GoInt(0n, 'int64');
  if (val.length !== 0 && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n >= -(1n << 63n) && n < 1n << 63n) return new GoInt(n, 'int64');
  }
  return val;
}

/**
 * The length of the first JSON value in `s` (after leading whitespace), as json.Decoder reads it; throws when there is
 * none.
 */
function decodeJsonPrefix(s: string): { value: GoValue; length: number } {
  let i = 0;
  while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
  const start = i;
  const c = s[i];
  if (c === undefined) throw new StrvalsError('EOF');
  if (c === '{' || c === '[') {
    let depth = 0;
    let inStr = false;
    for (; i < s.length; i++) {
      const ch = s[i]!;
      if (inStr) {
        if (ch === '\\') i++;
        else if (ch === '"') inStr = false;
      } else if (ch === '"') inStr = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
  } else if (c === '"') {
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') {
        i++;
        break;
      }
    }
  } else {
    while (i < s.length && /[A-Za-z0-9+\-.eE]/.test(s[i]!)) i++;
  }
  try {
    return { value: JSON.parse(s.slice(start, i)) as GoValue, length: i };
  } catch (e) {
    throw new StrvalsError((e as Error).message);
  }
}

class Parser {
  constructor(
    readonly sc: Scanner,
    readonly data: GoMap,
    readonly reader: Reader | undefined,
    readonly isJson: boolean,
  ) {}

  parse(): void {
    for (;;) {
      try {
        this.key(this.data, 0);
      } catch (e) {
        if (e instanceof Eof) return;
        throw e;
      }
    }
  }

  emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === undefined) return true;
      if (r === ',') return true;
      if (!/^\s$/u.test(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  jsonValue(): GoValue {
    const rest = this.sc.rest();
    const { value, length } = decodeJsonPrefix(rest);
    this.sc.pos += [...rest.slice(0, length)].length;
    return value;
  }

  key(data: GoMap, nestedNameLevel: number): void {
    const { v: k, last, eof } = runesUntil(this.sc, '=[,.');
    if (eof) {
      if (k.length === 0) throw new Eof();
      throw new StrvalsError(`key ${goQuote(k)} has no value`);
    }
    if (last === '[') {
      let i: number;
      try {
        i = this.keyIndex();
      } catch (e) {
        throw new StrvalsError(`error parsing index: ${(e as Error).message}`);
      }
      let list: GoValue[] = [];
      if (has(data, k)) {
        const cur = data[k];
        if (!Array.isArray(cur))
          throw new StrvalsError(
            `unable to parse key: interface conversion: interface {} is ${goTypeName(cur)}, not []interface {}`,
          );
        list = cur;
      }
      const r = this.listItem(list, i, nestedNameLevel);
      if (k.length > 0) setKey(data, k, r.list);
      if (r.err) throw r.err;
      return;
    }
    if (last === '=') {
      if (this.isJson) {
        if (this.emptyVal()) {
          if (k.length > 0) setKey(data, k, null);
          return;
        }
        const jv = this.jsonValue();
        if (k.length > 0) setKey(data, k, jv);
        this.emptyVal();
        return;
      }
      let vl: GoValue[];
      try {
        vl = this.valList();
      } catch (e) {
        if (e instanceof Eof) {
          if (k.length > 0) setKey(data, k, '');
          throw e;
        }
        if (e instanceof NotList) {
          const rs = runesUntil(this.sc, ',');
          const v = this.reader!(rs.v);
          if (k.length > 0) setKey(data, k, v);
          if (rs.eof) throw new Eof();
          return;
        }
        throw e;
      }
      if (k.length > 0) setKey(data, k, vl);
      return;
    }
    if (last === ',') {
      if (k.length > 0) setKey(data, k, '');
      throw new StrvalsError(`key ${goQuote(k)} has no value (cannot end with ,)`);
    }
    // last === '.'
    nestedNameLevel++;
    if (nestedNameLevel > MAX_NESTED_NAME_LEVEL)
      throw new StrvalsError(
        `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`,
      );
    let inner: GoMap = {};
    if (has(data, k)) {
      const cur = data[k];
      if (!isTable(cur))
        throw new StrvalsError(
          `unable to parse key: interface conversion: interface {} is ${goTypeName(cur)}, not map[string]interface {}`,
        );
      inner = cur;
    }
    let err: unknown;
    try {
      this.key(inner, nestedNameLevel);
    } catch (e) {
      err = e;
    }
    if (err === undefined && Object.keys(inner).length === 0)
      throw new StrvalsError(`key map ${goQuote(k)} has no value`);
    if (Object.keys(inner).length !== 0 && k.length > 0) setKey(data, k, inner);
    if (err !== undefined) throw err;
  }

  keyIndex(): number {
    const { v, eof } = runesUntil(this.sc, ']');
    if (eof) throw new Error('EOF');
    if (!/^[+-]?[0-9]+$/.test(v)) throw new Error(`strconv.Atoi: parsing ${goQuote(v)}: invalid syntax`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${goQuote(v)}: value out of range`);
    return n;
  }

  setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
    if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
    if (index > MAX_INDEX)
      throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    if (list.length <= index) {
      const n = list.slice();
      while (n.length <= index) n.push(null);
      list = n;
    }
    list[index] = val;
    return list;
  }

  listItem(list: GoValue[], i: number, nestedNameLevel: number): { list: GoValue[]; err?: unknown } {
    if (i < 0) return { list, err: new StrvalsError(`negative ${i} index not allowed`) };
    const { v: k, last, eof } = runesUntil(this.sc, '[.=');
    if (k.length > 0) return { list, err: new StrvalsError(`unexpected data at end of array index: ${goQuote(k)}`) };
    if (eof) return { list, err: new Eof() };
    try {
      if (last === '=') {
        if (this.isJson) {
          if (this.emptyVal()) return { list: this.setIndex(list, i, null) };
          const jv = this.jsonValue();
          list = this.setIndex(list, i, jv);
          this.emptyVal();
          return { list };
        }
        let vl: GoValue[];
        try {
          vl = this.valList();
        } catch (e) {
          if (e instanceof Eof) return { list: this.setIndex(list, i, '') };
          if (e instanceof NotList) {
            const rs = runesUntil(this.sc, ',');
            const v = this.reader!(rs.v);
            return { list: this.setIndex(list, i, v) };
          }
          throw e;
        }
        return { list: this.setIndex(list, i, vl) };
      }
      if (last === '[') {
        let nextI: number;
        try {
          nextI = this.keyIndex();
        } catch (e) {
          throw new StrvalsError(`error parsing index: ${(e as Error).message}`);
        }
        let crt: GoValue[] = [];
        if (list.length > i && list[i] !== null) {
          const existed = list[i];
          if (!Array.isArray(existed))
            throw new StrvalsError(
              `unable to parse key: interface conversion: interface {} is ${goTypeName(existed)}, not []interface {}`,
            );
          crt = existed;
        }
        const r = this.listItem(crt, nextI, nestedNameLevel);
        if (r.err) return { list, err: r.err };
        return { list: this.setIndex(list, i, r.list) };
      }
      // '.'
      let inner: GoMap = {};
      if (list.length > i) {
        const cur = list[i];
        if (isTable(cur)) inner = cur;
        else {
          list[i] = {};
          inner = list[i] as GoMap;
        }
      }
      this.key(inner, nestedNameLevel);
      return { list: this.setIndex(list, i, inner) };
    } catch (e) {
      return { list, err: e };
    }
  }

  valList(): GoValue[] {
    const r = this.sc.read();
    if (r === undefined) throw new Eof();
    if (r !== '{') {
      this.sc.unread();
      throw new NotList();
    }
    const list: GoValue[] = [];
    for (;;) {
      const { v, last, eof } = runesUntil(this.sc, ',}');
      if (eof) throw new StrvalsError("list must terminate with '}'");
      if (last === '}') {
        const n = this.sc.read();
        if (n !== undefined && n !== ',') this.sc.unread();
        list.push(this.reader!(v));
        return list;
      }
      list.push(this.reader!(v));
    }
  }
}

function goTypeName(v: GoValue | undefined): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return 'int64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function run(s: string, dest: GoMap, reader: Reader | undefined, isJson: boolean): void {
  new Parser(new Scanner([...s]), dest, reader, isJson).parse();
}

/** `--set`: parses `s` into `dest` (Helm's strvals.ParseInto). Throws {@link StrvalsError}. */
export function parseSetInto(s: string, dest: GoMap): void {
  run(s, dest, (rs) => typedVal(rs, false), false);
}

/** `--set-string`: parses `s` into `dest` (Helm's strvals.ParseIntoString). */
export function parseSetStringInto(s: string, dest: GoMap): void {
  run(s, dest, (rs) => typedVal(rs, true), false);
}

/** `--set-json` with a `key=json` form (Helm's strvals.ParseJSON). */
export function parseSetJsonInto(s: string, dest: GoMap): void {
  run(s, dest, undefined, true);
}
