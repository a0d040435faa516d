/**
 * A JSON Schema (draft-07) interpreter that answers one question, "is this value surely valid?",
 * the way ajv (src/helm/values/schema.ts's options: not strict, no formats, no coercion, no
 * defaults) would answer it, without generating code. The values of most renders are valid,
 * and compiling a chart's values.schema.json with ajv costs more than rendering the chart
 * (cert-manager: 29% of a cold `helm template`); ajv still runs for every `false` and gives the
 * errors and their wording.
 *
 * It declines (`prepareSchema` gives undefined) anything it is not certain to evaluate as ajv
 * does: `$id`, `id`, `nullable`, `$async`, `contentSchema`, a nested `$schema`, references other
 * than local JSON pointers,
 * keyword values of the wrong type, patterns that are not valid `u` regular expressions.
 * `surelyValid` answers false (ajv decides) on values that are not plain JSON-like data.
 */

type Schema = boolean | { readonly [k: string]: unknown };
type Obj = Record<string, unknown>;

/**
 * The keywords ajv (draft-07, the options of schema.ts) knows; it ignores every other key (not
 * strict), and so does this interpreter. The test compares the list with ajv's own.
 */
export const AJV_DRAFT7_KEYWORDS: ReadonlySet<string> = new Set(
  (
    '$async $comment $defs $id $ref $schema $vocabulary additionalItems additionalProperties allOf anyOf const ' +
    'contains contentEncoding contentMediaType contentSchema default definitions dependencies deprecated ' +
    'description else enum examples exclusiveMaximum exclusiveMinimum format id if items maxItems maxLength ' +
    'maxProperties maximum minItems minLength minProperties minimum multipleOf not nullable oneOf pattern ' +
    'patternProperties properties propertyNames readOnly required then title type uniqueItems writeOnly'
  ).split(' '),
);
/** Known keywords without effect on validity here (no formats, no defaults). */
const ANNOTATIONS = new Set([
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'format',
  'contentMediaType',
  'contentEncoding',
]);
/** Containers of named schemas: checked (ajv collects their `$id`s) but not evaluated. */
const CONTAINERS = new Set(['definitions', '$defs']);
const SCHEMA_VALUED = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if'] as const;
const SCHEMA_MAPS = ['properties', 'patternProperties'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const NUMBERS = ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'] as const;
const COUNTS = ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'] as const;
const KEYWORDS = new Set<string>([
  ...SCHEMA_VALUED,
  ...SCHEMA_MAPS,
  ...SCHEMA_LISTS,
  ...NUMBERS,
  ...COUNTS,
  'then',
  'else',
  'type',
  'enum',
  'const',
  'pattern',
  'items',
  'uniqueItems',
  'required',
  'dependencies',
  '$ref',
]);
const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
const LOCAL_POINTER = /^#(?:\/(?:[A-Za-z0-9._$-]|~[01])*)+$/;

const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const own = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** The schema a local JSON pointer names, as ajv's getJsonPointer walks it (own properties only). */
function resolvePointer(root: Schema, ref: string): Schema | undefined {
  let cur: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !own(cur, key)) return undefined;
    cur = (cur as Obj)[key];
  }
  if (cur === root || (typeof cur !== 'boolean' && !isObj(cur))) return undefined;
  return cur as Schema;
}

interface Prepared {
  readonly root: Schema;
  readonly refs: Map<string, Schema>;
  readonly patterns: Map<string, RegExp>;
}

/** Checks one schema object (and, through `visit`, its subschemas); false: decline. */
function checkSchema(s: Schema, p: Prepared, visit: (s: unknown) => boolean, isRoot: boolean): boolean {
  if (typeof s === 'boolean') return true;
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue; // the root's `$schema: undefined` (schema.ts removes it)
    if (!AJV_DRAFT7_KEYWORDS.has(k) || ANNOTATIONS.has(k)) continue;
    if (k === '$schema' && isRoot) continue;
    if (CONTAINERS.has(k)) {
      if (!isObj(v) || !Object.values(v).every(visit)) return false;
      continue;
    }
    if (!KEYWORDS.has(k)) return false;
    if ((SCHEMA_VALUED as readonly string[]).includes(k) || k === 'then' || k === 'else') {
      if (!visit(v)) return false;
    } else if ((SCHEMA_MAPS as readonly string[]).includes(k)) {
      if (!isObj(v)) return false;
      for (const [name, sub] of Object.entries(v)) {
        if (k === 'patternProperties' && !pattern(name, p)) return false;
        if (!visit(sub)) return false;
      }
    } else if ((SCHEMA_LISTS as readonly string[]).includes(k)) {
      if (!Array.isArray(v) || v.length === 0 || !v.every(visit)) return false;
    } else if ((NUMBERS as readonly string[]).includes(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    } else if ((COUNTS as readonly string[]).includes(k)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return false;
    } else if (!checkKeyword(k, v, p, visit)) return false;
  }
  return true;
}

