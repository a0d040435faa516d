/** Helm's JSON functions (pkg/engine/funcs.go), which replace sprig's toJson/mustToJson/fromJson. */
import { GoError, GoPanic, goFunc, isGoMap, type GoFunc, type GoMap, type GoValue } from '../../gotemplate/value.js';
import { marshalJson, unmarshalJson } from './json.js';

const kindWord = (v: GoValue): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'number'
          ? 'number'
          : typeof v === 'boolean'
            ? 'bool'
            : 'string';

export function fromJsonMap(s: string): GoMap {
  try {
    const v = unmarshalJson(s);
    if (v === null) return {};
    if (!isGoMap(v))
      throw new GoError(`json: cannot unmarshal ${kindWord(v)} into Go value of type map[string]interface {}`);
    return v;
  } catch (e) {
    if (!(e instanceof GoError)) throw e;
    return { Error: e.message };
  }
}

export function fromJsonArray(s: string): GoValue[] {
  try {
    const v = unmarshalJson(s);
    if (v === null) return [];
    if (!Array.isArray(v))
      throw new GoError(`json: cannot unmarshal ${kindWord(v)} into Go value of type []interface {}`);
    return v;
  } catch (e) {
    if (!(e instanceof GoError)) throw e;
    return [e.message];
  }
}

export const helmJsonFuncs: Record<string, GoFunc> = {
  toJson: goFunc(['interface{}'], ['string'], ([v]) => {
    try {
      return marshalJson(v ?? null);
    } catch (e) {
      if (e instanceof GoError) return '';
      throw e;
    }
  }),
  mustToJson: goFunc(['interface{}'], ['string'], ([v]) => {
    try {
      return marshalJson(v ?? null);
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  }),
  fromJson: goFunc(['string'], ['map[string]interface{}'], ([s]) => fromJsonMap(s as string)),
  fromJsonArray: goFunc(['string'], ['[]interface{}'], ([s]) => fromJsonArray(s as string)),
};
