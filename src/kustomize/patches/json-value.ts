/** Small helpers for plain JSON data that are safe for any key (`__proto__`, `constructor`…). */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Own property lookup: inherited members such as `constructor` do not count. */
export function hasKey(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function getKey(o: JsonObject, key: string): unknown {
  return hasKey(o, key) ? o[key] : undefined;
}

/** Sets an own, enumerable property, even for `__proto__`. */
export function setKey(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

/** A deep copy of JSON data (own enumerable keys only, `__proto__` kept as data). */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setKey(out, k, cloneValue(v[k]));
    return out as T;
  }
  return v;
}
