/**
 * Kyverno's `transform` library (github.com/kyverno/sdk extensions/cel/libs/transform):
 * `listObjToMap(keys, values, keyField, valueField)` (also `transform.listObjToMap`, since 1.18)
 * builds a map from the `keyField` of each element of the first list to the `valueField` of the
 * element at the same index of the second, with the library's error wordings.
 */
import { CelEvalError } from '../errors.js';
import { charge } from '../cost.js';
import { isCelMap, mapEntries } from '../values.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

function entryOf(v: unknown, error: string): Map<unknown, unknown> {
  if (!isCelMap(v)) throw new CelEvalError(error);
  const m = new Map(mapEntries(v));
  for (const k of m.keys()) if (typeof k !== 'string') throw new CelEvalError(error);
  return m;
}

export function listObjToMap(
  keys: readonly unknown[],
  values: readonly unknown[],
  keyName: string,
  valueName: string,
): Map<string, unknown> {
  if (keys.length !== values.length) {
    throw new CelEvalError(
      `listObjToMap must take lists of equal length. list1: ${keys.length}, list2: ${values.length}`,
    );
  }
  charge(keys.length);
  const out = new Map<string, unknown>();
  keys.forEach((entry, i) => {
    const k = entryOf(entry, 'failed to convert key to a string').get(keyName);
    if (typeof k !== 'string')
      throw new CelEvalError('the passed key name cannot be handled as a string in the key object list');
    const v = entryOf(values[i], 'object cannot be handled as a map string to any in the value object list').get(
      valueName,
    );
    // Go: a missing value field reads as nil (null).
    out.set(k, v === undefined ? null : v);
  });
  return out;
}

export function registerKyvernoTransform(env: CelRegistrar): void {
  const params = ['list<dyn>', 'list<dyn>', 'string', 'string'];
  env.registerFunction('listObjToMap(list<dyn>, list<dyn>, string, string): map<dyn, dyn>', listObjToMap);
  namespaced(env, 'transform.listObjToMap', params, 'map<dyn, dyn>', listObjToMap);
}
