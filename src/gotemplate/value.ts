/**
 * The Go values a template sees, as TypeScript values. This is the contract between the template
 * engine (src/gotemplate), the function libraries (src/helm/funcs: sprig and Helm's own) and the
 * chart renderer (src/helm): all three read and produce values of this shape and nothing else.
 *
 * | Go                                   | here                                                     |
 * |--------------------------------------|----------------------------------------------------------|
 * | nil (an interface holding nothing)   | `null`                                                   |
 * | a missing map key / zero Value       | `undefined` (prints `<no value>`)                        |
 * | bool                                 | `boolean`                                                |
 * | string                               | `string`                                                 |
 * | float64 (every number from YAML/JSON)| `number`                                                 |
 * | int, int64, uint8, ...               | {@link GoInt} (value as bigint, and its Go kind)         |
 * | []interface{} and other slices       | `GoValue[]` (elem type in {@link sliceElemType}, default interface{}) |
 * | map[string]interface{} (and other string-keyed maps) | a plain object (prototype Object.prototype or null) |
 * | []byte                               | `Uint8Array`                                             |
 * | a function value                     | {@link GoFunc}                                           |
 * | a named map or slice type with methods (.Files, .Capabilities.APIVersions) | the map or slice, marked by {@link namedType} |
 * | anything else Go-typed (e.g. a struct like .Chart, .Release) | {@link GoStruct} |
 *
 * Values from chart values files are JSON-shaped (Helm reads them through sigs.k8s.io/yaml, so every
 * number is a float64 here too); `--set` produces int64 ({@link GoInt} kind 'int64').
 */

/** Go's integer kinds that matter to templates (printing, %T, comparisons, function parameters). */
export type GoIntKind =
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr';

/** A Go integer. Immutable. */
export class GoInt {
  constructor(
    readonly value: bigint,
    readonly kind: GoIntKind = 'int',
  ) {}
  static of(n: number | bigint, kind: GoIntKind = 'int'): GoInt {
    return new GoInt(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)), kind);
  }
  toString(): string {
    return this.value.toString();
  }
}

/**
 * A Go struct or other named type that templates reach by field or method name (`.Release.Name`,
 * `.Files.Get`). `fields` holds field values; `methods` holds methods callable as `.X.Method args`.
 * `typeName` is what `%T` / `typeOf` print (e.g. `chart.Metadata`, `*chart.Metadata`).
 */
export interface GoStruct {
  readonly [GO_STRUCT]: true;
  readonly typeName: string;
  readonly fields: Readonly<Record<string, GoValue>>;
  readonly methods?: Readonly<Record<string, GoFunc>>;
}
export const GO_STRUCT: unique symbol = Symbol('GoStruct');

/**
 * The Go type of a function parameter or result, as Go spells it (`interface{}`, `string`, `int`, `[]interface{}`,
 * ...).
 */
export type GoType = string;

/**
 * A function callable from a template (a FuncMap entry, a method, or a value passed to `call`).
 * Mirrors a Go function's signature so that the executor converts and checks arguments as
 * text/template does (untyped constants to the parameter type, "wrong type for value" errors).
 */
export interface GoFunc {
  readonly [GO_FUNC]: true;
  /** Fixed parameter types, in order. */
  readonly params: readonly GoType[];
  /** When set, the function is variadic and this is the element type of its last `...` parameter. */
  readonly variadic?: GoType;
  /** Go result types: one value, or a value and `error` (`['string', 'error']`). */
  readonly results: readonly GoType[];
  /**
   * Calls the function. A Go error result is a thrown {@link GoError}; the executor turns it into
   * `template: NAME:LINE:COL: executing "NAME" at <fn>: error calling fn: MESSAGE`. A Go panic is a
   * thrown {@link GoPanic}.
   */
  readonly call: (args: GoValue[]) => GoValue;
}
export const GO_FUNC: unique symbol = Symbol('GoFunc');

export type GoValue =
  | null
  | undefined
  | boolean
  | string
  | number
  | GoInt
  | Uint8Array
  | GoValue[]
  | GoMap
  | GoStruct
  | GoFunc;

/** A Go map with string keys. A plain object; ranging and printing sort keys as Go does. */
export interface GoMap {
  [key: string]: GoValue;
}

/** An error a Go function returned (its message is the Go error's Error()). */
export class GoError extends Error {
  override name = 'GoError';
}
/** A Go panic inside a function (text/template recovers it as an error, e.g. "error calling X: ..."). */
export class GoPanic extends Error {
  override name = 'GoPanic';
}

const sliceTypes = new WeakMap<GoValue[], GoType>();
/** Marks an array as a typed Go slice (e.g. `[]string` from splitList). Returns the array. */
export function typedSlice<T extends GoValue[]>(arr: T, elemType: GoType): T {
  if (elemType !== 'interface{}') sliceTypes.set(arr, elemType);
  return arr;
}
/** The element type of a Go slice: `interface{}` unless {@link typedSlice} said otherwise. */
export function sliceElemType(arr: GoValue[]): GoType {
  return sliceTypes.get(arr) ?? 'interface{}';
}

const mapTypes = new WeakMap<object, GoType>();
/** Marks a plain object as a typed Go map (e.g. `map[string]string` from sprig's split). Returns it. */
export function typedMap<T extends GoMap>(m: T, valueType: GoType): T {
  if (valueType !== 'interface{}') mapTypes.set(m, valueType);
  return m;
}
/** The value type of a Go map: `interface{}` unless {@link typedMap} said otherwise. */
export function mapValueType(m: GoMap): GoType {
  return mapTypes.get(m) ?? 'interface{}';
}

/**
 * A Go named type over a map or a slice, with methods: Helm's `engine.files` (a
 * `map[string][]byte` with Get, Glob, AsConfig...) and `common.VersionSet` (a `[]string` with
 * Has). Templates call its methods (`.Files.Get`), and range, index, len, toJson and printf see
 * the map or slice underneath, as in Go.
 */
export interface NamedType {
  /** What `%T` / `typeOf` print. */
  readonly typeName: string;
  readonly methods: Readonly<Record<string, GoFunc>>;
}
const namedTypes = new WeakMap<object, NamedType>();
/** Marks a map or slice as a value of a Go named type with methods. Returns it. */
export function namedType<T extends GoMap | GoValue[]>(
  v: T,
  typeName: string,
  methods: Readonly<Record<string, GoFunc>>,
): T {
  namedTypes.set(v, { typeName, methods });
  return v;
}
/** The named type of a map or slice marked by {@link namedType}. */
export function namedTypeOf(v: GoValue): NamedType | undefined {
  return typeof v === 'object' && v !== null ? namedTypes.get(v) : undefined;
}

/** Builds a {@link GoFunc}. */
export function goFunc(
  params: readonly GoType[],
  results: readonly GoType[],
  call: (args: GoValue[]) => GoValue,
  variadic?: GoType,
): GoFunc {
  return { [GO_FUNC]: true, params, results, call, ...(variadic !== undefined ? { variadic } : {}) };
}

export function isGoFunc(v: unknown): v is GoFunc {
  return typeof v === 'object' && v !== null && (v as { [GO_FUNC]?: true })[GO_FUNC] === true;
}
export function isGoStruct(v: unknown): v is GoStruct {
  return typeof v === 'object' && v !== null && (v as { [GO_STRUCT]?: true })[GO_STRUCT] === true;
}
/** True for a plain object standing for a Go map. */
export function isGoMap(v: unknown): v is GoMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || v instanceof GoInt)
    return false;
  if (isGoFunc(v) || isGoStruct(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
