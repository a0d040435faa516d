/**
 * The console's SLO view finds each SLO's alerts by the generated PrometheusRule's data (its
 * `aksfleet.dev/slo` label and the rules' identity labels), not by matching names or strings:
 * an SLO named like its app, or like a substring of another SLO, gets only its own alerts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { parseFleet } from '../spec/load.js';
import { sloObjects } from '../generators/slo/index.js';
import { ALERT_NAMES } from '../slo/rules.js';
import { sloAlerts, sloSummaries, withRenderedOn } from './providers.js';

/** The example fleet with the api app's SLOs renamed `api` (the app's own name) and `api-api`. */
function fleet() {
  const text = readFileSync(join(PACKAGE_ROOT, 'examples', 'fleet.yaml'), 'utf8')
    .replace('- name: api-availability', '- name: api')
    .replace('- name: api-latency', '- name: api-api');
  return parseFleet(text);
}

test('SLO alerts by data: each SLO gets exactly its own three alerts, even when its name is the app name or a substring of another', () => {
  const slos = sloSummaries(fleet());
  assert.deepEqual(
    slos.map((s) => `${s.tenant}/${s.app}/${s.name}`),
    ['app/api/api', 'app/api/api-api'],
  );
  for (const s of slos) {
    assert.deepEqual(
      s.alerts.map((a) => `${a.name} ${a.severity}`),
      [`${ALERT_NAMES.page} page`, `${ALERT_NAMES.ticket} ticket`, `${ALERT_NAMES.absent} ticket`],
      s.name,
    );
    // The burn-rate alerts select the SLO's own recorded series (the absent alert watches the raw metric).
    assert.ok(
      s.alerts.filter((a) => a.name !== ALERT_NAMES.absent).every((a) => a.expr.includes(`slo="${s.name}"`)),
      `${s.name}: burn alerts select its own series`,
    );
  }
  assert.equal(slos[0]!.alerts.find((a) => a.name === ALERT_NAMES.absent)!.for, '10m');
});

test('SLO alerts by data: a rule of another SLO, tenant or app in the same object, and an unlabelled object, are not counted', () => {
  const f = fleet();
  const t = f.spec.tenants[0]!;
  const objects = sloObjects(f, t, t.apps[0]!);
  const api = sloAlerts(objects, 'app', 'api', 'api');
  assert.equal(api.length, 3);
  assert.deepEqual(sloAlerts(objects, 'other-tenant', 'api', 'api'), []);
  assert.deepEqual(sloAlerts(objects, 'app', 'other-app', 'api'), []);
  // The same rules in a PrometheusRule without the SLO label are not this SLO's.
  const unlabelled = objects.map((o) =>
    o.kind === 'PrometheusRule' ? { ...o, metadata: { ...o.metadata, labels: {} } } : o,
  );
  assert.deepEqual(sloAlerts(unlabelled, 'app', 'api', 'api'), []);
  // Recording rules carry the identity labels too, but have no `alert`: never listed.
  const records = objects
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => (o.spec as any).groups.flatMap((g: any) => g.rules))
    .filter((r: any) => r.record && r.labels.slo === 'api');
  assert.ok(records.length > 0);
});

test("SLO placement by data: the clusters whose render applies the SLO's PrometheusRule, by its labels", () => {
  const f = fleet();
  const t = f.spec.tenants[0]!;
  const objects = sloObjects(f, t, t.apps[0]!).map((object) => ({ object }));
  const slos = sloSummaries(f);
  const rendered = {
    'aks-dev': objects,
    'aks-qa': objects.filter(
      (r) => r.object.kind !== 'PrometheusRule' || r.object.metadata?.labels?.['aksfleet.dev/slo'] !== 'api',
    ),
    'aks-prod': [],
  };
  const on = withRenderedOn(slos, rendered);
  assert.deepEqual(
    on.map((s) => `${s.name}: ${s.renderedOn!.join(' ')}`),
    ['api: aks-dev', 'api-api: aks-dev aks-qa'],
  );
  assert.deepEqual(on[0]!.clusters, slos[0]!.clusters, 'the spec placement is kept beside it');
});
