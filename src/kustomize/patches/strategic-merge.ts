/**
 * Strategic merge patch with kustomize's semantics: kyaml `merge2.Merge(patch, resource,
 * {ListIncreaseDirection: Prepend})`, the walk in `kyaml/yaml/walk`, *not* apimachinery's
 * strategicpatch. Facts (../shared/docs/kustomize-flux-semantics.md §2, corrected where kubectl disagreed), all checked
 * against kustomize v5.8.1 (and v5.7.1, v5.5.0, which merge alike) by the tests beside this file:
 *
 * - a list is merged by key only when the built-in v1.21.2 schema gives it the `merge` strategy
 *   (see openapi-schema.ts); every other list, and every list of a kind without a schema (CRDs),
 *   is replaced by the patch's list; maps are merged recursively;
 * - keys come from `x-kubernetes-list-map-keys` when present (ports: containerPort+protocol),
 *   else the patch merge key; a strategy without a key merges primitive values (finalizers);
 * - order: single-key lists come out in the patch's key order followed by the resource-only
 *   elements (so a patched container moves to the front); multi-key lists (ports) put new
 *   elements first and keep the resource's order for the rest; primitive lists: patch values
 *   first, then the resource's others;
 * - `$patch: delete|replace|merge` on maps and as list elements of merge-keyed lists (in lists
 *   that are replaced they stay literal); `null` clears a field; a top-level `$patch: replace`
 *   leaves the resource as it was (kustomize keeps its own node, merged in place);
 * - a patched scalar takes the quoting of the value it replaces (see keepQuotedStyle);
 * - even parts the patch does not reach are walked: duplicate or key-less items of merge-keyed
 *   lists and duplicate primitive values are collapsed as kyaml does;
 * - `$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…` are plain fields.
 *
 * The algorithm works on a small mutable node tree (a deep copy of both inputs) because kyaml's
 * result depends on in-place updates and on the patch being walked against itself where the
 * resource has nothing; inputs are never mutated.
 */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { setKey } from './json-value.js';
import { elementSchema, fieldSchema, isAssociative, schemaForKind, type Schema } from './openapi-schema.js';

type Scalar = string | number | boolean | bigint | null;
interface Field {
  key: string;
  value: Node;
}
/** A YAML node. Mutable on purpose: the algorithm updates nodes in place, like kyaml. */
type Node =
  | { kind: 'map'; fields: Field[] }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'scalar'; value: Scalar; keep?: boolean };
type MapNode = Extract<Node, { kind: 'map' }>;
type SeqNode = Extract<Node, { kind: 'seq' }>;

const PATCH_KEY = '$patch';
type Directive = 'merge' | 'delete' | 'replace';

/** Thrown inside the walk; turned into an InputError with the field path by the caller. */
class MergeFailure extends Error {
  /** The field path where it happened (set by the innermost walk that sees it). */
  path?: string;
}

// ---- conversion -----------------------------------------------------------------------------

function toNode(v: unknown): Node {
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(toNode) };
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    return {
      kind: 'map',
      fields: Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: toNode(value) })),
    };
  }
  if (v === undefined) return { kind: 'scalar', value: null };
  // a timestamp as Go's time.Time marshals it (RFC 3339, no zero fraction)
  if (v instanceof Date) return { kind: 'scalar', value: v.toISOString().replace('.000Z', 'Z') };
  return { kind: 'scalar', value: v as Scalar };
}

function fromNode(n: Node): unknown {
  switch (n.kind) {
    case 'seq':
      return n.items.map(fromNode);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const f of n.fields) setKey(o, f.key, fromNode(f.value));
      return o;
    }
    case 'scalar':
      return n.value;
  }
}

// ---- kyaml node predicates ------------------------------------------------------------------

