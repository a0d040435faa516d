/**
 * data/addon-image-hosts.json against rendered charts: each add-on chart of ../shared/charts
 * rendered with its defaults by aksfleet's Helm renderer (the same charts the data was measured
 * on with helm 4.2.2) pulls only from the hosts the data lists, and the egress-image-hosts rule
 * finds nothing in them behind the firewall the generator writes for a userDefinedRouting cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTemplateEngine, helmTemplate } from '../../src/helm/index.js';
import { addonImageData, imageHost } from '../../src/facts/addon-image-hosts.js';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra } from '../../src/generators/infra/index.js';
import { readFirewallFqdns } from '../../src/checks/infra-network.js';
import { contextFromYaml } from '../../src/checks/testing.js';
import { containersOf, podTemplates } from '../../src/checks/k8s.js';
import { egressImageHosts } from '../../src/checks/rules/egress-images.js';
import type { InfraInfo, Report } from '../../src/checks/types.js';
import { VARIANT } from './fixtures.js';
import { oracle } from '../oracles/index.js';
import { runHelm } from '../helm/testing.js';

const CHARTS = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts');
// kube-prometheus-stack: its subcharts are not in ../shared/charts, so it does not render here.
const RENDERED = [
  'cert-manager',
  'gateway-helm',
  'ingress-nginx',
  'secrets-store-csi-driver',
  'csi-secrets-store-provider-azure',
  'velero',
  'kyverno',
  'gatekeeper',
];

function render(chart: string): string {
  return helmTemplate({ args: ['x', join(CHARTS, chart)], namespace: 'x' }, defaultTemplateEngine());
}

test('every image of the rendered add-on charts comes from a host data/addon-image-hosts.json lists for it', {
  skip: !existsSync(CHARTS) && 'no ../shared/charts',
}, () => {
  const data = addonImageData();
  for (const chart of RENDERED) {
    const ctx = contextFromYaml(render(chart));
    const hosts = new Set(
      podTemplates(ctx.resources).flatMap((p) => containersOf(p.spec).map((c) => imageHost(c.image!))),
    );
    assert.ok(hosts.size > 0, `${chart}: images rendered`);
    assert.deepEqual([...hosts].sort(), [...data.charts[chart]!.hosts].sort(), chart);
  }
  assert.match(
    readFileSync(join(CHARTS, 'velero', 'Chart.yaml'), 'utf8'),
    new RegExp(`version: ${data.charts.velero!.version.replace(/\./g, '\\.')}`),
  );
});

const helm = oracle('helm-4.2');

test('the data file against the real helm 4.2.2 (the Helm of Flux 2.9): the same hosts per chart as its render', {
  skip: helm.skip || (!existsSync(CHARTS) && 'no ../shared/charts'),
}, () => {
  const data = addonImageData();
  for (const chart of RENDERED) {
    const r = runHelm(helm.path, ['template', 'x', join(CHARTS, chart), '-n', 'x'], CHARTS);
    assert.equal(r.status, 0, `${chart}: ${r.stderr}`);
    const ctx = contextFromYaml(r.stdout);
    const hosts = new Set(
      podTemplates(ctx.resources).flatMap((p) => containersOf(p.spec).map((c) => imageHost(c.image!))),
    );
    assert.deepEqual([...hosts].sort(), [...data.charts[chart]!.hosts].sort(), chart);
  }
});

test('the rendered add-ons pass egress-image-hosts behind the generated firewall; ' +
  'a chart image from an unlisted host does not', {
  skip: !existsSync(CHARTS) && 'no ../shared/charts',
}, () => {
  const fleet = parseFleet(VARIANT, 'fleet.yaml');
  const net = generateInfra(fleet).find((f) => f.path === 'infra/clusters/aks-dev/network.bicep')!.content;
  const infra = (fqdns: string[]): InfraInfo => ({
    file: 'fleet.yaml',
    identities: [],
    clusters: [
      {
        name: 'aks-dev',
        production: false,
        oidcIssuer: 'x',
        pools: [],
        network: {
          privateLink: false,
          endpoints: [],
          endpointsFile: 'f',
          egressType: 'userDefinedRouting',
          firewall: true,
          egressFile: 'fleet.yaml',
          firewallFqdns: { fqdns, file: 'infra/clusters/aks-dev/network.bicep' },
        },
      },
    ],
  });
  const run = (yaml: string, fqdns: string[]) => {
    const out: Report[] = [];
    egressImageHosts.check(contextFromYaml(yaml, { cluster: 'aks-dev', infra: infra(fqdns) }), (f) => out.push(f));
    return out.map((r) => r.message);
  };
  const fqdns = readFirewallFqdns(net)!;
  // The add-ons the example enables (Envoy Gateway, cert-manager, Kyverno, Secrets Store CSI with the Azure provider,
  // Velero).
  for (const chart of [
    'cert-manager',
    'gateway-helm',
    'kyverno',
    'secrets-store-csi-driver',
    'csi-secrets-store-provider-azure',
    'velero',
  ])
    assert.deepEqual(run(render(chart), fqdns), [], chart);
  const noQuay = run(
    render('cert-manager'),
    fqdns.filter((f) => !f.includes('quay.io')),
  );
  assert.ok(noQuay.length >= 3);
  assert.match(
    noQuay[0]!,
    /image 'quay\.io\/jetstack\/cert-manager-[a-z]+:v0\.0\.0' is pulled from quay\.io, which the firewall of cluster aks-dev does not allow/,
  );
});
