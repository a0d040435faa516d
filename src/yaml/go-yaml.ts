/**
 * Reading YAML the way kustomize does, in two Go dialects:
 *  - `v3`: go-yaml v3 decoding (what kustomize uses for resources, §5.1 of ../shared/docs/kustomize-flux-semantics.md):
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
import { GO_MAX_ALIAS_EXPANSIONS, goFold, resolveV2, resolveV3 } from './go-resolve.js';
import { fastKeyPosOf, fastParseGoYaml, fastPosOf, type FastDoc, type FastPos } from './fast-block.js';

export {
  exactIntText,
  GO_MAX_ALIAS_EXPANSIONS,
  goFold,
  goParseInt,
  parseGoTimestamp,
  resolveV2,
  resolveV3,
  type Resolved,
} from './go-resolve.js';

export type GoYamlDialect = 'v3' | 'v2';

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

/**
 * Parses a multi-document YAML stream with Go semantics. Empty documents are dropped.
 * Block-style manifests go through the fast path (fast-block.ts), which gives the same values
 * and document positions; everything else, and every error, comes from the full reader.
 */
export function parseGoYaml(text: string, file: string, opts: GoParseOptions = {}): GoDoc[] {
  const dialect = opts.dialect ?? 'v3';
  const annotationsAsText = opts.annotationsAsText ?? false;
  text = normalizeText(text);
  const fast = fastParseGoYaml(text, { dialect, annotationsAsText });
  if (fast === undefined) return readFull(text, file, dialect, annotationsAsText);
  // Node positions are only needed for error messages: read them when asked, once per text.
  let positions: readonly FastDoc[] | null | undefined;
  const posTree = (i: number): FastPos | undefined => {
    if (positions === undefined)
      positions = fastParseGoYaml(text, { dialect, annotationsAsText, positions: true }) ?? null;
    return positions?.[i]?.pos;
  };
  return fast.map((d, i) => ({
    value: d.value,
    line: d.line,
    column: d.column,
    posOf: (path) => fastPosOf(posTree(i) ?? d, path),
    keyPosOf: (path) => fastKeyPosOf(posTree(i) ?? d, path),
  }));
}

/**
 * parseGoYaml without the fast path: the npm `yaml` library and the Converter below. The oracle
 * that fast-block.test.ts compares the fast path with.
 */
export function parseGoYamlFull(text: string, file: string, opts: GoParseOptions = {}): GoDoc[] {
  return readFull(normalizeText(text), file, opts.dialect ?? 'v3', opts.annotationsAsText ?? false);
}

function normalizeText(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n/g, '\n');
}

function readFull(text: string, file: string, dialect: GoYamlDialect, annotationsAsText: boolean): GoDoc[] {
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
      throw new InputError(`invalid YAML: ${err.message.split('\n')[0]}`, {
        pos: { file, line: p.line, column: p.col },
      });
    }
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    const conv = new Converter(doc, lc, file, dialect, annotationsAsText, text);
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
    /** The whole input (whether a block scalar ends it without a line break). */
    private readonly text: string,
  ) {}

  private err(node: Node | null | undefined, msg: string): never {
    const off = node?.range?.[0];
    const p = off !== undefined ? this.lc.linePos(off) : undefined;
    throw new InputError(msg, { pos: { file: this.file, line: p?.line, column: p?.col } });
  }

  convert(node: Node | null | undefined, path: string[]): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++this.expansions > GO_MAX_ALIAS_EXPANSIONS)
        this.err(node, `too many YAML alias expansions (more than ${GO_MAX_ALIAS_EXPANSIONS})`);
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
      this.err(
        k,
        `mapping key ${String(v)} is a ${typeof v === 'number' ? 'number' : 'boolean'}, ` +
          `not a string; kustomize cannot encode it (json: unsupported type); quote the key`,
      );
    }
    return String(v);
  }

  private scalar(node: Scalar, path: string[]): unknown {
    let text = String(node.value ?? '');
    // The yaml library gives a block scalar a final line break even where the input ends without
    // one; go-yaml's scanner keeps only the breaks it read (clip and keep alike).
    if (
      (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') &&
      text.endsWith('\n') &&
      node.range &&
      node.range[1] >= this.text.length &&
      !this.text.endsWith('\n')
    )
      text = text.slice(0, -1);
    if (node.type === 'BLOCK_FOLDED') text = goFold(text);
    const tag = node.tag ? shortTag(node.tag) : '';
    const plain = node.type === 'PLAIN' || node.type === undefined;
    if (this.annotationsAsText && plain && path.length === 3 && path[0] === 'metadata' && path[1] === 'annotations') {
      return text;
    }
    if (!plain && tag === '') return text;
    if (
      tag !== '' &&
      !['!!str', '!!int', '!!float', '!!bool', '!!null', '!!timestamp', '!!binary', '!!merge'].includes(tag)
    ) {
      return text; // a custom tag: the value is the text
    }
    if (tag === '!!str' || tag === '!!binary') return text;
    const r = this.dialect === 'v3' ? resolveV3(text, tag) : resolveV2(text, tag);
    if (r.kind === 'float' && !Number.isFinite(r.value as number)) {
      this.err(
        node,
        `unsupported value: ${text} (kustomize cannot encode ${Number.isNaN(r.value) ? 'NaN' : 'Inf'} in JSON)`,
      );
    }
    if (tag === '!!int' && r.kind !== 'int') this.err(node, `cannot decode ${text} as an !!int`);
    if (tag === '!!float' && r.kind !== 'float' && r.kind !== 'int')
      this.err(node, `cannot decode ${text} as a !!float`);
    if (tag === '!!bool' && r.kind !== 'bool') this.err(node, `cannot decode ${text} as a !!bool`);
    if (tag === '!!null' && r.kind !== 'null') this.err(node, `cannot decode ${text} as a !!null`);
    return r.value;
  }
}

function shortTag(tag: string): string {
  if (tag.startsWith(LONG)) return '!!' + tag.slice(LONG.length);
  return tag;
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
 * U+2028 and U+2029 escaped, numbers as Go prints float64/int. Strings as goJsonString.
 */
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJsonNumber(v);
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(byteCompare);
    return (
      '{' + keys.map((k) => goJsonString(k) + ':' + goJsonMarshal((v as Record<string, unknown>)[k])).join(',') + '}'
    );
  }
  return 'null';
}

/**
 * A string as Go's encoding/json writes it since Go 1.22 (the Go that builds kustomize v5.8.1,
 * flux, Helm and our oracles): `\b`, `\f`, `\n`, `\r`, `\t` short, other control characters and
 * U+2028, U+2029 as `\u00XX`; `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026` unless `escapeHTML`
 * is false (an Encoder with SetEscapeHTML(false): Helm's toRawJson); a lone surrogate (a byte of
 * invalid UTF-8 in src/gotemplate's strings, U+DC80..U+DCFF) as `\ufffd`, one per byte, as Go
 * writes each invalid byte. The one Go JSON string encoder: json.Marshal (kustomize's hash and
 * structured replacements, Kyverno's CEL json, Helm's toJson) and Helm's toRawJson. Checked
 * against Go 1.26.8's json.Marshal (src/yaml/go-yaml.test.ts) and Helm's engine
 * (test/helm-funcs/go-json-string.test.ts, helm-engine oracle).
 */
export function goJsonString(s: string, opts: { readonly escapeHTML?: boolean } = {}): string {
  const html = opts.escapeHTML ?? true;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || (html && (ch === '<' || ch === '>' || ch === '&')) || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
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