/** `yaml.IsMissingOrNull`: absent, or a null scalar. */
function isMissingOrNull(n: Node | undefined): n is undefined | { kind: 'scalar'; value: null } {
  return n === undefined || (n.kind === 'scalar' && n.value === null);
}
function isTaggedNull(n: Node | undefined): boolean {
  return n !== undefined && n.kind === 'scalar' && n.value === null;
}
function isEmptyMap(n: Node | undefined): boolean {
  return isMissingOrNull(n) || (n.kind === 'map' && n.fields.length === 0);
}
/** `IsNilOrEmpty`: absent, null, empty map or empty list. */
function isNilOrEmpty(n: Node | undefined): boolean {
  return (
    isMissingOrNull(n) || (n.kind === 'map' && n.fields.length === 0) || (n.kind === 'seq' && n.items.length === 0)
  );
}
/** The scalar text of a node (`yaml.Node.Value`): empty for maps and lists. */
function text(n: Node | undefined): string {
  if (n === undefined || n.kind !== 'scalar') return '';
  return n.value === null ? '' : String(n.value);
}
function getField(m: Node | undefined, key: string): Node | undefined {
  if (m === undefined || m.kind !== 'map') return undefined;
  return m.fields.find((f) => f.key === key)?.value;
}
function clearField(m: MapNode, key: string): void {
  const i = m.fields.findIndex((f) => f.key === key);
  if (i >= 0) m.fields.splice(i, 1);
}
function describe(n: Node): string {
  return n.kind === 'map' ? 'a map' : n.kind === 'seq' ? 'a list' : 'a scalar';
}

// ---- directives -----------------------------------------------------------------------------

function parseDirective(v: string): Directive {
  if (v === 'delete' || v === 'replace' || v === 'merge') return v;
  throw new MergeFailure(`unknown patch strategy '${v}'`);
}

/** `determineSmpDirective`: reads and removes a `$patch` directive from a patch node. */
function takeDirective(patch: Node | undefined): Directive {
  if (patch === undefined) return 'merge';
  if (patch.kind === 'map') {
    const v = getField(patch, PATCH_KEY);
    if (v === undefined) return 'merge';
    const d = parseDirective(text(v));
    clearField(patch, PATCH_KEY);
    return d;
  }
  if (patch.kind === 'seq') {
    // the first map element that has `$patch`; it is a list directive only when it has no other field
    const el = patch.items.find((e) => e.kind === 'map' && getField(e, PATCH_KEY) !== undefined) as MapNode | undefined;
    if (el === undefined || el.fields.length > 1) return 'merge';
    const v = text(getField(el, PATCH_KEY));
    const d = parseDirective(v);
    setElement(patch, undefined, [PATCH_KEY], [v]);
    return d;
  }
  throw new MergeFailure(`no strategic merge patch strategy for a scalar`);
}

// ---- element matching (kyaml ElementSetter / ElementMatcher) --------------------------------

/** `FieldMatcher{Name, StringValue}`: an empty value matches any value of an existing field. */
function fieldMatches(el: Node, name: string, value: string): boolean {
  if (isMissingOrNull(el)) return false;
  if (name === '') {
    if (el.kind !== 'scalar') throw new MergeFailure(`expected a scalar list item, found ${describe(el)}`);
    return text(el) === value;
  }
  if (el.kind !== 'map') throw new MergeFailure(`expected a map list item, found ${describe(el)}`);
  const f = el.fields.find((x) => x.key === name);
  if (f === undefined) return false;
  return value === '' || text(f.value) === value;
}

/**
 * `ElementSetter`: in `list`, replaces the elements matching keys/values by `element` (or removes
 * them when `element` is undefined), appends `element` when nothing matched, and drops null and
 * empty-map elements on the way.
 */
function setElement(
  list: SeqNode,
  element: Node | undefined,
  keysIn: readonly string[],
  values: readonly string[],
): void {
  const keys = keysIn.length === 0 ? [''] : keysIn;
  const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
  const matches = (el: Node): boolean => {
    let last = false;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) last = fieldMatches(el, keys[j]!, values[j]!);
      if (!last) return false;
    }
    return true;
  };
  // Common case first: nothing to drop or replace, so the element is appended (same checks, same errors).
  if (values.length > 0) {
    let plain = true;
    for (const el of list.items) {
      if (isMissingOrNull(el) || isEmptyMap(el) || ((el.kind === 'map' || !mappingSetter) && matches(el))) {
        plain = false;
        break;
      }
    }
    if (plain) {
      if (!isMissingOrNull(element)) list.items.push(element);
      return;
    }
  }
  const out: Node[] = [];
  let matched = false;
  for (const el of list.items) {
    if (isMissingOrNull(el) || isEmptyMap(el)) continue;
    if (el.kind !== 'map' && mappingSetter) {
      out.push(el);
      continue;
    }
    if (!matches(el)) {
      if (values.length > 0) out.push(el);
      continue;
    }
    matched = true;
    if (element !== undefined) out.push(element);
  }
  list.items = out;
  if (isMissingOrNull(element)) return;
  if (!matched) list.items.push(element);
}

