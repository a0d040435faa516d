/**
 * Add-on image hosts in the firewall (issue #22): the application rule `addon-images` of a
 * userDefinedRouting cluster and of the hub allows the registries the enabled add-ons pull from
 * (data/addon-image-hosts.json) with their pull endpoints, in Bicep our grammar check accepts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra } from '../../src/generators/infra/index.js';
import { firewallApplicationRules } from '../../src/generators/infra/network.js';
import { controllers } from '../../src/generators/flux/platform.js';
import { addonImageData, imageFqdnsOf, imageHost, fqdnAllows } from '../../src/facts/addon-image-hosts.js';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { infraFromFleet, infraFromRepo } from '../../src/checks/infra.js';
import { HUB, VARIANT } from './fixtures.js';

function ruleBlock(bicep: string, name: string): string {
  const at = bicep.indexOf(`name: '${name}'`);
  assert.ok(at >= 0, `rule ${name} in the Bicep`);
  return bicep.slice(at, bicep.indexOf(']', bicep.indexOf('targetFqdns', at)));
}

test("addon-images rule: each enabled add-on chart's registry hosts and pull endpoints in the cluster firewall", () => {
  const fleet = parseFleet(VARIANT, 'fleet.yaml');
  const charts = controllers(fleet).map((c) => c.release.chart);
  const net = generateInfra(fleet).find((f) => f.path === 'infra/clusters/aks-dev/network.bicep')!.content;
  assert.deepEqual(checkBicep(net).errors, []);
  const block = ruleBlock(net, 'addon-images');
  const data = addonImageData();
  for (const chart of charts) {
    if (!data.charts[chart]) continue;
    for (const host of data.charts[chart]!.hosts)
      for (const f of data.pullEndpoints[host]?.fqdns ?? [host]) assert.ok(block.includes(`'${f}'`), `${chart}: ${f}`);
  }
  // The example's defaults: cert-manager (quay.io), Envoy Gateway (docker.io), kube-prometheus-stack, Kyverno
  // (reg.kyverno.io, ghcr.io).
  for (const f of [
    'quay.io',
    '*.quay.io',
    'registry-1.docker.io',
    'auth.docker.io',
    'production.cloudflare.docker.com',
    'reg.kyverno.io',
    'ghcr.io',
    'pkg-containers.githubusercontent.com',
  ])
    assert.ok(block.includes(`'${f}'`), f);
});

test("addon-images rule: the hub firewall allows the union of its spokes' add-on hosts", () => {
  const files = new Map(generateInfra(parseFleet(HUB, 'fleet.yaml')).map((f) => [f.path, f.content]));
  const hub = files.get('infra/hub/main.bicep')!;
  assert.deepEqual(checkBicep(hub).errors, []);
  assert.ok(ruleBlock(hub, 'addon-images').includes("'quay.io'"));
});

test('addon-images follows the add-ons: ingress-nginx and Gatekeeper instead of Envoy Gateway and Kyverno', () => {
  const fleet = parseFleet(VARIANT, 'fleet.yaml');
  const a = fleet.spec.addons as unknown as { ingress: { kind: string }; policy: { engine: string } };
  a.ingress.kind = 'ingress-nginx';
  a.policy.engine = 'gatekeeper';
  const rule = firewallApplicationRules(fleet, fleet.spec.clusters[0]!).find((r) => r.name === 'addon-images')!;
  assert.ok(
    rule.fqdns!.includes('registry.k8s.io') && rule.fqdns!.includes('*.pkg.dev'),
    'ingress-nginx: registry.k8s.io',
  );
  assert.ok(
    rule.fqdns!.includes('registry-1.docker.io'),
    'gatekeeper: docker.io (unprefixed openpolicyagent/gatekeeper)',
  );
  assert.ok(!rule.fqdns!.includes('reg.kyverno.io'), 'no Kyverno');
});

test('image hosts as the container runtime resolves them; wildcard targets', () => {
  assert.equal(imageHost('openpolicyagent/gatekeeper:v3.23.0'), 'docker.io');
  assert.equal(imageHost('busybox'), 'docker.io');
  assert.equal(imageHost('quay.io/jetstack/cert-manager-controller:v1.16.2'), 'quay.io');
  assert.equal(imageHost('localhost:5000/x'), 'localhost');
  assert.equal(imageHost('myreg.example.com:5000/team/app@sha256:abc'), 'myreg.example.com');
  assert.ok(fqdnAllows('*.quay.io', 'cdn01.quay.io'));
  assert.ok(!fqdnAllows('*.quay.io', 'quay.io'));
  assert.ok(!fqdnAllows('*.quay.io', 'evilquay.io'));
  assert.deepEqual(imageFqdnsOf(addonImageData(), ['no-such-chart']), []);
});

test(
  "check reads a spoke's allowed FQDNs from the hub firewall (infra/hub/main.bicep) " +
    'when the spoke has none of its own',
  () => {
    const fleet = parseFleet(HUB, 'fleet.yaml');
    const files = new Map(generateInfra(fleet).map((f) => [f.path, f.content]));
    const read = {
      isFile: (p: string) => files.has(p),
      readFile: (p: string) => files.get(p)!,
      isDir: (p: string) => [...files.keys()].some((k) => k.startsWith(`${p}/`)),
      list: (p: string) => [
        ...new Set(
          [...files.keys()].filter((k) => k.startsWith(`${p}/`)).map((k) => k.slice(p.length + 1).split('/')[0]!),
        ),
      ],
    };
    const prod = infraFromRepo(infraFromFleet(fleet), read).infra.clusters.find((c) => c.name === 'aks-prod')!;
    assert.equal(prod.network!.firewall, true);
    assert.equal(prod.network!.firewallFqdns!.file, 'infra/hub/main.bicep');
    assert.ok(prod.network!.firewallFqdns!.fqdns.includes('quay.io'));
  },
);
