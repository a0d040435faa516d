/**
 * Body reordering for safety, as OPA's compiler does it (ast/compile.go, reorderBodyForSafety):
 * an expression that reads a variable another expression of the body binds runs after it, so
 * `s = concat(":", [k, v]); v = obj[k]` evaluates `v = obj[k]` first. Expressions keep their
 * written order whenever it is already safe. Nested bodies (comprehensions, `every`) are reordered
 * with the variables bound at their point.
 */
import type { Body, Expr, Term } from './ast.js';
import type { Loc } from './errors.js';

/** Variables a term reads (must be bound to evaluate it) and binds (ref path variables). */
function termVars(t: Term, reads: Set<string>, binds: Set<string>, outer: ReadonlySet<string>): void {
  switch (t.type) {
    case 'scalar':
      return;
    case 'var':
      reads.add(t.name);
      return;
    case 'ref':
      termVars(t.head, reads, binds, outer);
      for (const p of t.path) {
        if (p.type === 'var') binds.add(p.name);
        else if (p.type === 'array' || p.type === 'object') patternInto(p, binds, reads, outer);
        else termVars(p, reads, binds, outer);
      }
      return;
    case 'array':
    case 'set':
      for (const x of t.items) termVars(x, reads, binds, outer);
      return;
    case 'object':
      for (const [a, b] of t.pairs) {
        termVars(a, reads, binds, outer);
        termVars(b, reads, binds, outer);
      }
      return;
    case 'call':
      for (const a of t.args) termVars(a, reads, binds, outer);
      return;
    case 'arraycompr':
    case 'setcompr':
    case 'objectcompr': {
      // A comprehension reads the variables it shares with the enclosing body.
      const inner = new Set<string>();
      const innerBinds = new Set<string>();
      const terms = t.type === 'objectcompr' ? [t.key, t.value] : [t.term];
      for (const x of terms) termVars(x, inner, innerBinds, outer);
      for (const e of t.body) exprVars(e, inner, innerBinds, outer);
      for (const v of [...inner, ...innerBinds]) if (outer.has(v)) reads.add(v);
      return;
    }
  }
}

function patternInto(t: Term, binds: Set<string>, reads: Set<string>, outer: ReadonlySet<string>): void {
  if (t.type === 'var') binds.add(t.name);
  else if (t.type === 'array') for (const x of t.items) patternInto(x, binds, reads, outer);
  else if (t.type === 'object')
    for (const [k, v] of t.pairs) {
      termVars(k, reads, new Set(), outer);
      patternInto(v, binds, reads, outer);
    }
  else termVars(t, reads, binds, outer);
}

function exprVars(e: Expr, reads: Set<string>, binds: Set<string>, outer: ReadonlySet<string>): void {
  switch (e.kind) {
    case 'term':
      termVars(e.term, reads, binds, outer);
      break;
    case 'unify':
    case 'assign':
      termVars(e.left, reads, binds, outer);
      termVars(e.right, reads, binds, outer);
      break;
    case 'some':
      break;
    case 'somein':
      termVars(e.collection, reads, binds, outer);
      patternInto(e.value, binds, reads, outer);
      if (e.key) patternInto(e.key, binds, reads, outer);
      break;
    case 'every': {
      termVars(e.collection, reads, binds, outer);
      const inner = new Set<string>();
      const innerBinds = new Set<string>();
      for (const x of e.body) exprVars(x, inner, innerBinds, outer);
      for (const v of inner) if (v !== e.value && v !== e.key && !innerBinds.has(v)) reads.add(v);
      break;
    }
  }
  for (const w of e.withs) termVars(w.value, reads, binds, outer);
}

function isPattern(t: Term, bound: ReadonlySet<string>, isGlobal: (name: string) => boolean): boolean {
  if (t.type === 'var') return !bound.has(t.name) && !isGlobal(t.name);
  if (t.type === 'array') return t.items.some((x) => isPattern(x, bound, isGlobal));
  if (t.type === 'object') return t.pairs.some(([, v]) => isPattern(v, bound, isGlobal));
  return false;
}

function patternVarsOf(t: Term, out: Set<string>): void {
  if (t.type === 'var') out.add(t.name);
  else if (t.type === 'array') for (const x of t.items) patternVarsOf(x, out);
  else if (t.type === 'object') for (const [, v] of t.pairs) patternVarsOf(v, out);
}

