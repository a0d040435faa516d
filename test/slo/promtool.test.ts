/**
 * The generated SLO rules and their promtool unit tests, run by the real engine: `promtool check
 * rules` on every rule group (taken from the PrometheusRule objects themselves), `promtool test
 * rules` on the generated tests, and mutation runs proving those tests fail when the rules are
 * wrong. Skips when promtool is not installed (Debian/Ubuntu: apt-get install prometheus).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { exampleFile } from '../../src/package-root.js';
import { generateSloTests, sloObjects } from '../../src/generators/slo/index.js';
import { toYaml } from '../../src/yaml/emit.js';
import { parse } from 'yaml';
import type { Fleet } from '../../src/spec/schema.js';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const skip = promtool.status === 0 ? false : 'promtool not installed (apt-get install prometheus)';
const example = readFileSync(exampleFile('fleet.yaml'), 'utf8');

/** A second fleet: 28d windows, 99.5%, a regex errorSelector, an integer latency threshold. */
const variant = example
  .replace(/window: 30d/g, 'window: 28d')
  .replace('objective: 99.9', 'objective: 99.5')
  .replace('errorSelector: code=~"5.."', 'errorSelector: code=~"5..|429"')
  .replace(
    'selector: job="api"\n              errorSelector',
    'selector: job="api",handler!="/healthz"\n              errorSelector',
  )
  .replace('thresholdSeconds: 0.3', 'thresholdSeconds: 1');

test('the variant fleet really differs from the example', () => {
  for (const s of ['window: 28d', 'objective: 99.5', 'code=~"5..|429"', 'handler!="/healthz"', 'thresholdSeconds: 1\n'])
    assert.ok(variant.includes(s), s);
  assert.ok(!variant.includes('window: 30d'));
});

function run(args: string[], cwd: string): { code: number; out: string; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, ms: Number((process.hrtime.bigint() - t0) / 1000000n) };
}

