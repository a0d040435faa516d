/**
 * `values.schema.json` validation as Helm does it (pkg/chart/common/util/jsonschema.go): the
 * chart's schema checks the coalesced values, each enabled subchart's schema checks its own
 * section, and every failure is reported at once, per chart, in the words of Helm's validator
 * (santhosh-tekuri/jsonschema v6) where practical: `- at '/path': message`. `format` is an
 * annotation only (as in Helm). Remote `$ref`s are not fetched: such a schema is an input error
 * (Helm 4 would try the network; `--skip-schema-validation` skips it as in Helm).
 */
import { pointerSegments } from '../../field-path.js';
import type { Ajv, ErrorObject, Options } from 'ajv';
import { createRequire } from 'node:module';
import { inCliBundle } from '../../package-root.js';
import { InputError } from '../../errors.js';
import { GoInt, isGoMap, type GoMap, type GoValue } from '../../gotemplate/value.js';
import type { Chart } from '../chart/types.js';
import { prepareSchema } from './schema-interpreter.js';

/** Values as JSON (GoInt to number: what Go's validator sees after its own conversions). */
export function toJson(v: GoValue | undefined): unknown {
  if (v instanceof GoInt) return Number(v.value);
  if (Array.isArray(v)) return v.map(toJson);
  if (isGoMap(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = toJson(v[k]);
    return o;
  }
  return v;
}

/** santhosh-tekuri's typeOf: every number is "number" (integral or not). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function quoteList(xs: readonly unknown[]): string {
  return xs.map((x) => (typeof x === 'string' ? `'${x}'` : JSON.stringify(x))).join(', ');
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const k of pointerSegments(pointer)) {
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}

/** One ajv error in santhosh-tekuri/jsonschema's words. */
function describe(e: ErrorObject, data: unknown): { at: string; msg: string } {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath;
  let msg: string;
  const v = valueAt(data, e.instancePath);
  switch (e.keyword) {
    case 'required':
      msg = `missing property '${String(p.missingProperty)}'`;
      break;
    case 'type':
      msg = `got ${jsonType(v)}, want ${String(p.type).split(',').join(' or ')}`;
      break;
    case 'enum': {
      const want = (p.allowedValues as unknown[]) ?? [];
      if (want.some((x) => x !== null && typeof x === 'object')) msg = "'enum' failed";
      else msg = want.length === 1 ? `value must be ${quoteList(want)}` : `value must be one of ${quoteList(want)}`;
      break;
    }
    case 'const':
      msg = `value must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'additionalProperties':
      msg = `additional properties '${String(p.additionalProperty)}' not allowed`;
      break;
    case 'pattern':
      msg = `'${String(v)}' does not match pattern '${String(p.pattern)}'`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      msg = `${e.keyword}: got ${String(v)}, want ${String(p.limit ?? p.multipleOf)}`;
      break;
    case 'minLength':
    case 'maxLength':
      msg = `${e.keyword}: got ${[...String(v)].length}, want ${String(p.limit)}`;
      break;
    case 'minProperties':
      msg = `minProperties: got ${Object.keys(v as object).length}, want ${String(p.limit)}`;
      break;
    case 'minItems':
      msg = `minItems: got ${(v as unknown[]).length}, want ${String(p.limit)}`;
      break;
    case 'maxItems':
      msg = `maxItems: got ${(v as unknown[]).length}, want ${String(p.limit)}`;
      break;
    default:
      msg = e.message ?? e.keyword;
  }
  return { at, msg };
}

function compile(schemaText: string, chartName: string): (data: unknown) => string | undefined {
  let schema: Record<string, unknown> | boolean;
  try {
    schema = JSON.parse(schemaText) as Record<string, unknown> | boolean;
  } catch (e) {
    throw new InputError(`${chartName}: values.schema.json: ${(e as Error).message}`);
  }
  const draft = typeof schema === 'object' ? String(schema.$schema ?? '') : '';
  const root = typeof schema === 'object' ? { ...schema, $schema: undefined } : schema;
  const ajvCheck = () => ajvValidator(root, draft, chartName);
  if (draft.includes('2020-12') || draft.includes('2019-09')) return ajvCheck();
  const surelyValid = prepareSchema(root);
  if (!surelyValid) return ajvCheck();
  let slow: ((data: unknown) => string | undefined) | undefined;
  return (data) => (surelyValid(data) ? undefined : (slow ??= ajvCheck())(data));
}

type AjvClass = new (opts: Options) => Ajv;

/**
 * An ajv for the schema's draft, its module loaded on first use (most values are answered by the
 * interpreter; loading ajv costs a cold `helm template` about 20 ms of CPU). In the CLI bundle,
 * `require` is esbuild's and these calls load the bundled ajv; elsewhere (ES modules) node's.
 */
function newAjv(draft: string, opts: Options): Ajv {
  const req = (id: 'ajv' | 'ajv/dist/2019.js' | 'ajv/dist/2020.js'): Record<string, AjvClass> => {
    if (!inCliBundle()) return createRequire(import.meta.url)(id) as Record<string, AjvClass>;
    if (id === 'ajv/dist/2020.js') return require('ajv/dist/2020.js') as Record<string, AjvClass>;
    if (id === 'ajv/dist/2019.js') return require('ajv/dist/2019.js') as Record<string, AjvClass>;
    return require('ajv') as Record<string, AjvClass>;
  };
  if (draft.includes('2020-12')) return new (req('ajv/dist/2020.js').Ajv2020!)(opts);
  if (draft.includes('2019-09')) return new (req('ajv/dist/2019.js').Ajv2019!)(opts);
  return new (req('ajv').Ajv!)(opts);
}

/** ajv's validator (its compile errors are input errors), with its errors in Helm's words. */
export function ajvValidator(
  root: Record<string, unknown> | boolean,
  draft: string,
  chartName: string,
): (data: unknown) => string | undefined {
  const opts = {
    strict: false,
    allErrors: true,
    validateFormats: false,
    validateSchema: false,
    loadSchema: undefined,
  } as const;
  const ajv = newAjv(draft, opts);
  let validate;
  try {
    validate = ajv.compile(root);
  } catch (e) {
    throw new InputError(`${chartName}: values.schema.json cannot be used: ${(e as Error).message}`);
  }
  return (data) => {
    if (validate(data)) return undefined;
    const errors = (validate.errors ?? []).filter(
      (e) =>
        !['if', 'anyOf', 'oneOf', 'allOf', 'not', '$ref'].includes(e.keyword) || (validate.errors ?? []).length === 1,
    );
    // santhosh-tekuri reports all missing (or additional) properties of one object in one line.
    const grouped = new Map<string, string[]>();
    const lines: { at: string; msg: string }[] = [];
    for (const e of errors) {
      if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
        const key = `${e.keyword}\0${e.instancePath}`;
        const name = String(
          (e.params as Record<string, unknown>).missingProperty ??
            (e.params as Record<string, unknown>).additionalProperty,
        );
        if (!grouped.has(key)) {
          grouped.set(key, []);
          lines.push({ at: e.instancePath, msg: key });
        }
        grouped.get(key)!.push(name);
      } else lines.push(describe(e, data));
    }
    const seen = new Set<string>();
    const out: string[] = [];
    for (const l of lines) {
      let msg = l.msg;
      const names = grouped.get(msg);
      if (names) {
        const q = names.map((n) => `'${n}'`).join(', ');
        msg = msg.startsWith('required')
          ? names.length === 1
            ? `missing property ${q}`
            : `missing properties ${q}`
          : `additional properties ${q} not allowed`;
      }
      const s = `- at '${l.at}': ${msg}`;
      if (!seen.has(s)) out.push(s);
      seen.add(s);
    }
    // Helm's order follows Go map iteration (not deterministic); ours is sorted by location.
    out.sort();
    return out.join('\n') + '\n';
  };
}

function validateChart(chart: Chart, values: GoMap): string {
  let sb = '';
  if (chart.schema) {
    const err = compile(new TextDecoder().decode(chart.schema), chart.metadata.name)(toJson(values));
    if (err !== undefined) sb += `${chart.metadata.name}:\n${err}`;
  }
  for (const sub of chart.dependencies) {
    const raw = values[sub.metadata.name];
    if (raw === undefined || raw === null) continue;
    if (!isGoMap(raw)) {
      sb +=
        `${sub.metadata.name}:\ninvalid type for values: expected object (map), got ` +
        `${typeof raw === 'number' ? 'float64' : typeof raw}\n`;
      continue;
    }
    sb += validateChart(sub, raw);
  }
  return sb;
}

/** Helm's ValidateAgainstSchema on coalesced values; throws Helm's error text when they fail. */
export function validateValuesAgainstSchema(chart: Chart, values: GoMap): void {
  const errs = validateChart(chart, values);
  if (errs.length > 0)
    throw new InputError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${errs}`);
}
