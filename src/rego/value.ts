/**
 * Rego values: null, booleans, numbers (JS numbers; integers beyond 2^53 as bigint so that they
 * keep every digit, as OPA's arbitrary-precision numbers do), strings, arrays, objects with any
 * value as key, and sets. Equality and order are OPA's (ast/compare.go): null < boolean < number
 * < string < array < object < set; numbers compare by value (1 == 1.0).
 */

export type Value = null | boolean | number | bigint | string | Value[] | RObject | RSet;

/** A canonical text of a value: equal values, equal keys. */
export function keyOf(v: Value): string {
  if (v === null) return 'n';
  if (v === true) return 't';
  if (v === false) return 'f';
  if (typeof v === 'number') return 'd' + (Object.is(v, -0) ? '0' : String(v));
  if (typeof v === 'bigint') return 'd' + v.toString();
  if (typeof v === 'string') return 's' + JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(keyOf).join(',') + ']';
  return v.key();
}

export class RObject {
  private readonly entries = new Map<string, readonly [Value, Value]>();
  private cachedKey: string | undefined;
  static from(pairs: Iterable<readonly [Value, Value]>): RObject {
    const o = new RObject();
    for (const [k, v] of pairs) o.set(k, v);
    return o;
  }
  get size(): number {
    return this.entries.size;
  }
  get(k: Value): Value | undefined {
    return this.entries.get(keyOf(k))?.[1];
  }
  has(k: Value): boolean {
    return this.entries.has(keyOf(k));
  }
  /** Only while building (before the object is shared). */
  set(k: Value, v: Value): void {
    this.cachedKey = undefined;
    this.entries.set(keyOf(k), [k, v]);
  }
  *pairs(): IterableIterator<readonly [Value, Value]> {
    yield* this.entries.values();
  }
  keys(): Value[] {
    return [...this.entries.values()].map((e) => e[0]);
  }
  /** Entries sorted by key (OPA's order). */
  sortedPairs(): (readonly [Value, Value])[] {
    return [...this.entries.values()].sort((a, b) => compare(a[0], b[0]));
  }
  key(): string {
    if (this.cachedKey === undefined) {
      const parts = [...this.entries.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([k, e]) => k + ':' + keyOf(e[1]));
      this.cachedKey = '{' + parts.join(',') + '}';
    }
    return this.cachedKey;
  }
}

export class RSet {
  private readonly items = new Map<string, Value>();
  private cachedKey: string | undefined;
  static from(values: Iterable<Value>): RSet {
    const s = new RSet();
    for (const v of values) s.add(v);
    return s;
  }
  get size(): number {
    return this.items.size;
  }
  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }
  add(v: Value): void {
    this.cachedKey = undefined;
    this.items.set(keyOf(v), v);
  }
  values(): Value[] {
    return [...this.items.values()];
  }
  sorted(): Value[] {
    return this.values().sort(compare);
  }
  key(): string {
    if (this.cachedKey === undefined) this.cachedKey = '<' + [...this.items.keys()].sort().join(',') + '>';
    return this.cachedKey;
  }
}

export function isObject(v: Value | undefined): v is RObject {
  return v instanceof RObject;
}
export function isSet(v: Value | undefined): v is RSet {
  return v instanceof RSet;
}
export function isNumber(v: Value | undefined): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return keyOf(a) === keyOf(b);
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  if (v instanceof RObject) return 5;
  return 6;
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed comparisons are exact in JS.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareStrings(a: string, b: string): number {
  // Go compares strings by UTF-8 bytes: code points order, not UTF-16 units.
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

/** OPA's total order of values. */
export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a === false ? -1 : 1;
    case 2:
      return compareNumbers(a as number, b as number);
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    case 5: {
      const x = (a as RObject).sortedPairs();
      const y = (b as RObject).sortedPairs();
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i]![0], y[i]![0]);
        if (c !== 0) return c;
        const d = compare(x[i]![1], y[i]![1]);
        if (d !== 0) return d;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    default: {
      const x = (a as RSet).sorted();
      const y = (b as RSet).sorted();
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
  }
}

/** A number literal's value: a JS number, or a bigint for integers beyond 2^53. */
export function numberFromText(text: string): number | bigint {
  if (/^-?[0-9]+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
    return BigInt(text);
  }
  return Number(text);
}

/** Normalizes a bigint that fits back to a number. */
export function normNumber(n: number | bigint): number | bigint {
  if (typeof n === 'bigint' && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(n);
  return n;
}

/** JSON (any JS value from JSON.parse or YAML) to a Rego value. */
export function fromJson(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return normNumber(x);
  if (Array.isArray(x)) return x.map(fromJson);
  if (x instanceof RObject || x instanceof RSet) return x;
  if (x instanceof Date) return x.toISOString();
  const o = new RObject();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, fromJson(v));
  return o;
}

/** A Rego value as `opa eval --format json` prints it: sets as sorted arrays, keys as strings. */
export function toJson(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v).toString() === v.toString() || BigInt(Number(v)) === v ? Number(v) : v;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof RSet) return v.sorted().map(toJson);
  const out: Record<string, unknown> = {};
  const pairs = v.sortedPairs().map(([k, x]) => [typeof k === 'string' ? k : jsonText(toJson(k)), toJson(x)] as const);
  pairs.sort((a, b) => compareStrings(a[0], b[0]));
  for (const [k, x] of pairs)
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON text of a toJson result (bigints as their digits), Go's encoding/json style: sorted keys, no spaces. */
export function jsonText(x: unknown): string {
  if (typeof x === 'bigint') return x.toString();
  if (typeof x === 'number') return formatJsonNumber(x);
  if (typeof x === 'string') return goQuote(x);
  if (x === null || typeof x === 'boolean') return JSON.stringify(x);
  if (Array.isArray(x)) return '[' + x.map(jsonText).join(',') + ']';
  const o = x as Record<string, unknown>;
  return (
    '{' +
    Object.keys(o)
      .map((k) => goQuote(k) + ':' + jsonText(o[k]))
      .join(',') +
    '}'
  );
}

/** A number as OPA's JSON prints it (integers without exponent). */
export function formatJsonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Go's encoding/json string escaping (HTML characters escaped as \u003c etc.). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029)
      out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RObject) return 'object';
  return 'set';
}
