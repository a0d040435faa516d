/**
 * The values-schema interpreter judged by ajv (the validator it stands in front of, itself judged
 * against helm by test/helm): the same verdict on every chart of ../shared/charts with a
 * values.schema.json, on each of its cases' coalesced values and on seeded mutations of them,
 * and on seeded random schemas and data over every keyword it evaluates. It must decline what it
 * does not evaluate (then ajv runs).
 */
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mulberry32 } from '../../seeded-random.js';
import type { Chart } from '../chart/types.js';
import { prepareRender } from '../template.js';
import { AJV_DRAFT7_KEYWORDS, prepareSchema } from './schema-interpreter.js';
import { ajvValidator, toJson } from './schema.js';

const CHARTS = new URL('../../../../shared/charts/', import.meta.url).pathname;
const skip = existsSync(join(CHARTS, 'cases.tsv')) ? false : 'no ../shared/charts';

/** The keyword `then` (a literal `then` property reads as a thenable to the linter). */
const THEN = ['th', 'en'].join('');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ajvValid = (schema: Record<string, unknown> | boolean) => {
  const v = ajvValidator(schema, '', 'test');
  return (data: unknown) => v(data) === undefined;
};

/** Every chart and subchart with a schema, with the values its schema sees. */
function schemaSections(chart: Chart, values: unknown, out: { name: string; schema: unknown; values: unknown }[]) {
  if (chart.schema) {
    const schema = JSON.parse(new TextDecoder().decode(chart.schema)) as Record<string, unknown>;
    out.push({ name: chart.metadata.name, schema: { ...schema, $schema: undefined }, values });
  }
  for (const sub of chart.dependencies) {
    const v = (values as Record<string, unknown>)[sub.metadata.name];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) schemaSections(sub, v, out);
  }
  return out;
}

/** A seeded mutation of a JSON value: one place changed, added to or removed. */
function mutate(v: Json, rnd: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const leaves: Json[] = ['x', '', 'Always', 0, -1, 1.5, 65536, 3, true, false, null, [], {}, ['a'], { k: 'v' }];
  if (v !== null && typeof v === 'object' && rnd() < 0.8) {
    if (Array.isArray(v)) {
      const c = [...v];
      if (c.length > 0 && rnd() < 0.6) {
        const i = Math.floor(rnd() * c.length);
        c[i] = mutate(c[i]!, rnd);
      } else c.push(pick(leaves));
      return c;
    }
    const c = { ...v };
    const keys = Object.keys(c);
    const r = rnd();
    if (keys.length > 0 && r < 0.7) {
      const k = pick(keys);
      c[k] = mutate(c[k]!, rnd);
    } else if (keys.length > 0 && r < 0.85) delete c[pick(keys)];
    else c[pick(['zzUnknown', 'enabled', 'name', 'create'])] = pick(leaves);
    return c;
  }
  return pick(leaves);
}

test('values schemas of ../shared/charts: the interpreter agrees with ajv on every case and 300 mutations each', {
  skip,
}, () => {
  const rows = readFileSync(join(CHARTS, 'cases.tsv'), 'utf8').trim().split('\n').slice(1);
  const rnd = mulberry32(7);
  let accepted = 0;
  let validCount = 0;
  let invalidCount = 0;
  const declined = new Set<string>();
  for (const row of rows) {
    const [chart, name, release, namespace, , values] = row.split('\t');
    if (chart === 'kube-prometheus-stack') continue; // its subcharts are not in the corpus: no render
    const render = prepareRender({
      args: [release!, join(CHARTS, 'charts', chart!)],
      namespace: namespace!,
      valueFiles: values === '-' ? [] : [join(CHARTS, values!)],
      values: [],
      stringValues: [],
      jsonValues: [],
      skipSchemaValidation: true,
    });
    const coalesced = toJson(render.top.Values as never);
    for (const section of schemaSections(render.chart, coalesced, [])) {
      const fast = prepareSchema(section.schema);
      if (!fast) {
        declined.add(section.name);
        continue;
      }
      accepted++;
      const slow = ajvValid(section.schema as Record<string, unknown>);
      const datas = [section.values as Json];
      for (let i = 0; i < 300; i++) datas.push(mutate(datas[i % 20]!, rnd));
      for (const d of datas) {
        const want = slow(d);
        assert.equal(fast(d), want, `${chart} ${name} ${section.name}: ${JSON.stringify(d).slice(0, 300)}`);
        if (want) validCount++;
        else invalidCount++;
      }
    }
  }
  // cert-manager, external-dns, velero and postgresql (in kyverno) are evaluated; app-template's (remote
  // $ref) and common's ($id) are not.
  assert.ok(accepted >= 10, `accepted ${accepted}`);
  assert.ok(validCount > 100 && invalidCount > 1000, `${validCount} valid, ${invalidCount} invalid`);
  assert.deepEqual([...declined].sort(), ['app-template', 'common']);
});