function checkKeyword(k: string, v: unknown, p: Prepared, visit: (s: unknown) => boolean): boolean {
  switch (k) {
    case 'type': {
      const types = Array.isArray(v) ? v : [v];
      return types.length > 0 && types.every((t) => typeof t === 'string' && JSON_TYPES.has(t));
    }
    case 'enum':
      return Array.isArray(v) && v.length > 0;
    case 'const':
      return true;
    case 'pattern':
      return typeof v === 'string' && pattern(v, p);
    case 'items':
      // ajv leaves a tuple's `false` unassigned on short arrays, and where it stops at the first
      // error (under `not`, `if`) skips the keywords after it: declined, to keep ajv's verdicts.
      return Array.isArray(v) ? v.every((x) => x !== false && visit(x)) : visit(v);
    case 'uniqueItems':
      return typeof v === 'boolean';
    case 'required':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'dependencies':
      return (
        isObj(v) && Object.values(v).every((d) => (Array.isArray(d) ? d.every((x) => typeof x === 'string') : visit(d)))
      );
    case '$ref': {
      if (typeof v !== 'string' || !LOCAL_POINTER.test(v)) return false;
      if (p.refs.has(v)) return true;
      const target = resolvePointer(p.root, v);
      if (target === undefined) return false;
      p.refs.set(v, target);
      return visit(target);
    }
    default:
      return false;
  }
}

function pattern(source: string, p: Prepared): boolean {
  if (p.patterns.has(source)) return true;
  try {
    p.patterns.set(source, new RegExp(source, 'u'));
    return true;
  } catch {
    return false;
  }
}

/** Deep equality of JSON values (fast-deep-equal's answer on them). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (!isObj(a) || !isObj(b)) return Number.isNaN(a) && Number.isNaN(b);
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => own(b, k) && equal(a[k], b[k]));
}

/** ajv's checkDataType (strictNumbers off). */
function hasType(t: string, x: unknown): boolean {
  switch (t) {
    case 'null':
      return x === null;
    case 'array':
      return Array.isArray(x);
    case 'object':
      return isObj(x);
    case 'integer':
      return typeof x === 'number' && !(x % 1) && !Number.isNaN(x);
    case 'number':
      return typeof x === 'number';
    default:
      return typeof x === t;
  }
}

/** Data ajv and this interpreter read alike: JSON-like values, plain objects, no `__proto__` key. */
function plainData(x: unknown): boolean {
  if (x === null || typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number') return true;
  if (Array.isArray(x)) return x.every(plainData);
  if (typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return false;
  return Object.keys(x).every((k) => k !== '__proto__' && plainData((x as Obj)[k]));
}

/** ajv's "property in data" (`data[prop] !== undefined`); undefined when only the prototype has it. */
function present(o: Obj, k: string): boolean | undefined {
  if (own(o, k)) return o[k] !== undefined;
  return (o as Record<string, unknown>)[k] === undefined ? false : undefined;
}

class Unsure extends Error {}

function valid(s: Schema, x: unknown, p: Prepared): boolean {
  if (typeof s === 'boolean') return s;
  const sub = (name: string, y: unknown): boolean => valid(s[name] as Schema, y, p);
  if (s.$ref !== undefined && !valid(p.refs.get(s.$ref as string)!, x, p)) return false;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(t, x))) return false;
  }
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => equal(x, e))) return false;
  if (s.const !== undefined && !equal(x, s.const)) return false;
  if (s.allOf !== undefined && !(s.allOf as Schema[]).every((a) => valid(a, x, p))) return false;
  if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((a) => valid(a, x, p))) return false;
  if (s.oneOf !== undefined && (s.oneOf as Schema[]).filter((a) => valid(a, x, p)).length !== 1) return false;
  if (s.not !== undefined && valid(s.not as Schema, x, p)) return false;
  if (s.if !== undefined) {
    const branch = valid(s.if as Schema, x, p) ? 'then' : 'else';
    if (s[branch] !== undefined && !sub(branch, x)) return false;
  }
  if (typeof x === 'number') return validNumber(s, x);
  if (typeof x === 'string') return validString(s, x, p);
  if (Array.isArray(x)) return validArray(s, x, p);
  if (isObj(x)) return validObject(s, x, p);
  return true;
}

