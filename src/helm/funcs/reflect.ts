/** sprig's reflection functions (reflect.go) and Go's reflect.DeepEqual over template values. */
import {
  GoInt,
  goFunc,
  isGoFunc,
  isGoMap,
  isGoStruct,
  mapValueType,
  sliceElemType,
  type GoFunc,
  type GoValue,
} from '../../gotemplate/value.js';
import { kindName, typeName } from './go-fmt.js';

/** reflect.DeepEqual: same Go type and deeply equal contents (funcs are equal only when both nil). */
export function deepEqual(a: GoValue, b: GoValue, depth = 0): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (depth > 10000) return false;
  if (a === null || b === null) return a === b;
  if (typeName(a) !== typeName(b)) return false;
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (typeof a === 'number') return a === b;
  if (typeof a !== 'object') return a === b;
  if (a === b) return !isGoFunc(a);
  if (a instanceof Uint8Array) {
    const bb = b as Uint8Array;
    return a.length === bb.length && a.every((x, i) => x === bb[i]);
  }
  if (Array.isArray(a)) {
    const bb = b as GoValue[];
    return (
      sliceElemType(a) === sliceElemType(bb) &&
      a.length === bb.length &&
      a.every((x, i) => deepEqual(x, bb[i], depth + 1))
    );
  }
  if (isGoFunc(a)) return false;
  if (isGoStruct(a)) {
    const bs = b as typeof a;
    const ka = Object.keys(a.fields);
    return (
      ka.length === Object.keys(bs.fields).length && ka.every((k) => deepEqual(a.fields[k], bs.fields[k], depth + 1))
    );
  }
  if (isGoMap(a) && isGoMap(b)) {
    if (mapValueType(a) !== mapValueType(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k], depth + 1));
  }
  return false;
}

export const reflectFuncs: Record<string, GoFunc> = {
  typeOf: goFunc(['interface{}'], ['string'], ([v]) => typeName(v ?? null)),
  typeIs: goFunc(['string', 'interface{}'], ['bool'], ([t, v]) => t === typeName(v ?? null)),
  typeIsLike: goFunc(['string', 'interface{}'], ['bool'], ([t, v]) => {
    const n = typeName(v ?? null);
    return t === n || `*${t as string}` === n;
  }),
  kindOf: goFunc(['interface{}'], ['string'], ([v]) => kindName(v ?? null)),
  kindIs: goFunc(['string', 'interface{}'], ['bool'], ([t, v]) => t === kindName(v ?? null)),
  deepEqual: goFunc(['interface{}', 'interface{}'], ['bool'], ([a, b]) => deepEqual(a ?? null, b ?? null)),
};
