/**
 * The fast path of parseGoYaml (go-yaml.ts): a small reader for the block-style YAML that
 * Kubernetes manifests are written in, giving exactly the values (and document and node
 * positions) the full reader (the npm `yaml` library + our go-yaml Converter) gives, 5-6 times
 * faster.
 *
 * It reads: `---` separators, comments, block mappings and sequences (also `- key: v` compact
 * mappings and sequences at their key's indentation), plain scalars (continued on more indented
 * lines, as the Go emitter folds long strings), single- and double-quoted scalars (also over
 * several lines), literal `|` and folded `>` block scalars with a chomping indicator, one-line
 * flow collections of one-line scalars (`[a, "b"]`, `{ drop: ["ALL"] }`), also alone on the line
 * after their key or `-` (`affinity:` then `{}`, as Helm charts print empty values) or as a whole
 * document (`{}`), and anchors and aliases of one-line scalars (`port: &port 80` ... `port: *port`).
 *
 * It DECLINES (returns undefined, and the caller runs the full reader) on anything else and on
 * anything the full reader could refuse: anchors of collections, tags, merge keys, directives,
 * `...`, flow collections over several lines, `?` keys, explicit block indentation indicators,
 * empty block scalars, tabs outside comments and block scalar text, repeated keys in go-yaml
 * v3, `.inf`/`.nan`, numeric or boolean keys in v3, control characters, a scalar as a whole
 * document, and lines it cannot place. Equality with the full reader is proven by
 * fast-block.test.ts over the corpus, the fixtures, a generated fleet and a mutation fuzz.
 *
 * With a FastResolver (FastOptions.resolver) it is also the fast path of parseYamlDocuments and
 * parseYaml11Object: scalars resolve as the npm yaml library's schema does (`.inf`/`.nan`
 * included), folded scalars keep the library's folding, any repeated key, `<<` key or non-string
 * key declines; proven by parse-fast.test.ts against the library alone.
 */
import { GO_MAX_ALIAS_EXPANSIONS, goFold, resolveV2, resolveV3, type Resolved } from './go-resolve.js';

/** A document read by the fast path: its value and where its content starts (1-based). */
export interface FastDoc {
  readonly value: unknown;
  readonly line: number;
  readonly column: number;
  /** Where its nodes start (with `positions` only). */
  readonly pos?: FastPos;
  /** With a resolver: index of the document in its text, counting empty documents as the npm yaml library does. */
  readonly index?: number;
}

/** Returned by a FastResolver to make the fast path decline. */
export const FAST_DECLINE: unique symbol = Symbol('fast-decline');

/**
 * Another scalar resolution than go-yaml's (used by parse.ts and yaml11.ts for the npm yaml
 * library's schemas). With it: plain scalars and plain keys resolve through `plain` (a key must
 * resolve to a string, else the fast path declines), folded block scalars are not re-folded the
 * go-yaml way, annotations are not special, any repeated key and any `<<` key declines, and more
 * than `maxAliases` alias expansions decline.
 */
export interface FastResolver {
  plain(text: string): unknown;
  readonly maxAliases: number;
}

/**
 * Where a node starts, as the npm yaml library's node range (1-based), with the keys of a
 * mapping (their text as written, in order, repeated ones too) or the items of a sequence.
 */
export interface FastPos {
  readonly line: number;
  readonly column: number;
  readonly keys?: readonly { readonly raw: string; readonly key: FastPos; readonly value: FastPos }[];
  readonly items?: readonly FastPos[];
}

export interface FastOptions {
  readonly dialect: 'v3' | 'v2';
  readonly annotationsAsText: boolean;
  /** Also record node positions (FastDoc.pos), for error messages. Default false. */
  readonly positions?: boolean;
  /** Resolve scalars with this instead of go-yaml's (`dialect` and `annotationsAsText` are then ignored). */
  readonly resolver?: FastResolver;
}

/** Position of the node at `path`, or of its nearest parent (go-yaml.ts nodeAt for the fast path). */
export function fastPosOf(root: FastPos, path: readonly (string | number)[]): { line: number; column: number } {
  const p = fastNodeAt(root, path);
  return { line: p.line, column: p.column };
}

/** Position of the key of the last segment of `path`, else fastPosOf(path). */
export function fastKeyPosOf(root: FastPos, path: readonly (string | number)[]): { line: number; column: number } {
  const parent = fastNodeAt(root, path.slice(0, -1));
  const last = String(path[path.length - 1]);
  const entry = parent.keys?.find((k) => k.raw === last);
  if (entry) return { line: entry.key.line, column: entry.key.column };
  return fastPosOf(root, path);
}

