/**
 * cel-go's lists extension at the version Kubernetes 1.35 enables (ext.Lists(ext.ListsVersion(3))):
 * slice, flatten, sort, lists.range, reverse, distinct. (sortBy, a macro, is not supported.)
 */
import { CelEvalError } from '../errors.js';
import { charge } from '../cost.js';
import { compareCel, equalCel } from '../semantics.js';
import { namespaced, type CelRegistrar } from './types.js';

function flatten(l: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new CelEvalError('level must be non-negative');
  const out: unknown[] = [];
  for (const e of l) {
    if (Array.isArray(e) && depth > 0n) out.push(...flatten(e, depth - 1n));
    else out.push(e);
  }
  charge(out.length);
  return out;
}

export function registerListsExt(env: CelRegistrar): void {
  env.registerFunction('list<T>.slice(int, int): list<T>', (l: unknown[], start: bigint, end: bigint) => {
    if (start < 0n || end < 0n)
      throw new CelEvalError(`cannot slice(${start}, ${end}), negative indexes not supported`);
    if (start > end)
      throw new CelEvalError(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
    if (BigInt(l.length) < end) throw new CelEvalError(`cannot slice(${start}, ${end}), list is length ${l.length}`);
    charge(Number(end - start));
    return l.slice(Number(start), Number(end));
  });
  env.registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list.flatten(int): list', flatten);
  env.registerFunction('list<T>.sort(): list<T>', (l: unknown[]) => {
    charge(l.length * Math.max(1, Math.ceil(Math.log2(l.length + 1))));
    return [...l].sort(compareCel);
  });
  env.registerFunction('list<T>.reverse(): list<T>', (l: unknown[]) => {
    charge(l.length);
    return [...l].reverse();
  });
  env.registerFunction('list<T>.distinct(): list<T>', (l: unknown[]) => {
    charge(l.length * l.length);
    const out: unknown[] = [];
    for (const e of l) if (!out.some((o) => equalCel(o, e))) out.push(e);
    return out;
  });
  namespaced(env, 'lists.range', ['int'], 'list<int>', (n: bigint) => {
    if (n > 1_000_000n) throw new CelEvalError('lists.range: too large');
    charge(Math.max(0, Number(n)));
    const out: bigint[] = [];
    for (let i = 0n; i < n; i++) out.push(i);
    return out;
  });
}
