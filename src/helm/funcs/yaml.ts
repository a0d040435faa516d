/**
 * Helm's YAML functions (pkg/engine/funcs.go): toYaml / mustToYaml through sigs.k8s.io/yaml (a JSON
 * round trip, then go-yaml v2's emitter: sorted keys, YAML 1.1 quoting), fromYaml / fromYamlArray
 * (YAML -> JSON -> map / slice, errors kept in the result as Helm does), toYamlPretty (go-yaml v3
 * with indent 2).
 */
import {
  GoError,
  GoInt,
  GoPanic,
  goFunc,
  isGoMap,
  type GoFunc,
  type GoMap,
  type GoValue,
} from '../../gotemplate/value.js';
import { formatValue } from '../../gotemplate/index.js';
import { naturalCompare, toGoYaml } from '../../yaml/go-emit.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { cycleError, jsonFloat, marshalJson } from './json.js';

/**
 * The value sigs.k8s.io/yaml's JSONToYAML sees after json.Marshal: ints as bigint (exact),
 * float64 as number, []byte as base64, structs through their JSON. Throws GoError like json.Marshal.
 */
export function jsonShape(v: GoValue, depth = 0, seen: Set<object> = new Set()): unknown {
  if (depth > 10000) throw new GoError('json: value nested too deeply');
  if (Array.isArray(v) || isGoMap(v)) {
    if (seen.has(v)) throw cycleError(v);
    seen.add(v);
    try {
      return Array.isArray(v)
        ? v.map((x) => jsonShape(x, depth + 1, seen))
        : Object.fromEntries(Object.keys(v).map((k) => [k, jsonShape(v[k] ?? null, depth + 1, seen)]));
    } finally {
      seen.delete(v);
    }
  }
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    jsonFloat(v);
    return v;
  }
  if (v instanceof GoInt) return v.value;
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  // A struct through its JSON; a func makes json.Marshal fail.
  return JSON.parse(marshalJson(v)) as unknown;
}

/** sigs.k8s.io/yaml.Marshal(v) without the trailing newline; throws GoError on a JSON error. */
export function toYaml(v: GoValue): string {
  const shape = jsonShape(v);
  // A multi-line string alone is a literal block indented by 2, as under a key: emit it as a value.
  if (typeof shape === 'string' && shape.includes('\n')) return toGoYaml({ x: shape }).slice(3).replace(/\n$/, '');
  const text = toGoYaml(shape);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** JSON-shaped YAML data as template values: every number a float64, as json.Unmarshal gives. */
function fromJsonShape(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJsonShape);
  if (v instanceof Date) return v.toISOString();
  const out: GoMap = {};
  for (const [k, x] of Object.entries(v as object)) out[k] = fromJsonShape(x);
  return out;
}

/** The first YAML document as JSON-shaped data (sigs.k8s.io/yaml.Unmarshal); throws GoError. */
function readYaml(text: string): GoValue {
  try {
    const docs = parseGoYaml(text, 'fromYaml', { dialect: 'v2' });
    return docs.length === 0 ? null : fromJsonShape(docs[0]!.value);
  } catch (e) {
    throw new GoError(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

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

export function fromYaml(text: string): GoMap {
  const m: GoMap = {};
  try {
    const v = readYaml(text);
    if (v === null) return m;
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw new GoError(
        `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindWord(v)} into Go value ` +
          `of type map[string]interface {}`,
      );
    }
    return v as GoMap;
  } catch (e) {
    if (!(e instanceof GoError)) throw e;
    m.Error = e.message;
    return m;
  }
}

export function fromYamlArray(text: string): GoValue[] {
  try {
    const v = readYaml(text);
    if (v === null) return [];
    if (!Array.isArray(v)) {
      throw new GoError(
        `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindWord(v)} into Go value ` +
          `of type []interface {}`,
      );
    }
    return v;
  } catch (e) {
    if (!(e instanceof GoError)) throw e;
    return [e.message];
  }
}

const swallow = (f: () => string): string => {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) return '';
    throw e;
  }
};
const panicky = (f: () => string): string => {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) throw new GoPanic(e.message);
    throw e;
  }
};

export const yamlFuncs: Record<string, GoFunc> = {
  toYaml: goFunc(['interface{}'], ['string'], ([v]) => swallow(() => toYaml(v ?? null))),
  mustToYaml: goFunc(['interface{}'], ['string'], ([v]) => panicky(() => toYaml(v ?? null))),
  toYamlPretty: goFunc(['interface{}'], ['string'], ([v]) => swallow(() => toYamlPretty(v ?? null))),
  fromYaml: goFunc(['string'], ['map[string]interface{}'], ([s]) => fromYaml(s as string)),
  fromYamlArray: goFunc(['string'], ['[]interface{}'], ([s]) => fromYamlArray(s as string)),
};

/**
 * go-yaml v3's Encoder with SetIndent(2), as Helm's toYamlPretty uses it on the value itself (no
 * JSON round trip): block style, sequences indented under their key, keys in go-yaml's natural
 * order, floats in Go's shortest 'g' form, scalars quoted as go-yaml quotes them.
 */
export function toYamlPretty(v: GoValue): string {
  const out: string[] = [];
  prettyNode(v, 0, out, 'top');
  return out.join('').replace(/\n$/, '');
}

function prettyScalar(v: GoValue, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return formatValue(v);
  }
  if (v instanceof GoInt) return v.value.toString();
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return '{}';
  const s = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
  if (s.includes('\n')) {
    // A literal block: go-yaml's own choice of header; its lines (2 spaces in) moved under the node.
    const block = toGoYaml({ x: s }).slice(3).replace(/\n$/, '');
    const [header, ...lines] = block.split('\n');
    return [header, ...lines.map((l) => (l === '' ? '' : ' '.repeat(Math.max(0, indent - 2)) + l))].join('\n');
  }
  return toGoYaml(s).replace(/\n$/, '');
}

const isEmptyCollection = (v: GoValue): boolean =>
  (Array.isArray(v) && v.length === 0) || (isGoMap(v) && Object.keys(v).length === 0);
const isBlock = (v: GoValue): boolean => (Array.isArray(v) || isGoMap(v)) && !isEmptyCollection(v);

function prettyNode(v: GoValue, indent: number, out: string[], ctx: 'top' | 'value' | 'item'): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v) && v.length > 0) {
    v.forEach((item, i) => {
      out.push((ctx === 'item' && i === 0 ? '' : pad) + '- ');
      if (isBlock(item)) prettyNode(item ?? null, indent + 2, out, 'item');
      else out.push(prettyScalar(item ?? null, indent + 2) + '\n');
    });
    return;
  }
  if (isGoMap(v) && Object.keys(v).length > 0) {
    Object.keys(v)
      .sort(naturalCompare)
      .forEach((k, i) => {
        const x = v[k] ?? null;
        out.push((ctx === 'item' && i === 0 ? '' : pad) + prettyScalar(k, indent) + ':');
        if (isBlock(x)) {
          out.push('\n');
          prettyNode(x, indent + 2, out, 'value');
        } else out.push(' ' + prettyScalar(x, indent + 2) + '\n');
      });
    return;
  }
  out.push(prettyScalar(v, indent) + '\n');
}
