/**
 * Go's encoding/json over template values: Marshal (sorted map keys, HTML escaping unless raw,
 * []byte as base64, errors for NaN/Inf and funcs), MarshalIndent, and Unmarshal into interface{}
 * with Go's error messages for the common syntax errors. Strings are written by the one Go JSON
 * string encoder, src/yaml's goJsonString.
 */
import { GoError, GoInt, isGoFunc, isGoStruct, type GoMap, type GoValue } from '../../gotemplate/value.js';
import { goJsonString } from '../../yaml/go-yaml.js';
import { byteCompare, formatFloatG, typeName } from './go-fmt.js';

export interface MarshalOptions {
  readonly escapeHTML?: boolean;
  readonly indent?: string;
}

const MAX_DEPTH = 10000;

/** json.Marshal; throws GoError with Go's message on an unsupported value. */
export function marshalJson(v: GoValue, opts: MarshalOptions = {}): string {
  return enc(v, opts.escapeHTML ?? true, opts.indent ?? '', '', 0, new Set());
}

/** encoding/json's cycle error (Go detects a map or slice that contains itself). */
export function cycleError(v: GoValue): GoError {
  return new GoError(`json: unsupported value: encountered a cycle via ${typeName(v)}`);
}

/** Go's float64 JSON text: 'f' format, or 'e' (two-digit exponent trimmed) outside [1e-6, 1e21). */
export function jsonFloat(n: number): string {
  if (!Number.isFinite(n)) throw new GoError(`json: unsupported value: ${formatFloatG(n)}`);
  // JavaScript's shortest form switches to exponents exactly where Go's encoder does (1e-6, 1e21),
  // and its exponent spelling (e-7, e+21) is Go's after the encoder's clean-up.
  return Object.is(n, -0) ? '-0' : String(n);
}

function enc(v: GoValue, html: boolean, indent: string, prefix: string, depth: number, seen: Set<object>): string {
  if (depth > MAX_DEPTH) throw new GoError('json: value nested too deeply');
  if (typeof v === 'object' && v !== null && !(v instanceof GoInt) && !(v instanceof Uint8Array)) {
    if (seen.has(v)) throw cycleError(v);
    seen.add(v);
    try {
      return encObject(v, html, indent, prefix, depth, seen);
    } finally {
      seen.delete(v);
    }
  }
  return encObject(v, html, indent, prefix, depth, seen);
}

function encObject(
  v: GoValue,
  html: boolean,
  indent: string,
  prefix: string,
  depth: number,
  seen: Set<object>,
): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonString(v, { escapeHTML: html });
  if (typeof v === 'number') return jsonFloat(v);
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof Uint8Array) return goJsonString(Buffer.from(v).toString('base64'), { escapeHTML: html });
  if (isGoFunc(v)) throw new GoError(`json: unsupported type: ${typeName(v)}`);
  const inner = prefix + indent;
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return (
      '[' +
      nl +
      v.map((x) => (indent ? inner : '') + enc(x, html, indent, inner, depth + 1, seen)).join(',' + nl) +
      nl +
      (indent ? prefix : '') +
      ']'
    );
  }
  let entries: [string, GoValue][];
  if (isGoStruct(v)) {
    const mj = v.methods?.MarshalJSON;
    if (mj) return String(mj.call([]));
    entries = Object.entries(v.fields);
  } else {
    const m = v as GoMap;
    entries = Object.keys(m)
      .sort(byteCompare)
      .map((k) => [k, m[k] ?? null]);
  }
  if (entries.length === 0) return '{}';
  return (
    '{' +
    nl +
    entries
      .map(
        ([k, x]) =>
          (indent ? inner : '') +
          goJsonString(k, { escapeHTML: html }) +
          sep +
          enc(x, html, indent, inner, depth + 1, seen),
      )
      .join(',' + nl) +
    nl +
    (indent ? prefix : '') +
    '}'
  );
}

/** json.Unmarshal into interface{}; throws GoError with Go's message. */
export function unmarshalJson(text: string): GoValue {
  return new JsonReader(text).document();
}

/** A JSON reader that reports errors as Go's encoding/json scanner does. */
class JsonReader {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): GoValue {
    this.ws();
    if (this.i >= this.s.length) throw new GoError('unexpected end of JSON input');
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) throw new GoError(`invalid character ${this.quoteChar()} after top-level value`);
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }
  /** Go quotes the offending byte as a rune: the first byte of a UTF-8 sequence reads as Latin-1. */
  private quoteChar(): string {
    const ch = String.fromCharCode(Buffer.from(String.fromCodePoint(this.s.codePointAt(this.i)!), 'utf8')[0]!);
    if (ch === "'") return `'\\''`;
    if (ch === '"') return `'"'`;
    if (ch.codePointAt(0)! < 0x20) return `'\\x${ch.codePointAt(0)!.toString(16).padStart(2, '0')}'`;
    return `'${ch}'`;
  }
  private fail(context: string): never {
    if (this.i >= this.s.length) throw new GoError('unexpected end of JSON input');
    throw new GoError(`invalid character ${this.quoteChar()} ${context}`);
  }

  private value(depth: number): GoValue {
    if (depth > MAX_DEPTH) throw new GoError('exceeded max depth');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [lit, val] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (c === lit[0]) {
        for (let k = 1; k < lit.length; k++) {
          this.i++;
          if (this.s[this.i] !== lit[k]) this.fail(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        this.i++;
        return val;
      }
    }
    return this.fail('looking for beginning of value');
  }

  private object(depth: number): GoValue {
    this.i++;
    const out: GoMap = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      this.ws();
      out[k] = this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      this.fail('after object key:value pair');
    }
  }

  private array(depth: number): GoValue {
    this.i++;
    const out: GoValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      this.fail('after array element');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw new GoError('unexpected end of JSON input');
      if (c === '"') break;
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        if (e === undefined) throw new GoError('unexpected end of JSON input');
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) this.fail('in string escape code');
      } else if (c.charCodeAt(0) < 0x20) this.fail('in string literal');
      this.i++;
    }
    this.i++;
    return JSON.parse(
      this.s.slice(start, this.i).replace(/\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])/g, '\\ufffd'),
    ) as string;
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) {
      if (this.s[this.i] === '-') this.i++;
      this.fail('in numeric literal');
    }
    const next = this.s[this.i + m[0].length];
    if (next === '.' && m[2] === undefined && m[3] === undefined) {
      this.i += m[0].length + 1;
      this.fail('after decimal point in numeric literal');
    }
    if ((next === 'e' || next === 'E') && m[3] === undefined) {
      this.i += m[0].length + 1;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      this.fail('in exponent of numeric literal');
    }
    this.i += m[0].length;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) throw new GoError(`json: cannot unmarshal number ${m[0]} into Go value of type float64`);
    return n;
  }
}
