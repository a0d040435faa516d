/**
 * A JMESPath interpreter with the semantics of Kyverno's fork of go-jmespath (kyverno/go-jmespath),
 * over the parser of @jmespath-community/jmespath: a field missing from an object is a NotFoundError
 * that only a plain path (`a.b[0].c`) lets escape to the top; every other construct turns it into
 * null. Functions come from a table passed in (no global registry). Depth and work are capped.
 */
import { compile } from '@jmespath-community/jmespath';
import { isMap } from '../pattern/go-values.js';

/** A field was missing from an object: `Unknown key "x" in path`. */
export class NotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
  }
}

/** Any other evaluation error (bad argument types, unknown function, syntax). */
export class JmesPathError extends Error {}

/** An expression reference passed to a function (`&field`). */
export interface ExpRef {
  readonly expref: true;
  evaluate(value: unknown): unknown;
}

/** One function of the table: receives evaluated arguments (ExpRef for `&expr`). */
export type JmesFunction = (args: unknown[]) => unknown;

export interface FunctionTable {
  readonly [name: string]: JmesFunction;
}

type Node = { type: string; [k: string]: unknown };

/** Budget of one evaluation: node visits, so that hostile expressions end. */
const MAX_STEPS = 1_000_000;
const MAX_DEPTH = 200;

const cache = new Map<string, Node>();

/** Parses once (cached); a syntax error is a JmesPathError. */
export function parseJmesPath(expression: string): Node {
  let ast = cache.get(expression);
  if (!ast) {
    try {
      ast = compile(expression) as unknown as Node;
    } catch (e) {
      throw new JmesPathError(`incorrect query ${expression}: ${(e as Error).message}`);
    }
    if (cache.size > 5000) cache.clear();
    cache.set(expression, ast);
  }
  return ast;
}

