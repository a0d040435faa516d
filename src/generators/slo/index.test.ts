import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseFleet } from '../../spec/load.js';
import { exampleFile } from '../../package-root.js';
import { generateSloTests, sloObjects, GRAFANA_DASHBOARD_LABEL, KUBE_PROMETHEUS_STACK_RELEASE } from './index.js';
import { parsePromQL } from '../../slo/promql.js';
import { toYamlStream } from '../../yaml/emit.js';
import { dashboardUid } from '../../slo/dashboard.js';
import type { KObject } from '../../resources/resource.js';
import { InputError } from '../../errors.js';

const text = readFileSync(exampleFile('fleet.yaml'), 'utf8');
const fleet = () => parseFleet(text, 'fleet.yaml');
const apiObjects = () => {
  const f = fleet();
  const t = f.spec.tenants.find((x) => x.name === 'app')!;
  return sloObjects(f, t, t.apps.find((a) => a.name === 'api')!);
};

type Group = {
  name: string;
  interval?: string;
  rules: {
    record?: string;
    alert?: string;
    expr: string;
    for?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  }[];
};
const groupsOf = (o: KObject) => (o.spec as { groups: Group[] }).groups;

test('one PrometheusRule per SLO plus one dashboard ConfigMap, in the app namespace', () => {
  const objs = apiObjects();
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`),
    [
      'PrometheusRule/app/slo-api-api-availability',
      'PrometheusRule/app/slo-api-api-latency',
      'ConfigMap/app/slo-dashboard-api',
    ],
  );
  for (const o of objs.slice(0, 2)) {
    assert.equal(o.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(o.metadata?.labels?.release, KUBE_PROMETHEUS_STACK_RELEASE);
    assert.equal(o.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/substitute'], 'disabled');
  }
  assert.equal(objs[2]!.metadata?.labels?.grafana_dashboard, GRAFANA_DASHBOARD_LABEL.grafana_dashboard);
});

test('rule counts: error ratio + request rate over 8 windows, budget, alerts (and p95 for latency)', () => {
  const [avail, lat] = apiObjects();
  const count = (o: KObject, k: 'record' | 'alert') =>
    groupsOf(o)
      .flatMap((g) => g.rules)
      .filter((r) => r[k] !== undefined).length;
  assert.equal(count(avail!, 'record'), 19);
  assert.equal(count(avail!, 'alert'), 3);
  assert.equal(count(lat!, 'record'), 20);
  assert.equal(count(lat!, 'alert'), 3);
  const windows = groupsOf(avail!)
    .flatMap((g) => g.rules)
    .map((r) => r.record)
    .filter((r) => r?.startsWith('slo:sli_error:ratio_rate'))
    .map((r) => r!.slice('slo:sli_error:ratio_rate'.length));
  assert.deepEqual(windows, ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
});

test('the SLIs use the seed metrics and selectors', () => {
  const [avail, lat] = apiObjects();
  const rule = (o: KObject, name: string) =>
    groupsOf(o)
      .flatMap((g) => g.rules)
      .find((r) => r.record === name || r.alert === name)!;
  assert.equal(
    rule(avail!, 'slo:sli_error:ratio_rate5m').expr,
    '(sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) ' +
      'or vector(0)) / sum(rate(http_requests_total{job="api"}[5m]))',
  );
  assert.equal(
    rule(lat!, 'slo:sli_error:ratio_rate1h').expr,
    '1 - (sum(rate(http_request_duration_seconds_bucket{job="api",le="0.3"}[1h])) ' +
      '/ sum(rate(http_request_duration_seconds_count{job="api"}[1h])))',
  );
  const p95 = rule(lat!, 'slo:request_latency_seconds:rate5m');
  assert.equal(
    p95.expr,
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
  );
  assert.equal(p95.labels.quantile, '0.95');
  const page = rule(avail!, 'SLOErrorBudgetFastBurn');
  assert.equal(page.labels.severity, 'page');
  assert.match(
    page.expr,
    /slo:sli_error:ratio_rate5m\{[^}]*\} > \(14\.4 \* 0\.001\) and slo:sli_error:ratio_rate1h\{[^}]*\} > \(14\.4 \* 0\.001\) and slo:sli_requests:rate1h\{[^}]*\} >= 0\.1/,
  );
  assert.match(
    page.expr,
    /ratio_rate30m\{[^}]*\} > \(6 \* 0\.001\) and slo:sli_error:ratio_rate6h\{[^}]*\} > \(6 \* 0\.001\) and slo:sli_requests:rate6h/,
  );
  const ticket = rule(avail!, 'SLOErrorBudgetSlowBurn');
  assert.equal(ticket.labels.severity, 'ticket');
  assert.match(
    ticket.expr,
    /ratio_rate2h\{[^}]*\} > \(3 \* 0\.001\) and slo:sli_error:ratio_rate1d\{[^}]*\} > \(3 \* 0\.001\)\) or \(.*ratio_rate6h\{[^}]*\} > \(1 \* 0\.001\) and slo:sli_error:ratio_rate3d/,
  );
  assert.doesNotMatch(ticket.expr, /sli_requests/, 'tickets have no traffic guard');
  const absent = rule(lat!, 'SLOMetricAbsent');
  assert.equal(absent.expr, 'absent(http_request_duration_seconds_bucket{job="api",le="0.3"})');
  assert.equal(absent.for, '10m');
  for (const a of [page, ticket, absent]) {
    assert.ok(
      a.annotations?.summary && a.annotations.description && a.annotations.runbook,
      'summary, description, runbook',
    );
    assert.equal(a.labels.owner, 'team-api');
  }
});

test('every expression parses with the Prometheus grammar (lezer-promql)', () => {
  const exprs = apiObjects()
    .slice(0, 2)
    .flatMap((o) => groupsOf(o).flatMap((g) => g.rules.map((r) => r.expr)));
  assert.equal(exprs.length, 45);
  for (const e of exprs) assert.equal(parsePromQL(e), null, e);
  const dash = JSON.parse(Object.values(apiObjects()[2]!.data as Record<string, string>)[0]!) as {
    panels: { targets?: { expr: string }[] }[];
  };
  const dexprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  assert.ok(dexprs.length > 20);
  for (const e of dexprs) assert.equal(parsePromQL(e), null, e);
});

test('28d window and integer thresholds', () => {
  const f = parseFleet(
    text.replace(/window: 30d/g, 'window: 28d').replace('thresholdSeconds: 0.3', 'thresholdSeconds: 1'),
    'fleet.yaml',
  );
  const t = f.spec.tenants[0]!;
  const [avail, lat] = sloObjects(f, t, t.apps[0]!);
  const rules = groupsOf(avail!).flatMap((g) => g.rules);
  assert.ok(rules.some((r) => r.record === 'slo:sli_error:ratio_rate28d'));
  assert.match(
    rules.find((r) => r.alert === 'SLOErrorBudgetFastBurn')!.expr,
    /> \(13\.44 \* 0\.001\).*> \(5\.6 \* 0\.001\)/,
  );
  assert.match(
    rules.find((r) => r.alert === 'SLOErrorBudgetSlowBurn')!.expr,
    /> \(2\.8 \* 0\.001\).*> \(0\.933333 \* 0\.001\)/,
  );
  // Prometheus 3 normalises le="1" to le="1.0"; match both.
  assert.match(groupsOf(lat!)[0]!.rules[0]!.expr, /le=~"1\|1\\\\\.0"/);
});

test('deterministic: same fleet, same bytes; no ${...} for Flux substitution to eat', () => {
  const a = toYamlStream(apiObjects());
  const b = toYamlStream(apiObjects());
  assert.equal(a, b);
  assert.ok(!a.includes('${'), 'no ${ in generated objects');
  const ta = generateSloTests(fleet());
  const tb = generateSloTests(fleet());
  assert.deepEqual(ta, tb);
  assert.deepEqual(
    ta.map((f) => f.path),
    [
      'tests/slo/app/api/api-availability/rules.yaml',
      'tests/slo/app/api/api-availability/tests.yaml',
      'tests/slo/app/api/api-availability/tests-3d.yaml',
      'tests/slo/app/api/api-latency/rules.yaml',
      'tests/slo/app/api/api-latency/tests.yaml',
      'tests/slo/app/api/api-latency/tests-3d.yaml',
      'tests/slo/README.md',
    ],
  );
});

test('the rules file beside the tests is the PrometheusRule spec.groups, byte for byte as data', () => {
  const files = generateSloTests(fleet());
  const objs = apiObjects();
  assert.deepEqual(parse(files[0]!.content), { groups: groupsOf(objs[0]!) });
  assert.deepEqual(parse(files[3]!.content), { groups: groupsOf(objs[1]!) });
});

test('no SLOs or no kube-prometheus-stack: nothing', () => {
  const f = fleet();
  const shop = f.spec.tenants.find((x) => x.name === 'shop')!;
  assert.deepEqual(sloObjects(f, shop, shop.apps[0]!), []);
  const off = parseFleet(
    text.replace(
      'kubePrometheusStack: { version: 88.5.3 }',
      'kubePrometheusStack: { enabled: false, version: 88.5.3 }',
    ),
    'fleet.yaml',
  );
  const t = off.spec.tenants[0]!;
  assert.deepEqual(sloObjects(off, t, t.apps[0]!), []);
  assert.deepEqual(generateSloTests(off), []);
});

test('dashboard uid fits Grafana’s 40 characters', () => {
  assert.equal(dashboardUid('app', 'api'), 'slo-app-api');
  const long = dashboardUid('a-very-long-tenant-name', 'an-even-longer-application-name');
  assert.equal(long.length, 40);
  assert.notEqual(long, dashboardUid('a-very-long-tenant-name', 'an-even-longer-application-namf'));
});

test('bad selectors are input errors naming the field, all at once', () => {
  const f = parseFleet(
    text.replace(
      'selector: job="api"\n              errorSelector: code=~"5.."',
      'selector: job=api\n              errorSelector: code=~"5.."}',
    ),
    'fleet.yaml',
  );
  const t = f.spec.tenants[0]!;
  assert.throws(
    () => sloObjects(f, t, t.apps[0]!),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.fieldPath, 'spec.tenants[0].apps[0].slos[0].selector');
      assert.match(e.message, /"job=api" is not a list of label matchers/);
      assert.equal(e.more.length, 1);
      assert.equal(e.more[0]!.fieldPath, 'spec.tenants[0].apps[0].slos[0].errorSelector');
      return true;
    },
  );
  assert.throws(() => generateSloTests(f), InputError);
});

test('dashboard: a row per SLO, unique panel ids, no overlapping panels, the panels the seed asks for', () => {
  const cm = apiObjects()[2]!;
  const data = cm.data as Record<string, string>;
  assert.deepEqual(Object.keys(data), ['slo-app-api.json']);
  const d = JSON.parse(data['slo-app-api.json']!) as {
    uid: string;
    panels: { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number } }[];
  };
  assert.equal(d.uid, 'slo-app-api');
  const ids = d.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  const cells = new Set<string>();
  for (const p of d.panels) {
    assert.ok(p.gridPos.x + p.gridPos.w <= 24, p.title);
    for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
      for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
        assert.ok(!cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`);
        cells.add(`${x},${y}`);
      }
    }
  }
  assert.deepEqual(
    d.panels.filter((p) => p.type === 'row').map((p) => p.title),
    ['api-availability: 99.9% availability over 30d', 'api-latency: 99% requests under 0.3s over 30d'],
  );
  const titles = d.panels.map((p) => p.title);
  for (const t of [
    'Objective',
    'Error budget remaining',
    'Burn rate (error ratio / budget)',
    'Alerts firing',
    'p95 latency',
  ])
    assert.ok(titles.includes(t), t);
});

