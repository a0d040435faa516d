/**
 * sprig's defaults and flow functions (defaults.go: default, empty, coalesce, all, any, ternary,
 * the JSON helpers) and `fail` / `required` as Helm's engine overrides them.
 */
import { GoError, GoPanic, goFunc, type GoFunc } from '../../gotemplate/value.js';
import { empty } from './empty.js';
import { marshalJson, unmarshalJson } from './json.js';

const I = 'interface{}';

/** Helm wraps `fail` and `required` messages so its error formatter can find them. */
export const warnWrap = (msg: string): string => `HELM_ERR_START${msg}HELM_ERR_END`;

/** `must`-less JSON marshal: the error swallowed into "". */
const orEmpty = (f: () => string): string => {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) return '';
    throw e;
  }
};

export const flowFuncs: Record<string, GoFunc> = {
  default: goFunc(
    [I],
    [I],
    ([d, ...given]) => (given.length === 0 || empty(given[0] ?? null) ? (d ?? null) : (given[0] ?? null)),
    I,
  ),
  empty: goFunc([I], ['bool'], ([v]) => empty(v ?? null)),
  coalesce: goFunc([], [I], (vs) => vs.find((v) => !empty(v ?? null)) ?? null, I),
  all: goFunc([], ['bool'], (vs) => vs.every((v) => !empty(v ?? null)), I),
  any: goFunc([], ['bool'], (vs) => vs.some((v) => !empty(v ?? null)), I),
  ternary: goFunc([I, I, 'bool'], [I], ([t, f, c]) => (c ? (t ?? null) : (f ?? null))),
  fromJson: goFunc(['string'], [I], ([s]) => {
    try {
      return unmarshalJson(s as string);
    } catch (e) {
      if (e instanceof GoError) return null;
      throw e;
    }
  }),
  mustFromJson: goFunc(['string'], [I, 'error'], ([s]) => unmarshalJson(s as string)),
  toJson: goFunc([I], ['string'], ([v]) => orEmpty(() => marshalJson(v ?? null))),
  mustToJson: goFunc([I], ['string', 'error'], ([v]) => marshalJson(v ?? null)),
  toPrettyJson: goFunc([I], ['string'], ([v]) => orEmpty(() => marshalJson(v ?? null, { indent: '  ' }))),
  mustToPrettyJson: goFunc([I], ['string', 'error'], ([v]) => marshalJson(v ?? null, { indent: '  ' })),
  toRawJson: goFunc([I], ['string'], ([v]) => {
    try {
      return marshalJson(v ?? null, { escapeHTML: false });
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  }),
  mustToRawJson: goFunc([I], ['string', 'error'], ([v]) => marshalJson(v ?? null, { escapeHTML: false })),
  fail: goFunc(['string'], ['string', 'error'], ([msg]) => {
    throw new GoError(warnWrap(msg as string));
  }),
  required: goFunc(['string', I], [I, 'error'], ([warn, val]) => {
    if (val === null || val === undefined || val === '') throw new GoError(warnWrap(warn as string));
    return val;
  }),
};
