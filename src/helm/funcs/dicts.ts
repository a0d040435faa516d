/** sprig's dict functions (dict.go): Go maps are shared and mutated in place, as in Go. */
import {
  GoPanic,
  goFunc,
  isGoMap,
  isGoStruct,
  mapValueType,
  sliceElemType,
  typedMap,
  typedSlice,
  type GoFunc,
  type GoMap,
  type GoValue,
} from '../../gotemplate/value.js';
import { byteCompare, strval, typeName } from './go-fmt.js';
import { mergoMerge } from './mergo.js';

const has = (d: GoMap, k: string): boolean => Object.prototype.hasOwnProperty.call(d, k);
const asMap = (v: GoValue): GoMap => (isGoMap(v) ? v : {});
const MAP = 'map[string]interface{}';

/** A Go type assertion `v.(map[string]interface{})` with its panic. */
function assertMap(v: GoValue): GoMap {
  if (isGoMap(v) && mapValueType(v) === 'interface{}') return v;
  throw new GoPanic(
    `interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : typeName(v)}, not ` +
      `map[string]interface {}`,
  );
}
function assertString(v: GoValue): string {
  if (typeof v === 'string') return v;
  throw new GoPanic(
    `interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : typeName(v)}, not string`,
  );
}

function digFromDict(dict: GoMap, def: GoValue, ks: string[]): GoValue {
  for (let i = 0; ; i++) {
    const k = ks[i]!;
    if (!has(dict, k)) return def;
    const step = dict[k] ?? null;
    if (i === ks.length - 1) return step;
    dict = assertMap(step);
  }
}

/** copystructure.Copy over template values (maps, slices, []byte copied; typed marks kept). */
export function deepCopy(v: GoValue, depth = 0): GoValue {
  if (depth === 0 && (v === null || v === undefined))
    throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  if (depth > 10000) throw new GoPanic('deepCopy error: value nested too deeply');
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v))
    return typedSlice(
      v.map((x) => deepCopy(x, depth + 1)),
      sliceElemType(v),
    );
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k] ?? null, depth + 1);
    return typedMap(out, mapValueType(v));
  }
  if (isGoStruct(v)) return v;
  return v ?? null;
}

function merge(overwrite: boolean, must: boolean): GoFunc {
  return goFunc(
    [MAP],
    must ? ['interface{}', 'error'] : ['interface{}'],
    (args) => {
      const dst = asMap(args[0] ?? null);
      for (const src of args.slice(1)) mergoMerge(dst, asMap(src ?? null), overwrite);
      return dst;
    },
    MAP,
  );
}

export const dictFuncs: Record<string, GoFunc> = {
  dict: goFunc(
    [],
    [MAP],
    (v) => {
      const d: GoMap = {};
      for (let i = 0; i < v.length; i += 2) d[strval(v[i] ?? null)] = i + 1 >= v.length ? '' : (v[i + 1] ?? null);
      return d;
    },
    'interface{}',
  ),
  get: goFunc([MAP, 'string'], ['interface{}'], ([d, k]) =>
    has(asMap(d ?? null), k as string) ? (asMap(d ?? null)[k as string] ?? null) : '',
  ),
  set: goFunc([MAP, 'string', 'interface{}'], [MAP], ([d, k, v]) => {
    if (d === null || d === undefined) throw new GoPanic('assignment to entry in nil map');
    const m = asMap(d);
    m[k as string] = v ?? null;
    return m;
  }),
  unset: goFunc([MAP, 'string'], [MAP], ([d, k]) => {
    const m = asMap(d ?? null);
    delete m[k as string];
    return m;
  }),
  hasKey: goFunc([MAP, 'string'], ['bool'], ([d, k]) => has(asMap(d ?? null), k as string)),
  pluck: goFunc(
    ['string'],
    ['[]interface{}'],
    ([k, ...ds]) =>
      ds
        .map((d) => asMap(d ?? null))
        .filter((d) => has(d, k as string))
        .map((d) => d[k as string] ?? null),
    MAP,
  ),
  keys: goFunc(
    [],
    ['[]string'],
    (ds) =>
      typedSlice(
        ds.flatMap((d) => Object.keys(asMap(d ?? null)).sort(byteCompare)),
        'string',
      ),
    MAP,
  ),
  values: goFunc([MAP], ['[]interface{}'], ([d]) => {
    const m = asMap(d ?? null);
    return Object.keys(m)
      .sort(byteCompare)
      .map((k) => m[k] ?? null);
  }),
  pick: goFunc(
    [MAP],
    [MAP],
    ([d, ...ks]) => {
      const m = asMap(d ?? null);
      const res: GoMap = {};
      for (const k of ks as string[]) if (has(m, k)) res[k] = m[k] ?? null;
      return res;
    },
    'string',
  ),
  omit: goFunc(
    [MAP],
    [MAP],
    ([d, ...ks]) => {
      const m = asMap(d ?? null);
      const drop = new Set(ks as string[]);
      const res: GoMap = {};
      for (const k of Object.keys(m)) if (!drop.has(k)) res[k] = m[k] ?? null;
      return res;
    },
    'string',
  ),
  merge: merge(false, false),
  mustMerge: merge(false, true),
  mergeOverwrite: merge(true, false),
  mustMergeOverwrite: merge(true, true),
  deepCopy: goFunc(['interface{}'], ['interface{}'], ([v]) => deepCopy(v ?? null)),
  mustDeepCopy: goFunc(['interface{}'], ['interface{}', 'error'], ([v]) => deepCopy(v ?? null)),
  dig: goFunc(
    [],
    ['interface{}', 'error'],
    (ps) => {
      if (ps.length < 3) throw new GoPanic('dig needs at least three arguments');
      const dict = assertMap(ps[ps.length - 1] ?? null);
      const def = ps[ps.length - 2] ?? null;
      const ks = ps.slice(0, -2).map((k) => assertString(k ?? null));
      return digFromDict(dict, def, ks);
    },
    'interface{}',
  ),
};
