/**
 * egress-image-hosts on the firewall rules the generator writes for a userDefinedRouting cluster
 * (the example with aks-dev behind its own Azure Firewall), read back from
 * network.bicep as `check` reads them: the add-ons' images pass, an image from a host the rules
 * do not name fails with the image and the host; without the firewall's Bicep file, a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleet } from '../../spec/load.js';
import { generateInfra } from '../../generators/infra/index.js';
import { infraFromFleet, infraFromRepo } from '../infra.js';
import { readFirewallFqdns } from '../infra-network.js';
import { contextFromYaml } from '../testing.js';
import type { InfraInfo, Report } from '../types.js';
import { egressImageHosts } from './egress-images.js';
import { readFileSync } from 'node:fs';
import { exampleFile } from '../../package-root.js';

const EXAMPLE = readFileSync(exampleFile('fleet.yaml'), 'utf8');
const FIREWALLED = EXAMPLE.replace(
  'privateEndpointSubnet: 10.10.4.0/24 }',
  'privateEndpointSubnet: 10.10.4.0/24, firewallSubnet: 10.10.5.0/26 }',
).replace('egress: { type: loadBalancer }', 'egress: { type: userDefinedRouting }');
assert.notEqual(FIREWALLED, EXAMPLE);
const fleet = parseFleet(FIREWALLED, 'fleet.yaml');
const files = new Map(generateInfra(fleet).map((f) => [f.path, f.content]));

function infraOf(keep: (path: string) => boolean = () => true): InfraInfo {
  const has = (p: string) => files.has(p) && keep(p);
  const read = {
    isFile: has,
    readFile: (p: string) => files.get(p)!,
    isDir: (p: string) => [...files.keys()].some((k) => k.startsWith(`${p}/`)),
    list: (p: string) => [
      ...new Set(
        [...files.keys()].filter((k) => k.startsWith(`${p}/`)).map((k) => k.slice(p.length + 1).split('/')[0]!),
      ),
    ],
  };
  return infraFromRepo(infraFromFleet(fleet), read).infra;
}

const deployment = (images: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: app }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
${images.map((img, i) => `        - { name: c${i}, image: '${img}' }`).join('\n')}
`;

function run(yaml: string, infra: InfraInfo): Report[] {
  const out: Report[] = [];
  egressImageHosts.check(contextFromYaml(yaml, { cluster: 'aks-dev', infra }), (f) => out.push(f));
  return out;
}

test('the firewall FQDNs are read back from the generated network.bicep', () => {
  const fqdns = readFirewallFqdns(files.get('infra/clusters/aks-dev/network.bicep')!)!;
  for (const f of ['mcr.microsoft.com', 'quay.io', '*.quay.io', 'registry-1.docker.io', 'reg.kyverno.io', 'ghcr.io'])
    assert.ok(fqdns.includes(f), f);
  assert.equal(readFirewallFqdns('param x string'), undefined, 'no firewall rules in the file');
  const net = infraOf().clusters.find((c) => c.name === 'aks-dev')!.network!;
  assert.equal(net.firewallFqdns!.file, 'infra/clusters/aks-dev/network.bicep');
});

test("passing: the add-ons' images (as helm 4.2.2 renders the charts) and the fleet registry are allowed", () => {
  const images = [
    'quay.io/jetstack/cert-manager-controller:v1.16.2',
    'docker.io/envoyproxy/gateway:v1.7.5',
    'reg.kyverno.io/kyverno/kyverno:v1.15.0',
    'ghcr.io/kyverno/readiness-checker:latest',
    'mcr.microsoft.com/oss/v2/azure/secrets-store/provider-azure:v1.8.2',
    'velero/velero-plugin-for-microsoft-azure:v1.10.1',
    `${fleet.spec.registry.name.toLowerCase()}.azurecr.io/team/app:1.0`,
  ];
  assert.deepEqual(
    run(deployment(images), infraOf()).map((r) => r.message),
    [],
  );
});

test('failing: an image from a host the firewall does not allow names the image and the host', () => {
  const out = run(
    deployment([
      'quay.io/jetstack/cert-manager-webhook:v1.16.2',
      'gcr.io/distroless/static:nonroot',
      'public.ecr.aws/nginx/nginx:1.27',
    ]),
    infraOf(),
  );
  assert.deepEqual(
    out.map((r) => r.message),
    [
      "container c1 image 'gcr.io/distroless/static:nonroot' is pulled from gcr.io, which the firewall of " +
        'cluster aks-dev does not allow (infra/clusters/aks-dev/network.bicep): mirror it into the fleet ' +
        'registry or allow gcr.io',
      "container c2 image 'public.ecr.aws/nginx/nginx:1.27' is pulled from public.ecr.aws, which the " +
        'firewall of cluster aks-dev does not allow (infra/clusters/aks-dev/network.bicep): mirror it into the ' +
        'fleet registry or allow public.ecr.aws',
    ],
  );
  assert.equal(out[0]!.resource?.object.metadata?.name, 'web');
});

test('a hand edit of the firewall rules is judged as written: quay.io removed fails cert-manager', () => {
  const original = files.get('infra/clusters/aks-dev/network.bicep')!;
  files.set(
    'infra/clusters/aks-dev/network.bicep',
    original.replace(/\n\s+'\*\.quay\.io'/, '').replace(/\n\s+'quay\.io'/, ''),
  );
  try {
    const out = run(deployment(['quay.io/jetstack/cert-manager-controller:v1.16.2']), infraOf());
    assert.equal(out.length, 1);
    assert.match(out[0]!.message, /is pulled from quay\.io, which the firewall of cluster aks-dev does not allow/);
  } finally {
    files.set('infra/clusters/aks-dev/network.bicep', original);
  }
});

test("without the firewall's Bicep file: one warning that the images were not compared; no firewall: nothing", () => {
  const out = run(
    deployment(['gcr.io/x:1']),
    infraOf((p) => !p.endsWith('/network.bicep')),
  );
  assert.equal(out.length, 1);
  assert.equal(out[0]!.severity, 'warning');
  assert.match(
    out[0]!.message,
    /cluster aks-dev routes egress through a firewall, but neither infra\/clusters\/aks-dev\/network\.bicep nor infra\/hub\/main\.bicep declares its application rules here: the hosts of its 1 container images were not compared/,
  );
  const noFirewall = infraOf();
  const nat = {
    ...noFirewall,
    clusters: noFirewall.clusters.map((c) =>
      c.name === 'aks-dev' ? { ...c, network: { ...c.network!, firewall: false } } : c,
    ),
  };
  assert.deepEqual(run(deployment(['gcr.io/x:1']), nat), []);
});