/** A seeded random draft-07 schema over the keywords the interpreter evaluates. */
function randomSchema(rnd: () => number, depth: number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  if (depth > 2 || rnd() < 0.1) return pick<Json>([true, false, {}]);
  const s: Record<string, Json> = {};
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const kw = pick([
      'type',
      'type',
      'enum',
      'const',
      'properties',
      'properties',
      'required',
      'additionalProperties',
      'patternProperties',
      'items',
      'itemsTuple',
      'minimum',
      'exclusiveMaximum',
      'multipleOf',
      'minLength',
      'maxLength',
      'pattern',
      'minItems',
      'uniqueItems',
      'contains',
      'maxProperties',
      'dependencies',
      'propertyNames',
      'allOf',
      'anyOf',
      'oneOf',
      'not',
      'if',
      '$ref',
    ]);
    const sub = () => randomSchema(rnd, depth + 1);
    switch (kw) {
      case 'type':
        s.type =
          rnd() < 0.7
            ? pick(['string', 'integer', 'number', 'object', 'array', 'boolean', 'null'])
            : ['string', 'null'];
        break;
      case 'enum':
        s.enum = pick<Json[]>([
          ['a', 'b'],
          [1, 2.5],
          [null, { k: 'v' }],
          [['a'], true],
        ]);
        break;
      case 'const':
        s.const = pick<Json>(['a', 1, { k: 'v' }, null]);
        break;
      case 'properties':
        s.properties = { a: sub(), b: sub() };
        break;
      case 'required':
        s.required = pick<Json>([['a'], ['a', 'b'], ['c']]);
        break;
      case 'additionalProperties':
        s.additionalProperties = sub();
        break;
      case 'patternProperties':
        s.patternProperties = { '^a': sub(), x$: sub() };
        break;
      case 'items':
        s.items = sub();
        break;
      case 'itemsTuple':
        s.items = [sub(), sub()].filter((x) => x !== false);
        s.additionalItems = sub();
        break;
      case 'minimum':
        s.minimum = pick([0, 1.5, -2]);
        break;
      case 'exclusiveMaximum':
        s.exclusiveMaximum = pick([0, 3, 10]);
        break;
      case 'multipleOf':
        s.multipleOf = pick([2, 0.5, 0.1]);
        break;
      case 'minLength':
        s.minLength = pick([0, 1, 2]);
        break;
      case 'maxLength':
        s.maxLength = pick([0, 1, 3]);
        break;
      case 'pattern':
        s.pattern = pick(['^a', 'b', '^\\p{L}+$', '[0-9]']);
        break;
      case 'minItems':
        s.minItems = pick([1, 2]);
        break;
      case 'uniqueItems':
        s.uniqueItems = rnd() < 0.8;
        break;
      case 'contains':
        s.contains = sub();
        break;
      case 'maxProperties':
        s.maxProperties = pick([0, 1, 2]);
        break;
      case 'dependencies':
        s.dependencies = { a: ['b'], b: sub() };
        break;
      case 'propertyNames':
        s.propertyNames = sub();
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        s[kw] = [sub(), sub()];
        break;
      case 'not':
        s.not = sub();
        break;
      case 'if':
        s.if = sub();
        if (rnd() < 0.7) s[THEN] = sub();
        if (rnd() < 0.7) s.else = sub();
        break;
      case '$ref':
        s.$ref = depth === 0 ? pick(['#/definitions/d', '#/definitions/e']) : '#/definitions/e';
        break;
    }
  }
  return s;
}

function randomData(rnd: () => number, depth: number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  if (depth > 2 || r < 0.45)
    return pick<Json>(['a', 'ab', 'b9', '', 'é', 0, 1, 2.5, -2, 4, 10, 0.3, true, false, null, 'x', 'abc']);
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomData(rnd, depth + 1));
  const o: Record<string, Json> = {};
  for (let i = Math.floor(rnd() * 4); i > 0; i--) o[pick(['a', 'b', 'ax', 'c', 'k'])] = randomData(rnd, depth + 1);
  return o;
}

test('seeded random draft-07 schemas and data: the interpreter agrees with ajv (1,500 schemas x 20 values)', () => {
  const rnd = mulberry32(2112);
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < 1500; i++) {
    const schema = {
      ...(randomSchema(rnd, 0) as Record<string, Json>),
      definitions: { d: randomSchema(rnd, 1), e: { type: 'object', properties: { a: { $ref: '#/definitions/e' } } } },
    };
    const fast = prepareSchema(schema);
    assert.ok(fast, `declined ${JSON.stringify(schema)}`);
    const slow = ajvValid(schema);
    for (let j = 0; j < 20; j++) {
      const d = randomData(rnd, 0);
      const want = slow(d);
      assert.equal(fast(d), want, `${JSON.stringify(schema)} on ${JSON.stringify(d)}`);
      if (want) valid++;
      else invalid++;
    }
  }
  assert.ok(valid > 5000 && invalid > 5000, `${valid} valid, ${invalid} invalid`);
});

test("the keywords the interpreter knows are ajv's (draft-07, the options of schema.ts)", () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  assert.deepEqual([...AJV_DRAFT7_KEYWORDS].sort(), Object.keys(ajv.RULES.keywords).sort());
});

test('the interpreter declines what it does not evaluate as ajv does', () => {
  for (const s of [
    { nullable: true, type: 'string' },
    { $id: 'x', type: 'string' },
    { $ref: 'other.json#/a' },
    { $ref: '#/definitions/missing' },
    { $ref: '#' },
    { pattern: '(' },
    { type: 'any' },
    { type: [] },
    { enum: [] },
    { exclusiveMinimum: true },
    { required: 'a' },
    { properties: { a: { nullable: true } } },
    { id: 'x' },
    { not: { items: [false], contains: {} } },
    { definitions: { unused: { $id: 'y' } } },
    { definitions: { d: { type: 'string' } }, items: { $ref: '#/definitions/d', $schema: 'x' } },
    [],
    null,
  ])
    assert.equal(prepareSchema(s), undefined, JSON.stringify(s));
  const fast = prepareSchema({ required: ['constructor'] })!;
  assert.equal(fast({}), false, 'a property only the prototype has: ajv decides');
  assert.equal(fast(new Map()), false, 'not plain data: ajv decides');
});
