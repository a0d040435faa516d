/** sprig's `empty` (defaults.go): Go zero values, empty collections, nil. */
import { GoInt, isGoFunc, isGoStruct, type GoValue } from '../../gotemplate/value.js';

/** True for nil, false, 0, "", and empty slices and maps; structs are never empty. */
export function empty(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'string') return v.length === 0;
  if (v instanceof GoInt) return v.value === 0n;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (isGoFunc(v)) return false;
  if (isGoStruct(v)) return false; // a struct, and a (non-nil) pointer to one, is never empty
  return Object.keys(v).length === 0;
}
