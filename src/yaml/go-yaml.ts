/**
 * Reading YAML the way kustomize does, in two Go dialects:
 *  - `v3`: go-yaml v3 decoding (what kustomize uses for resources, §5.1 of the semantics doc):
 *    `0755` -> 493, `0b101` -> 5, `1_000` -> 1000, `yes`/`on` stay strings, unquoted
 *    timestamps become RFC 3339 strings, `.inf`/`.nan` are an error, merge keys are expanded,
 *    duplicate keys are an error.
 *  - `v2`: go-yaml v2 / YAML 1.1 (what `sigs.k8s.io/yaml` uses for kustomization files):
 *    `yes/no/on/off/y/n` are booleans, timestamps stay strings.
 * Every scalar is read as text (failsafe schema) and resolved here, so the rules are ours and
 * exact, not the npm `yaml` library's.
 */
import {
  LineCounter,
  parseAllDocuments,
  isMap,
  isSeq,
  isScalar,
  isAlias,
  isPair,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';
import { InputError } from '../errors.js';

export type GoYamlDialect = 'v3' | 'v2';

/** At most this many alias expansions per document (kustomize has no limit; we refuse bombs). */
export const GO_MAX_ALIAS_EXPANSIONS = 10000;

export interface GoDoc {
  readonly value: unknown;
  /** 1-based line of the document's first content line. */
  readonly line: number;
  readonly column: number;
  /** Position of the node at a field path inside this document, or of its nearest parent. */
  posOf(path: readonly (string | number)[]): { line: number; column: number };
  /** Position of the key of the last path segment (for "unknown field" messages). */
  keyPosOf(path: readonly (string | number)[]): { line: number; column: number };
}

export interface GoParseOptions {
  readonly dialect?: GoYamlDialect;
  /**
   * Keep the source text of plain scalars under top-level `metadata.annotations` (kustomize
   * rewrites annotations as strings from the original scalar text). Default false.
   */
  readonly annotationsAsText?: boolean;
}

const LONG = 'tag:yaml.org,2002:';

/** Parses a multi-document YAML stream with Go semantics. Empty documents are dropped. */
export function parseGoYaml(text: string, file: string, opts: GoParseOptions = {}): GoDoc[] {
  const dialect = opts.dialect ?? 'v3';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n/g, '\n');
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      schema: 'failsafe',
      uniqueKeys: false,
      merge: false,
      prettyErrors: false,
      strict: true,
      version: dialect === 'v2' ? '1.1' : '1.2',
    }) as Document.Parsed[];
  } catch (e) {
    throw new InputError(`cannot parse YAML: ${(e as Error).message}`, { pos: { file }, cause: e });
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  const out: GoDoc[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      throw new InputError(`invalid YAML: ${err.message.split('\n')[0]}`, { pos: { file, line: p.line, column: p.col } });
    }
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    const conv = new Converter(doc, lc, file, dialect, opts.annotationsAsText ?? false);
    const value = conv.convert(contents, []);
    if (value === null || value === undefined) continue;
    const start = contents.range?.[0] ?? 0;
    const sp = lc.linePos(start);
    out.push({
      value,
      line: sp.line,
      column: sp.col,
      posOf(path) {
        const node = nodeAt(contents, path);
        const p = lc.linePos(node?.range?.[0] ?? start);
        return { line: p.line, column: p.col };
      },
      keyPosOf(path) {
        const parent = nodeAt(contents, path.slice(0, -1));
        const last = path[path.length - 1];
        if (parent && isMap(parent)) {
          const pair = parent.items.find((x) => isPair(x) && isScalar(x.key) && String(x.key.value) === String(last));
          const k = pair?.key as Node | undefined;
          if (k?.range) {
            const p = lc.linePos(k.range[0]);
            return { line: p.line, column: p.col };
          }
        }
        return this.posOf(path);
      },
    });
  }
  return out;
}

