/**
 * Comprehensions cel-js does not have, as the Kubernetes environment enables them: the two-variable
 * forms of ext.TwoVarComprehensions (`all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`,
 * `transformList`, `transformMap`, `transformMapEntry`) and ext.Lists' `sortBy(e, key)`.
 * They are rewritten at compile time into a node of our own that cel-js' checker and evaluator
 * call through its operator interface (check/evaluate with cel-js' context forks).
 */
import type { CelAstNode } from './ast-node.js';
import { CelEvalError } from './errors.js';
import { compareCel, equalCel } from './semantics.js';
import { isCelMap, mapEntries, Optional } from './values.js';

interface Checker {
  check(ast: CelAstNode, ctx: Ctx): Type;
  dynType: Type;
  boolType: Type;
  registry: { getListType(t: Type): Type; getMapType(k: Type, v: Type): Type };
}
interface Evaluator {
  run(ast: CelAstNode, ctx: Ctx): unknown;
}
interface Ctx {
  forkWithVariable(name: string, type: Type): Ctx & { iterValue?: unknown };
}
type Type = { kind: string };

type Kind =
  | 'all'
  | 'exists'
  | 'existsOne'
  | 'transformList'
  | 'transformMap'
  | 'transformMapEntry'
  | 'sortBy'
  | 'optMap'
  | 'optFlatMap';

interface Args {
  readonly kind: Kind;
  readonly receiver: CelAstNode;
  readonly vars: readonly string[];
  readonly filter?: CelAstNode;
  readonly body: CelAstNode;
}

const TWO_VAR: Record<string, Kind> = {
  all: 'all',
  exists: 'exists',
  existsOne: 'existsOne',
  exists_one: 'existsOne',
  transformList: 'transformList',
  transformMap: 'transformMap',
  transformMapEntry: 'transformMapEntry',
};

/** The comprehension a call node stands for, or undefined. */
export function comprehensionOf(method: string, receiver: CelAstNode, args: readonly CelAstNode[]): Args | undefined {
  const ids = (n: number): string[] | undefined => {
    const names = args.slice(0, n).map((a) => (a.op === 'id' ? (a.args as string) : undefined));
    return names.every((x) => x !== undefined) ? (names as string[]) : undefined;
  };
  if ((method === 'sortBy' || method === 'optMap' || method === 'optFlatMap') && args.length === 2) {
    const vars = ids(1);
    return vars && { kind: method, receiver, vars, body: args[1] };
  }
  const kind = TWO_VAR[method];
  if (!kind) return undefined;
  const filterable = kind.startsWith('transform');
  if (args.length === 3 || (filterable && args.length === 4)) {
    const vars = ids(2);
    if (!vars) return undefined;
    return { kind, receiver, vars, filter: args.length === 4 ? args[2] : undefined, body: args[args.length - 1] };
  }
  return undefined;
}

function entriesOf(value: unknown, kind: Kind): [unknown, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [BigInt(i), v]);
  if (isCelMap(value) && kind !== 'sortBy') return mapEntries(value);
  throw new CelEvalError(`${kind}: cannot iterate over this value`);
}

/** The operator object cel-js calls for our comprehension nodes. */
export const COMPREHENSION_OP = {
  name: 'comprehension2',
  check(chk: Checker, ast: CelAstNode, ctx: Ctx): Type {
    const a = ast.args as Args;
    chk.check(a.receiver, ctx);
    let inner = ctx;
    for (const v of a.vars) inner = inner.forkWithVariable(v, chk.dynType);
    if (a.filter) chk.check(a.filter, inner);
    chk.check(a.body, inner);
    switch (a.kind) {
      case 'all':
      case 'exists':
      case 'existsOne':
        return chk.boolType;
      case 'transformList':
      case 'sortBy':
        return chk.registry.getListType(chk.dynType);
      case 'optMap':
      case 'optFlatMap':
        return chk.dynType;
      default:
        return chk.registry.getMapType(chk.dynType, chk.dynType);
    }
  },
  evaluate(ev: Evaluator, ast: CelAstNode, ctx: Ctx): unknown {
    const a = ast.args as Args;
    const received = ev.run(a.receiver, ctx);
    if (a.kind === 'optMap' || a.kind === 'optFlatMap') {
      if (!(received instanceof Optional)) throw new CelEvalError(`${a.kind}: the receiver must be an optional`);
      if (!received.hasValue()) return Optional.none();
      const c = ctx.forkWithVariable(a.vars[0], { kind: 'dyn' });
      c.iterValue = received.value();
      const r = ev.run(a.body, c);
      if (a.kind === 'optMap') return Optional.of(r);
      if (!(r instanceof Optional)) throw new CelEvalError('optFlatMap: the function must return an optional');
      return r;
    }
    const entries = entriesOf(received, a.kind);
    const scope = (k: unknown, v: unknown): Ctx => {
      if (a.vars.length === 1) {
        const c = ctx.forkWithVariable(a.vars[0], { kind: 'dyn' });
        c.iterValue = v;
        return c;
      }
      const c1 = ctx.forkWithVariable(a.vars[0], { kind: 'dyn' });
      c1.iterValue = k;
      const c2 = c1.forkWithVariable(a.vars[1], { kind: 'dyn' });
      c2.iterValue = v;
      return c2;
    };
    const truth = (node: CelAstNode, c: Ctx): boolean => {
      const r = ev.run(node, c);
      if (typeof r !== 'boolean') throw new CelEvalError('no such overload: predicate must return bool');
      return r;
    };
    switch (a.kind) {
      case 'all':
      case 'exists': {
        const want = a.kind === 'exists';
        let error: unknown;
        for (const [k, v] of entries) {
          try {
            if (truth(a.body, scope(k, v)) === want) return want;
          } catch (e) {
            error ??= e;
          }
        }
        if (error) throw error;
        return !want;
      }
      case 'existsOne': {
        let n = 0;
        for (const [k, v] of entries) if (truth(a.body, scope(k, v))) n++;
        return n === 1;
      }
      case 'transformList': {
        const out: unknown[] = [];
        for (const [k, v] of entries) {
          const c = scope(k, v);
          if (a.filter && !truth(a.filter, c)) continue;
          out.push(ev.run(a.body, c));
        }
        return out;
      }
      case 'transformMap': {
        const out = new Map<unknown, unknown>();
        for (const [k, v] of entries) {
          const c = scope(k, v);
          if (a.filter && !truth(a.filter, c)) continue;
          out.set(k, ev.run(a.body, c));
        }
        return out;
      }
      case 'transformMapEntry': {
        const out = new Map<unknown, unknown>();
        for (const [k, v] of entries) {
          const c = scope(k, v);
          if (a.filter && !truth(a.filter, c)) continue;
          const entry = ev.run(a.body, c);
          if (!isCelMap(entry)) throw new CelEvalError('transformMapEntry: the transform must return a map');
          for (const [ek, ev2] of mapEntries(entry)) {
            if ([...out.keys()].some((x) => equalCel(x, ek)))
              throw new CelEvalError(`insert failed: key ${String(ek)} already exists`);
            out.set(ek, ev2);
          }
        }
        return out;
      }
      case 'sortBy': {
        const keyed = entries.map(([k, v]) => ({ v, key: ev.run(a.body, scope(k, v)) }));
        keyed.sort((x, y) => compareCel(x.key, y.key));
        return keyed.map((x) => x.v);
      }
    }
  },
};
