/**
 * One source of truth for add-on chart versions: data/addon-versions.json gives the spec's
 * defaults; examples/fleet.yaml spells the same pins; each pin is the version ../shared/charts
 * holds (the renderer's test data), but where the file says why not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { addonVersions } from './addon-versions.js';
import { parseFleet } from '../spec/load.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'charts', 'charts');

test('addon versions: the spec defaults and the example fleet pin the versions of data/addon-versions.json', () => {
  const v = addonVersions();
  const text = readFileSync(join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
  const a = parseFleet(text, 'fleet.yaml').spec.addons;
  const pins = {
    certManager: a.certManager.version,
    ingress: a.ingress.version,
    kubePrometheusStack: a.kubePrometheusStack.version,
    policy: a.policy.version,
    ratify: a.policy.ratifyVersion,
    secretsStoreCsi: a.secretsStoreCsi.version,
    secretsStoreCsiAzureProvider: a.secretsStoreCsi.azureProviderVersion,
    velero: a.velero.version,
  };
  assert.deepEqual(
    pins,
    Object.fromEntries(
      Object.entries(v)
        .map(([k, e]) => [k, e.version])
        .sort(),
    ),
  );
  // Defaults: a fleet that names no add-on gets the same pins.
  const withoutAddons = text.replace(/^  addons:\n(?:(?:    .*)?\n)+/m, '');
  assert.notEqual(withoutAddons, text);
  const d = parseFleet(withoutAddons, 'fleet.yaml').spec.addons;
  const defaults = {
    certManager: d.certManager.version,
    ingress: d.ingress.version,
    kubePrometheusStack: d.kubePrometheusStack.version,
    policy: d.policy.version,
    ratify: d.policy.ratifyVersion,
    secretsStoreCsi: d.secretsStoreCsi.version,
    secretsStoreCsiAzureProvider: d.secretsStoreCsi.azureProviderVersion,
    velero: d.velero.version,
  };
  assert.deepEqual(defaults, pins);
});

test('addon versions: each pin is the version ../shared/charts holds, or the file says why not', {
  skip: !existsSync(SHARED) && 'no ../shared/charts',
}, () => {
  for (const [key, e] of Object.entries(addonVersions())) {
    const chartYaml = join(SHARED, e.chart, 'Chart.yaml');
    const held = existsSync(chartYaml)
      ? String((parse(readFileSync(chartYaml, 'utf8')) as { version: unknown }).version)
      : undefined;
    assert.ok(
      e.sharedCharts.startsWith(held ?? '(not there)'),
      `${key}: sharedCharts says '${e.sharedCharts}', ../shared/charts holds ${held}`,
    );
    if (held === e.version) continue;
    assert.match(
      e.sharedCharts,
      /placeholder version: not published|not there/,
      `${key}: pinned ${e.version}, ../shared/charts holds ${held}, and the file does not say why`,
    );
  }
});
