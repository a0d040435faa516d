/**
 * JSON 6902 patches as kustomize applies them: the resource goes to JSON, the operations are
 * applied with `gopkg.in/evanphx/json-patch.v4` (v4.12.0), and the result comes back. That
 * library's particular behaviour, which we reproduce (each checked against kubectl kustomize in
 * json6902.test.ts):
 * - a path is split on `/` and its first segment is ignored (`a/b` acts like `/b`);
 * - `add` needs the parent to exist; `-` appends; index == length appends; negative indices count
 *   from the end; `add` without `value` adds null;
 * - `remove` of a missing key or index is an error;
 * - `replace` of a missing *key* adds it (only a missing array index is an error); path "" replaces
 *   the whole document;
 * - `test` compares JSON values (a missing key equals a null value); failure is an error;
 * - `copy` from a missing key copies null; `move` from a missing key is an error;
 * - an unknown `op` is an error (`Unexpected kind`).
 * Operations may be JSON (text starting with `[`) or YAML, which is read as YAML 1.1 (go-yaml v2
 * via sigs.k8s.io/yaml): `yes`/`on` are booleans, `0755` is octal.
 */
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { cloneValue, getKey, hasKey, isJsonObject, setKey, type JsonObject } from './json-value.js';

/** Reads the operations of a JSON 6902 patch. Throws InputError naming the file when they do not decode. */
export function parseJson6902(text: string, file: string): unknown[] {
  // kustomize applies an empty patch file as a JSON patch with no operations
  if (text === '') return [];
  const r = decodeJson6902(text, file);
  if (!r.ok) throw r.error;
  return r.ops;
}

export type Json6902Decode = { ok: true; ops: unknown[] } | { ok: false; error: InputError };

/** Like parseJson6902, returning the error instead of throwing it (used to classify a patch). */
export function decodeJson6902(text: string, file: string): Json6902Decode {
  if (text === '') return { ok: false, error: new InputError('empty json patch operations', { pos: { file } }) };
  let value: unknown;
  if (text.startsWith('[')) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return {
        ok: false,
        error: new InputError(`invalid JSON patch: ${(e as Error).message}`, { pos: { file }, cause: e }),
      };
    }
  } else {
    const y = parseYaml11(text, file);
    if (!y.ok) return y;
    value = y.value;
  }
  if (value === null) return { ok: true, ops: [] };
  if (!Array.isArray(value)) {
    return {
      ok: false,
      error: new InputError(`a JSON patch must be a list of operations, found ${kindOf(value)}`, { pos: { file } }),
    };
  }
  for (let i = 0; i < value.length; i++) {
    const op = value[i];
    if (op !== null && !isJsonObject(op)) {
      return {
        ok: false,
        error: new InputError(`operation ${i} is ${kindOf(op)}, not a map`, { pos: { file }, fieldPath: `[${i}]` }),
      };
    }
  }
  return { ok: true, ops: value };
}

/** YAML 1.1 as go-yaml v2 reads it into `interface{}` (sigs.k8s.io/yaml): the first document only. */
function parseYaml11(text: string, file: string): { ok: true; value: unknown } | { ok: false; error: InputError } {
  try {
    return { ok: true, value: parseGoYaml(text, file, { dialect: 'v2' })[0]?.value ?? null };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e };
    throw e;
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

/** A failed operation; becomes an InputError naming the file and the operation's index. */
class OpError extends Error {}

type Container = JsonObject | unknown[];

/** Go's strconv.Atoi on an array index. */
function atoi(key: string): number | undefined {
  if (!/^[+-]?\d+$/.test(key)) return undefined;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : undefined;
}

function decodeKey(k: string): string {
  return k.replace(/~1|~0/g, (m) => (m === '~1' ? '/' : '~'));
}

function arrayGet(a: unknown[], key: string): unknown {
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(`value was not a proper array index: '${key}'`);
  if (idx < 0) {
    if (idx < -a.length) throw new OpError(`Unable to access invalid index: ${idx}`);
    idx += a.length;
  }
  if (idx >= a.length) throw new OpError(`Unable to access invalid index: ${idx}`);
  return a[idx];
}

function containerGet(c: Container, key: string): unknown {
  if (Array.isArray(c)) return arrayGet(c, key);
  return getKey(c, key);
}

/** json-patch v4 `findObject`: the parent container of the last segment, or undefined. */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = containerGet(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (Array.isArray(next) || isJsonObject(next)) cur = next;
    else return undefined;
  }
  return { con: cur, key: decodeKey(split[split.length - 1]!) };
}