/** `ElementMatcher` via `MatchElementList`: the first element whose key fields have exactly these values. */
function findElement(list: Node | undefined, keys: readonly string[], values: readonly string[]): Node | undefined {
  if (list === undefined || list.kind !== 'seq') return undefined;
  if (keys.length === 0 || keys[0] === '') {
    const v = values[0] ?? '';
    return list.items.find((el) => rawText(el) === v);
  }
  if (keys.length !== values.length) return undefined;
  for (const el of list.items) {
    if (el.kind !== 'map') continue;
    let all = true;
    for (let i = 0; i < keys.length; i++) {
      const f = el.fields.find((x) => x.key === keys[i]);
      if (f === undefined || rawText(f.value) !== values[i]) {
        all = false;
        break;
      }
    }
    if (all) return el;
  }
  return undefined;
}
/** The source text of a scalar as far as we know it (`null` for a null scalar). */
function rawText(n: Node): string {
  return n.kind === 'scalar' && n.value === null ? 'null' : text(n);
}

// ---- the walk (kyaml walk.Walker with the merge2 visitor) -----------------------------------

/** Sources: [dest (the resource side), origin (the patch side)]; dest is replaced as the walk goes. */
type Sources = [Node | undefined, Node | undefined];

function nodeMetaSchema(n: Node | undefined): Schema | undefined {
  if (isMissingOrNull(n) || n.kind !== 'map') return undefined;
  const av = getField(n, 'apiVersion');
  const k = getField(n, 'kind');
  if (isNilOrEmpty(av) || isNilOrEmpty(k)) return undefined;
  return schemaForKind(text(av), text(k));
}

function walk(src: Sources, schemaIn: Schema | undefined, path: readonly string[]): Node | undefined {
  // GetSchema: the given schema, else the schema of the kind named by the node itself
  const schema = schemaIn ?? nodeMetaSchema(src[0]) ?? nodeMetaSchema(src[1]);
  // Fast path: where the patch has nothing, kyaml's walk gives the resource's subtree back
  // unchanged unless a merge-keyed list in it has duplicate, key-less, empty or non-map items.
  if (src[1] === undefined && !isMissingOrNull(src[0]) && unchangedByWalk(src[0], schema)) return src[0];
  const first = src.find((s) => !isMissingOrNull(s));
  const kind = first === undefined ? 'map' : first.kind;
  try {
    if (!isMissingOrNull(src[1]) && src[1].kind !== kind) {
      throw new MergeFailure(`the patch has ${describe(src[1])} where the resource has ${describe(first!)}`);
    }
    if (kind === 'map') return walkMap(src, schema, path);
    if (kind === 'seq')
      return isAssociative(schema) ? walkAssociativeList(src, schema, path) : visitNonAssociativeList(src);
    return src[1] !== undefined ? src[1] : src[0];
  } catch (e) {
    if (e instanceof MergeFailure && e.path === undefined) {
      e.path = path.join('.');
    }
    throw e;
  }
}

/**
 * Whether walking `n` against an absent patch gives `n` back as it is: true when every
 * merge-keyed list below it (by the schema, as the walk resolves it) has distinct, complete,
 * non-empty key values on map items (or distinct non-empty scalars for a primitive list).
 */