function writeTree(fleet: Fleet): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-slo-'));
  for (const f of generateSloTests(fleet)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

function sloDirs(fleet: Fleet): string[] {
  return generateSloTests(fleet)
    .filter((f) => f.path.endsWith('/rules.yaml'))
    .map((f) => dirname(f.path));
}

/**
 * Extreme objectives: 99.99% (the fast burn needs only ~2% errors) and 90% (a 1h page would need
 * 144% errors: those scenarios are skipped and listed in the README). The 1-minute file only.
 */
const extreme = example.replace('objective: 99.9', 'objective: 99.99').replace('objective: 99\n', 'objective: 90\n');

test('extreme objectives: generated tests pass, impossible scenarios are listed as skipped', { skip }, () => {
  assert.ok(extreme.includes('objective: 99.99') && extreme.includes('objective: 90\n'));
  const fleet = parseFleet(extreme, 'fleet.yaml');
  const readme = generateSloTests(fleet).find((f) => f.path === 'tests/slo/README.md')!.content;
  assert.match(readme, /app\/api\/api-latency: fast burn: a 1h page needs an error ratio above 1\.44/);
  const dir = writeTree(fleet);
  try {
    for (const d of sloDirs(fleet)) {
      const r = run(['test', 'rules', 'tests.yaml'], join(dir, d));
      assert.equal(r.code, 0, `${d}/tests.yaml:\n${r.out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [label, text] of [
  ['example fleet', example],
  ['variant fleet (28d, 99.5%, regex errorSelector, le=1)', variant],
] as const) {
  test(`promtool check rules: every PrometheusRule's groups (${label})`, { skip }, () => {
    const fleet = parseFleet(text, 'fleet.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-slo-check-'));
    try {
      let n = 0;
      for (const t of fleet.spec.tenants) {
        for (const app of t.apps) {
          for (const o of sloObjects(fleet, t, app)) {
            if (o.kind !== 'PrometheusRule') continue;
            const file = join(dir, `${o.metadata!.name}.yaml`);
            writeFileSync(file, toYaml({ groups: (o.spec as { groups: unknown }).groups }));
            const r = run(['check', 'rules', file], dir);
            assert.equal(r.code, 0, r.out);
            const m = /SUCCESS: (\d+) rules found/.exec(r.out);
            assert.ok(m, r.out);
            const want = o.metadata!.name!.endsWith('latency') ? 23 : 22;
            assert.equal(Number(m[1]), want, `${o.metadata!.name}: ${r.out}`);
            n++;
          }
        }
      }
      assert.equal(n, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`promtool test rules: generated unit tests pass (${label})`, { skip }, () => {
    const fleet = parseFleet(text, 'fleet.yaml');
    const dir = writeTree(fleet);
    try {
      for (const d of sloDirs(fleet)) {
        const check = run(['check', 'rules', 'rules.yaml'], join(dir, d));
        assert.equal(check.code, 0, check.out);
        for (const f of ['tests.yaml', 'tests-3d.yaml']) {
          const r = run(['test', 'rules', f], join(dir, d));
          assert.equal(r.code, 0, `${d}/${f}:\n${r.out}`);
          assert.match(r.out, /SUCCESS/);
          // Runtime is measured by the benchmark, not asserted; logged for the report.
          process.stderr.write(`# promtool test rules ${d}/${f}: ${r.ms} ms\n`);
        }
        const tests =
          readFileSync(join(dir, d, 'tests.yaml'), 'utf8') + readFileSync(join(dir, d, 'tests-3d.yaml'), 'utf8');
        for (const scenario of ['fast burn', 'healthy', 'quiet service', 'slow burn', 'the metric disappears'])
          assert.ok(tests.includes(scenario), `${d}: ${scenario}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Mutations of the availability rules that the generated tests must catch. Each runs only the
 * scenario (test group) that must catch it, to keep the run short.
 */
const MUTATIONS: {
  what: string;
  file: 'tests.yaml' | 'tests-3d.yaml';
  scenario: string;
  apply: (rules: string) => string;
  failing: RegExp;
}[] = [
  {
    what: 'no traffic guard: the quiet service pages',
    file: 'tests.yaml',
    scenario: 'quiet service',
    apply: (r) => r.replace(/ and slo:sli_requests:rate(1h|6h)\{[^}]*\} >= 0\.1/g, ''),
    failing: /quiet service[\s\S]*alertname: SLOErrorBudgetFastBurn/,
  },
  {
    what: 'page factor 10x too low: pages before the 1h window allows',
    file: 'tests.yaml',
    scenario: 'fast burn',
    apply: (r) => r.replace(/\(14\.4 \* 0\.001\)/g, '(1.44 * 0.001)'),
    failing: /fast burn[^\n]*\n\s+alertname: SLOErrorBudgetFastBurn, time: 6h3m, \n\s+exp:\[\], \n\s+got:\[\n/,
  },
  {
    what: 'page factor 10x too high: the fast burn never pages',
    file: 'tests.yaml',
    scenario: 'fast burn',
    apply: (r) => r.replace(/\(14\.4 \* 0\.001\)/g, '(144 * 0.001)').replace(/\(6 \* 0\.001\)/g, '(60 * 0.001)'),
    failing: /fast burn[^\n]*\n\s+alertname: SLOErrorBudgetFastBurn, time: 6h6m, \n\s+exp:\[\n[\s\S]*?got:\[\]/,
  },
  {
    what: 'absent alert without for: fires too early',
    file: 'tests.yaml',
    scenario: 'the metric disappears',
    apply: (r) => r.replace(/\n {4}for: 10m/, ''),
    failing: /metric disappears[^\n]*\n\s+alertname: SLOMetricAbsent, time: 43m, \n\s+exp:\[\], \n\s+got:\[\n/,
  },
  {
    what: 'ticket factors too low: the slow burn tickets early',
    file: 'tests-3d.yaml',
    scenario: 'slow burn',
    apply: (r) => r.replace(/\(3 \* 0\.001\)/g, '(1 * 0.001)').replace(/\(1 \* 0\.001\)\)\n/g, '(0.3 * 0.001))\n'),
    failing: /slow burn[\s\S]*alertname: SLOErrorBudgetSlowBurn/,
  },
  {
    what: 'slow burn promoted to a page: 4.5x crosses a page factor',
    file: 'tests-3d.yaml',
    scenario: 'slow burn',
    apply: (r) => r.replace(/\(6 \* 0\.001\)/g, '(4 * 0.001)'),
    failing: /slow burn[\s\S]*alertname: SLOErrorBudgetFastBurn/,
  },
  {
    what: 'no `or vector(0)`: a service without error series has no ratio',
    file: 'tests.yaml',
    scenario: 'no error series yet',
    apply: (r) => r.replace(/ or vector\(0\)\)/g, ')'),
    failing: /expr: "slo:sli_error:ratio_rate1h[^\n]*== bool 0", time: 1h,\n\s+exp:[^\n]*\n\s+got: nil/,
  },
];

test('mutated rules fail the generated tests (the tests can fail)', { skip }, () => {
  const fleet = parseFleet(example, 'fleet.yaml');
  const dir = writeTree(fleet);
  try {
    const d = join(dir, 'tests/slo/app/api/api-availability');
    const original = readFileSync(join(d, 'rules.yaml'), 'utf8');
    for (const m of MUTATIONS) {
      const mutated = m.apply(original);
      assert.notEqual(mutated, original, `mutation did not apply: ${m.what}`);
      writeFileSync(join(d, 'rules.yaml'), mutated);
      const check = run(['check', 'rules', 'rules.yaml'], d);
      assert.equal(check.code, 0, `${m.what}: mutated rules must still be valid\n${check.out}`);
      const all = parse(readFileSync(join(d, m.file), 'utf8')) as { tests: { name: string }[] };
      const only = { ...all, tests: all.tests.filter((g) => g.name.includes(m.scenario)) };
      assert.equal(only.tests.length, 1, `${m.what}: scenario '${m.scenario}'`);
      writeFileSync(join(d, 'mutation-tests.yaml'), toYaml(only));
      const r = run(['test', 'rules', 'mutation-tests.yaml'], d);
      assert.notEqual(r.code, 0, `${m.what}: the tests passed`);
      assert.match(r.out, m.failing, `${m.what}:\n${r.out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