/**
 * The deepest position along `path` (the key's position for the last segment with `key`), or of
 * the nearest node the path reaches; keys compare as written.
 */
export function fastNodeAt(root: FastPos, path: readonly (string | number)[], key = false): FastPos {
  let cur = root;
  for (const [i, seg] of path.entries()) {
    if (cur.keys) {
      const entry = cur.keys.find((k) => k.raw === String(seg));
      if (!entry) return cur;
      if (key && i === path.length - 1) return entry.key;
      cur = entry.value;
    } else if (cur.items) {
      const item = cur.items[Number(seg)];
      if (!item) return cur;
      cur = item;
    } else return cur;
  }
  return cur;
}

/** Thrown inside the reader to give up; never escapes fastParseGoYaml. */
const DECLINE: unique symbol = Symbol('decline');

const SP = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQ = 0x22;
const SQ = 0x27;
const BACKSLASH = 0x5c;

/** Characters a plain scalar or plain key may not start with (quotes are read separately). */
const BAD_PLAIN_START = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Control characters, NEL, line/paragraph separators and BOMs: left to the full reader. */
const ODD_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const DIRECTIVE = /^%/m;
/** Characters that end or complicate a plain scalar inside a flow collection. */
const FLOW_PLAIN_STOP = new Set([...'[]{}:#"\''].map((c) => c.charCodeAt(0)));

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Reads `text` (BOM removed, CRLF already turned into LF) as parseGoYaml would, or returns
 * undefined when it is outside the subset. Empty documents are dropped, as parseGoYaml does.
 */