function unchangedByWalk(n: Node, schemaIn: Schema | undefined): boolean {
  const schema = schemaIn ?? nodeMetaSchema(n);
  if (n.kind === 'scalar') return true;
  if (n.kind === 'map') {
    for (const f of n.fields) {
      if (isMissingOrNull(f.value)) continue;
      if (!unchangedByWalk(f.value, fieldSchema(schema, f.key))) return false;
    }
    return true;
  }
  if (!isAssociative(schema)) return true;
  const seen = new Set<string>();
  if (schema.keys.length === 0) {
    for (const el of n.items) {
      if (el.kind !== 'scalar' || el.value === null) return false;
      const t = rawText(el);
      if (t === '' || seen.has(t)) return false;
      seen.add(t);
    }
    return true;
  }
  const itemSchema = elementSchema(schema);
  for (const el of n.items) {
    if (el.kind !== 'map' || el.fields.length === 0) return false;
    const tuple: string[] = [];
    for (const k of schema.keys) {
      const v = getField(el, k);
      if (v === undefined || v.kind !== 'scalar' || v.value === null) return false;
      const t = text(v);
      if (t === '') return false;
      tuple.push(t);
    }
    const id = tuple.join('\u0000');
    if (seen.has(id)) return false;
    seen.add(id);
    if (!unchangedByWalk(el, itemSchema)) return false;
  }
  return true;
}

function visitMap(src: Sources): Node | undefined {
  const [dest, origin] = src;
  if (isMissingOrNull(dest)) {
    let d: Directive = 'merge';
    try {
      d = takeDirective(origin);
    } catch {
      // kyaml ignores the error here
    }
    if (d === 'delete') return undefined;
    // the resource has an explicit null that the patch does not touch: keep it
    if (origin === undefined && dest !== undefined) return { kind: 'scalar', value: null, keep: true };
    return origin;
  }
  if (isTaggedNull(origin)) return undefined;
  const d = takeDirective(origin);
  if (d === 'delete') return undefined;
  if (d === 'replace') return origin;
  return dest;
}

function walkMap(src: Sources, schema: Schema | undefined, path: readonly string[]): Node | undefined {
  const dest = visitMap(src);
  src[0] = dest;
  if (dest === undefined) return undefined;
  const names = new Set<string>();
  for (const s of src) if (s !== undefined && s.kind === 'map') for (const f of s.fields) names.add(f.key);
  for (const key of [...names].sort(byteOrder)) {
    const fv: Sources = [getField(src[0], key), getField(src[1], key)];
    const val = walk(fv, fieldSchema(schema, key), [...path, key]);
    if (dest.kind !== 'map') continue;
    const existing = dest.fields.find((f) => f.key === key);
    if (val === undefined || (isTaggedNull(val) && !(val.kind === 'scalar' && val.keep))) {
      if (existing) clearField(dest, key);
    } else if (existing) {
      existing.value = keepQuotedStyle(existing.value, val);
    } else {
      dest.fields.push({ key, value: val });
    }
  }
  return dest;
}

function visitNonAssociativeList(src: Sources): Node | undefined {
  return src[1] !== undefined ? src[1] : src[0];
}

function visitAssociativeList(src: Sources): Node | undefined {
  const [dest, origin] = src;
  if (isMissingOrNull(dest)) return origin;
  if (isTaggedNull(origin)) return undefined;
  const d = takeDirective(origin);
  if (d === 'delete') return undefined;
  if (d === 'replace') return origin;
  return dest;
}

function walkAssociativeList(
  src: Sources,
  schema: Extract<Schema, { kind: 'list' }>,
  path: readonly string[],
): Node | undefined {
  const dest = visitAssociativeList(src);
  src[0] = dest;
  if (dest === undefined) return undefined;
  const keys = schema.keys;
  const values = elementValues(src, keys);
  if (values.length !== 0 || keys.length > 0) return setAssociativeElements(src, schema, values, keys, dest, path);
  return setAssociativeElements(src, schema, primitiveValues(src), [''], dest, path);
}

/** The key values of every element, patch first (prepend), without repeats. */
function elementValues(src: Sources, keys: readonly string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const s of [src[1], src[0]]) {
    if (s === undefined || s.kind !== 'seq') continue;
    for (const el of s.items) {
      const vals = keys.map((k) => {
        const v = getField(el, k);
        return isNilOrEmpty(v) ? '' : text(v);
      });
      const id = JSON.stringify(vals);
      if (vals.length === 0 || seen.has(id)) continue;
      seen.add(id);
      out.push(vals);
    }
  }
  return out;
}

