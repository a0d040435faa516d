/**
 * The Kubernetes list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min,
 * max, indexOf, lastIndexOf.
 */
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { compareCel, equalCel } from '../semantics.js';
import type { CelRegistrar } from './types.js';

export function registerLists(env: CelRegistrar): void {
  env.registerFunction('list<T>.isSorted(): bool', (l: unknown[]) => {
    charge(sizeCost(l.length, 1));
    for (let i = 1; i < l.length; i++) if (compareCel(l[i - 1], l[i]) > 0) return false;
    return true;
  });
  env.registerFunction('list<T>.sum(): T', (l: unknown[]) => {
    charge(sizeCost(l.length, 1));
    return sumOf(l);
  });
  env.registerFunction('list<T>.min(): T', (l: unknown[]) => extreme(l, 'min', -1));
  env.registerFunction('list<T>.max(): T', (l: unknown[]) => extreme(l, 'max', 1));
  // Named k8s_indexOf: the compiler renames every `.indexOf(` (strings ext and lists share the name).
  env.registerFunction('list.k8s_indexOf(dyn): int', (l: unknown[], x: unknown) => {
    charge(sizeCost(l.length, 1));
    return BigInt(l.findIndex((e) => equalCel(e, x)));
  });
  env.registerFunction('list.k8s_lastIndexOf(dyn): int', (l: unknown[], x: unknown) => {
    charge(sizeCost(l.length, 1));
    for (let i = l.length - 1; i >= 0; i--) if (equalCel(l[i], x)) return BigInt(i);
    return -1n;
  });
}

function extreme(l: unknown[], name: string, sign: number): unknown {
  charge(sizeCost(l.length, 1));
  if (l.length === 0) throw new CelEvalError(`${name} called on empty list`);
  let best = l[0];
  for (const e of l.slice(1)) if (compareCel(e, best) * sign > 0) best = e;
  return best;
}

function sumOf(l: unknown[]): unknown {
  if (l.length === 0) return 0n;
  let acc = l[0];
  for (const e of l.slice(1)) acc = addNumbers(acc, e);
  return acc;
}

function addNumbers(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    const r = a + b;
    if (r > 2n ** 63n - 1n || r < -(2n ** 63n)) throw new CelEvalError('integer overflow');
    return r;
  }
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const av = (a as { value?: unknown }).value;
  const bv = (b as { value?: unknown }).value;
  if (typeof av === 'bigint' && typeof bv === 'bigint') {
    const r = av + bv;
    if (r > 2n ** 64n - 1n) throw new CelEvalError('unsigned integer overflow');
    return new (a as { constructor: new (v: bigint) => unknown }).constructor(r);
  }
  if (typeof (a as { addDuration?: Function }).addDuration === 'function')
    return (a as { addDuration: Function }).addDuration(b);
  throw new CelEvalError('no such overload: sum of mixed types');
}