interface Need {
  /** Variables that must be bound first (when some other expression binds them). */
  readonly reads: Set<string>;
  /** Variables this expression binds. */
  readonly binds: Set<string>;
}

/** What an expression needs and gives, given what is bound before it. */
function need(
  e: Expr,
  bound: ReadonlySet<string>,
  outer: ReadonlySet<string>,
  isGlobal: (name: string) => boolean,
): Need {
  const reads = new Set<string>();
  const binds = new Set<string>();
  if (e.negated) {
    exprVars(e, reads, binds, outer);
    for (const b of binds) reads.add(b);
    return { reads, binds: new Set() };
  }
  if ((e.kind === 'unify' || e.kind === 'assign') && isPattern(e.left, bound, isGlobal) && e.kind === 'assign') {
    termVars(e.right, reads, binds, outer);
    patternVarsOf(e.left, binds);
    return { reads, binds };
  }
  if (
    e.kind === 'unify' &&
    e.left.type === 'array' &&
    e.right.type === 'array' &&
    e.left.items.length === e.right.items.length
  ) {
    // Arrays unify element by element: [x, "b"] = ["a", y] binds x and y.
    const r = e.right;
    e.left.items.forEach((a, i) => {
      const n = need({ ...e, left: a, right: r.items[i]! }, bound, outer, isGlobal);
      n.reads.forEach((v) => reads.add(v));
      n.binds.forEach((v) => binds.add(v));
    });
    for (const v of binds) reads.delete(v);
    return { reads, binds };
  }
  if (e.kind === 'unify') {
    const lp = isPattern(e.left, bound, isGlobal);
    const rp = isPattern(e.right, bound, isGlobal);
    if (lp && !rp) {
      termVars(e.right, reads, binds, outer);
      patternVarsOf(e.left, binds);
      // Composite patterns may read bound parts too.
      const lr = new Set<string>();
      termVars(e.left, lr, new Set(), outer);
      for (const v of lr) if (!binds.has(v)) reads.add(v);
      return { reads, binds };
    }
    if (rp && !lp) {
      termVars(e.left, reads, binds, outer);
      patternVarsOf(e.right, binds);
      const rr = new Set<string>();
      termVars(e.right, rr, new Set(), outer);
      for (const v of rr) if (!binds.has(v)) reads.add(v);
      return { reads, binds };
    }
    if (lp && rp) {
      // Both sides have unbound variables: wait until one side is bound.
      exprVars(e, reads, binds, outer);
      return { reads, binds };
    }
  }
  exprVars(e, reads, binds, outer);
  if (e.kind === 'term' && e.term.type === 'call') {
    // A call's extra output argument binds its variables.
    // (or a pattern, e.g. split(s, ".", [x])).
    for (const a of e.term.args) {
      if (a.type === 'var' && !bound.has(a.name) && !isGlobal(a.name)) binds.add(a.name);
      else if ((a.type === 'array' || a.type === 'object') && isPattern(a, bound, isGlobal)) {
        const vs = new Set<string>();
        patternVarsOf(a, vs);
        for (const v of vs) if (!bound.has(v) && !isGlobal(v)) binds.add(v);
      }
    }
    for (const v of binds) reads.delete(v);
  }
  return { reads, binds };
}

/**
 * Reorders a body so that every expression's inputs are bound before it runs. `bound` holds the
 * variables bound on entry; `isGlobal` tells input, data, imports and rules apart.
 */