function containerAdd(c: Container, key: string, val: unknown): void {
  if (!Array.isArray(c)) {
    setKey(c, key, val);
    return;
  }
  if (key === '-') {
    c.push(val);
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(`value was not a proper array index: '${key}'`);
  const size = c.length + 1;
  if (idx >= size) throw new OpError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -size) throw new OpError(`Unable to access invalid index: ${idx}`);
    idx += size;
  }
  c.splice(idx, 0, val);
}

function containerSet(c: Container, key: string, val: unknown): void {
  if (!Array.isArray(c)) {
    setKey(c, key, val);
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(`value was not a proper array index: '${key}'`);
  if (idx < 0) {
    if (idx < -c.length) throw new OpError(`Unable to access invalid index: ${idx}`);
    idx += c.length;
  }
  c[idx] = val;
}

function containerRemove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!hasKey(c, key)) throw new OpError(`Unable to remove nonexistent key: ${key}`);
    delete c[key];
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(`value was not a proper array index: '${key}'`);
  if (idx >= c.length) throw new OpError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -c.length) throw new OpError(`Unable to access invalid index: ${idx}`);
    idx += c.length;
  }
  c.splice(idx, 1);
}

/** json-patch v4 `lazyNode.equal`: scalars by JSON text, maps by keys, lists by position. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every(
      (k) => hasKey(b, k) && (a[k] === null) === (b[k] === null) && (a[k] === null || jsonEqual(a[k], b[k])),
    );
  }
  if (Array.isArray(b) || isJsonObject(b)) return false;
  return scalarJson(a) === scalarJson(b);
}

/** The JSON text of a scalar (big integers included). */
function scalarJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return JSON.stringify(goTime(v));
  return JSON.stringify(v) ?? 'null';
}
function goTime(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = getKey(op, name);
  if (v === undefined || v === null) throw new OpError(`operation missing ${name} field`);
  if (typeof v !== 'string') throw new OpError(`${name} must be a string, found ${kindOf(v)}`);
  return v;
}

