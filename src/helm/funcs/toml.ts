/**
 * Helm's TOML functions (funcs.go): toToml / mustToToml through a port of BurntSushi/toml v1.6.0's
 * Encoder (sorted keys, plain keys before tables, tables indented by two spaces per level, arrays
 * of maps as [[tables]], floats always with a decimal point or exponent), and fromToml through a
 * TOML 1.0 reader giving what BurntSushi decodes into map[string]interface{} (int64, float64,
 * time.Time for datetimes). fromToml's error texts are ours, not BurntSushi's.
 */
import {
  GoError,
  GoInt,
  GoPanic,
  goFunc,
  isGoMap,
  isGoStruct,
  type GoFunc,
  type GoMap,
  type GoValue,
} from '../../gotemplate/value.js';
import { formatValue } from '../../gotemplate/index.js';
import { formatTime, LOCAL, parseTime, timeOf, timeValue, UTC } from './go-time.js';
import { byteCompare } from './go-fmt.js';

const ESC: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};
/** BurntSushi's dblQuotedReplacer. */
const quoteToml = (s: string): string =>
  '"' + s.replace(/["\\\x00-\x1f\x7f]/g, (c) => ESC[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '"';
const keyPart = (k: string): string => (k === '' ? '""' : /^[A-Za-z0-9_-]+$/.test(k) ? k : quoteToml(k));

type TomlType = 'hash' | 'arrayHash' | 'other' | undefined;
function tomlType(v: GoValue): TomlType {
  if (v === null || v === undefined) return undefined;
  if (timeOf(v)) return 'other';
  if (isGoMap(v) || isGoStruct(v)) return 'hash';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'other';
    let all = true;
    for (const x of v) {
      const t = tomlType(x);
      if (t === undefined) throw new GoError('toml: cannot encode array with nil element');
      if (t !== 'hash') all = false;
    }
    return all ? 'arrayHash' : 'other';
  }
  return 'other';
}

class TomlEncoder {
  out = '';
  private written = false;
  private write(s: string): void {
    this.out += s;
    this.written = true;
  }
  private newline(): void {
    if (this.written) this.write('\n');
  }
  private indent(key: string[]): string {
    return '  '.repeat(Math.max(0, key.length - 1));
  }

  encode(key: string[], v: GoValue, depth = 0): void {
    if (depth > 1000) throw new GoError('toml: value nested too deeply');
    if (v === null || v === undefined) return;
    const t = tomlType(v);
    if (t === 'hash' && !timeOf(v)) return this.table(key, v, depth);
    if (t === 'arrayHash') return this.arrayOfTables(key, v as GoValue[], depth);
    this.keyValue(key, v, false);
  }

  private keyValue(key: string[], v: GoValue, inline: boolean): void {
    // A top-level value that is not a table is written bare, as BurntSushi's writeKeyValue does.
    if (key.length === 0) return this.element(v);
    this.write(`${this.indent(key)}${keyPart(key[key.length - 1]!)} = `);
    this.element(v);
    if (!inline) this.newline();
  }

  private element(v: GoValue): void {
    const t = timeOf(v);
    if (t) return this.write(formatTime(t, '2006-01-02T15:04:05.999999999Z07:00'));
    if (typeof v === 'string') return this.write(quoteToml(v));
    if (typeof v === 'boolean') return this.write(String(v));
    if (v instanceof GoInt) return this.write(v.value.toString());
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return this.write('nan');
      if (!Number.isFinite(v)) return this.write(v < 0 ? '-inf' : 'inf');
      const s = formatValue(v);
      return this.write(/[e.]/.test(s) ? s : s + '.0');
    }
    if (v instanceof Uint8Array) return this.element(Array.from(v, (b) => new GoInt(BigInt(b), 'uint8')));
    if (Array.isArray(v)) {
      this.write('[');
      v.forEach((x, i) => {
        this.element(x);
        if (i !== v.length - 1) this.write(', ');
      });
      return this.write(']');
    }
    if (isGoMap(v) || isGoStruct(v)) return this.map([], isGoStruct(v) ? (v.fields as GoMap) : v, true, 0);
    throw new GoError(`toml: unsupported type: ${typeof v}`);
  }

  private table(key: string[], v: GoValue, depth: number): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indent(key)}[${key.map(keyPart).join('.')}]`);
      this.newline();
    }
    this.map(key, isGoStruct(v) ? (v.fields as GoMap) : (v as GoMap), false, depth);
  }

  private arrayOfTables(key: string[], arr: GoValue[], depth: number): void {
    if (key.length === 0) throw new GoError('toml: top-level values must be Go maps or structs');
    for (const t of arr) {
      if (t === null || t === undefined) continue;
      this.newline();
      this.write(`${this.indent(key)}[[${key.map(keyPart).join('.')}]]`);
      this.newline();
      this.map(key, isGoStruct(t) ? (t.fields as GoMap) : (t as GoMap), false, depth + 1);
    }
  }

  private map(key: string[], m: GoMap, inline: boolean, depth: number): void {
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) {
      const t = tomlType(m[k] ?? null);
      (t === 'hash' && !timeOf(m[k] ?? null)) || t === 'arrayHash' ? sub.push(k) : direct.push(k);
    }
    const write = (keys: string[], trailComma: boolean): void => {
      keys.sort(byteCompare);
      keys.forEach((k, i) => {
        const v = m[k] ?? null;
        if (v === null) return;
        if (inline) {
          this.write(`${keyPart(k)} = `);
          this.element(v);
          if (trailComma || i !== keys.length - 1) this.write(', ');
        } else this.encode([...key, k], v, depth + 1);
      });
    };
    if (inline) this.write('{');
    write(direct, sub.length > 0);
    write(sub, false);
    if (inline) this.write('}');
  }
}

/** BurntSushi's Encoder.Encode; throws GoError. */
export function toToml(v: GoValue): string {
  const e = new TomlEncoder();
  // BurntSushi reflects on the value before encoding; a nil interface makes reflect panic.
  if (v === null || v === undefined) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  e.encode([], v);
  return e.out;
}

// --- reading ---

class TomlReader {
  private i = 0;
  private line = 1;
  readonly root: GoMap = {};
  private current: GoMap = this.root;
  private readonly defined = new Set<object>();
  constructor(private readonly s: string) {}

  private err(msg: string): never {
    throw new GoError(`toml: line ${this.line}: ${msg}`);
  }
  private peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }
  private skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  private skipComment(): void {
    if (this.peek() === '#') while (this.i < this.s.length && this.peek() !== '\n') this.i++;
  }
  private eol(): void {
    this.skipWs();
    this.skipComment();
    if (this.peek() === '\r' && this.peek(1) === '\n') this.i++;
    if (this.i < this.s.length && this.peek() !== '\n')
      this.err(`expected a newline, found ${JSON.stringify(this.peek())}`);
    this.i++;
    this.line++;
  }

  parse(): GoMap {
    while (this.i < this.s.length) {
      this.skipWs();
      const c = this.peek();
      if (c === '\n' || c === '\r' || c === '#' || c === '') {
        this.skipComment();
        if (this.peek() === '\r') this.i++;
        if (this.i < this.s.length) {
          this.i++;
          this.line++;
        }
        continue;
      }
      if (c === '[') this.header();
      else this.keyValue(this.current);
      this.eol();
    }
    return this.root;
  }

  private header(): void {
    const array = this.peek(1) === '[';
    this.i += array ? 2 : 1;
    const key = this.key();
    if (this.peek() !== ']' || (array && this.peek(1) !== ']')) this.err('expected "]" to close the table header');
    this.i += array ? 2 : 1;
    let t = this.root;
    key.forEach((k, idx) => {
      const last = idx === key.length - 1;
      let next = t[k];
      if (last && array) {
        if (next === undefined) next = t[k] = [];
        if (!Array.isArray(next)) this.err(`key ${JSON.stringify(k)} is not an array of tables`);
        const table: GoMap = {};
        (next as GoValue[]).push(table);
        t = table;
        return;
      }
      if (next === undefined) next = t[k] = {};
      else if (Array.isArray(next)) next = next[next.length - 1]!;
      if (!isGoMap(next)) this.err(`key ${JSON.stringify(k)} is already defined as a value`);
      t = next as GoMap;
    });
    if (!array) {
      if (this.defined.has(t)) this.err(`table ${key.join('.')} already exists`);
      this.defined.add(t);
    }
    this.current = t;
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i));
        if (!m) this.err(`expected a key, found ${JSON.stringify(c)}`);
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skipWs();
      if (this.peek() !== '.') return parts;
      this.i++;
    }
  }

  private keyValue(into: GoMap, depth = 0): void {
    const key = this.key();
    if (this.peek() !== '=') this.err(`expected "=" after key ${key.join('.')}`);
    this.i++;
    this.skipWs();
    let t = into;
    for (const k of key.slice(0, -1)) {
      if (t[k] === undefined) t[k] = {};
      if (!isGoMap(t[k])) this.err(`key ${JSON.stringify(k)} is already defined as a value`);
      t = t[k] as GoMap;
    }
    const last = key[key.length - 1]!;
    if (Object.prototype.hasOwnProperty.call(t, last))
      this.err(`key ${JSON.stringify(key.join('.'))} has already been defined`);
    t[last] = this.value(depth);
  }

  private value(depth: number): GoValue {
    if (depth > 1000) this.err('value nested too deeply');
    const c = this.peek();
    if (c === '"') return this.peek(1) === '"' && this.peek(2) === '"' ? this.multiBasic() : this.basicString();
    if (c === "'") return this.peek(1) === "'" && this.peek(2) === "'" ? this.multiLiteral() : this.literalString();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.inlineTable(depth);
    const rest = this.s.slice(this.i);
    const dt =
      /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?)?|^\d{2}:\d{2}:\d{2}(\.\d+)?/.exec(
        rest,
      );
    if (dt) {
      this.i += dt[0].length;
      return this.datetime(dt[0]);
    }
    const m = /^[^\s,\]}#]+/.exec(rest);
    if (!m) this.err(`expected a value, found ${JSON.stringify(c)}`);
    this.i += m[0].length;
    return this.scalar(m[0]);
  }

  private datetime(text: string): GoValue {
    const t = text.replace(/[Tt ]/, 'T').replace(/z$/, 'Z');
    try {
      if (/^\d{2}:/.test(t)) return timeValue(parseTime('15:04:05.999999999', t, LOCAL));
      if (t.length === 10) return timeValue(parseTime('2006-01-02', t, LOCAL));
      if (/(Z|[+-]\d{2}:\d{2})$/.test(t)) {
        return timeValue(parseTime('2006-01-02T15:04:05.999999999Z07:00', t, UTC));
      }
      return timeValue(parseTime('2006-01-02T15:04:05.999999999', t, LOCAL));
    } catch (e) {
      return this.err((e as Error).message);
    }
  }

  private scalar(w: string): GoValue {
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (/^[+-]?(inf|nan)$/.test(w)) return w.endsWith('nan') ? NaN : w.startsWith('-') ? -Infinity : Infinity;
    const int = /^[+-]?(0|[1-9](_?\d)*)$/.test(w)
      ? BigInt(w.replace(/_/g, ''))
      : /^0x[0-9a-fA-F](_?[0-9a-fA-F])*$/.test(w)
        ? BigInt(w.replace(/_/g, ''))
        : /^0o[0-7](_?[0-7])*$/.test(w)
          ? BigInt(w.replace(/_/g, ''))
          : /^0b[01](_?[01])*$/.test(w)
            ? BigInt(w.replace(/_/g, ''))
            : undefined;
    if (int !== undefined) {
      if (int > (1n << 63n) - 1n || int < -(1n << 63n)) this.err(`${w} is out of range for int64`);
      return new GoInt(int, 'int64');
    }
    if (/^[+-]?(0|[1-9](_?\d)*)(\.\d(_?\d)*)?([eE][+-]?\d(_?\d)*)?$/.test(w)) return Number(w.replace(/_/g, ''));
    return this.err(`expected value but found ${JSON.stringify(w)} instead`);
  }

  private basicString(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.err('unexpected end of string');
      this.i++;
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else out += c;
    }
  }
  private escape(): string {
    const e = this.peek();
    this.i++;
    const simple: Record<string, string> = {
      b: '\b',
      t: '\t',
      n: '\n',
      f: '\f',
      r: '\r',
      '"': '"',
      '\\': '\\',
      e: '\x1b',
    };
    if (e in simple) return simple[e]!;
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = this.s.slice(this.i, this.i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) this.err(`invalid escape: \\${e}${h}`);
      this.i += n;
      return String.fromCodePoint(parseInt(h, 16));
    }
    return this.err(`invalid escape character ${JSON.stringify(e)}`);
  }
  private literalString(): string {
    const end = this.s.indexOf("'", this.i + 1);
    const nl = this.s.indexOf('\n', this.i + 1);
    if (end < 0 || (nl >= 0 && nl < end)) this.err('unexpected end of string');
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }
  private multiBasic(): string {
    this.i += 3;
    if (this.peek() === '\n') this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.err('unexpected end of string');
      if (this.s.startsWith('"""', this.i) && !this.s.startsWith('""""', this.i)) {
        this.i += 3;
        return out;
      }
      const c = this.peek();
      this.i++;
      if (c === '\n') this.line++;
      if (c === '\\') {
        if (/^[ \t]*\r?\n/.test(this.s.slice(this.i))) {
          while (/[\s]/.test(this.peek())) {
            if (this.peek() === '\n') this.line++;
            this.i++;
          }
        } else out += this.escape();
      } else out += c;
    }
  }
  private multiLiteral(): string {
    this.i += 3;
    if (this.peek() === '\n') this.i++;
    const end = this.s.indexOf("'''", this.i);
    if (end < 0) this.err('unexpected end of string');
    const v = this.s.slice(this.i, end);
    this.line += v.split('\n').length - 1;
    this.i = end + 3;
    return v;
  }
  private skipAll(): void {
    for (;;) {
      this.skipWs();
      this.skipComment();
      if (this.peek() === '\n' || this.peek() === '\r') {
        if (this.peek() === '\n') this.line++;
        this.i++;
      } else return;
    }
  }
  private array(depth: number): GoValue[] {
    this.i++;
    const out: GoValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') {
        this.i++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.skipAll();
      if (this.peek() === ',') this.i++;
      else if (this.peek() !== ']') this.err(`expected "," or "]" in array, found ${JSON.stringify(this.peek())}`);
    }
  }
  private inlineTable(depth: number): GoMap {
    this.i++;
    const out: GoMap = {};
    this.skipWs();
    if (this.peek() === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipWs();
      this.keyValue(out, depth + 1);
      this.skipWs();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() === '}') {
        this.i++;
        return out;
      }
      this.err(`expected "," or "}" in inline table, found ${JSON.stringify(this.peek())}`);
    }
  }
}

/** toml.Unmarshal into map[string]interface{}; throws GoError. */
export function fromToml(text: string): GoMap {
  return new TomlReader(text).parse();
}

export const tomlFuncs: Record<string, GoFunc> = {
  toToml: goFunc(['interface{}'], ['string'], ([v]) => {
    try {
      return toToml(v ?? null);
    } catch (e) {
      if (e instanceof GoError) return e.message;
      throw e;
    }
  }),
  mustToToml: goFunc(['interface{}'], ['string'], ([v]) => {
    try {
      return toToml(v ?? null);
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  }),
  fromToml: goFunc(['string'], ['map[string]interface{}'], ([s]) => {
    try {
      return fromToml(s as string);
    } catch (e) {
      if (e instanceof GoError) return { Error: e.message };
      throw e;
    }
  }),
};
