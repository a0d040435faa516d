/**
 * prometheus-rule-parses agrees with promtool (the Prometheus project's own checker) on
 * whether each expression parses: same verdict for every case below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rules } from '../../src/checks/registry.js';
import { checkCluster } from '../../src/checks/run.js';
import { contextFromYaml } from '../../src/checks/testing.js';

const EXPRS = [
  'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
  'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05',
  'sum(rate(http_requests_total{code=~"5.."}[5m]) > 0.05',
  'up == 0',
  'rate(http_requests_total[5m] offset 1h)',
  'sum by (job) rate(x[5m])',
  'avg_over_time(up[5m:1m])',
  'x{job="a" ',
  'absent(up{job="api"}) == 1',
  '1 +',
];

const yamlOf = (expr: string) => `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: r, namespace: monitoring }
spec:
  groups:
    - name: g
      rules:
        - alert: A
          expr: ${JSON.stringify(expr)}
          labels: { severity: page }
`;

test('prometheus-rule-parses gives the same verdict as promtool check rules', (t) => {
  if (spawnSync('promtool', ['--version']).error) {
    t.skip('promtool not installed');
    return;
  }
  const rule = rules.find((r) => r.id === 'prometheus-rule-parses')!;
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-promtool-'));
  try {
    let bad = 0;
    for (const expr of EXPRS) {
      const f = join(dir, 'rules.yaml');
      writeFileSync(
        f,
        `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(expr)}\n` +
          `        labels: { severity: page }\n`,
      );
      const promtoolOk = spawnSync('promtool', ['check', 'rules', f], { encoding: 'utf8' }).status === 0;
      const oursOk = checkCluster(contextFromYaml(yamlOf(expr)), { rules: [rule] }).length === 0;
      assert.equal(
        oursOk,
        promtoolOk,
        `${expr}: promtool ${promtoolOk ? 'accepts' : 'rejects'} it, aksfleet ${oursOk ? 'accepts' : 'rejects'} it`,
      );
      if (!promtoolOk) bad++;
    }
    assert.ok(bad >= 3 && bad < EXPRS.length, 'the cases include both verdicts');
  } finally {
    rmSync(dir, { recursive: true });
  }
});
