/**
 * Go types as the executor needs them: the type of a value, assignability to a parameter type,
 * zero values, and the kinds that comparisons and truth use.
 */
import { goTypeName, typeString } from './fmt.js';
import {
  GoInt,
  type GoIntKind,
  type GoType,
  type GoValue,
  isGoFunc,
  isGoMap,
  isGoStruct,
  typedMap,
  typedSlice,
} from './value.js';

/** The pseudo parameter type of builtins that take any value untouched (Go's reflect.Value). */
export const REFLECT_VALUE = 'reflect.Value';

const intKinds = new Set(['int', 'int8', 'int16', 'int32', 'int64']);
const uintKinds = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte']);

export function isInterfaceType(t: GoType): boolean {
  return t === 'interface{}' || t === 'interface {}' || t === 'any';
}
export function isIntType(t: GoType): boolean {
  return intKinds.has(t);
}
export function isUintType(t: GoType): boolean {
  return uintKinds.has(t);
}
export function isFloatType(t: GoType): boolean {
  return t === 'float64' || t === 'float32';
}

/** Go's canBeNil for a parameter type. */
export function canBeNil(t: GoType): boolean {
  return (
    isInterfaceType(t) ||
    t === REFLECT_VALUE ||
    t.startsWith('[]') ||
    t.startsWith('map[') ||
    t.startsWith('*') ||
    t.startsWith('func') ||
    t === 'error' ||
    t.startsWith('chan ')
  );
}

/** The zero value of a type (nil for interfaces and pointers). */
export function zeroOf(t: GoType): GoValue {
  if (isInterfaceType(t) || t.startsWith('*') || t.startsWith('func') || t === 'error') return null;
  if (t === 'string') return '';
  if (t === 'bool') return false;
  if (isFloatType(t)) return 0;
  if (isIntType(t) || isUintType(t)) return new GoInt(0n, (t === 'byte' ? 'uint8' : t) as GoIntKind);
  if (t.startsWith('[]')) return typedSlice([], t.slice(2));
  if (t.startsWith('map[string]')) return typedMap({}, t.slice('map[string]'.length));
  return null;
}

/** True when a (non-nil, valid) value can be passed as a parameter of type `t` without conversion. */
export function assignable(v: GoValue, t: GoType): boolean {
  if (isInterfaceType(t) || t === REFLECT_VALUE) return true;
  if (v === null || v === undefined) return false;
  // The common kinds without building type names (the same answers as the general case below).
  switch (typeof v) {
    case 'string':
      return t === 'string';
    case 'boolean':
      return t === 'bool';
    case 'number':
      return t === 'float64';
  }
  if (v instanceof GoInt) return v.kind === (t === 'byte' ? 'uint8' : t);
  return assignableByTypeName(v, t);
}

/** {@link assignable} by comparing type names, for every value (exported for its test). */
export function assignableByTypeName(v: GoValue, t: GoType): boolean {
  if (isInterfaceType(t) || t === REFLECT_VALUE) return true;
  if (v === null || v === undefined) return false;
  const vt = typeString(v);
  const want = goTypeName(t === 'byte' ? 'uint8' : t.replace(/\[\]byte/g, '[]uint8'));
  if (vt === want) return true;
  if (t === 'error' && isGoStruct(v) && v.methods?.Error !== undefined) return true;
  if (t === 'fmt.Stringer' && isGoStruct(v) && v.methods?.String !== undefined) return true;
  return false;
}

/** Go's basic kinds for comparisons. */
export type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';
export function basicKind(v: GoValue): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float';
  if (v instanceof GoInt) return v.kind.startsWith('u') ? 'uint' : 'int';
  return 'invalid';
}

/** Go's reflect Kind of a value, coarse (what comparisons of non-basic values look at). */
export function reflectKind(v: GoValue): string {
  if (v === undefined) return 'invalid';
  if (v === null) return 'interface';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (isGoFunc(v)) return 'func';
  if (isGoStruct(v)) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
  if (isGoMap(v)) return 'map';
  return basicKind(v);
}