/** JMESPath falsiness: false, null, "", [], {}. */
export function isFalse(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Evaluates an expression against data; throws NotFoundError or JmesPathError. */
export function searchJmesPath(expression: string, data: unknown, functions: FunctionTable): unknown {
  const ast = parseJmesPath(expression);
  const state = { steps: 0, functions };
  return norm(exec(ast, data, state, 0));
}

function norm(v: unknown): unknown {
  return v === undefined ? null : v;
}

interface State {
  steps: number;
  readonly functions: FunctionTable;
}

/** Runs a child, turning a NotFoundError into null. */
function soft(node: Node, value: unknown, st: State, depth: number): unknown {
  try {
    return exec(node, value, st, depth);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

function exec(node: Node, value: unknown, st: State, depth: number): unknown {
  if (++st.steps > MAX_STEPS) throw new JmesPathError('JMESPath evaluation exceeded its budget');
  if (depth > MAX_DEPTH) throw new JmesPathError('JMESPath expression nested too deeply');
  const d = depth + 1;
  const left = node.left as Node;
  const right = node.right as Node;
  switch (node.type) {
    case 'Field': {
      if (isMap(value)) {
        const name = node.name as string;
        if (Object.hasOwn(value, name)) return norm(value[name]);
        throw new NotFoundError(name);
      }
      return null;
    }
    case 'Subexpression':
    case 'IndexExpression':
      return exec(right, exec(left, value, st, d), st, d);
    case 'Index': {
      if (!Array.isArray(value)) return null;
      let i = node.value as number;
      if (i < 0) i += value.length;
      return i >= 0 && i < value.length ? norm(value[i]) : null;
    }
    case 'Slice':
      return Array.isArray(value)
        ? slice(value, node.start as number | null, node.stop as number | null, node.step as number | null)
        : null;
    case 'Identity':
    case 'Current':
      return value;
    case 'Literal':
      return node.value;
    case 'Comparator': {
      const l = soft(left, value, st, d);
      const r = soft(right, value, st, d);
      switch (node.name) {
        case 'EQ':
          return jsonEqual(l, r);
        case 'NE':
          return !jsonEqual(l, r);
      }
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      switch (node.name) {
        case 'GT':
          return l > r;
        case 'GTE':
          return l >= r;
        case 'LT':
          return l < r;
        case 'LTE':
          return l <= r;
      }
      return null;
    }
    case 'Projection': {
      const base = soft(left, value, st, d);
      if (!Array.isArray(base)) return null;
      const out: unknown[] = [];
      for (const el of base) {
        const r = soft(right, el, st, d);
        if (r !== null && r !== undefined) out.push(r);
      }
      return out;
    }
    case 'ValueProjection': {
      const base = soft(left, value, st, d);
      if (!isMap(base)) return null;
      const out: unknown[] = [];
      for (const k of Object.keys(base).sort()) {
        const r = soft(right, base[k], st, d);
        if (r !== null && r !== undefined) out.push(r);
      }
      return out;
    }
    case 'FilterProjection': {
      let base: unknown;
      try {
        base = exec(left, value, st, d);
      } catch (e) {
        if (e instanceof NotFoundError) return null;
        throw e;
      }
      if (!Array.isArray(base)) return null;
      const out: unknown[] = [];
      for (const el of base) {
        if (isFalse(soft(node.condition as Node, el, st, d))) continue;
        const r = soft(right, el, st, d);
        if (r !== null && r !== undefined) out.push(r);
      }
      return out;
    }
    case 'Flatten': {
      let base: unknown;
      try {
        base = exec(node.child as Node, value, st, d);
      } catch (e) {
        if (e instanceof NotFoundError) return null;
        throw e;
      }
      if (!Array.isArray(base)) return null;
      const out: unknown[] = [];
      for (const el of base) {
        if (Array.isArray(el)) out.push(...el);
        else out.push(el);
      }
      return out;
    }
    case 'MultiSelectList':
      if (value === null || value === undefined) return null;
      return (node.children as Node[]).map((c) => soft(c, value, st, d));
    case 'MultiSelectHash': {
      if (value === null || value === undefined) return null;
      const out: Record<string, unknown> = {};
      for (const kv of node.children as Node[]) out[kv.name as string] = soft(kv.value as Node, value, st, d);
      return out;
    }
    case 'OrExpression': {
      const l = soft(left, value, st, d);
      return isFalse(l) ? soft(right, value, st, d) : l;
    }
    case 'AndExpression': {
      const l = soft(left, value, st, d);
      return isFalse(l) ? l : exec(right, value, st, d);
    }
    case 'NotExpression':
      return isFalse(soft(node.child as Node, value, st, d));
    case 'Pipe':
      return soft(right, soft(left, value, st, d), st, d);
    case 'ExpressionReference': {
      const child = node.child as Node;
      const ref: ExpRef = { expref: true, evaluate: (v) => soft(child, v, st, d) };
      return ref;
    }
    case 'Function': {
      const fn = st.functions[node.name as string];
      if (!fn) throw new JmesPathError(`unknown function: ${node.name as string}`);
      const args = (node.children as Node[]).map((c) => soft(c, value, st, d));
      return norm(fn(args));
    }
    default:
      throw new JmesPathError(`unsupported JMESPath construct: ${node.type}`);
  }
}

function slice(arr: unknown[], start: number | null, stop: number | null, step: number | null): unknown[] {
  const s = step ?? 1;
  if (s === 0) throw new JmesPathError('slice step cannot be 0');
  const len = arr.length;
  const cap = (v: number, lo: number, hi: number): number => (v < 0 ? Math.max(v + len, lo) : Math.min(v, hi));
  let a = start === null ? (s < 0 ? len - 1 : 0) : cap(start, s < 0 ? -1 : 0, s < 0 ? len - 1 : len);
  const b = stop === null ? (s < 0 ? -1 : len) : cap(stop, s < 0 ? -1 : 0, s < 0 ? len - 1 : len);
  const out: unknown[] = [];
  if (s > 0) for (; a < b; a += s) out.push(arr[a]);
  else for (; a > b; a += s) out.push(arr[a]);
  return out;
}
