/**
 * sprig's list functions (list.go): each returns a new []interface{}; the must* variants return the error that the
 * others panic with.
 */
import {
  GoError,
  GoInt,
  GoPanic,
  goFunc,
  sliceElemType,
  typedSlice,
  type GoFunc,
  type GoValue,
} from '../../gotemplate/value.js';
import { toInt64 } from './cast.js';
import { byteCompare, kindName, strval } from './go-fmt.js';
import { empty } from './empty.js';
import { deepEqual } from './reflect.js';
import { strslice } from './strings.js';

/** The elements of a Go slice or array, or undefined when `v` is not one. */
export function sliceItems(v: GoValue): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoInt(BigInt(b), 'uint8'));
  return undefined;
}

/** reflect.TypeOf(nil).Kind(): Go dereferences a nil Type and panics. */
function kindOrPanic(v: GoValue): string {
  if (v === null || v === undefined)
    throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
  return kindName(v);
}

/** Declares `name` (panicking) and `mustName` (returning the error) from one implementation. */
function pair(
  name: string,
  params: string[],
  result: string,
  impl: (args: GoValue[]) => GoValue,
  variadic?: string,
): Record<string, GoFunc> {
  const must = name.startsWith('must') ? name : `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  return {
    [name]: goFunc(
      params,
      [result],
      (args) => {
        try {
          return impl(args);
        } catch (e) {
          if (e instanceof GoError) throw new GoPanic(e.message);
          throw e;
        }
      },
      variadic,
    ),
    [must]: goFunc(params, [result, 'error'], impl, variadic),
  };
}

/** A list function over a slice argument: errors as sprig words them for other kinds. */
function onSlice(
  what: string,
  f: (items: GoValue[], args: GoValue[]) => GoValue,
  at = 0,
): (args: GoValue[]) => GoValue {
  return (args) => {
    const v = args[at] ?? null;
    const k = kindOrPanic(v);
    const items = sliceItems(v);
    if (!items) throw new GoError(`${what} ${k}`);
    return f(items, args);
  };
}

const inList = (hay: GoValue[], needle: GoValue): boolean => hay.some((h) => deepEqual(needle, h));

/** sprig's mustSlice: Go's reflect Slice(start, end) with its panics. */
function sliceOf(items: GoValue[], v: GoValue, indices: GoValue[]): GoValue {
  if (items.length === 0) return null;
  const start = indices.length > 0 ? Number(toIntLike(indices[0]!)) : 0;
  const end = indices.length < 2 ? items.length : Number(toIntLike(indices[1]!));
  if (start < 0 || end < start || end > items.length)
    throw new GoPanic('reflect.Value.Slice: slice index out of bounds');
  if (v instanceof Uint8Array) return v.slice(start, end);
  return typedSlice(items.slice(start, end), sliceElemType(v as GoValue[]));
}
const toIntLike = (v: GoValue): bigint => toInt64(v);

/** sprig's chunk. */
function chunk(size: number, items: GoValue[]): GoValue[] {
  const l = items.length;
  // Go: int(math.Floor(float64(l-1)/float64(size)) + 1); NaN and -Inf convert to MinInt64.
  const f = Math.floor((l - 1) / size) + 1;
  const cs = Number.isFinite(f) ? f : -1;
  if (cs < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  const out: GoValue[] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = Math.floor(l % size);
      if (clen === 0) clen = size;
    }
    if (clen < 0) throw new GoPanic('runtime error: makeslice: len out of range');
    const c: GoValue[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= l || ix < 0) throw new GoPanic(`reflect: slice index out of range`);
      c.push(items[ix]!);
    }
    out.push(c);
  }
  return typedSlice(out, '[]interface{}');
}

export const listFuncs: Record<string, GoFunc> = {
  list: goFunc([], ['[]interface{}'], (args) => [...args.map((a) => a ?? null)], 'interface{}'),
  tuple: goFunc([], ['[]interface{}'], (args) => [...args.map((a) => a ?? null)], 'interface{}'),
  ...pair(
    'push',
    ['interface{}', 'interface{}'],
    '[]interface{}',
    onSlice('Cannot push on type', (it, a) => [...it, a[1] ?? null]),
  ),
  ...pair(
    'append',
    ['interface{}', 'interface{}'],
    '[]interface{}',
    onSlice('Cannot push on type', (it, a) => [...it, a[1] ?? null]),
  ),
  ...pair(
    'prepend',
    ['interface{}', 'interface{}'],
    '[]interface{}',
    onSlice('Cannot prepend on type', (it, a) => [a[1] ?? null, ...it]),
  ),
  ...pair(
    'first',
    ['interface{}'],
    'interface{}',
    onSlice('Cannot find first on type', (it) => (it.length === 0 ? null : it[0]!)),
  ),
  ...pair(
    'last',
    ['interface{}'],
    'interface{}',
    onSlice('Cannot find last on type', (it) => (it.length === 0 ? null : it[it.length - 1]!)),
  ),
  ...pair(
    'rest',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot find rest on type', (it) => it.slice(1)),
  ),
  ...pair(
    'initial',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot find initial on type', (it) => it.slice(0, -1)),
  ),
  ...pair(
    'reverse',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot find reverse on type', (it) => [...it].reverse()),
  ),
  ...pair(
    'compact',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot compact on type', (it) => it.filter((x) => !empty(x))),
  ),
  ...pair(
    'uniq',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot find uniq on type', (it) =>
      it.reduce<GoValue[]>((d, x) => {
        if (!inList(d, x)) d.push(x);
        return d;
      }, []),
    ),
  ),
  ...pair(
    'without',
    ['interface{}'],
    '[]interface{}',
    onSlice('Cannot find without on type', (it, a) =>
      it.filter(
        (x) =>
          !inList(
            a.slice(1).map((o) => o ?? null),
            x,
          ),
      ),
    ),
    'interface{}',
  ),
  ...pair('has', ['interface{}', 'interface{}'], 'bool', (a) => {
    const hay = a[1] ?? null;
    if (hay === null) return false;
    const items = sliceItems(hay);
    if (!items) throw new GoError(`Cannot find has on type ${kindName(hay)}`);
    return items.some((x) => deepEqual(a[0] ?? null, x));
  }),
  ...pair(
    'slice',
    ['interface{}'],
    'interface{}',
    (a) => {
      const v = a[0] ?? null;
      const k = kindOrPanic(v);
      const items = sliceItems(v);
      if (!items) throw new GoError(`list should be type of slice or array but ${k}`);
      return sliceOf(items, v, a.slice(1));
    },
    'interface{}',
  ),
  ...pair('chunk', ['int', 'interface{}'], '[][]interface{}', (a) => {
    const v = a[1] ?? null;
    const k = kindOrPanic(v);
    const items = sliceItems(v);
    if (!items) throw new GoError(`Cannot chunk type ${k}`);
    return chunk(Number(toInt64(a[0] ?? null)), items);
  }),
  concat: goFunc(
    [],
    ['interface{}'],
    (lists) => {
      const res: GoValue[] = [];
      for (const l of lists) {
        const k = kindOrPanic(l ?? null);
        const items = sliceItems(l ?? null);
        if (!items) throw new GoPanic(`Cannot concat type ${k} as list`);
        res.push(...items);
      }
      return res;
    },
    'interface{}',
  ),
  sortAlpha: goFunc(['interface{}'], ['[]string'], ([v]) => {
    const x = v ?? null;
    if (Array.isArray(x) || x instanceof Uint8Array) return typedSlice([...strslice(x)].sort(byteCompare), 'string');
    return typedSlice([strval(x)], 'string');
  }),
};
