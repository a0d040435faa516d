/**
 * Differential test of src/rego against the real `opa eval --format json` (oracle opa-1, OPA
 * v1.22.4): the table of OPA's documented semantics (src/rego/testing/table.ts), OPA's upstream
 * conformance sample (../shared/policies/opa) and every Gatekeeper library template's Rego
 * evaluated on its suite's objects (../shared/policies/gatekeeper, `input.review` as Gatekeeper
 * builds it for a CREATE). Our JSON must equal opa's, and where opa fails, we fail with its code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { compileRego, RegoFailure, type RegoModuleInput } from '../../src/rego/index.js';
import { REGO_TABLE } from '../../src/rego/testing/table.js';
import { loadOpaCases } from '../../src/rego/testing/opa-cases.js';
import { oracle } from '../oracles/index.js';

const opa = oracle('opa-1');
const SHARED = join(PACKAGE_ROOT, '..', 'shared', 'policies');

type Outcome = { value: unknown } | { undefined: true } | { error: string };

interface Run {
  readonly modules: readonly RegoModuleInput[];
  readonly v0: boolean;
  readonly query: string;
  readonly input?: unknown;
  readonly data?: Record<string, unknown>;
}

/** opa eval over the same modules, input and data. */
function runOpa(dir: string, run: Run): Outcome {
  const args = ['eval', '--format', 'json'];
  if (run.v0) args.push('--v0-compatible');
  run.modules.forEach((m, i) => {
    const f = join(dir, `m${i}.rego`);
    writeFileSync(f, m.text);
    args.push('-d', f);
  });
  if (run.data) {
    writeFileSync(join(dir, 'data.json'), JSON.stringify(run.data));
    args.push('-d', join(dir, 'data.json'));
  }
  if (run.input !== undefined) {
    writeFileSync(join(dir, 'input.json'), JSON.stringify(run.input));
    args.push('-i', join(dir, 'input.json'));
  }
  args.push(run.query);
  const r = spawnSync(opa.path, args, { encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(r.stdout || '{}') as {
    result?: { expressions: { value: unknown }[] }[];
    errors?: { code: string }[];
  };
  if (out.errors && out.errors.length > 0) return { error: out.errors[0]!.code };
  if (!out.result || out.result.length === 0) return { undefined: true };
  return { value: out.result[0]!.expressions[0]!.value };
}

function runOurs(run: Run): Outcome {
  try {
    const prog = compileRego(run.modules, { v0: run.v0 });
    const v = prog.evaluate(run.query, {
      ...(run.input !== undefined ? { input: run.input } : {}),
      ...(run.data ? { data: run.data } : {}),
    });
    // Through JSON text like opa's output (big integers as digits).
    return v === undefined
      ? { undefined: true }
      : { value: JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))) };
  } catch (e) {
    if (e instanceof RegoFailure) return { error: e.errors[0]!.code };
    throw e;
  }
}

function compare(name: string, run: Run, dir: string, disagreements: string[]): void {
  const theirs = runOpa(dir, run);
  const ours = runOurs(run);
  try {
    assert.deepEqual(ours, theirs);
  } catch {
    disagreements.push(
      `${name}: opa ${JSON.stringify(theirs).slice(0, 400)}, ours ${JSON.stringify(ours).slice(0, 400)}`,
    );
  }
}

test('the documented-semantics table agrees with opa eval', { skip: opa.skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rego-diff-'));
  const bad: string[] = [];
  try {
    for (const c of REGO_TABLE) {
      if (c.differsFromOpa) continue;
      compare(
        `${c.section}: ${c.name}`,
        {
          modules: [{ file: 'policy.rego', text: c.module }],
          v0: c.v0 === true,
          query: c.query,
          ...(c.input !== undefined ? { input: c.input } : {}),
        },
        dir,
        bad,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(bad, [], `${bad.length} of ${REGO_TABLE.length} disagree`);
});

test("OPA's upstream conformance sample agrees with opa eval", {
  skip: opa.skip || (!existsSync(join(SHARED, 'opa', 'cases.tsv')) && !process.env.CI && 'no ../shared/policies/opa'),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rego-diff-'));
  const bad: string[] = [];
  try {
    for (const c of loadOpaCases(join(SHARED, 'opa'))) {
      compare(
        `${c.file}: ${c.note}`,
        {
          modules: c.modules.map((text, i) => ({ file: `m${i}.rego`, text })),
          v0: c.v0,
          query: c.ref,
          ...(c.input !== undefined ? { input: c.input } : {}),
          ...(c.data ? { data: c.data } : {}),
        },
        dir,
        bad,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(bad, []);
});

/** Every (template, suite case) of the Gatekeeper library sample: modules, input, query. */
export function gatekeeperRuns(root: string): { name: string; run: Run }[] {
  const out: { name: string; run: Run }[] = [];
  for (const d of readdirSync(root).sort()) {
    const dir = join(root, d);
    if (!existsSync(join(dir, 'suite.yaml'))) continue;
    const suite = parse(readFileSync(join(dir, 'suite.yaml'), 'utf8')) as {
      tests: { template: string; constraint: string; cases?: { name: string; object: string }[] }[];
    };
    for (const t of suite.tests) {
      const tpl = parse(readFileSync(join(dir, t.template), 'utf8')) as {
        spec: {
          targets: {
            rego?: string;
            libs?: string[];
            code?: { engine: string; source: { rego?: string; libs?: string[] } }[];
          }[];
        };
      };
      const target = tpl.spec.targets[0]!;
      const regoCode = target.code?.find((c) => c.engine === 'Rego')?.source;
      const rego = target.rego ?? regoCode?.rego;
      if (!rego) continue;
      const libs = target.libs ?? regoCode?.libs ?? [];
      const modules = [rego, ...libs].map((text, i) => ({ file: `${d}/${i}.rego`, text }));
      const pkg = /^package\s+(\S+)/m.exec(rego)![1]!;
      const constraint = parse(readFileSync(join(dir, t.constraint), 'utf8')) as { spec?: { parameters?: unknown } };
      for (const c of t.cases ?? []) {
        const obj = parse(readFileSync(join(dir, c.object), 'utf8')) as {
          kind: string;
          apiVersion: string;
          metadata?: { name?: string; namespace?: string };
        };
        const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
        const input = {
          review: {
            object: obj,
            kind: { group, version, kind: obj.kind },
            operation: 'CREATE',
            name: obj.metadata?.name ?? '',
            namespace: obj.metadata?.namespace ?? '',
            userInfo: { username: 'test-user' },
          },
          parameters: constraint.spec?.parameters ?? {},
        };
        out.push({
          name: `${d}/${t.constraint}/${c.name}`,
          run: { modules, v0: true, query: `data.${pkg}.violation`, input, data: { inventory: {} } },
        });
      }
    }
  }
  return out;
}

test('every Gatekeeper library template agrees with opa eval on its suite objects', {
  skip: opa.skip || (!existsSync(join(SHARED, 'gatekeeper')) && !process.env.CI && 'no ../shared/policies/gatekeeper'),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rego-diff-'));
  const bad: string[] = [];
  const runs = gatekeeperRuns(join(SHARED, 'gatekeeper'));
  assert.ok(runs.length > 100, `${runs.length} runs`);
  try {
    for (const { name, run } of runs) compare(name, run, dir, bad);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(bad, [], `${bad.length} of ${runs.length} disagree`);
});
