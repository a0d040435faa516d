/**
 * CRD validation rules (`x-kubernetes-validations`) evaluated as the API server does on create
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel): at each schema node that has rules
 * and a value in the object, every rule is evaluated with `self` = that value, through src/cel
 * (the Kubernetes CEL environment); a rule that is false fails with its `message` (or its
 * `messageExpression`, else "failed rule: RULE"), at the node's path plus its `fieldPath`.
 *  - Transition rules (using `oldSelf`) are not evaluated on create, as the API server does not;
 *    with `optionalOldSelf: true` they would be (oldSelf absent): reported as not evaluated.
 *  - A rule that does not compile, or fails to evaluate (an error value, the cost limit), is
 *    reported as not evaluated (a warning), never passed in silence.
 * Objects, maps (additionalProperties) and lists (items) are walked; rules under allOf/anyOf/oneOf
 * are not allowed by structural schemas.
 */
import { CelCompileError, CelEvalError, compileCel, type CelProgram } from '../cel/index.js';

export interface CelProblem {
  readonly instancePath: string;
  readonly message: string;
  readonly severity?: 'warning';
  /** A rule that evaluated to false (not a rule that could not be evaluated). */
  readonly celRule?: true;
}

interface Rule {
  readonly rule?: unknown;
  readonly message?: unknown;
  readonly messageExpression?: unknown;
  readonly fieldPath?: unknown;
  readonly reason?: unknown;
  readonly optionalOldSelf?: unknown;
}

type Compiled = { program: CelProgram; message?: CelProgram } | { error: string };

/** Compiled rules by expression (pure: the same text compiles the same); at most 2,000. */
const compiled = new Map<string, Compiled>();

function compile(rule: string, messageExpression: string | undefined): Compiled {
  const key = `${rule}\0${messageExpression ?? ''}`;
  let c = compiled.get(key);
  if (!c) {
    try {
      const program = compileCel(rule, { variables: ['self', 'oldSelf'] });
      const message =
        messageExpression !== undefined ? compileCel(messageExpression, { variables: ['self', 'oldSelf'] }) : undefined;
      c = { program, ...(message ? { message } : {}) };
    } catch (e) {
      if (!(e instanceof CelCompileError)) throw e;
      c = { error: e.message };
    }
    if (compiled.size >= 2000) compiled.clear();
    compiled.set(key, c);
  }
  return c;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether an expression reads `oldSelf` (a transition rule). */
function usesOldSelf(rule: string): boolean {
  return /(^|[^A-Za-z0-9_.])oldSelf\b/.test(rule.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''"));
}

/** `.spec.chart` / `['a.b']` fieldPath as a JSON pointer suffix (`/spec/chart`). */
function pointerOf(fieldPath: string): string {
  const out: string[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fieldPath)) !== null) out.push((m[1] ?? m[2] ?? m[3])!.replace(/~/g, '~0').replace(/\//g, '~1'));
  return out.map((s) => `/${s}`).join('');
}

function evalRule(r: Rule, value: unknown, at: string, out: CelProblem[]): void {
  if (typeof r.rule !== 'string') return;
  const rule = r.rule;
  const where = `x-kubernetes-validations rule ${JSON.stringify(rule)}`;
  if (usesOldSelf(rule)) {
    // The API server evaluates transition rules on update only; with optionalOldSelf also on create (oldSelf absent).
    if (r.optionalOldSelf === true)
      out.push({
        instancePath: at,
        severity: 'warning',
        message: `${where} (optionalOldSelf) is not evaluated offline: it reads oldSelf`,
      });
    return;
  }
  const c = compile(rule, typeof r.messageExpression === 'string' ? r.messageExpression : undefined);
  if ('error' in c) {
    out.push({
      instancePath: at,
      severity: 'warning',
      message: `${where} does not compile here, not evaluated: ${c.error}`,
    });
    return;
  }
  let ok: unknown;
  try {
    ok = c.program.evaluate({ self: value });
  } catch (e) {
    if (!(e instanceof CelEvalError)) throw e;
    out.push({
      instancePath: at,
      severity: 'warning',
      message: `${where} could not be evaluated, not checked: ${e.message}`,
    });
    return;
  }
  if (ok === true) return;
  if (ok !== false) {
    out.push({
      instancePath: at,
      severity: 'warning',
      message: `${where} does not give a bool (${JSON.stringify(ok)}), not checked`,
    });
    return;
  }
  let message = typeof r.message === 'string' && r.message !== '' ? r.message : `failed rule: ${rule}`;
  if (c.message) {
    // The API server falls back to message (or the rule) when messageExpression fails or is empty.
    try {
      const m = c.message.evaluate({ self: value });
      if (typeof m === 'string' && m.trim() !== '') message = m;
    } catch (e) {
      if (!(e instanceof CelEvalError)) throw e;
    }
  }
  const reason = typeof r.reason === 'string' && r.reason !== 'FieldValueInvalid' ? ` (reason ${r.reason})` : '';
  const path = typeof r.fieldPath === 'string' && r.fieldPath !== '' ? at + pointerOf(r.fieldPath) : at;
  out.push({ instancePath: path, message: `${message}${reason}`, celRule: true });
}

function walk(schema: unknown, value: unknown, at: string, out: CelProblem[]): void {
  if (!isMap(schema) || value === undefined || value === null) return;
  const rules = schema['x-kubernetes-validations'];
  if (Array.isArray(rules)) for (const r of rules) if (isMap(r)) evalRule(r as Rule, value, at, out);
  if (isMap(value)) {
    const props = isMap(schema.properties) ? schema.properties : {};
    for (const [k, v] of Object.entries(value)) {
      const sub = k in props ? props[k] : isMap(schema.additionalProperties) ? schema.additionalProperties : undefined;
      if (sub !== undefined) walk(sub, v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  } else if (Array.isArray(value) && isMap(schema.items)) {
    value.forEach((v, i) => walk(schema.items, v, `${at}/${i}`, out));
  }
}

/** Whether a schema holds any `x-kubernetes-validations` (most do not: nothing to walk). */
export function hasCelRules(schema: unknown): boolean {
  return JSON.stringify(schema).includes('"x-kubernetes-validations"');
}

/**
 * `value` with the schema's `default`s filled in where a field is absent, as the API server
 * defaults an object before it validates it (structural defaulting); `value` is not changed.
 */
export function withDefaults(schema: unknown, value: unknown): unknown {
  if (!isMap(schema)) return value;
  if (isMap(value)) {
    const props = isMap(schema.properties) ? schema.properties : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const sub = k in props ? props[k] : isMap(schema.additionalProperties) ? schema.additionalProperties : undefined;
      out[k] = withDefaults(sub, v);
    }
    for (const [k, sub] of Object.entries(props)) {
      if (!(k in out) && isMap(sub) && sub.default !== undefined)
        out[k] = withDefaults(sub, structuredClone(sub.default));
    }
    return out;
  }
  if (Array.isArray(value) && isMap(schema.items)) return value.map((v) => withDefaults(schema.items, v));
  return value;
}

/** The problems the CRD's CEL validation rules find in `obj` on create, after defaulting (empty: all hold). */
export function celValidations(schema: unknown, obj: unknown): CelProblem[] {
  const out: CelProblem[] = [];
  walk(schema, withDefaults(schema, obj), '', out);
  return out;
}