class Converter {
  private expansions = 0;
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lc: LineCounter,
    private readonly file: string,
    private readonly dialect: GoYamlDialect,
    private readonly annotationsAsText: boolean,
  ) {}

  private err(node: Node | null | undefined, msg: string): never {
    const off = node?.range?.[0];
    const p = off !== undefined ? this.lc.linePos(off) : undefined;
    throw new InputError(msg, { pos: { file: this.file, line: p?.line, column: p?.col } });
  }

  convert(node: Node | null | undefined, path: string[]): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++this.expansions > GO_MAX_ALIAS_EXPANSIONS) this.err(node, `too many YAML alias expansions (more than ${GO_MAX_ALIAS_EXPANSIONS})`);
      const target = node.resolve(this.doc) as Node | undefined;
      if (!target) this.err(node, `unknown anchor '${node.source}' referenced`);
      return this.convert(target, path);
    }
    if (isScalar(node)) return this.scalar(node, path);
    if (isSeq(node)) return node.items.map((it, i) => this.convert(it as Node, [...path, String(i)]));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const lines = new Map<string, number>();
      const merges: Node[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        if (k && isScalar(k) && k.value === '<<' && k.type === 'PLAIN' && !k.tag) {
          if (merges.length > 0 && this.dialect === 'v3') this.err(k, 'mapping key "<<" already defined');
          merges.push(pair.value as Node);
          continue;
        }
        const key = this.keyString(k);
        if (lines.has(key) && this.dialect === 'v3') {
          // go-yaml v3 refuses repeated keys; go-yaml v2 (kustomization files) keeps the last one
          // (verified with kubectl kustomize).
          this.err(k, `mapping key "${key}" already defined at line ${lines.get(key)}`);
        }
        if (lines.has(key)) delete out[key];
        lines.set(key, k?.range ? this.lc.linePos(k.range[0]).line : 0);
        out[key] = this.convert(pair.value as Node | null, [...path, key]);
      }
      if (merges.length === 0) return out;
      // Merge keys: explicit keys win; within a list of maps, earlier maps win.
      const merged: Record<string, unknown> = {};
      for (const m of merges) {
        let srcs: Node[];
        const target = isAlias(m) ? (m.resolve(this.doc) as Node) : m;
        if (isSeq(target)) srcs = target.items as Node[];
        else srcs = [m];
        for (const s of srcs) {
          const v = this.convert(s, path);
          if (v === null || typeof v !== 'object' || Array.isArray(v)) {
            this.err(s, 'map merge requires map or sequence of maps as the value');
          }
          for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) if (!(kk in merged)) merged[kk] = vv;
        }
      }
      for (const [kk, vv] of Object.entries(out)) merged[kk] = vv;
      return merged;
    }
    return null;
  }

  private keyString(k: Node | null): string {
    if (k === null) return 'null';
    const v = this.convert(k, []);
    if (v === null) return 'null';
    if (typeof v === 'object') this.err(k, 'a mapping key must be a scalar');
    if (this.dialect === 'v3' && (typeof v === 'number' || typeof v === 'boolean')) {
      // go-yaml v3 decodes such a map as map[interface{}]interface{}, which kustomize cannot
      // turn into JSON ("json: unsupported type"); quote the key.
      this.err(k, `mapping key ${String(v)} is a ${typeof v === 'number' ? 'number' : 'boolean'}, not a string; kustomize cannot encode it (json: unsupported type); quote the key`);
    }
    return String(v);
  }

  private scalar(node: Scalar, path: string[]): unknown {
    let text = String(node.value ?? '');
    if (node.type === 'BLOCK_FOLDED') text = goFold(text);
    const tag = node.tag ? shortTag(node.tag) : '';
    const plain = node.type === 'PLAIN' || node.type === undefined;
    if (
      this.annotationsAsText &&
      plain &&
      path.length === 3 &&
      path[0] === 'metadata' &&
      path[1] === 'annotations'
    ) {
      return text;
    }
    if (!plain && tag === '') return text;
    if (tag !== '' && !['!!str', '!!int', '!!float', '!!bool', '!!null', '!!timestamp', '!!binary', '!!merge'].includes(tag)) {
      return text; // a custom tag: the value is the text
    }
    if (tag === '!!str' || tag === '!!binary') return text;
    const r = this.dialect === 'v3' ? resolveV3(text, tag) : resolveV2(text, tag);
    if (r.kind === 'float' && !Number.isFinite(r.value as number)) {
      this.err(node, `unsupported value: ${text} (kustomize cannot encode ${Number.isNaN(r.value) ? 'NaN' : 'Inf'} in JSON)`);
    }
    if (tag === '!!int' && r.kind !== 'int') this.err(node, `cannot decode ${text} as an !!int`);
    if (tag === '!!float' && r.kind !== 'float' && r.kind !== 'int') this.err(node, `cannot decode ${text} as a !!float`);
    if (tag === '!!bool' && r.kind !== 'bool') this.err(node, `cannot decode ${text} as a !!bool`);
    if (tag === '!!null' && r.kind !== 'null') this.err(node, `cannot decode ${text} as a !!null`);
    return r.value;
  }
}