export function fastParseGoYaml(text: string, opts: FastOptions): FastDoc[] | undefined {
  if (ODD_CHARS.test(text) || DIRECTIVE.test(text)) return undefined;
  try {
    return new Reader(text, opts).documents();
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

function decline(): never {
  throw DECLINE;
}

class Reader {
  private readonly lines: string[];
  /** The line being read. */
  private li = 0;
  private peekedAt = -1;
  private peeked = -1;
  private readonly resolve: (text: string, tag: string) => Resolved;
  private readonly annotationsAsText: boolean;
  private readonly v3: boolean;
  /** Anchors of one-line scalars in the current document, and alias expansions. */
  private anchors = new Map<string, { text: string; plain: boolean }>();
  private expansions = 0;
  /** With positions: where the node read last starts. */
  private readonly withPos: boolean;
  private lastPos: FastPos = { line: 0, column: 0 };
  private readonly resolver: FastResolver | undefined;

  constructor(text: string, opts: FastOptions) {
    this.lines = text.split('\n');
    this.resolver = opts.resolver;
    this.v3 = opts.dialect === 'v3' || this.resolver !== undefined;
    this.resolve = this.v3 ? resolveV3 : resolveV2;
    this.annotationsAsText = opts.annotationsAsText && this.resolver === undefined;
    this.withPos = opts.positions ?? false;
  }

  documents(): FastDoc[] {
    const docs: FastDoc[] = [];
    const n = this.lines.length;
    // the npm yaml library's document index: a `---` starts a document, content before any `---` too
    let index = -1;
    for (;;) {
      const ind = this.peek();
      if (this.li >= n) return docs;
      if (ind === -1) {
        // a document marker line: `---` with at most a comment after it
        const line = this.lines[this.li]!;
        if (line.charCodeAt(0) !== DASH) decline(); // `...`
        let j = 3;
        while (line.charCodeAt(j) === SP) j++;
        if (j < line.length && !(line.charCodeAt(j) === HASH && j > 3)) decline();
        this.li++;
        index++;
        continue;
      }
      const line = this.li + 1;
      this.anchors = new Map();
      this.expansions = 0;
      if (index < 0) index = 0;
      const value = this.block(ind, -1, []);
      const doc: { value: unknown; line: number; column: number; pos?: FastPos; index?: number } = {
        value,
        line,
        column: ind + 1,
      };
      if (this.withPos) doc.pos = this.lastPos;
      if (this.resolver) doc.index = index;
      docs.push(doc);
      if (this.peek() !== -1) decline(); // more content after the document's top node
    }
  }

  /**
   * Skips blank and comment lines; returns the indentation of the next content line, or -1 at
   * the end of the text or at a document marker line.
   */
  private peek(): number {
    if (this.peekedAt === this.li) return this.peeked;
    const lines = this.lines;
    let li = this.li;
    let result = -1;
    for (; li < lines.length; li++) {
      const line = lines[li]!;
      let s = 0;
      while (line.charCodeAt(s) === SP) s++;
      if (s === line.length) continue;
      const ch = line.charCodeAt(s);
      if (ch === HASH) continue;
      if (ch === TAB) decline();
      if (s === 0 && (line.startsWith('---') || line.startsWith('...'))) {
        const c3 = line.charCodeAt(3);
        if (line.length === 3 || c3 === SP) break;
        if (c3 === TAB) decline();
      }
      if (line.indexOf('\t') !== -1) decline();
      result = s;
      break;
    }
    this.li = li;
    this.peekedAt = li;
    this.peeked = result;
    return result;
  }

  /**
   * A block collection whose first line (the current one) is indented by `ind`, or (not at the
   * top of a document: parentIndent >= 0) a plain or quoted scalar or a one-line flow collection
   * on a line of its own.
   */
  private block(ind: number, parentIndent: number, path: string[]): unknown {
    const line = this.lines[this.li]!;
    if (isSeqItem(line, ind)) return this.sequence(ind, path);
    const ch = line.charCodeAt(ind);
    // `key:` then `{}` or `[a, b]` alone on the next line (Helm's `toYaml ... | nindent N`), or a
    // whole document (`{}`: Helm's `toYaml` of an empty map read again by `fromYaml`)
    if (ch === 0x5b || ch === 0x7b) return this.flow(ind, path);
    if (isKeyLine(line, ind)) return this.mapping(ind, path);
    if (parentIndent < 0) decline();
    if (this.withPos) this.lastPos = { line: this.li + 1, column: ind + 1 };
    const text = this.scalarText(ind, parentIndent);
    return this.lastPlain ? this.plain(text, path) : text;
  }

  /**
   * The value after `key:` or `-` with nothing else on the line; an empty one is at `emptyPos`
   * (after the indicator and the spaces after it, as the npm yaml library places empty nodes).
   */
  private nested(parentIndent: number, path: string[], sameIndentSeq: boolean, emptyPos: FastPos): unknown {
    const ind = this.peek();
    if (ind > parentIndent) return this.block(ind, parentIndent, path);
    if (ind === parentIndent && sameIndentSeq && isSeqItem(this.lines[this.li]!, ind)) return this.sequence(ind, path);
    this.lastPos = emptyPos;
    return this.plain('', path);
  }

  private sequence(indent: number, path: string[]): unknown[] {
    const out: unknown[] = [];
    const start = this.li + 1;
    const items: FastPos[] | undefined = this.withPos ? [] : undefined;
    for (;;) {
      const line = this.lines[this.li]!;
      let c = indent + 1;
      while (line.charCodeAt(c) === SP) c++;
      path.push(String(out.length));
      let value: unknown;
      if (c >= line.length || line.charCodeAt(c) === HASH) {
        const emptyPos = { line: this.li + 1, column: c + 1 };
        this.li++;
        value = this.nested(indent, path, false, emptyPos);
      } else value = this.inline(c, indent, path, true);
      path.pop();
      out.push(value);
      items?.push(this.lastPos);
      const ind = this.peek();
      if (ind < indent || ind > indent || !isSeqItem(this.lines[this.li]!, ind)) {
        if (ind > indent) decline();
        if (items) this.lastPos = { line: start, column: indent + 1, items };
        return out; // at a less indented line, or at a key of the parent mapping
      }
    }
  }

  private mapping(indent: number, path: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const start = this.li + 1;
    const keys: { raw: string; key: FastPos; value: FastPos }[] | undefined = this.withPos ? [] : undefined;
    for (;;) {
      const line = this.lines[this.li]!;
      const keyLine = this.li + 1;
      let raw: string;
      let key: string;
      let colon: number;
      const ch = line.charCodeAt(indent);
      if (ch === DQ || ch === SQ) {
        const end = quotedEnd(line, indent);
        if (end < 0) decline();
        raw = unquote(line, indent, end);
        key = this.quotedKey(raw);
        colon = end + 1;
        while (line.charCodeAt(colon) === SP) colon++;
        if (line.charCodeAt(colon) !== COLON) decline();
      } else {
        if (BAD_PLAIN_START.has(ch)) decline();
        colon = plainKeyEnd(line, indent);
        if (colon < 0) decline();
        let e = colon;
        while (line.charCodeAt(e - 1) === SP) e--;
        raw = line.slice(indent, e);
        key = this.plainKey(raw);
      }
      if (colon - indent > 1000) decline(); // the full reader refuses keys over 1024 characters
      const after = colon + 1;
      if (after < line.length && line.charCodeAt(after) !== SP) decline();
      this.addKey(out, key);
      let v = after;
      while (line.charCodeAt(v) === SP) v++;
      path.push(key);
      let value: unknown;
      if (v >= line.length || line.charCodeAt(v) === HASH) {
        const emptyPos = { line: keyLine, column: v + 1 };
        this.li++;
        value = this.nested(indent, path, true, emptyPos);
      } else value = this.inline(v, indent, path, false);
      path.pop();
      out[key] = value;
      keys?.push({ raw, key: { line: keyLine, column: indent + 1 }, value: this.lastPos });
      const ind = this.peek();
      if (ind > indent || (ind === indent && isSeqItem(this.lines[this.li]!, ind))) decline();
      if (ind < indent) {
        if (keys) this.lastPos = { line: start, column: indent + 1, keys };
        return out;
      }
    }
  }

  /**
   * A value starting at column `c` of the current line, after `key: ` (inSeq false) or `- `
   * (inSeq true; then it may be a compact mapping). `parentIndent` is the indentation of the
   * collection the value belongs to.
   */
  private inline(c: number, parentIndent: number, path: string[], inSeq: boolean): unknown {
    const line = this.lines[this.li]!;
    if (this.withPos) this.lastPos = { line: this.li + 1, column: c + 1 };
    switch (line.charCodeAt(c)) {
      case 0x7c: // |
      case 0x3e: // >
        return this.blockScalar(c, parentIndent);
      case 0x5b: // [
      case 0x7b: // {
        return this.flow(c, path);
      case 0x26: // & an anchor on a one-line scalar
        return this.anchored(c, parentIndent, path);
      case 0x2a: // * an alias of such a scalar
        return this.alias(c, path);
    }
    if (inSeq && isKeyLine(line, c)) return this.mapping(c, path);
    const text = this.scalarText(c, parentIndent);
    return this.lastPlain ? this.plain(text, path) : text;
  }

  /** Set by scalarText: whether the scalar it read was plain (else quoted). */
  private lastPlain = false;

  /**
   * The text of the plain or quoted scalar at column `c`, which ends the line. A plain scalar
   * goes on over the following lines indented more than `parentIndent` (folded into spaces, as
   * the Go emitter writes long strings); a quoted one must end on its line.
   */
  private scalarText(c: number, parentIndent: number): string {
    const lines = this.lines;
    const line = lines[this.li]!;
    const ch = line.charCodeAt(c);
    this.li++;
    if (ch === DQ || ch === SQ) {
      this.lastPlain = false;
      const end = quotedEnd(line, c);
      if (end < 0) return this.multiLineQuoted(c, parentIndent);
      if (!restIsEmpty(line, end + 1)) decline(); // `"k": v`, `"v"#c`
      return unquote(line, c, end);
    }
    // `-`, `?` and `:` may start a plain scalar when a non-space follows (`-1`, `?*`)
    if (BAD_PLAIN_START.has(ch) && !((ch === DASH || ch === 0x3f || ch === COLON) && !isSpaceOrEnd(line, c + 1)))
      decline();
    if (plainKeyEnd(line, c) >= 0) decline(); // `a: b: c`
    this.lastPlain = true;
    const cs = commentStart(line, c);
    let text = line.slice(c, trimEnd(line, cs));
    if (cs < line.length) return text; // a comment ends it
    // continuation lines: more indented than the parent, no blank or comment line between
    for (; this.li < lines.length; this.li++) {
      const next = lines[this.li]!;
      let s = 0;
      while (next.charCodeAt(s) === SP) s++;
      if (s <= parentIndent || s === next.length || next.charCodeAt(s) === HASH) break;
      const d = next.charCodeAt(s);
      // any character may start a continuation line (`- 0.1)` too, as the Go emitter writes), but
      // `: x` is read as a value of an empty key
      if (next.indexOf('\t') !== -1 || (d === COLON && isSpaceOrEnd(next, s + 1)) || plainKeyEnd(next, s) >= 0)
        decline();
      const ncs = commentStart(next, s);
      if (ncs < next.length) decline(); // a comment after a continuation line
      text += ' ' + next.slice(s, trimEnd(next, ncs));
    }
    return text;
  }

  /**
   * A quoted scalar opening at column `c` of the line before the current one and closing on a
   * later line (the Go emitter writes long strings so); its lines after the first are blank or
   * indented more than `parentIndent`. Folded as the npm yaml library does.
   */
  private multiLineQuoted(c: number, parentIndent: number): string {
    const lines = this.lines;
    const first = this.li - 1;
    const q = lines[first]!.charCodeAt(c);
    let source = lines[first]!.slice(c);
    if (source.indexOf('\t') !== -1) decline();
    for (; this.li < lines.length; this.li++) {
      const line = lines[this.li]!;
      let s = 0;
      while (line.charCodeAt(s) === SP) s++;
      if (s < line.length && s <= parentIndent) decline(); // less indented: the full reader decides
      if (line.indexOf('\t') !== -1) decline();
      // the closing quote: the first one not escaped (the opening line had none)
      let end = -1;
      for (let j = 0; j < line.length; j++) {
        const ch = line.charCodeAt(j);
        if (q === DQ) {
          if (ch === BACKSLASH) j++;
          else if (ch === DQ) {
            end = j;
            break;
          }
        } else if (ch === SQ) {
          if (line.charCodeAt(j + 1) === SQ) j++;
          else {
            end = j;
            break;
          }
        }
      }
      if (end < 0) {
        source += '\n' + line;
        continue;
      }
      if (!restIsEmpty(line, end + 1)) decline();
      source += '\n' + line.slice(0, end + 1);
      this.li++;
      return q === SQ ? unfoldLines(source.slice(1, -1)).replace(/''/g, "'") : doubleQuotedValue(source);
    }
    return decline(); // no closing quote
  }

  /** Position in the current line while reading a flow collection, and the last key's text. */
  private fj = 0;
  private lastKeyRaw = '';

  /** A flow collection (`[a, "b"]`, `{ drop: ["ALL"] }`, `[]`) that opens at `c` and ends the line. */
  private flow(c: number, path: string[]): unknown {
    const line = this.lines[this.li]!;
    this.fj = c;
    const value = this.flowNode(line, path, 0);
    if (!restIsEmpty(line, this.fj)) decline();
    this.li++;
    return value;
  }

  private flowNode(line: string, path: string[], depth: number): unknown {
    if (depth > 100) decline();
    const here: FastPos = { line: this.li + 1, column: this.fj + 1 };
    const open = line.charCodeAt(this.fj);
    if (open === 0x5b) {
      // [
      const out: unknown[] = [];
      const items: FastPos[] | undefined = this.withPos ? [] : undefined;
      this.fj++;
      if (this.flowSkip(line) !== 0x5d) {
        do {
          path.push(String(out.length));
          out.push(this.flowNode(line, path, depth + 1));
          path.pop();
          items?.push(this.lastPos);
        } while (!this.flowNext(line, 0x5d));
      } else this.fj++;
      if (items) this.lastPos = { ...here, items };
      return out;
    }
    if (open === 0x7b) {
      // {
      const out: Record<string, unknown> = {};
      const keys: { raw: string; key: FastPos; value: FastPos }[] | undefined = this.withPos ? [] : undefined;
      this.fj++;
      if (this.flowSkip(line) !== 0x7d) {
        do {
          const keyPos = { line: this.li + 1, column: this.fj + 1 };
          const key = this.flowKey(line);
          const raw = this.lastKeyRaw;
          this.addKey(out, key);
          path.push(key);
          out[key] = this.flowNode(line, path, depth + 1);
          path.pop();
          keys?.push({ raw, key: keyPos, value: this.lastPos });
        } while (!this.flowNext(line, 0x7d));
      } else this.fj++;
      if (keys) this.lastPos = { ...here, keys };
      return out;
    }
    this.lastPos = here;
    const text = this.flowScalar(line, false);
    return this.lastPlain ? this.plain(text, path) : text;
  }

  /** Skips spaces; returns the next character code. */
  private flowSkip(line: string): number {
    while (line.charCodeAt(this.fj) === SP) this.fj++;
    return line.charCodeAt(this.fj);
  }

  /** After an entry: `,` and another entry (false), or the closing bracket (true). */
  private flowNext(line: string, close: number): boolean {
    const sep = this.flowSkip(line);
    this.fj++;
    if (sep === close) return true;
    if (sep !== 0x2c) decline();
    const next = this.flowSkip(line);
    if (next === close || next === 0x2c) decline(); // a trailing or doubled comma
    return false;
  }

  /** A key in a flow mapping and its `: `. */
  private flowKey(line: string): string {
    const start = this.fj;
    const text = this.flowScalar(line, true);
    this.lastKeyRaw = text;
    if (this.fj - start > 1000) decline();
    if (this.flowSkip(line) !== COLON || line.charCodeAt(this.fj + 1) !== SP) decline();
    this.fj += 2;
    this.flowSkip(line);
    return this.lastPlain ? this.plainKey(text) : this.quotedKey(text);
  }

  /** A quoted or plain scalar inside a flow collection (plain ones without `:#[]{}` or quotes). */
  private flowScalar(line: string, key: boolean): string {
    const j = this.fj;
    const ch = line.charCodeAt(j);
    if (ch === DQ || ch === SQ) {
      const end = quotedEnd(line, j);
      if (end < 0) decline();
      this.fj = end + 1;
      this.lastPlain = false;
      return unquote(line, j, end);
    }
    if (j >= line.length || BAD_PLAIN_START.has(ch)) decline();
    let k = j;
    for (; k < line.length; k++) {
      const d = line.charCodeAt(k);
      if (d === 0x2c || d === 0x5d || d === 0x7d || (key && d === COLON)) break;
      if (FLOW_PLAIN_STOP.has(d)) decline();
    }
    this.fj = k;
    while (line.charCodeAt(k - 1) === SP) k--;
    this.lastPlain = true;
    return line.slice(j, k);
  }

  /** `&name scalar`: the scalar, remembered for later aliases. */
  private anchored(c: number, parentIndent: number, path: string[]): unknown {
    const line = this.lines[this.li]!;
    const end = nameEnd(line, c + 1);
    if (line.charCodeAt(end) !== SP) decline();
    const name = line.slice(c + 1, end);
    let v = end;
    while (line.charCodeAt(v) === SP) v++;
    const ch = line.charCodeAt(v);
    // only a scalar on the same line: not a collection, block scalar or key
    if (
      v >= line.length ||
      ch === HASH ||
      ch === 0x7c ||
      ch === 0x3e ||
      ch === 0x5b ||
      ch === 0x7b ||
      ch === 0x26 ||
      ch === 0x2a ||
      ch === 0x21
    )
      decline();
    if (isKeyLine(line, v)) decline();
    if (this.withPos) this.lastPos = { line: this.li + 1, column: v + 1 }; // the node starts after its anchor
    const text = this.scalarText(v, parentIndent);
    this.anchors.set(name, { text, plain: this.lastPlain }); // an alias names the latest one
    return this.lastPlain ? this.plain(text, path) : text;
  }

  /** `*name`: the anchored scalar read again at this path (the Converter converts the node again). */
  private alias(c: number, path: string[]): unknown {
    const line = this.lines[this.li]!;
    const end = nameEnd(line, c + 1);
    if (!restIsEmpty(line, end)) decline();
    const target = this.anchors.get(line.slice(c + 1, end));
    if (target === undefined) decline(); // unknown, or not a one-line scalar
    if (++this.expansions > (this.resolver ? this.resolver.maxAliases : GO_MAX_ALIAS_EXPANSIONS)) decline();
    this.li++;
    return target.plain ? this.plain(target.text, path) : target.text;
  }

  /** A `|` or `>` block scalar whose header is at column `c` of the current line. */
  private blockScalar(c: number, parentIndent: number): string {
    const lines = this.lines;
    const header = lines[this.li]!;
    const folded = header.charCodeAt(c) === 0x3e;
    let j = c + 1;
    let chomp = 0; // 0 clip, 1 keep, -1 strip
    const ind = header.charCodeAt(j);
    if (ind === 0x2b) {
      chomp = 1;
      j++;
    } else if (ind === DASH) {
      chomp = -1;
      j++;
    }
    if (!restIsEmpty(header, j)) decline(); // an indentation indicator, or other characters
    let i = this.li + 1;
    let leadingBlank = 0;
    let maxLeadingSpaces = 0;
    let s = 0;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      s = 0;
      while (l.charCodeAt(s) === SP) s++;
      if (s < l.length) break;
      leadingBlank++;
      if (s > maxLeadingSpaces) maxLeadingSpaces = s;
    }
    if (i >= lines.length) decline(); // empty block scalar
    const ci = s; // content indentation
    if (ci <= parentIndent || maxLeadingSpaces > ci) decline();
    if (lines[i]!.charCodeAt(ci) === TAB) decline();
    const first = i;
    let last = i;
    for (i++; i < lines.length; i++) {
      const l = lines[i]!;
      s = 0;
      while (l.charCodeAt(s) === SP) s++;
      if (s === l.length) continue;
      if (l.charCodeAt(s) === TAB) decline();
      if (s < ci) break;
      last = i;
    }
    const stop = i;
    for (let k = last + 1; k < stop; k++) if (lines[k]!.length > ci) decline(); // more-indented trailing blank lines
    let value = '\n'.repeat(leadingBlank);
    if (!folded) {
      for (let k = first; k <= last; k++) value += (k === first ? '' : '\n') + lines[k]!.slice(ci);
    } else {
      // the npm yaml library's folding (resolve-block-scalar.js), then go-yaml's (goFold)
      let sep = '';
      let prevMoreIndented = false;
      for (let k = first; k <= last; k++) {
        const l = lines[k]!;
        let sp = 0;
        while (l.charCodeAt(sp) === SP) sp++;
        if (sp > ci) {
          if (sep === ' ') sep = '\n';
          else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
          value += sep + l.slice(ci);
          sep = '\n';
          prevMoreIndented = true;
        } else if (sp === l.length) {
          if (sep === '\n') value += '\n';
          else sep = '\n';
        } else {
          value += sep + l.slice(sp);
          sep = ' ';
          prevMoreIndented = false;
        }
      }
    }
    // go-yaml's scanner keeps only the line breaks it read: a last text line that ends the input
    // without one (`fromYaml` of a string with no final newline) has none to clip or keep.
    if (chomp === 0) {
      if (last < lines.length - 1) value += '\n';
    } else if (chomp === 1) {
      // one line break per line after the last text line, the final one included
      const breaks = stop < lines.length ? stop - last : lines.length - 1 - last;
      value += '\n'.repeat(breaks);
    }
    this.li = stop;
    return folded && this.resolver === undefined ? goFold(value) : value;
  }

  /** A plain scalar's value, as the Converter's scalar() for an untagged plain node. */
  private plain(text: string, path: string[]): unknown {
    if (this.resolver) {
      const v = this.resolver.plain(text);
      if (v === FAST_DECLINE) decline();
      return v;
    }
    if (this.annotationsAsText && path.length === 3 && path[0] === 'metadata' && path[1] === 'annotations') return text;
    const r = this.resolve(text, '');
    if (r.kind === 'float' && !Number.isFinite(r.value as number)) decline();
    return r.value;
  }

  /** A plain key as a string, as the Converter's keyString(). */
  private plainKey(text: string): string {
    if (text === '<<') decline(); // a merge key
    if (this.resolver) {
      const k = this.resolver.plain(text);
      if (typeof k !== 'string') decline(); // a null, number or boolean key
      return this.quotedKey(k);
    }
    const v = this.plain(text, []);
    if (v === null) return 'null';
    if (this.v3 && (typeof v === 'number' || typeof v === 'boolean')) decline();
    return this.quotedKey(String(v));
  }

  private quotedKey(text: string): string {
    if (text === '__proto__' || (this.resolver && text === '<<')) decline();
    return text;
  }

  /** Before setting `key`: a repeated key is an error in go-yaml v3, the last one wins in v2. */
  private addKey(out: Record<string, unknown>, key: string): void {
    if (!Object.prototype.hasOwnProperty.call(out, key)) return;
    if (this.v3) decline(); // the full reader makes the error
    delete out[key]; // go-yaml v2 keeps the last one, at the end
  }
}

function isSpaceOrEnd(line: string, i: number): boolean {
  return i >= line.length || line.charCodeAt(i) === SP;
}

/** `-` followed by a space or the end of the line, at column `ind`. */
function isSeqItem(line: string, ind: number): boolean {
  return line.charCodeAt(ind) === DASH && isSpaceOrEnd(line, ind + 1);
}

/** Whether the line holds `key:` at column `c` (plain or quoted key). */
function isKeyLine(line: string, c: number): boolean {
  const ch = line.charCodeAt(c);
  if (ch === DQ || ch === SQ) {
    let j = quotedEnd(line, c);
    if (j < 0) return false;
    j++;
    while (line.charCodeAt(j) === SP) j++;
    return line.charCodeAt(j) === COLON;
  }
  return plainKeyEnd(line, c) >= 0;
}

/** End of an anchor or alias name starting at `i` (letters, digits, `_`, `-`, `.`). */
function nameEnd(line: string, i: number): number {
  let j = i;
  for (; j < line.length; j++) {
    const ch = line.charCodeAt(j);
    const ok =
      (ch >= 0x30 && ch <= 0x39) ||
      (ch >= 0x41 && ch <= 0x5a) ||
      (ch >= 0x61 && ch <= 0x7a) ||
      ch === 0x5f ||
      ch === DASH ||
      ch === 0x2e;
    if (!ok) break;
  }
  if (j === i) decline();
  return j;
}

/** Index of the `:` ending a plain implicit key that starts at `c`, or -1. */
function plainKeyEnd(line: string, c: number): number {
  for (let j = c; j < line.length; j++) {
    const ch = line.charCodeAt(j);
    if (ch === COLON) {
      if (isSpaceOrEnd(line, j + 1)) return j;
    } else if (ch === HASH && j > c && line.charCodeAt(j - 1) === SP) return -1;
  }
  return -1;
}

/** Index of the `#` of a ` #` comment after column `c`, or the line's length. */
function commentStart(line: string, c: number): number {
  for (let j = c + 1; j < line.length; j++) {
    if (line.charCodeAt(j) === HASH && line.charCodeAt(j - 1) === SP) return j;
  }
  return line.length;
}

/** `e` moved back over trailing spaces. */
function trimEnd(line: string, e: number): number {
  while (line.charCodeAt(e - 1) === SP) e--;
  return e;
}

/** Only spaces, then the end of the line or a comment preceded by a space, from `i`. */
function restIsEmpty(line: string, i: number): boolean {
  let j = i;
  while (line.charCodeAt(j) === SP) j++;
  return j >= line.length || (line.charCodeAt(j) === HASH && j > i);
}

/** Index of the closing quote of the quoted scalar opening at `c`, or -1 if not on this line. */
function quotedEnd(line: string, c: number): number {
  const q = line.charCodeAt(c);
  for (let j = c + 1; j < line.length; j++) {
    const ch = line.charCodeAt(j);
    if (q === DQ) {
      if (ch === BACKSLASH) j++;
      else if (ch === DQ) return j;
    } else if (ch === SQ) {
      if (line.charCodeAt(j + 1) === SQ) j++;
      else return j;
    }
  }
  return -1;
}

/** The value of the one-line quoted scalar from `c` to its closing quote at `end`. */
function unquote(line: string, c: number, end: number): string {
  const body = line.slice(c + 1, end);
  if (line.charCodeAt(c) === SQ) return body.indexOf("'") === -1 ? body : body.replace(/''/g, "'");
  if (body.indexOf('\\') === -1) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i]!;
    const esc = ESCAPES[next];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const len = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (len === 0) decline();
    out += hexChar(body.substr(i + 1, len), len);
    i += len;
  }
  return out;
}

