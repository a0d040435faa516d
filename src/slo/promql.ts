/**
 * PromQL syntax checks with the Prometheus project's own grammar (@prometheus-io/lezer-promql,
 * the parser behind the Prometheus web UI's editor). Syntax only: types (e.g. `rate` of an
 * instant vector) are left to promtool, which the SLO tests run when it is installed.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { ContentStore } from '../content-store.js';

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = NonNullable<Tree['topNode']['firstChild']>;

/** A PromQL syntax error: what, and where (0-based offset; 1-based line and column). */
export interface PromQLError {
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

function position(expr: string, offset: number): { line: number; column: number } {
  const before = expr.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

function errorAt(expr: string, offset: number, message: string): PromQLError {
  return { message, offset, ...position(expr, offset) };
}

/** The first error node of a parse tree (the tree is parsed once and walked by each check). */
function firstErrorNode(tree: Tree): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null;
  tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.type.isError) {
        found = { from: n.from, to: n.to };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses one PromQL expression. Returns null when it parses, else the first syntax error with
 * its position, e.g. `unexpected 'api' at 1:9` for `foo{job=api}`.
 */
/**
 * Verdicts by expression text: a fleet repeats the same rules on every cluster. A pure
 * function's results, never mutated (they are frozen), so sharing them is safe; bounded.
 */
const verdicts = new Map<string, PromQLError | null>();
const MAX_VERDICTS = 20_000;

export function parsePromQL(expr: string): PromQLError | null {
  const known = verdicts.get(expr);
  if (known !== undefined) return known;
  const v = parseUncached(expr);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(expr, v && Object.freeze(v));
  return v;
}

/**
 * The verdicts of a set of expressions (a cluster's PrometheusRules), kept in `store` as one entry
 * by the set's texts: a later process reads one short entry instead of parsing hundreds of
 * expressions again (the parser is most of the rule's time). Another set (one expression changed)
 * is another key: its verdicts are parsed and kept. An entry of another shape is not trusted.
 */
export function parsePromQLAll(
  exprs: readonly string[],
  store: ContentStore | undefined,
): ReadonlyMap<string, PromQLError | null> {
  const texts = [...new Set(exprs)].sort();
  const key = store && texts.length > 0 ? `promql verdicts 1\0${JSON.stringify(texts)}` : undefined;
  const hit = key === undefined ? undefined : store!.get(key);
  if (hit !== undefined) {
    const kept = keptVerdicts(hit, texts.length);
    if (kept) return new Map(texts.map((t, i) => [t, kept[i]!]));
  }
  const out = new Map(texts.map((t) => [t, parsePromQL(t)]));
  if (key !== undefined) store!.put(key, JSON.stringify([...out.values()]));
  return out;
}

function keptVerdicts(text: string, n: number): (PromQLError | null)[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const isError = (e: unknown): e is PromQLError => {
    const o = e as Record<string, unknown> | null;
    return (
      typeof o === 'object' &&
      o !== null &&
      typeof o.message === 'string' &&
      typeof o.offset === 'number' &&
      typeof o.line === 'number' &&
      typeof o.column === 'number'
    );
  };
  if (!Array.isArray(v) || v.length !== n || !v.every((e) => e === null || isError(e))) return undefined;
  return v.map((e: PromQLError | null) => e && Object.freeze({ ...e }));
}

function parseUncached(expr: string): PromQLError | null {
  if (expr.trim() === '') return errorAt(expr, 0, 'empty expression');
  const tree = parser.parse(expr);
  const bad = firstErrorNode(tree);
  if (!bad) return emptySelector(expr, tree);
  const { line, column } = position(expr, bad.from);
  const text = expr.slice(bad.from, Math.max(bad.to, bad.from + 1)).replace(/\s+$/, '');
  const what = bad.from >= expr.length || text === '' ? 'unexpected end of expression' : `unexpected '${text}'`;
  return errorAt(expr, bad.from, `${what} at ${line}:${column}`);
}

/**
 * Prometheus' parser also refuses a selector without a metric name whose matchers all match the
 * empty string (`{}`, `{a=""}`, `{a=~".*"}`): it would select every series.
 */
function emptySelector(expr: string, tree: Tree): PromQLError | null {
  let found: PromQLError | null = null;
  tree.iterate({
    enter(n) {
      if (found || n.name !== 'VectorSelector') return found ? false : undefined;
      const node = n.node;
      if (node.getChild('Identifier')) return undefined;
      const lm = node.getChild('LabelMatchers');
      const ms = lm ? matchersOf(expr, lm) : [];
      if (ms === 'has-name') return undefined;
      const selective = ms.some((m) => {
        if (m.op === '=') return m.value !== '';
        if (m.op === '!=') return m.value === '';
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${m.value})$`, 'u');
        } catch {
          return true;
        }
        return m.op === '=~' ? !re.test('') : re.test('');
      });
      if (!selective) {
        const { line, column } = position(expr, n.from);
        found = errorAt(
          expr,
          n.from,
          `vector selector must contain at least one non-empty matcher at ${line}:${column}`,
        );
      }
      return false;
    },
  });
  return found;
}

/** One label matcher of a selector. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** The value of a PromQL string literal ("..." with Go escapes, '...', or raw `...`). */
function unquote(lit: string): string {
  const q = lit[0];
  const body = lit.slice(1, -1);
  if (q === '`') return body;
  // Go and JSON escapes agree on everything a label value normally holds.
  const dq = q === "'" ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body;
  return JSON.parse(`"${dq}"`) as string;
}

/**
 * The matchers of a selector body as written in the spec (`job="api",code=~"5.."`, without the
 * braces). An empty string has none. Returns a PromQLError when it does not parse as matchers.
 */
export function parseMatchers(selector: string): LabelMatcher[] | PromQLError {
  if (selector.trim() === '') return [];
  const expr = `{${selector}}`;
  const tree = parser.parse(expr);
  const bad = firstErrorNode(tree);
  const top = tree.topNode.firstChild;
  if (
    bad ||
    !top ||
    top.name !== 'VectorSelector' ||
    top.to !== expr.length ||
    top.firstChild?.name !== 'LabelMatchers'
  ) {
    const off = Math.max(0, (bad?.from ?? 1) - 1);
    const { line, column } = position(selector, Math.min(off, selector.length));
    return {
      message: `not a list of label matchers like job="api",code=~"5.." (error at ${line}:${column})`,
      offset: off,
      line,
      column,
    };
  }
  const out = matchersOf(expr, top.firstChild);
  if (out === 'has-name') return { message: 'a metric name is not a label matcher', offset: 0, line: 1, column: 1 };
  return out;
}

/** The matchers under a LabelMatchers node; 'has-name' when one is a quoted metric name (`{"x"}`). */
function matchersOf(expr: string, labelMatchers: SyntaxNode): LabelMatcher[] | 'has-name' {
  const out: LabelMatcher[] = [];
  for (let m: SyntaxNode | null = labelMatchers.firstChild; m; m = m.nextSibling) {
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = m.firstChild!;
    const opNode = nameNode.nextSibling;
    const valNode = opNode?.nextSibling;
    if (!opNode || !valNode) return 'has-name';
    const rawName = expr.slice(nameNode.from, nameNode.to);
    out.push({
      name: nameNode.name === 'QuotedLabelName' ? unquote(rawName) : rawName,
      op: expr.slice(opNode.from, opNode.to) as LabelMatcher['op'],
      value: unquote(expr.slice(valNode.from, valNode.to)),
    });
  }
  return out;
}

export function isPromQLError(v: unknown): v is PromQLError {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as PromQLError).message === 'string';
}

/** Writes a string as a PromQL double-quoted literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Writes matchers back as a selector body (`job="api",code=~"5.."`). */
export function formatMatchers(ms: readonly LabelMatcher[]): string {
  return ms.map((m) => `${m.name}${m.op}${quote(m.value)}`).join(',');
}