function applyOne(docIn: Container, op: JsonObject): Container {
  const doc = docIn;
  const kindRaw = getKey(op, 'op');
  const kind = typeof kindRaw === 'string' ? kindRaw : 'unknown';
  const value = () => (hasKey(op, 'value') ? cloneValue(op.value) : null);
  switch (kind) {
    case 'add': {
      const path = stringField(op, 'path');
      const f = findObject(doc, path);
      if (!f) throw new OpError(`add operation does not apply: doc is missing path: "${path}"`);
      containerAdd(f.con, f.key, value());
      return doc;
    }
    case 'remove': {
      const path = stringField(op, 'path');
      const f = findObject(doc, path);
      if (!f) throw new OpError(`remove operation does not apply: doc is missing path: "${path}"`);
      containerRemove(f.con, f.key);
      return doc;
    }
    case 'replace': {
      const path = stringField(op, 'path');
      if (path === '') {
        const v = value();
        if (!isJsonObject(v) && !Array.isArray(v)) throw new OpError('replace operation value must be object or array');
        return v;
      }
      const f = findObject(doc, path);
      if (!f) throw new OpError(`replace operation does not apply: doc is missing path: ${path}`);
      try {
        containerGet(f.con, f.key);
      } catch {
        throw new OpError(`replace operation does not apply: doc is missing key: ${path}`);
      }
      containerSet(f.con, f.key, value());
      return doc;
    }
    case 'move': {
      const from = stringField(op, 'from');
      const f = findObject(doc, from);
      if (!f) throw new OpError(`move operation does not apply: doc is missing from path: ${from}`);
      const val = containerGet(f.con, f.key);
      containerRemove(f.con, f.key);
      const path = stringField(op, 'path');
      const t = findObject(doc, path);
      if (!t) throw new OpError(`move operation does not apply: doc is missing destination path: ${path}`);
      containerAdd(t.con, t.key, val === undefined ? null : val);
      return doc;
    }
    case 'copy': {
      const from = stringField(op, 'from');
      const f = findObject(doc, from);
      if (!f) throw new OpError(`copy operation does not apply: doc is missing from path: ${from}`);
      const val = containerGet(f.con, f.key);
      const path = stringField(op, 'path');
      const t = findObject(doc, path);
      if (!t) throw new OpError(`copy operation does not apply: doc is missing destination path: ${path}`);
      containerAdd(t.con, t.key, val === undefined ? null : cloneValue(val));
      return doc;
    }
    case 'test': {
      const path = stringField(op, 'path');
      if (!hasKey(op, 'value')) throw new OpError(`test operation for ${path} has no value`);
      const expected = op.value;
      let actual: unknown;
      if (path === '') actual = doc;
      else {
        const f = findObject(doc, path);
        if (!f) throw new OpError(`test operation does not apply: is missing path: ${path}`);
        actual = containerGet(f.con, f.key);
      }
      if (actual === undefined || actual === null) {
        if (expected === null) return doc;
        throw new OpError(`testing value ${path} failed`);
      }
      if (expected === null || !jsonEqual(actual, expected)) throw new OpError(`testing value ${path} failed`);
      return doc;
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

export interface Json6902Options {
  /**
   * kustomize's internal build annotations that the resource carries while the patch runs
   * (`PatchTransformer` calls `StorePreviousId()` first, so at least
   * `internal.config.kubernetes.io/previousKinds|previousNames|previousNamespaces`). They make
   * `metadata.annotations` exist, so `add /metadata/annotations/x` works on a resource without
   * annotations, and a patch can see them. They are put back after the ops and then removed
   * again, an annotations map left empty is dropped, and annotation values that are booleans or
   * numbers become strings (kustomize writes the map back with `SetAnnotations`).
   * Default: the previous-id annotations derived from the object itself (namespace `default`
   * when it has none); pass the real ones when the resource was renamed earlier in the build.
   */
  readonly buildAnnotations?: Readonly<Record<string, string>>;
}

const PREVIOUS_KINDS = 'internal.config.kubernetes.io/previousKinds';
const PREVIOUS_NAMES = 'internal.config.kubernetes.io/previousNames';
const PREVIOUS_NAMESPACES = 'internal.config.kubernetes.io/previousNamespaces';

function defaultBuildAnnotations(o: KObject): Record<string, string> {
  const md = isJsonObject(o.metadata) ? o.metadata : {};
  const ns = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default';
  return {
    [PREVIOUS_KINDS]: String(o.kind ?? ''),
    [PREVIOUS_NAMES]: String(md.name ?? ''),
    [PREVIOUS_NAMESPACES]: ns,
  };
}

/**
 * Applies JSON 6902 operations to a copy of `target`, as kustomize's PatchTransformer does (see
 * Json6902Options for the build annotations). Throws InputError naming `file` and the index of
 * the failing operation. Never mutates its inputs.
 */
export function applyJson6902(
  target: KObject,
  ops: readonly unknown[],
  file?: string,
  opts: Json6902Options = {},
): KObject {
  let doc: Container = cloneValue(target) as JsonObject;
  const internal = opts.buildAnnotations ?? defaultBuildAnnotations(target);
  const internalKeys = Object.keys(internal);
  if (internalKeys.length > 0 && isJsonObject(doc.metadata)) {
    const md = doc.metadata;
    const ann = isJsonObject(md.annotations) ? md.annotations : {};
    for (const k of internalKeys) setKey(ann, k, internal[k]);
    setKey(md, 'annotations', ann);
  }
  ops.forEach((op, i) => {
    try {
      if (op !== null && !isJsonObject(op)) throw new OpError(`operation is ${kindOf(op)}, not a map`);
      doc = applyOne(doc, op ?? {});
    } catch (e) {
      if (e instanceof OpError) {
        const opName = isJsonObject(op) && typeof op.op === 'string' ? ` (${op.op})` : '';
        throw new InputError(`JSON patch operation ${i}${opName} failed: ${e.message}`, {
          pos: file ? { file } : undefined,
          fieldPath: `[${i}]`,
          cause: e,
        });
      }
      throw e;
    }
  });
  if (!isJsonObject(doc)) {
    throw new InputError('JSON patch turned the resource into a list', { pos: file ? { file } : undefined });
  }
  if (internalKeys.length > 0 && isJsonObject(doc.metadata)) {
    // kustomize reads the annotations back as a string map (a non-map reads as empty, nested
    // values as ""), restores its internal ones, writes the map back, and drops it when empty
    const md = doc.metadata;
    if (Array.isArray(md.annotations)) {
      throw new InputError('JSON patch left metadata.annotations a list; it must be a map', {
        pos: file ? { file } : undefined,
        fieldPath: 'metadata.annotations',
      });
    }
    const ann = isJsonObject(md.annotations) ? md.annotations : {};
    for (const k of internalKeys) delete ann[k];
    for (const k of Object.keys(ann)) {
      const v = ann[k];
      if (typeof v !== 'string') setKey(ann, k, Array.isArray(v) || isJsonObject(v) ? '' : String(v));
    }
    if (Object.keys(ann).length === 0) delete md.annotations;
    else setKey(md, 'annotations', ann);
  }
  return doc as KObject;
}