/** The npm yaml library's folding of a multi-line single-quoted scalar (no tabs here). */
function unfoldLines(source: string): string {
  const parts = source.split('\n');
  if (parts.length === 1) return source;
  let res = parts[0]!.replace(/ +$/, '');
  let sep = ' ';
  for (let i = 1; i < parts.length - 1; i++) {
    const lm = parts[i]!.trim();
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
  }
  return res + sep + parts[parts.length - 1]!.replace(/^ +/, '');
}

/** The npm yaml library's value of a multi-line double-quoted scalar (quotes included, no tabs). */
function doubleQuotedValue(source: string): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === '\n') {
      // a line break folds into a space; n blank lines after it into n line breaks
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\n') {
        if (next === '\n') fold += '\n';
        next = source[++i + 1];
      }
      res += fold || ' ';
    } else if (ch === '\\') {
      const next = source[++i]!;
      const esc = ESCAPES[next];
      if (esc !== undefined) res += esc;
      else if (next === '\n') {
        // an escaped line break: dropped, and the next line's leading spaces too
        while (source[i + 1] === ' ') i++;
      } else {
        const len = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
        if (len === 0) decline();
        res += hexChar(source.substr(i + 1, len), len);
        i += len;
      }
    } else if (ch === ' ') {
      // spaces before a line break are dropped
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ') next = source[++i + 1];
      if (next !== '\n') res += source.slice(wsStart, i + 1);
    } else res += ch;
  }
  return res;
}

/** The character of a `\\x`, `\\u` or `\\U` escape's hex digits. */
function hexChar(hex: string, len: number): string {
  if (hex.length !== len || !HEX.test(hex)) decline();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) decline();
  return String.fromCodePoint(code);
}