function primitiveValues(src: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const s of [src[1], src[0]]) {
    if (s === undefined || s.kind !== 'seq') continue;
    for (const el of s.items) {
      const v = rawTextOrEmpty(el);
      if (seen.has(v)) continue;
      seen.add(v);
      out.push([v]);
    }
  }
  return out;
}
function rawTextOrEmpty(n: Node): string {
  return n.kind === 'scalar' ? rawText(n) : '';
}

/** Multi-key lists: values that agree on every non-empty key are unified (empty ones filled in). */
function mergeValues(list: string[][]): void {
  for (let i = 0; i < list.length; i++) {
    const v1 = list[i]!;
    for (let j = 0; j < list.length; j++) {
      const m = matchValues(v1, list[j]!);
      if (m) {
        list[i] = m;
        list[j] = m;
      }
    }
  }
}
function matchValues(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]!);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    res.push(a[i] !== '' ? a[i]! : b[i]!);
  }
  return common ? res : undefined;
}

/** The keys that have a value in at least one element. */
function keysWithValues(list: readonly (readonly string[])[], keys: readonly string[]): Set<string> {
  const valid = new Set<string>();
  for (const vs of list) vs.forEach((v, i) => v !== '' && valid.add(keys[i]!));
  return valid;
}

/** Keeps the keys that have a value in at least one element (all keys when none has). */
function validateKeys(
  list: readonly (readonly string[])[],
  values: readonly string[],
  keys: readonly string[],
  validIn?: Set<string>,
): [string[], string[]] {
  const valid = validIn ?? keysWithValues(list, keys);
  if (valid.size === 0) return [[...keys], [...values]];
  const vk = keys.filter((k) => valid.has(k));
  const vv = values.filter((v, i) => v !== '' || valid.has(keys[i]!));
  return [vk, vv];
}

function setAssociativeElements(
  src: Sources,
  schema: Extract<Schema, { kind: 'list' }>,
  valuesList: string[][],
  keys: readonly string[],
  destIn: Node,
  path: readonly string[],
): Node | undefined {
  let dest = destIn as SeqNode;
  const toAdd: SeqNode = { kind: 'seq', items: [] };
  const itemSchema = elementSchema(schema);
  if (keys.length > 1) mergeValues(valuesList);
  let validKeys: string[] = [];
  let validValues: string[] = [];
  // depends on the whole list only, which does not change in the loop
  const valid = keysWithValues(valuesList, keys);
  for (const values of valuesList) {
    if (values.length === 0) continue;
    [validKeys, validValues] = validateKeys(valuesList, values, keys, valid);
    const [ek, ev] = validateKeys([validValues], validValues, validKeys);
    const elemSources: Sources = [
      src[0] === undefined ? undefined : findElement(src[0], ek, ev),
      src[1] === undefined ? undefined : findElement(src[1], ek, ev),
    ];
    const label = validKeys.map((k, i) => (k === '' ? validValues[i] : `${k}=${validValues[i]}`)).join(',');
    const val = walk(elemSources, itemSchema, [...path, `[${label}]`]);
    let exit = false;
    for (let i = 0; i < validKeys.length; i++) {
      const key = validKeys[i]!;
      if (isMissingOrNull(val) || isEmptyMap(val)) {
        setElement(dest, undefined, validKeys, validValues);
        exit = true;
      } else if (getField(val, key) === undefined && validValues[i] !== '') {
        if (val.kind === 'map') val.fields.push({ key, value: { kind: 'scalar', value: validValues[i]! } });
        else if (val.kind !== 'scalar' || key !== '')
          throw new MergeFailure(`cannot set key ${key} on ${describe(val)}`);
      }
    }
    if (exit) continue;
    setElement(toAdd, val, validKeys, validValues);
  }
  if (valuesList.length > 0) dest = appendList(toAdd, dest, validKeys);
  if (isMissingOrNull(dest)) return undefined;
  return dest;
}

