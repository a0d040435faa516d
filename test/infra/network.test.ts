/**
 * The network IaC beyond the example: a firewall (userDefinedRouting with network.vnet.firewallSubnet),
 * subnets you bring (existingSubnets) and DNS zones you manage (privateLink.dnsZoneIds). Every
 * generated Bicep file goes through our grammar check; the values are compared with the spec.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra, clusterPlan } from '../../src/generators/infra/index.js';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { EXAMPLE, VARIANT } from './fixtures.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const subnet = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-shared/subnets/${name}`;

function generated(text: string): Map<string, string> {
  const files = new Map(generateInfra(parseFleet(text, 'fleet.yaml')).map((f) => [f.path, f.content]));
  for (const [p, c] of files)
    if (p.endsWith('.bicep') || p.endsWith('.bicepparam'))
      assert.deepEqual(checkBicep(c, p.endsWith('.bicepparam') ? 'bicepparam' : undefined).errors, [], p);
  return files;
}

test(
  'firewall: route table to the first usable address of AzureFirewallSubnet, ' +
    'AKS/MCR/registry/Git/chart rules, egress IP output',
  () => {
    const files = generated(VARIANT);
    const net = files.get('infra/clusters/aks-dev/network.bicep')!;
    assert.match(net, /nextHopIpAddress: '10\.10\.5\.4'/);
    assert.match(net, /name: 'AzureFirewallSubnet'\n\s+properties: \{\n\s+addressPrefix: '10\.10\.5\.0\/26'/);
    assert.match(net, /routeTable: \{\n\s+id: routes\.id/);
    for (const fqdn of [
      "'AzureKubernetesService'",
      "'mcr.microsoft.com'",
      "'acrprod123.azurecr.io'",
      "'acrprod123.uksouth.data.azurecr.io'",
      "'github.com'",
      "'charts.jetstack.io'",
    ])
      assert.ok(net.includes(fqdn), fqdn);
    assert.match(net, /destinationAddresses: \[\n\s+'AzureCloud\.uksouth'\n\s+\]\n\s+destinationPorts: \[\n\s+'1194'/);
    assert.match(
      net,
      /output firewallPrivateIp string = firewall\.properties\.ipConfigurations\[0\]\.properties\.privateIPAddress/,
    );
    const main = files.get('infra/clusters/aks-dev/main.bicep')!;
    assert.match(main, /output EGRESS_IPS string = join\(network\.outputs\.egressIps, ','\)/);
    const fleet = parseFleet(VARIANT, 'fleet.yaml');
    assert.ok(clusterPlan(fleet, fleet.spec.clusters[0]!).outputNames.includes('EGRESS_IPS'));
    assert.match(files.get('infra/clusters/aks-dev/main.bicepparam')!, /outboundType: 'userDefinedRouting'/);
    // The az script cannot build the firewall: it says so and stops.
    assert.match(files.get('infra/az/aks-dev.sh')!, /created by the Bicep deployment only[\s\S]*exit 1\s*$/);
  },
);

test('subnets you bring: the pools name your node subnet, the endpoints your endpoint subnet, no network.bicep', () => {
  const text = EXAMPLE.replace(
    'vnet: { addressSpace: 10.10.0.0/16, nodeSubnet: 10.10.0.0/22, privateEndpointSubnet: 10.10.4.0/24 }',
    `existingSubnets: { nodes: ${subnet('nodes')}, privateEndpoints: ${subnet('endpoints')} }`,
  );
  assert.notEqual(text, EXAMPLE);
  const files = generated(text);
  assert.ok(!files.has('infra/clusters/aks-dev/network.bicep'));
  assert.ok(files.get('infra/clusters/aks-dev/main.bicepparam')!.includes(`vnetSubnetID: '${subnet('nodes')}'`));
  const main = files.get('infra/clusters/aks-dev/main.bicep')!;
  assert.ok(
    main.includes(
      `vnetId: '/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-shared'`,
    ),
  );
  assert.ok(main.includes(`subnetId: '${subnet('endpoints')}'`));
  assert.doesNotMatch(main, /controlPlane/);
  assert.ok(files.get('infra/az/aks-dev.sh')!.includes(`--vnet-subnet-id ${subnet('nodes')}`));
});

test('DNS zones you manage: zone groups name them; no zone or link of ours', () => {
  const zone =
    `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/` +
    `Microsoft.Network/privateDnsZones/privatelink.azurecr.io`;
  const text = EXAMPLE.replace('  keyVault:\n', `  privateLink:\n    dnsZoneIds: { registry: ${zone} }\n  keyVault:\n`);
  const pe = generated(text).get('infra/clusters/aks-prod/private-endpoints.bicep')!;
  assert.ok(pe.includes(`privateDnsZoneId: '${zone}'`));
  assert.doesNotMatch(pe, /resource registryZone /);
  assert.match(pe, /resource keyVaultZone 'Microsoft\.Network\/privateDnsZones@2020-06-01'/);
});

test(
  'shared resources: public access Disabled with default-deny rules in the example; ' +
    'Enabled when an environment is not on Private Link',
  () => {
    assert.match(generated(EXAMPLE).get('infra/shared/main.bicepparam')!, /param publicNetworkAccess = 'Disabled'/);
    const devPublic = EXAMPLE.replace(
      'soak: 24h            # how long a change or an upgrade soaks here before moving on\n      privateLink: true',
      'soak: 24h\n      privateLink: false',
    );
    const files = generated(devPublic);
    assert.match(files.get('infra/shared/main.bicepparam')!, /param publicNetworkAccess = 'Enabled'/);
    assert.ok(!files.has('infra/clusters/aks-dev/private-endpoints.bicep'));
    assert.match(
      files.get('infra/modules/keyvault.bicep')!,
      /defaultAction: publicNetworkAccess == 'Disabled' \? 'Deny' : 'Allow'/,
    );
    assert.match(
      files.get('infra/modules/acr.bicep')!,
      /networkRuleSet: sku == 'Premium' \? \{\n\s+defaultAction: publicNetworkAccess == 'Disabled' \? 'Deny' : 'Allow'/,
    );
  },
);