test('runbookUrl becomes runbook_url', () => {
  const f = parseFleet(
    text.replace(
      'minRequestsPerSecond: 0.1',
      'minRequestsPerSecond: 0.1\n              runbookUrl: https://runbooks.example.com/api',
    ),
    'fleet.yaml',
  );
  const t = f.spec.tenants[0]!;
  const alerts = groupsOf(sloObjects(f, t, t.apps[0]!)[0]!)
    .flatMap((g) => g.rules)
    .filter((r) => r.alert);
  assert.equal(alerts.length, 3);
  for (const a of alerts) {
    assert.equal(a.annotations?.runbook_url, 'https://runbooks.example.com/api');
    assert.equal(a.annotations?.runbook, undefined);
  }
});

test('a selector the series synthesis cannot satisfy: rules still generated, tests listed as skipped', () => {
  const f = parseFleet(text.replace('errorSelector: code=~"5.."', 'errorSelector: code=~"(?:zz){3}q+"'), 'fleet.yaml');
  const files = generateSloTests(f);
  assert.ok(files.some((x) => x.path === 'tests/slo/app/api/api-availability/rules.yaml'));
  assert.ok(!files.some((x) => x.path === 'tests/slo/app/api/api-availability/tests.yaml'));
  assert.ok(files.some((x) => x.path === 'tests/slo/app/api/api-latency/tests.yaml'));
  assert.match(
    files.find((x) => x.path === 'tests/slo/README.md')!.content,
    /app\/api\/api-availability: all scenarios: cannot find a label value for code=~/,
  );
});