/**
 * go-yaml v3 folds block scalars differently from the YAML spec (and the npm `yaml` library):
 * a line break before a more-indented line that follows a normal line is doubled.
 * Measured with kubectl kustomize (kustomize v5.5.0): `>-\n  a\n    b` gives "a\n\n  b".
 */
function goFold(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let prevIndented: boolean | undefined;
  for (const line of lines) {
    if (line === '') {
      out.push(line);
      continue;
    }
    const indented = line[0] === ' ' || line[0] === '\t';
    if (indented && prevIndented === false) out.push('');
    out.push(line);
    prevIndented = indented;
  }
  return out.join('\n');
}

function shortTag(tag: string): string {
  if (tag.startsWith(LONG)) return '!!' + tag.slice(LONG.length);
  return tag;
}

export interface Resolved {
  kind: 'null' | 'bool' | 'int' | 'float' | 'str' | 'timestamp';
  value: unknown;
}

const V3_MAP: Record<string, Resolved> = {};
for (const s of ['true', 'True', 'TRUE']) V3_MAP[s] = { kind: 'bool', value: true };
for (const s of ['false', 'False', 'FALSE']) V3_MAP[s] = { kind: 'bool', value: false };
for (const s of ['', '~', 'null', 'Null', 'NULL']) V3_MAP[s] = { kind: 'null', value: null };
for (const s of ['.nan', '.NaN', '.NAN']) V3_MAP[s] = { kind: 'float', value: NaN };
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) V3_MAP[s] = { kind: 'float', value: Infinity };
for (const s of ['-.inf', '-.Inf', '-.INF']) V3_MAP[s] = { kind: 'float', value: -Infinity };

const V2_MAP: Record<string, Resolved> = { ...V3_MAP };
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']) V2_MAP[s] = { kind: 'bool', value: true };
for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']) V2_MAP[s] = { kind: 'bool', value: false };

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** First-character hint table of go-yaml's resolver. */
function hint(c: string | undefined): 'D' | 'S' | 'M' | '.' | 'N' | '' {
  if (c === undefined) return 'N';
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

export function resolveV3(text: string, tag: string): Resolved {
  const h = hint(text[0]);
  if (h === '') return { kind: 'str', value: text };
  const m = V3_MAP[text];
  if (m) return m;
  if (h === '.') {
    const f = goParseFloat(text);
    if (f !== undefined) return { kind: 'float', value: f };
  } else if (h === 'D' || h === 'S') {
    if (tag === '' || tag === '!!timestamp') {
      const t = parseGoTimestamp(text);
      if (t !== undefined) return { kind: 'timestamp', value: t };
    }
    const plain = text.replace(/_/g, '');
    const i = goParseInt(plain, 0);
    if (i !== undefined) return { kind: 'int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    for (const [pre, base] of [['0b', 2], ['0o', 8]] as const) {
      if (plain.startsWith(pre)) {
        const v = goParseInt(plain.slice(2), base);
        if (v !== undefined) return { kind: 'int', value: v };
      } else if (plain.startsWith('-' + pre)) {
        const v = goParseInt('-' + plain.slice(3), base);
        if (v !== undefined) return { kind: 'int', value: v };
      }
    }
  }
  return { kind: 'str', value: text };
}

function resolveV2(text: string, _tag: string): Resolved {
  const h = hint(text[0]);
  if (h === '') return { kind: 'str', value: text };
  const m = V2_MAP[text];
  if (m) return m;
  if (h === '.') {
    const f = goParseFloat(text);
    if (f !== undefined) return { kind: 'float', value: f };
  } else if (h === 'D' || h === 'S') {
    const plain = text.replace(/_/g, '');
    const i = goParseInt(plain, 0);
    if (i !== undefined) return { kind: 'int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    if (plain.startsWith('0b')) {
      const v = goParseInt(plain.slice(2), 2);
      if (v !== undefined) return { kind: 'int', value: v };
    } else if (plain.startsWith('-0b')) {
      const v = goParseInt('-' + plain.slice(3), 2);
      if (v !== undefined) return { kind: 'int', value: v };
    }
  }
  return { kind: 'str', value: text };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Go's strconv.ParseInt(s, base, 64), falling back to ParseUint for base 0 (as go-yaml does).
 * Returns a JS number (exact up to 2^53; larger values lose precision).
 */
export function goParseInt(s: string, base: 0 | 2 | 8 | 16): number | undefined {
  let neg = false;
  let t = s;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let b = base as number;
  if (base === 0) {
    b = 10;
    if (/^0[xX]/.test(t)) { b = 16; t = t.slice(2); }
    else if (/^0[oO]/.test(t)) { b = 8; t = t.slice(2); }
    else if (/^0[bB]/.test(t)) { b = 2; t = t.slice(2); }
    else if (t.length > 1 && t[0] === '0') { b = 8; t = t.slice(1); }
  }
  if (t === '') return undefined;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : b === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(t)) return undefined;
  let v = 0n;
  const B = BigInt(b);
  for (const ch of t) v = v * B + BigInt(parseInt(ch, 16));
  if (neg) v = -v;
  if (v > UINT64_MAX || v < INT64_MIN) return undefined;
  if (v > INT64_MAX && (neg || s.startsWith('+'))) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) rememberExactInt(n, v.toString());
  return n;
}