/** `appendListNode(dst, src, keys)`: sets every element of `from` into `into` by its key values. */
function appendList(into: SeqNode, from: SeqNode, keys: readonly string[]): SeqNode {
  for (const el of [...from.items]) {
    if (keys[0] === '') {
      setElement(into, el, [''], [rawTextOrEmpty(el)]);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      if (isMissingOrNull(el)) {
        into.items.push(el);
        continue;
      }
      if (el.kind !== 'map') throw new MergeFailure(`expected a map list item, found ${describe(el)}`);
      const f = getField(el, key);
      if (f === undefined) {
        into.items.push(el);
        continue;
      }
      v.push(rawTextOrEmpty(f));
    }
    if (keys.length > 1) setElement(into, undefined, keys, v);
    setElement(into, el, keys, v);
  }
  return into;
}

/**
 * kyaml's FieldSetter gives the new value the *style* of the value it replaces, and kustomize
 * prints and re-reads the YAML: a patch `PORT: 9090` over a quoted `PORT: "8080"` gives the
 * string "9090" (verified with kubectl). Styles are gone from our JSON values, so a replaced
 * string counts as quoted when it cannot have been written plain (it would read as a number,
 * bool, null or timestamp, or needs quotes for its characters). A string quoted only by
 * choice (`name: "foo"`) is not recognised: there kustomize would also give a string.
 */
function keepQuotedStyle(old: Node, val: Node): Node {
  if (old === val || old.kind !== 'scalar' || val.kind !== 'scalar') return val;
  if (typeof old.value !== 'string') return val;
  const v = val.value;
  if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') return val;
  return mustHaveBeenQuoted(old.value) ? { kind: 'scalar', value: String(v) } : val;
}

const NON_STRING_PLAIN = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:true|True|TRUE|false|False|FALSE)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/, // YAML 1.1 booleans: quoted in practice
  /^[-+]?(?:0|[1-9][0-9_]*)$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?0[oO][0-7_]+$/,
  /^[-+]?0[xX][0-9a-fA-F_]+$/,
  /^[-+]?0[bB][01_]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

function mustHaveBeenQuoted(s: string): boolean {
  if (s === '' || s.trim() !== s || /[\x00-\x1f\x7f]/.test(s)) return true;
  if (NON_STRING_PLAIN.some((re) => re.test(s))) return true;
  if (/^[[\]{},#&*!|>'"%@`]/.test(s) || /^[-?:](?:\s|$)/.test(s)) return true;
  return s.includes(': ') || s.includes(' #') || s.endsWith(':');
}

function byteOrder(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

// ---- public API -----------------------------------------------------------------------------

/**
 * Applies one strategic-merge patch document to a resource, as `kustomize build` does
 * (kyaml merge2, prepend). Returns the merged object, or `null` when the patch deletes the
 * resource (`$patch: delete` at the top). Never mutates its inputs.
 * For a patch with a `target`, kustomize first gives the patch the resource's apiVersion
 * (`resWrangler.ApplySmPatch`); the caller does that.
 * Kind, name and namespace are whatever the merge gives; restoring them (kustomize's
 * `ApplySmPatch` unless allowKindChange/allowNameChange) is the caller's job.
 * Throws InputError (with the field path) when the two documents have incompatible shapes or
 * a `$patch` value is unknown; `file` names the patch in that error.
 */
export function applyStrategicMerge(target: KObject, patch: KObject, file?: string): KObject | null {
  const root = toNode(target);
  const src: Sources = [root, toNode(patch)];
  let out: Node | undefined;
  try {
    out = walk(src, undefined, []);
  } catch (e) {
    if (e instanceof MergeFailure) {
      const fieldPath = e.path || undefined;
      throw new InputError(`strategic merge patch: ${e.message}`, {
        pos: file ? { file } : undefined,
        fieldPath,
        cause: e,
      });
    }
    throw e;
  }
  // kustomize keeps the resource's own node, merged in place (Resource.ApplyFilter ignores the
  // node merge2 returns): a top-level `$patch: replace` therefore leaves the resource unchanged.
  if (out === undefined) return null;
  return fromNode(root) as KObject;
}
