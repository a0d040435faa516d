/**
 * The precompiled CRD validators (`npm run build` -> scripts/compile-validators.mjs, ajv
 * standalone code) judge exactly as ajv compiling the same schema at run time: same verdict and
 * the same errors on every CRD-typed object of the generated example fleet and on seeded
 * mutations of them (unknown fields, wrong types, missing fields, random values).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { parseAllDocuments } from 'yaml';
import { generateAll } from '../generators/index.js';
import { exampleFile, PACKAGE_ROOT } from '../package-root.js';
import { loadFleet } from '../spec/load.js';
import { mulberry32 as rng } from '../seeded-random.js';
import { AJV_OPTIONS, bundledCrdSchemas, compiledValidatorPath } from './validate.js';

const require = createRequire(import.meta.url);
const standaloneCode = ((standalone as unknown as { default?: typeof standalone }).default ??
  standalone) as unknown as (a: Ajv, f: ValidateFunction) => string;

/** Evaluates standalone CommonJS code with this package's require (it needs ajv's runtime helpers). */
function load(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports as ValidateFunction;
}

function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(obj: unknown, r: () => number): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const all = paths(copy).filter((p) => p.length > 0);
  const p = all[Math.floor(r() * all.length)]!;
  let parent: Record<string | number, unknown> = copy;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = p[p.length - 1]!;
  const values = [42, -1, 1.5, 'text', '', true, null, [], {}, ['a'], { unexpected: 1 }];
  const what = Math.floor(r() * 3);
  if (what === 0 && !Array.isArray(parent)) delete parent[last];
  else if (what === 1 && !Array.isArray(parent)) parent[`unknownField${Math.floor(r() * 9)}`] = 'x';
  else parent[last] = values[Math.floor(r() * values.length)];
  return copy;
}

test('precompiled CRD validators give the same verdicts and errors as run-time compiled ones', () => {
  const bundled = bundledCrdSchemas();
  const kinds = new Map(bundled.map((b) => [b.key, b.schema]));
  const precompiled = new Set(bundled.filter((b) => b.precompile).map((b) => b.key));
  assert.ok(
    precompiled.has('kyverno.io/v1 ClusterPolicy') &&
      precompiled.has('helm.toolkit.fluxcd.io/v2 HelmRelease') &&
      !precompiled.has('monitoring.coreos.com/v1 Prometheus'),
  );
  const objects = new Map<string, unknown[]>();
  for (const f of generateAll(loadFleet(exampleFile('fleet.yaml')))) {
    if (!f.path.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(f.content) as { toJS(): unknown }[]) {
      const o = d.toJS() as { apiVersion?: string; kind?: string } | null;
      const k = o && `${o.apiVersion} ${o.kind}`;
      if (k && kinds.has(k)) objects.set(k, [...(objects.get(k) ?? []), o]);
    }
  }
  const r = rng(11);
  let compared = 0;
  let invalid = 0;
  const seen = new Set<string>();
  for (const [key, schema] of kinds) {
    const runtime = new Ajv(AJV_OPTIONS).compile(schema);
    const gen = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const fns: [string, ValidateFunction][] = [['standalone', load(standaloneCode(gen, gen.compile(schema)))]];
    // What `npm run build` made (present in CI, where `npm ci` builds): the same file name scheme.
    const built = compiledValidatorPath(schema);
    if (existsSync(built)) fns.push(['dist', require(built) as ValidateFunction]);
    else if (precompiled.has(key))
      assert.ok(
        !existsSync(join(PACKAGE_ROOT, 'dist', 'schemas', 'validate.js')),
        `${key}: dist is built but has no precompiled validator ${built}`,
      );
    seen.add(key);
    const base = objects.get(key) ?? [
      { apiVersion: key.split(' ')[0], kind: key.split(' ')[1], metadata: { name: 'x' }, spec: {} },
    ];
    const cases: unknown[] = [...base];
    for (let i = 0; i < 150; i++) cases.push(mutate(base[i % base.length], r));
    for (const c of cases) {
      const want = runtime(c);
      const wantErrors = structuredClone(runtime.errors ?? null);
      if (!want) invalid++;
      for (const [name, fn] of fns) {
        assert.equal(fn(c), want, `${key} ${name}: verdict`);
        assert.deepEqual(structuredClone(fn.errors ?? null), wantErrors, `${key} ${name}: errors`);
      }
      compared++;
    }
  }
  assert.ok(invalid > 100 && invalid < compared, `both verdicts occur (${invalid} invalid of ${compared})`);
});
