/**
 * What we do to @marcbachmann/cel-js' syntax trees between parsing and evaluation: turn calls on
 * a namespace (`sets.contains(a, b)`, `lists.range(3)`, `strings.quote(s)`) into global calls named
 * `sets.contains`, and meter every node's evaluation for the cost limit.
 */
import { charge } from './cost.js';
import type { CelAstNode } from './ast-node.js';
import { COMPREHENSION_OP, comprehensionOf } from './comprehensions.js';

/** The part of cel-js' ASTNode we use (the class is not exported). */

function isNode(x: unknown): x is CelAstNode {
  return typeof x === 'object' && x !== null && typeof (x as CelAstNode).setMeta === 'function' && 'op' in x;
}

/** Every node reachable from `root`, each once (through args, alternates and macro expansions). */
export function allNodes(root: CelAstNode, limit = 200_000): CelAstNode[] {
  const seen = new Set<unknown>();
  const out: CelAstNode[] = [];
  const visit = (x: unknown, depth: number): void => {
    if (typeof x !== 'object' || x === null || seen.has(x) || depth > 1000) return;
    seen.add(x);
    if (seen.size > limit) throw new Error(`expression too large (more than ${limit} parts)`);
    if (isNode(x)) {
      out.push(x);
      visit(x.args, depth + 1);
      visit(x.meta.alternate, depth + 1);
      visit(x.meta.macro, depth + 1);
      return;
    }
    if (Array.isArray(x)) for (const e of x) visit(e, depth + 1);
    else if (Object.getPrototypeOf(x) === Object.prototype || (x as { evaluate?: unknown }).evaluate) {
      for (const v of Object.values(x)) visit(v, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

/**
 * Rewrites `ns.fn(args)` into the global call `ns.fn(args)` for the namespaces given, unless `ns`
 * is a declared variable. `callOp` is the `call` operator taken from a parsed `f()`.
 */
export function rewriteNamespacedCalls(
  root: CelAstNode,
  namespaces: ReadonlySet<string>,
  isVariable: (name: string) => boolean,
  callOp: { name: string; check: Function; evaluate: Function },
): void {
  for (const node of allNodes(root)) {
    if (node.op !== 'rcall' || node.meta.macro || node.meta.alternate) continue;
    const [method, receiver, args] = node.args as [string, CelAstNode, CelAstNode[]];
    if (!isNode(receiver) || receiver.op !== 'id') continue;
    const ns = receiver.args as string;
    if (!namespaces.has(ns) || isVariable(ns)) continue;
    node.setMeta('alternate', node.clone(callOp, [`${ns}.${method}`, args]));
  }
}

/** Renames calls of `methods` (receiver-style, and global `matches`) to our `k8s_<name>` overloads. */
export function rewriteOverriddenMethods(
  root: CelAstNode,
  methods: ReadonlySet<string>,
  functions: ReadonlySet<string>,
): void {
  for (const node of allNodes(root)) {
    if ((node.op !== 'rcall' && node.op !== 'call') || node.meta.alternate) continue;
    const args = node.args as unknown[];
    const name = args[0] as string;
    if (!(node.op === 'rcall' ? methods : functions).has(name)) continue;
    // cel-js expands orValue/or as macros; ours are plain functions, as in cel-go.
    if (node.meta.macro) {
      if (name !== 'orValue' && name !== 'or') continue;
      node.setMeta('macro', undefined);
    }
    args[0] = `k8s_${name}`;
  }
}

/**
 * Drops pairs of `!` and of unary `-` as cel-go's parser does (`!!x` is `x`, unchecked), except
 * directly over a number literal.
 */
export function collapseDoubleUnary(root: CelAstNode): void {
  for (const node of allNodes(root)) {
    if ((node.op !== '!_' && node.op !== '-_') || node.meta.alternate) continue;
    const inner = node.args as CelAstNode;
    if (!inner || inner.op !== node.op || inner.meta.alternate) continue;
    const target = inner.args as CelAstNode;
    if (node.op === '-_' && target.op === 'value') continue;
    node.setMeta('alternate', target);
  }
}

/** The operators rewriteHasOnExpressions builds with, taken from a parsed `a.?b.hasValue()`. */
export interface HasOps {
  readonly optionalSelect: { name: string; check: Function; evaluate: Function };
  readonly receiverCall: { name: string; check: Function; evaluate: Function };
}

/**
 * `has(e.f)` where `e` is not a chain of selections on a variable (`has(f(x).config.created)`):
 * cel-js refuses it, cel-go accepts it. Rewritten to `e.?f.hasValue()`, the same test of presence
 * (`e` itself is evaluated, its errors kept).
 */
export function rewriteHasOnExpressions(root: CelAstNode, ops: HasOps): void {
  for (const node of allNodes(root)) {
    if (node.op !== 'call' || !node.meta.macro || node.meta.alternate) continue;
    const [name, args] = node.args as [string, CelAstNode[]];
    if (name !== 'has' || !Array.isArray(args) || args.length !== 1) continue;
    const arg = args[0]!;
    if (!isNode(arg) || arg.op !== '.') continue;
    let inner: CelAstNode = arg;
    while (inner.op === '.' || inner.op === '.?') inner = (inner.args as [CelAstNode, string])[0];
    if (inner.op === 'id') continue;
    const [target, field] = arg.args as [CelAstNode, string];
    const select = arg.clone(ops.optionalSelect, [target, field]);
    node.setMeta('alternate', node.clone(ops.receiverCall, ['hasValue', select, []]));
  }
}

/** Rewrites the comprehensions cel-js lacks (two-variable forms, sortBy) into our own node. */
export function rewriteComprehensions(root: CelAstNode): void {
  for (const node of allNodes(root)) {
    if (node.op !== 'rcall' || node.meta.macro || node.meta.alternate) continue;
    const [method, receiver, args] = node.args as [string, CelAstNode, CelAstNode[]];
    const c = comprehensionOf(method, receiver, args);
    if (c) node.setMeta('alternate', node.clone(COMPREHENSION_OP as never, c));
  }
}

/** Makes every node's evaluation (and every macro step) charge one unit to the running meter. */
export function meterNodes(root: CelAstNode): void {
  for (const node of allNodes(root)) {
    const meta = node.meta;
    if (typeof meta.evaluate === 'function' && !(meta.evaluate as { metered?: boolean }).metered) {
      meta.evaluate = meteredFn(meta.evaluate);
    }
    const macro = meta.macro;
    if (macro && typeof macro.evaluate === 'function' && !(macro.evaluate as { metered?: boolean }).metered) {
      macro.evaluate = meteredFn(macro.evaluate);
    }
  }
}

function meteredFn(fn: Function): Function {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    charge(1);
    return fn.apply(this, args);
  };
  (wrapped as { metered?: boolean }).metered = true;
  return wrapped;
}

export type { CelAstNode } from './ast-node.js';

/** The macros whose receiver is the range of a comprehension. */
const COMPREHENSION_MACROS = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'map',
  'filter',
  'transformList',
  'transformMap',
  'transformMapEntry',
  'sortBy',
]);

/**
 * cel-go types some library results `google.protobuf.Any` (Kyverno's `http.Get`, the values of
 * `resource.List(...)`'s map): like `dyn` everywhere, except that it cannot be the range of a
 * comprehension (checker.go checkComprehension). cel-js has no such type, so the ranges are
 * checked here: `isAny(node)` says which expressions have that type. Throws at the first one.
 */
export function rejectAnyRanges(root: CelAstNode, isAny: (node: CelAstNode) => boolean): void {
  for (const node of allNodes(root)) {
    if (node.op !== 'rcall') continue;
    const [method, receiver, args] = node.args as [string, CelAstNode, unknown[]];
    if (!COMPREHENSION_MACROS.has(method) || !isNode(receiver) || !Array.isArray(args) || args.length < 2) continue;
    if (isAny(receiver)) {
      const e = new Error(
        "expression of type 'any' cannot be range of a comprehension (must be list, map, or dynamic)",
      );
      (e as unknown as { range: { start: number } }).range = { start: receiver.pos };
      throw e;
    }
  }
}

/** A receiver-style call `id.method(...)`: its method and receiver name. */
export function receiverCall(node: unknown): { method: string; receiver: string } | undefined {
  if (!isNode(node) || node.op !== 'rcall') return undefined;
  const [method, receiver] = node.args as [string, CelAstNode];
  return isNode(receiver) && receiver.op === 'id' ? { method, receiver: receiver.args as string } : undefined;
}
