/**
 * parsePromQL (lezer-promql) against promtool's parser, the real Prometheus one: the same verdict
 * on every syntax case below. Type errors (`rate` of an instant vector) are a documented
 * difference: lezer-promql checks syntax only, so the generated rules are also run through
 * promtool (test/slo/promtool.test.ts). Skips when promtool is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePromQL } from '../../src/slo/promql.js';
import { toYaml } from '../../src/yaml/emit.js';

const skip =
  spawnSync('promtool', ['--version']).status === 0 ? false : 'promtool not installed (apt-get install prometheus)';

const CASES = [
  'up',
  'up{job="api"}',
  'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05',
  'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
  '(sum(rate(x{a="b"}[30d])) or vector(0)) / sum(rate(x[30d]))',
  'a > (14.4 * 0.001) and b >= 0.1 or c',
  'absent(x{job="api",le=~"1|1\\\\.0"})',
  'count(ALERTS{alertstate="firing"}) or vector(0)',
  'sum without (instance) (rate(x[1h] offset 1d))',
  'max_over_time(x[1h:5m])',
  'x == bool 1',
  '1 - (a / on(job) group_left b)',
  '-x',
  'x{job="api"}[5m]',
  'foo{job=api}',
  'sum(rate(x[5m])',
  'x +',
  'x{job="api"',
  'rate(x[5m]))',
  'x[5m',
  'sum by (le (x)',
  'nosuchfunction(x)',
  'x > > 1',
  '{}',
  '{a=""}',
  '{a=~".*"}',
  '{a!=""}',
  '{a=~".+"}',
  '{__name__="up"}',
  'x{a="b",}',
  "x{a='b'}",
  'x offset',
  'and x',
];

test('parsePromQL agrees with promtool on every case', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-promql-'));
  try {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const [i, expr] of CASES.entries()) {
      const file = join(dir, `r${i}.yaml`);
      writeFileSync(file, toYaml({ groups: [{ name: 'g', rules: [{ record: 'r', expr }] }] }));
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      const promtoolOk = r.status === 0;
      const oursOk = parsePromQL(expr) === null;
      if (!promtoolOk) rejected++;
      if (promtoolOk !== oursOk)
        disagreements.push(
          `${expr}: promtool ${promtoolOk ? 'accepts' : 'rejects'}, parsePromQL ${oursOk ? 'accepts' : 'rejects'}`,
        );
    }
    assert.deepEqual(disagreements, []);
    assert.ok(rejected >= 10, `the corpus has invalid cases (${rejected})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('type errors: promtool rejects, lezer-promql (syntax only) accepts', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-promql-'));
  try {
    const file = join(dir, 'r.yaml');
    writeFileSync(file, toYaml({ groups: [{ name: 'g', rules: [{ record: 'r', expr: 'rate(x)' }] }] }));
    assert.notEqual(spawnSync('promtool', ['check', 'rules', file]).status, 0);
    assert.equal(parsePromQL('rate(x)'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
