/**
 * The head of a rendered document (apiVersion, kind, metadata.name, metadata.annotations) read
 * without building the document, for Helm's SortManifests. Helm unmarshals every document whole
 * (sigs.k8s.io/yaml into a SimpleHead), so a YAML error anywhere fails the render: this scan
 * answers only for documents inside a strict subset of block YAML that it proves free of such
 * errors (plain keys, one-line scalars, literal and folded block scalars, consistent indentation,
 * no duplicate keys, printable characters only). Anything else (flow collections, anchors, aliases,
 * tags, quoted keys, multi-line plain or quoted scalars, tabs, odd indentation) gives `undefined`:
 * the caller reads the document whole, as before.
 */

/** What SortManifests reads of a document. */
export interface Head {
  apiVersion: string;
  kind: string;
  metadata?: { name: string; annotations: Record<string, string> | null };
}

/** Characters go-yaml accepts that are not line breaks: printable ASCII and most of the BMP. */
const UNSAFE_CHAR = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/u;
const KEY_LINE = /^([A-Za-z][A-Za-z0-9_./-]*|"[^"\\]*"):(?:$| +(.*)$)/;
/** yaml.v2's bool and null words: a key spelled so is not the string it looks like. */
const NOT_STRING = /^(?:y|yes|n|no|true|false|on|off|null)$/i;
const BLOCK_HEADER = /^[|>][-+]?$/;
/** A one-line plain scalar's start: no indicator (`-`, `?`, `:` only before a non-space). */
const SAFE_PLAIN = /^(?:[^-?:,[\]{}#&*!|>'"%@`\s]|[-?:][^\s])/;
/** yaml.v2's non-finite floats: JSON cannot hold them. */
const NON_FINITE = /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/;
/** A one-line double-quoted scalar with go-yaml's escapes (no surrogate `\u`). */
const DOUBLE_QUOTED = /^"((?:[^"\\]|\\(?:[0abtnvfre "/\\N_LP]|x[0-9A-Fa-f]{2}|u(?![dD][89a-fA-F])[0-9A-Fa-f]{4}))*)"$/;

/** A one-line flow sequence of double-quoted strings without escapes, as RBAC rules write them. */
const QUOTED_LIST = /^\[(?:"[^"\\]*"(?:, *"[^"\\]*")*)?\]$/;

type Scalar =
  | { kind: 'string'; value: string; plain?: boolean }
  | { kind: 'other'; plain?: boolean }
  | { kind: 'empty-map' };

/** A one-line value; `undefined` when unsure. `string` only when sigs.k8s.io/yaml gives a JSON string. */
function scalar(v: string): Scalar | undefined {
  const t = v.replace(/ +$/, '');
  if (QUOTED_LIST.test(t)) return { kind: 'other' };
  if (t === '{}') return { kind: 'empty-map' };
  if (t.startsWith('"')) {
    const m = DOUBLE_QUOTED.exec(t);
    if (!m) return undefined;
    return m[1]!.includes('\\') ? { kind: 'other' } : { kind: 'string', value: m[1]! };
  }
  if (t.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'$/.exec(t);
    return m ? { kind: 'string', value: m[1]!.replaceAll("''", "'") } : undefined;
  }
  if (!SAFE_PLAIN.test(t) || NON_FINITE.test(t)) return undefined;
  if (t.includes(': ') || t.includes(' #') || t.endsWith(':')) return undefined;
  if (/^[A-Za-z]/.test(t) && !NOT_STRING.test(t)) return { kind: 'string', value: t, plain: true };
  return { kind: 'other', plain: true };
}

interface Frame {
  indent: number;
  seq: boolean;
  keys: Set<string>;
  /** The path of this mapping from the top (`metadata`, `metadata.annotations`), or '' elsewhere. */
  path: string;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
}

/** The head of `doc`, or `undefined` when the document is outside the subset this scan proves. */
export function scanHead(doc: string): Head | undefined {
  if (UNSAFE_CHAR.test(doc)) return undefined;
  const lines = doc.split('\n');
  const top = new Map<string, Scalar>();
  const meta = new Map<string, Scalar>();
  let annotations: Record<string, string> | null | undefined;
  let metaMap = false;
  const stack: Frame[] = [];
  // After `key:` or `-` with nothing else: the indent of that key or dash, and the path of the key.
  let pending: { indent: number; fromMap: boolean; path: string } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const i = indentOf(line);
    if (i === line.length) {
      if (line.length > 0) return undefined; // spaces only: block-scalar edge cases
      continue;
    }
    let c = line.slice(i);
    if (c.startsWith('#')) continue;
    if (stack.length === 0) {
      if (i !== 0) return undefined;
      stack.push({ indent: 0, seq: false, keys: new Set(), path: '' });
    } else if (pending) {
      const isItem = c === '-' || c.startsWith('- ');
      if (i > pending.indent || (i === pending.indent && pending.fromMap && isItem)) {
        stack.push({ indent: i, seq: isItem, keys: new Set(), path: isItem ? '' : pending.path });
        if (pending.path === 'metadata' && !isItem) metaMap = true;
        if (pending.path === 'metadata.annotations' && !isItem) annotations = {};
      }
      pending = undefined;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.indent > i) stack.pop();
    let f = stack[stack.length - 1];
    if (f?.seq && f.indent === i && !(c === '-' || c.startsWith('- '))) {
      stack.pop();
      f = stack[stack.length - 1];
    }
    if (!f || f.indent !== i) return undefined;
    let col = i;
    if (f.seq) {
      if (c === '-') {
        pending = { indent: i, fromMap: false, path: '' };
        continue;
      }
      if (!c.startsWith('- ') || c[2] === ' ') return undefined;
      c = c.slice(2);
      col = i + 2;
      if (!KEY_LINE.test(c)) {
        const s = scalar(c);
        if (s === undefined) return undefined;
        if (s.kind !== 'empty-map' && s.plain) {
          const end = skipPlainContinuation(lines, n + 1, i);
          if (end < 0) return undefined;
          n = end;
        }
        continue;
      }
      f = { indent: col, seq: false, keys: new Set(), path: '' };
      stack.push(f);
    }
    const m = KEY_LINE.exec(c);
    if (!m) return undefined;
    const quoted = m[1]!.startsWith('"');
    const key = quoted ? m[1]!.slice(1, -1) : m[1]!;
    if ((!quoted && NOT_STRING.test(key)) || f.keys.has(key)) return undefined;
    f.keys.add(key);
    const path = f.path === '' && f.indent === 0 && stack.length === 1 ? key : f.path ? `${f.path}.${key}` : '';
    const value = m[2] ?? '';
    if (value === '' || value.startsWith('#')) {
      pending = {
        indent: col,
        fromMap: true,
        path: path === 'metadata' || path === 'metadata.annotations' ? path : '',
      };
      recordNull(path);
      continue;
    }
    if (BLOCK_HEADER.test(value.replace(/ +$/, ''))) {
      n = skipBlockScalar(lines, n + 1, col);
      if (n < 0) return undefined;
      recordOther(path);
      continue;
    }
    const s = scalar(value);
    if (s === undefined) return undefined;
    if (s.kind !== 'empty-map' && s.plain) {
      const end = skipPlainContinuation(lines, n + 1, col);
      if (end < 0) return undefined;
      if (end > n) {
        n = end;
        recordOther(path); // folded over lines: the full read decides what a head field holds
        continue;
      }
    }
    record(path, s);
  }
  return head();

  function record(path: string, s: Scalar): void {
    if (stack.length === 1 && stack[0]!.indent === 0 && !path.includes('.')) top.set(path, s);
    else if (path.startsWith('metadata.annotations.')) annotationValue(path.slice(21), s);
    else if (path.startsWith('metadata.') && path.indexOf('.', 9) < 0) meta.set(path.slice(9), s);
  }
  function recordNull(path: string): void {
    record(path, { kind: 'other' });
    if (path === 'metadata') top.set('metadata', { kind: 'empty-map' });
  }
  function recordOther(path: string): void {
    record(path, { kind: 'other' });
  }
  function annotationValue(key: string, s: Scalar): void {
    if (s.kind !== 'string') annotations = undefined;
    else if (annotations) annotations[key] = s.value;
  }
  function head(): Head | undefined {
    if (stack.length === 0) return undefined; // empty or comments only: the full read decides
    const str = (k: string, from: Map<string, Scalar>): string | undefined => {
      const s = from.get(k);
      if (s === undefined) return '';
      return s.kind === 'string' ? s.value : undefined;
    };
    const apiVersion = str('apiVersion', top);
    const kind = str('kind', top);
    if (apiVersion === undefined || kind === undefined) return undefined;
    if (!top.has('metadata')) return { apiVersion, kind };
    if (!metaMap) return undefined; // `metadata:` null, scalar or sequence: the full read decides
    const name = str('name', meta);
    if (name === undefined) return undefined;
    const a = meta.get('annotations');
    if (a === undefined) return { apiVersion, kind, metadata: { name, annotations: null } };
    if (a.kind === 'empty-map') return { apiVersion, kind, metadata: { name, annotations: {} } };
    if (annotations === undefined) return undefined;
    return { apiVersion, kind, metadata: { name, annotations } };
  }
}

/**
 * The line after a literal or folded block scalar whose header is on line `from - 1` (its key at
 * column `parent`), or -1 when unsure: every content line indented at least as its first.
 */
function skipBlockScalar(lines: readonly string[], from: number, parent: number): number {
  let indent = -1;
  let n = from;
  for (; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    const i = indentOf(line);
    if (i === line.length) return -1;
    if (i <= parent) break;
    if (indent < 0) indent = i;
    else if (i < indent) return -1;
  }
  return n - 1;
}

/**
 * The last line of a plain scalar that starts on line `from - 1` in a block at column `parent`
 * (continuation lines: indented deeper, nothing that could end or nest), or -1 when unsure.
 */
function skipPlainContinuation(lines: readonly string[], from: number, parent: number): number {
  let last = from - 1;
  for (let n = from; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    const i = indentOf(line);
    if (i === line.length) return -1;
    if (i <= parent) break;
    const c = line.slice(i);
    if (c.startsWith('#')) break; // a comment ends the scalar: a deeper line after it fails the scan
    // Inside a plain scalar in block context, a line may start with any indicator but `:` and `#`.
    if (c.startsWith(':') || c.includes(': ') || c.includes(' #') || /:\s*$/.test(c)) return -1;
    last = n;
  }
  return last;
}
