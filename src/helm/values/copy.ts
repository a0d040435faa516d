/**
 * Deep copies and predicates over values maps (Helm's copystructure.Copy and istable).
 */
import { isGoMap, type GoMap, type GoValue } from '../../gotemplate/value.js';

/** True for a values table (Go's map[string]interface{}). */
export function isTable(v: GoValue | undefined): v is GoMap {
  return isGoMap(v);
}

/** A deep copy of a values tree: maps and lists are new, scalars are shared (they are immutable). */
export function deepCopy<T extends GoValue | undefined>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return out as T;
  }
  return v;
}

/** Own-key lookup (values maps are plain objects: never read through the prototype). */
export function has(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** Sets a key safely (a key named `__proto__` is an ordinary key, never the prototype). */
export function setKey(m: GoMap, k: string, v: GoValue): void {
  if (k === '__proto__')
    Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}
