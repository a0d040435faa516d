/**
 * dario.cat/mergo v1.0.1 deepMerge for map[string]interface{} (what sprig's merge and
 * mergeOverwrite call): read from merge.go's reflect.Map case, for JSON-shaped values.
 *
 * Without overwrite, a key is set from src when dst lacks it or holds an empty value (nil, "", 0,
 * false, empty map or slice); maps on both sides merge recursively. With overwrite, every non-map
 * src value (nil and empty ones included) replaces dst's. Merged-in values are shared, not copied,
 * as in Go.
 */
import { isGoMap, type GoMap, type GoValue } from '../../gotemplate/value.js';
import { empty } from './empty.js';

const MAX_DEPTH = 10000;

/** Merges `src` into `dst` in place. */
export function mergoMerge(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  for (const key of Object.keys(src)) {
    const se = src[key] ?? null;
    const has = Object.prototype.hasOwnProperty.call(dst, key);
    const de = has ? (dst[key] ?? null) : undefined;
    if (se === null) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isGoMap(se) && de !== undefined && de !== null && isGoMap(de)) {
      mergoMerge(de, se, overwrite, depth + 1);
    }
    if (de !== undefined && !empty(de)) {
      if (Array.isArray(se) || se instanceof Uint8Array) {
        if (overwrite) dst[key] = se;
        continue;
      }
      if (isGoMap(se) && isGoMap(de)) continue;
    }
    if (overwrite || de === undefined || empty(de)) dst[key] = se as GoValue;
  }
}
