/**
 * Regular expressions with RE2 semantics through re2js (linear time, safe for untrusted
 * patterns): the Kubernetes regex library (find, findAll) and CEL's own `matches`.
 */
import { RE2JS } from 're2js';
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import type { CelRegistrar } from './types.js';

const cache = new Map<string, RE2JS>();

/** A compiled RE2 pattern (cached); throws a CEL error for a bad pattern. */
export function re2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new CelEvalError(`invalid regular expression: ${(e as Error).message}`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function registerRegex(env: CelRegistrar): void {
  env.registerFunction('string.find(string): string', (s: string, p: string) => {
    charge(sizeCost(s.length) + sizeCost(p.length));
    const m = re2(p).matcher(s);
    return m.find() ? (m.group(0) ?? '') : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

function findAll(s: string, p: string, n: bigint): string[] {
  charge(sizeCost(s.length) + sizeCost(p.length));
  const out: string[] = [];
  if (n === 0n) return out;
  const m = re2(p).matcher(s);
  while (m.find()) {
    out.push(m.group(0) ?? '');
    if (n > 0n && BigInt(out.length) >= n) break;
  }
  return out;
}

/** CEL `matches`: RE2 search anywhere in the string. */
export function matches(s: string, p: string): boolean {
  charge(sizeCost(s.length) + sizeCost(p.length));
  return re2(p).matcher(s).find();
}