function validNumber(s: Obj, x: number): boolean {
  const n = (k: string) => s[k] as number | undefined;
  if (n('maximum') !== undefined && (x > n('maximum')! || Number.isNaN(x))) return false;
  if (n('minimum') !== undefined && (x < n('minimum')! || Number.isNaN(x))) return false;
  if (n('exclusiveMaximum') !== undefined && (x >= n('exclusiveMaximum')! || Number.isNaN(x))) return false;
  if (n('exclusiveMinimum') !== undefined && (x <= n('exclusiveMinimum')! || Number.isNaN(x))) return false;
  const m = n('multipleOf');
  if (m !== undefined) {
    if (m === 0) return false;
    const res = x / m;
    if (res !== Number.parseInt(String(res), 10)) return false;
  }
  return true;
}

function validString(s: Obj, x: string, p: Prepared): boolean {
  if (s.maxLength !== undefined || s.minLength !== undefined) {
    const len = [...x].length;
    if (s.maxLength !== undefined && len > (s.maxLength as number)) return false;
    if (s.minLength !== undefined && len < (s.minLength as number)) return false;
  }
  return s.pattern === undefined || p.patterns.get(s.pattern as string)!.test(x);
}

function validArray(s: Obj, x: unknown[], p: Prepared): boolean {
  if (s.maxItems !== undefined && x.length > (s.maxItems as number)) return false;
  if (s.minItems !== undefined && x.length < (s.minItems as number)) return false;
  if (Array.isArray(s.items)) {
    const tuple = s.items as Schema[];
    if (!tuple.every((t, i) => i >= x.length || valid(t, x[i], p))) return false;
    const extra = s.additionalItems as Schema | undefined;
    if (extra !== undefined && !x.slice(tuple.length).every((y) => valid(extra, y, p))) return false;
  } else if (s.items !== undefined && !x.every((y) => valid(s.items as Schema, y, p))) return false;
  if (s.contains !== undefined && !x.some((y) => valid(s.contains as Schema, y, p))) return false;
  if (s.uniqueItems === true) {
    for (let i = 1; i < x.length; i++) for (let j = 0; j < i; j++) if (equal(x[i], x[j])) return false;
  }
  return true;
}

function validObject(s: Obj, x: Obj, p: Prepared): boolean {
  const keys = Object.keys(x);
  if (s.maxProperties !== undefined && keys.length > (s.maxProperties as number)) return false;
  if (s.minProperties !== undefined && keys.length < (s.minProperties as number)) return false;
  const has = (k: string): boolean => {
    const r = present(x, k);
    if (r === undefined) throw new Unsure();
    return r;
  };
  if (s.required !== undefined && !(s.required as string[]).every(has)) return false;
  const props = (s.properties ?? {}) as Record<string, Schema>;
  for (const [k, sub] of Object.entries(props)) if (has(k) && !valid(sub, x[k], p)) return false;
  const pats = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).map(
    ([src, sub]) => [p.patterns.get(src)!, sub] as const,
  );
  for (const k of keys) {
    let matched = own(props, k);
    for (const [re, sub] of pats) {
      if (!re.test(k)) continue;
      matched = true;
      if (!valid(sub, x[k], p)) return false;
    }
    if (!matched && s.additionalProperties !== undefined && !valid(s.additionalProperties as Schema, x[k], p))
      return false;
    if (s.propertyNames !== undefined && !valid(s.propertyNames as Schema, k, p)) return false;
  }
  if (s.dependencies !== undefined) {
    for (const [k, d] of Object.entries(s.dependencies as Record<string, unknown>)) {
      if (!has(k)) continue;
      if (Array.isArray(d) ? !(d as string[]).every(has) : !valid(d as Schema, x, p)) return false;
    }
  }
  return true;
}

/** A checker for a draft-07 schema, or undefined when the schema uses what this interpreter leaves to ajv. */
export function prepareSchema(schema: unknown): ((data: unknown) => boolean) | undefined {
  if (typeof schema !== 'boolean' && !isObj(schema)) return undefined;
  const p: Prepared = { root: schema, refs: new Map(), patterns: new Map() };
  const seen = new Set<unknown>();
  const visit = (s: unknown): boolean => {
    if (typeof s !== 'boolean' && !isObj(s)) return false;
    if (seen.has(s)) return true;
    seen.add(s);
    return checkSchema(s, p, visit, s === schema);
  };
  if (!visit(schema)) return undefined;
  return (data) => {
    if (!plainData(data)) return false;
    try {
      return valid(schema, data, p);
    } catch {
      return false; // Unsure, or a reference cycle that consumes nothing (stack overflow): ajv decides
    }
  };
}