/**
 * Integers beyond 2^53 (int64/uint64 values such as CRD `maximum: 9223372036854775807`) are
 * JavaScript numbers here and lose precision. To still print them as kustomize does, the exact
 * decimal text read for each such value is remembered (keyed by the double it became; bounded)
 * and used by the emitter (go-emit.ts). Two different big integers that round to the same double
 * print the same: a known, documented limit.
 */
const exactInts = new Map<number, string>();
const MAX_EXACT_INTS = 10000;
function rememberExactInt(n: number, text: string): void {
  if (exactInts.size >= MAX_EXACT_INTS && !exactInts.has(n)) return;
  exactInts.set(n, text);
}

/** The exact decimal text of a big integer read by this module, if known. */
export function exactIntText(n: number): string | undefined {
  return exactInts.get(n);
}

/** Go's strconv.ParseFloat for the decimal forms YAML uses. */
function goParseFloat(s: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    if (/^[-+]?(inf|infinity|nan)$/i.test(s)) return s.toLowerCase().includes('nan') ? NaN : s.startsWith('-') ? -Infinity : Infinity;
    return undefined;
  }
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/**
 * go-yaml v3 timestamp resolution, returned as Go's time.Time JSON form (RFC 3339 with
 * nanoseconds trimmed). Formats: `2006-1-2T15:4:5.999999999Z07:00` (also lower-case `t`),
 * `2006-1-2 15:4:5.999999999` and `2006-1-2`.
 */
export function parseGoTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const d = ymd(m[1]!, m[2]!, m[3]!);
    return d ? `${d}T00:00:00Z` : undefined;
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return undefined;
  const sep = m[4]!;
  const tz = m[9];
  if (sep === ' ' && tz !== undefined) return undefined;
  if (sep !== ' ' && tz === undefined) return undefined;
  const d = ymd(m[1]!, m[2]!, m[3]!);
  if (!d) return undefined;
  const hh = Number(m[5]), mi = Number(m[6]), ss = Number(m[7]);
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  let frac = (m[8] ?? '').slice(1).slice(0, 9).replace(/0+$/, '');
  if (frac) frac = '.' + frac;
  const p2 = (n: number) => String(n).padStart(2, '0');
  let zone = tz ?? 'Z';
  if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  return `${d}T${p2(hh)}:${p2(mi)}:${p2(ss)}${frac}${zone}`;
}

function ymd(y: string, mo: string, d: string): string | undefined {
  const Y = Number(y), M = Number(mo), D = Number(d);
  if (M < 1 || M > 12 || D < 1) return undefined;
  const dim = new Date(Date.UTC(Y, M, 0)).getUTCDate();
  if (D > dim) return undefined;
  return `${y}-${String(M).padStart(2, '0')}-${String(D).padStart(2, '0')}`;
}

function nodeAt(node: Node | null, path: readonly (string | number)[]): Node | null {
  let cur: Node | null = node;
  for (const seg of path) {
    if (!cur) return null;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return cur;
      const v = pair.value as Node | null;
      if (!v || v.range === undefined) return (pair.key as Node) ?? cur;
      cur = v;
    } else if (isSeq(cur)) {
      const item = cur.items[Number(seg)] as Node | undefined;
      if (!item) return cur;
      cur = item;
    } else return cur;
  }
  return cur;
}

/**
 * Go `encoding/json` Marshal of plain data: map keys sorted byte-wise, `<`, `>`, `&`,
 * U+2028 and U+2029 escaped, numbers as Go prints float64/int.
 */
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJsonNumber(v);
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(byteCompare);
    return '{' + keys.map((k) => goJsonString(k) + ':' + goJsonMarshal((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  return 'null';
}

export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Go's float64 JSON encoding (`strconv.FormatFloat(f, 'f' or 'e', -1, 64)` with exponent cleanup). */
export function goJsonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential();
  }
  return String(n);
}

/** Byte-wise (UTF-8) string comparison, as Go compares strings. */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}
