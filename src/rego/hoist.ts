/**
 * OPA's compiler evaluates the operands of calls before the call (ast/compile.go,
 * rewriteExprTerms: `__localN__ = operand`), also when the expression is negated, so that
 * `not f(x.y)` with `x.y` undefined is undefined, not true (open-policy-agent/opa#1877, #4743).
 * `==` is unification there (rewriteEquals), whose reference operands stay inside the negation:
 * `not x.y == 1` with `x.y` undefined is true. Measured against opa v1.22.4:
 *   not input.x == 1 -> true          not input.x != 1 -> undefined
 *   not startswith(input.x, "a") -> undefined   not [input.x] == [1] -> undefined
 *   not input.y[input.x] -> undefined            not count(input.x) == 1 -> undefined
 * The Gatekeeper library relies on it (psp users: `not accept_value(rule, v, params.ranges)`).
 * Only negated expressions change meaning, so only they are rewritten (nested bodies included).
 */
import type { Body, Expr, Term } from './ast.js';

export function hoistBody(body: Body, counter: { n: number }): Body {
  const out: Expr[] = [];
  for (const e0 of body) {
    const e = nested(e0, counter);
    if (!e.negated) {
      out.push(e);
      continue;
    }
    const hoist = (t: Term): Term => {
      const v: Term = { type: 'var', name: `__local${counter.n++}__`, loc: t.loc };
      out.push({ kind: 'unify', left: v, right: t, negated: false, withs: e.withs, loc: e.loc });
      return v;
    };
    const deep = (t: Term): Term => {
      switch (t.type) {
        case 'ref':
        case 'call':
          return hoist(t);
        case 'array':
          return { ...t, items: t.items.map(deep) };
        case 'set':
          return { ...t, items: t.items.map(deep) };
        case 'object':
          return { ...t, pairs: t.pairs.map(([k, v]) => [deep(k), deep(v)] as const) };
        default:
          return t;
      }
    };
    const pathOf = (t: Term & { type: 'ref' }): Term => ({
      ...t,
      path: t.path.map((p) => (p.type === 'ref' || p.type === 'call' ? hoist(p) : p)),
    });
    const unifyOperand = (t: Term): Term => (t.type === 'ref' ? pathOf(t) : deep(t));
    if (e.kind === 'term' && e.term.type === 'call') {
      const isEq = e.term.op === 'equal' && e.term.args.length === 2;
      const args = e.term.args.map(isEq ? unifyOperand : deep);
      out.push({ ...e, term: { ...e.term, args } });
    } else if (e.kind === 'term' && e.term.type === 'ref') {
      out.push({ ...e, term: pathOf(e.term) });
    } else if (e.kind === 'unify') {
      out.push({ ...e, left: unifyOperand(e.left), right: unifyOperand(e.right) });
    } else out.push(e);
  }
  return out;
}

/** The expression with the bodies inside it (comprehensions, every) rewritten. */
function nested(e: Expr, counter: { n: number }): Expr {
  const term = (t: Term): Term => nestedTerm(t, counter);
  switch (e.kind) {
    case 'term':
      return { ...e, term: term(e.term) };
    case 'unify':
    case 'assign':
      return { ...e, left: term(e.left), right: term(e.right) };
    case 'somein':
      return { ...e, collection: term(e.collection) };
    case 'every':
      return { ...e, collection: term(e.collection), body: hoistBody(e.body, counter) };
    default:
      return e;
  }
}

function nestedTerm(t: Term, counter: { n: number }): Term {
  const term = (x: Term): Term => nestedTerm(x, counter);
  switch (t.type) {
    case 'ref':
      return { ...t, head: term(t.head), path: t.path.map(term) };
    case 'array':
    case 'set':
      return { ...t, items: t.items.map(term) };
    case 'object':
      return { ...t, pairs: t.pairs.map(([a, b]) => [term(a), term(b)] as const) };
    case 'call':
      return { ...t, args: t.args.map(term) };
    case 'arraycompr':
    case 'setcompr':
      return { ...t, term: term(t.term), body: hoistBody(t.body, counter) };
    case 'objectcompr':
      return { ...t, key: term(t.key), value: term(t.value), body: hoistBody(t.body, counter) };
    default:
      return t;
  }
}