export function reorderBody(
  body: Body,
  bound: ReadonlySet<string>,
  isGlobal: (name: string) => boolean,
  unsafe: (name: string, e: Expr) => void = () => {},
): Body {
  const outer = new Set<string>();
  for (const e of body) {
    const r = new Set<string>();
    const b = new Set<string>();
    exprVars(e, r, b, new Set());
    for (const v of [...r, ...b]) outer.add(v);
  }
  const producers = new Map<string, number>();
  body.forEach((e, i) => {
    for (const v of need(e, new Set(), outer, isGlobal).binds) if (!producers.has(v)) producers.set(v, i);
  });
  const cur = new Set(bound);
  const out: Expr[] = [];
  const done = new Set<number>();
  let first = 0;
  const ready = (e: Expr, i: number): boolean => {
    const n = need(e, cur, outer, isGlobal);
    for (const v of n.reads) {
      if (cur.has(v) || isGlobal(v)) continue;
      const p = producers.get(v);
      // Read but bound elsewhere (by another expression): wait for it.
      if (p !== undefined && p !== i && !done.has(p)) return false;
    }
    return true;
  };
  while (done.size < body.length) {
    while (done.has(first)) first++;
    let pick = -1;
    for (let j = first; j < body.length; j++) {
      if (!done.has(j) && ready(body[j]!, j)) {
        pick = j;
        break;
      }
    }
    if (pick < 0) pick = first;
    done.add(pick);
    const e = body[pick]!;
    const n = need(e, cur, outer, isGlobal);
    // Safety (OPA's rego_unsafe_var_error): what an expression reads must be bound by now.
    for (const v of n.reads) if (!cur.has(v) && !n.binds.has(v) && !isGlobal(v)) unsafe(v, e);
    out.push(reorderNested(e, cur, isGlobal, unsafe));
    for (const v of n.binds) cur.add(v);
  }
  return out;
}

type Unsafe = (name: string, e: Expr) => void;

function reorderNested(e: Expr, bound: ReadonlySet<string>, isGlobal: (name: string) => boolean, unsafe: Unsafe): Expr {
  const term = (t: Term): Term => reorderTerm(t, bound, isGlobal, unsafe);
  switch (e.kind) {
    case 'term':
      return { ...e, term: term(e.term) };
    case 'unify':
    case 'assign':
      return { ...e, left: term(e.left), right: term(e.right) };
    case 'somein':
      return { ...e, collection: term(e.collection) };
    case 'every': {
      const inner = new Set(bound);
      inner.add(e.value);
      if (e.key) inner.add(e.key);
      return { ...e, collection: term(e.collection), body: reorderBody(e.body, inner, isGlobal, unsafe) };
    }
    default:
      return e;
  }
}

function reorderTerm(t: Term, bound: ReadonlySet<string>, isGlobal: (name: string) => boolean, unsafe: Unsafe): Term {
  const term = (x: Term): Term => reorderTerm(x, bound, isGlobal, unsafe);
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
      return { ...t, body: reorderBody(t.body, bound, isGlobal, unsafe) };
    case 'objectcompr':
      return { ...t, body: reorderBody(t.body, bound, isGlobal, unsafe) };
    default:
      return t;
  }
}

/** Variables of rule arguments (bound on entry to a function body). */
export function argVars(args: readonly Term[]): Set<string> {
  const out = new Set<string>();
  for (const a of args) {
    const r = new Set<string>();
    termVars(a, r, new Set(), new Set());
    for (const v of r) out.add(v);
    patternVarsOf(a, out);
  }
  return out;
}

/** Where a variable occurs in an expression (for the error's position). */
export function varLoc(e: Expr, name: string): Loc {
  let found: Loc | undefined;
  const visit = (t: Term): void => {
    if (found) return;
    switch (t.type) {
      case 'var':
        if (t.name === name) found = t.loc;
        return;
      case 'ref':
        visit(t.head);
        t.path.forEach(visit);
        return;
      case 'array':
      case 'set':
        t.items.forEach(visit);
        return;
      case 'object':
        t.pairs.forEach(([a, b]) => (visit(a), visit(b)));
        return;
      case 'call':
        t.args.forEach(visit);
        return;
      case 'arraycompr':
      case 'setcompr':
        visit(t.term);
        t.body.forEach(visitExpr);
        return;
      case 'objectcompr':
        visit(t.key);
        visit(t.value);
        t.body.forEach(visitExpr);
        return;
      default:
        return;
    }
  };
  const visitExpr = (x: Expr): void => {
    if (x.kind === 'term') visit(x.term);
    else if (x.kind === 'unify' || x.kind === 'assign') visit(x.left), visit(x.right);
    else if (x.kind === 'somein') visit(x.collection), visit(x.value), x.key && visit(x.key);
    else if (x.kind === 'every') visit(x.collection), x.body.forEach(visitExpr);
    for (const w of x.withs) visit(w.value);
  };
  visitExpr(e);
  return found ?? e.loc;
}
