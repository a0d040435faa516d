/**
 * Reading YAML with positions, safely: aliases are capped, duplicate keys are errors, every
 * error names the file, line and column.
 */
import { Document, LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Node, type Schema } from 'yaml';
import { InputError } from '../errors.js';
import { FAST_DECLINE, fastNodeAt, fastParseGoYaml, type FastDoc, type FastResolver } from './fast-block.js';

/** At most this many alias expansions per document (an alias bomb is refused, not expanded). */
export const MAX_ALIAS_COUNT = 1000;

/** One parsed YAML document: its plain-JS value, and a way back to source positions. */
export interface ParsedDoc {
  readonly value: unknown;
  /** 1-based line and column where the document's content starts. */
  readonly line: number;
  readonly column: number;
  /** Index of the document in its file (0-based, counting empty documents). */
  readonly index: number;
  /** Position of the node at a field path inside this document, or of its nearest parent. */
  posOf(path: readonly (string | number)[], opts?: { key?: boolean }): { line: number; column: number };
}

export interface ParseOptions {
  /** YAML version for scalar resolution. Default 1.2 (core schema). */
  readonly version?: '1.1' | '1.2';
  /** Keep empty / comment-only documents (as `value: null`). Default false. */
  readonly keepEmpty?: boolean;
}

/** Parse a (multi-document) YAML text. Throws InputError with file:line:col on bad YAML. */
export function parseYamlDocuments(text: string, file: string, opts: ParseOptions = {}): ParsedDoc[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The fast path (fast-block.ts with the library's own scalar resolution) for block-style text;
  // it declines anything uncertain. Node positions come from a second fast read, with
  // positions, when first asked (or from the full reader, should that read decline).
  if (!opts.keepEmpty && text.indexOf('\r') === -1) {
    const resolver = libraryResolver(opts.version ?? '1.2');
    const fast = fastParseGoYaml(text, { dialect: 'v3', annotationsAsText: false, resolver });
    if (fast) {
      let withPos: readonly FastDoc[] | null | undefined;
      let full: ParsedDoc[] | undefined;
      return fast.map((d, i) => {
        const index = d.index!;
        return {
          value: d.value,
          line: d.line,
          column: d.column,
          index,
          posOf(path: readonly (string | number)[], o?: { key?: boolean }) {
            if (withPos === undefined)
              withPos =
                fastParseGoYaml(text, { dialect: 'v3', annotationsAsText: false, resolver, positions: true }) ?? null;
            const root = withPos?.[i]?.pos;
            if (root) {
              const p = fastNodeAt(root, path, o?.key ?? false);
              return { line: p.line, column: p.column };
            }
            full ??= parseFull(text, file, opts);
            const doc = full.find((f) => f.index === index);
            return doc ? doc.posOf(path, o) : { line: d.line, column: d.column };
          },
        };
      });
    }
  }
  return parseFull(text, file, opts);
}

/** Scalar resolution of the npm yaml library for a schema, as a fast-path resolver. */
export function schemaResolver(schema: Schema, options: object): FastResolver {
  const tags = (
    schema.tags as unknown as {
      default?: unknown;
      test?: RegExp;
      resolve: (s: string, onError: (m: string) => void, o: object) => unknown;
    }[]
  ).filter((t) => t.default === true && t.test instanceof RegExp);
  const cache = new Map<string, unknown>();
  const resolve = (text: string): unknown => {
    const tag = tags.find((t) => t.test!.test(text));
    if (!tag) return text;
    let failed = false;
    let v: unknown;
    try {
      v = tag.resolve(text, () => (failed = true), options);
    } catch {
      return FAST_DECLINE;
    }
    if (failed) return FAST_DECLINE;
    if (isScalar(v)) v = v.value;
    if (typeof v === 'bigint') v = Number(v);
    if (v !== null && typeof v === 'object') return FAST_DECLINE;
    return v;
  };
  return {
    maxAliases: MAX_ALIAS_COUNT,
    plain(text) {
      if (text.length > 64) return resolve(text);
      let v = cache.get(text);
      if (v === undefined && !cache.has(text)) {
        if (cache.size > 10000) cache.clear();
        cache.set(text, (v = resolve(text)));
      }
      return v;
    },
  };
}

const RESOLVERS = new Map<string, FastResolver>();
function libraryResolver(version: '1.1' | '1.2'): FastResolver {
  let r = RESOLVERS.get(version);
  if (!r) {
    const doc = new Document(null, { version, merge: true, uniqueKeys: true });
    RESOLVERS.set(version, (r = schemaResolver(doc.schema, doc.options)));
  }
  return r;
}

/** The full reader (the npm yaml library) alone: the oracle of the fast path's tests. */
export function parseYamlDocumentsFull(text: string, file: string, opts: ParseOptions = {}): ParsedDoc[] {
  return parseFull(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file, opts);
}

/** The full reader (the npm yaml library). */
function parseFull(text: string, file: string, opts: ParseOptions): ParsedDoc[] {
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      uniqueKeys: true,
      merge: true,
      version: opts.version ?? '1.2',
      prettyErrors: false,
      strict: true,
    }) as Document.Parsed[];
  } catch (e) {
    throw new InputError(`cannot parse YAML: ${(e as Error).message}`, { pos: { file }, cause: e });
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  const out: ParsedDoc[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      throw new InputError(`invalid YAML: ${firstLine(err.message)}`, {
        pos: { file, line: p.line, column: p.col },
      });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const msg = (e as Error).message;
      throw new InputError(
        /alias/i.test(msg)
          ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions): ${msg}`
          : `invalid YAML: ${msg}`,
        { pos: { file, line: doc.contents?.range ? lc.linePos(doc.contents.range[0]).line : undefined }, cause: e },
      );
    }
    if ((value === null || value === undefined) && !opts.keepEmpty) return;
    const start = doc.contents?.range?.[0] ?? 0;
    const sp = lc.linePos(start);
    out.push({
      value,
      line: sp.line,
      column: sp.col,
      index,
      posOf(path, o) {
        const node = nodeAt(doc.contents as Node | null, path, o?.key ?? false);
        const off = node?.range?.[0] ?? start;
        const p = lc.linePos(off);
        return { line: p.line, column: p.col };
      },
    });
  });
  return out;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!;
}

/** The deepest node along `path` (a key's value node; for maps the key node when the value is missing). */
function nodeAt(node: Node | null, path: readonly (string | number)[], key: boolean): Node | null {
  let cur: Node | null = node;
  for (const [i, seg] of path.entries()) {
    if (!cur) return null;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return cur;
      if (key && i === path.length - 1) return pair.key as Node;
      const v = pair.value as Node | null;
      if (!v || (isScalar(v) && v.range === undefined)) return (pair.key as Node) ?? cur;
      cur = v;
    } else if (isSeq(cur)) {
      const item = cur.items[Number(seg)] as Node | undefined;
      if (!item) return cur;
      cur = item;
    } else {
      return cur;
    }
  }
  return cur;
}
