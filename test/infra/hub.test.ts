/**
 * Hub and spoke (spec.hub): the hub VNet and firewall, peerings both ways, the spokes routed through
 * the hub firewall (its planned IP, its public IP as EGRESS_IPS), every Bicep file through our
 * grammar check, and the address plan checked at the fleet.yaml line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra } from '../../src/generators/infra/index.js';
import { fleetErrorOf } from '../../src/spec/testing.js';
import { HUB } from './fixtures.js';

function generated(text: string): Map<string, string> {
  const files = new Map(generateInfra(parseFleet(text, 'fleet.yaml')).map((f) => [f.path, f.content]));
  for (const [p, c] of files) if (p.endsWith('.bicep') || p.endsWith('.bicepparam')) assert.deepEqual(checkBicep(c, p.endsWith('.bicepparam') ? 'bicepparam' : undefined).errors, [], p);
  return files;
}

test('hub: VNet with AzureFirewallSubnet and a firewall allowing every spoke; peerings both ways; prod routed through the hub firewall', () => {
  const files = generated(HUB);
  const hub = files.get('infra/hub/main.bicep')!;
  assert.match(hub, /name: 'vnet-hub'[\s\S]*addressPrefixes: \[\n\s+'10\.100\.0\.0\/16'/);
  assert.match(hub, /name: 'AzureFirewallSubnet'\n\s+properties: \{\n\s+addressPrefix: '10\.100\.0\.0\/26'/);
  assert.match(hub, /sourceAddresses: \[\n\s+'10\.10\.0\.0\/16'\n\s+'10\.20\.0\.0\/16'\n\s+'10\.30\.0\.0\/16'\n\s+\]/);
  assert.match(hub, /Must equal 10\.100\.0\.4/);
  for (const c of ['aks-dev', 'aks-qa', 'aks-prod']) {
    const net = files.get(`infra/clusters/${c}/network.bicep`)!;
    assert.match(net, /resource toHub 'Microsoft\.Network\/virtualNetworks\/virtualNetworkPeerings@[\d-]+' = \{\n\s+parent: vnet\n\s+name: 'to-hub'[\s\S]*allowForwardedTraffic: true[\s\S]*id: resourceId\('rg-hub', 'Microsoft\.Network\/virtualNetworks', 'vnet-hub'\)/, c);
    assert.match(files.get(`infra/clusters/${c}/hub-peering.bicep`)!, new RegExp(`parent: hub\\n\\s+name: 'to-${c}'[\\s\\S]*id: spokeVnetId`), c);
    assert.match(files.get(`infra/clusters/${c}/main.bicep`)!, /module hubPeering '\.\/hub-peering\.bicep' = \{\n\s+name: 'hub-peering-\$\{clusterName\}'\n\s+scope: resourceGroup\('rg-hub'\)/, c);
    assert.match(files.get(`infra/az/${c}.sh`)!, /hub peering \(spec\.hub\) is created by the Bicep deployment only[\s\S]*exit 1\s*$/, c);
  }
  const prod = files.get('infra/clusters/aks-prod/network.bicep')!;
  assert.match(prod, /nextHopIpAddress: '10\.100\.0\.4'/);
  assert.match(prod, /routeTable: \{\n\s+id: routes\.id/);
  assert.match(prod, /resource hubFirewallIp 'Microsoft\.Network\/publicIPAddresses@[\d-]+' existing = \{\n\s+name: 'pip-hub-firewall'\n\s+scope: resourceGroup\('rg-hub'\)/);
  assert.match(prod, /output egressIps array = \[\n\s+hubFirewallIp\.properties\.ipAddress\n\]/);
  assert.doesNotMatch(prod, /azureFirewalls/, 'prod has no firewall of its own');
  assert.match(files.get('infra/clusters/aks-prod/main.bicep')!, /output EGRESS_IPS string = join\(network\.outputs\.egressIps, ','\)/);
  assert.match(files.get('infra/README.md')!, /az deployment group create -g rg-hub -n aksfleet-hub --template-file infra\/hub\/main\.bicep`; its output `firewallPrivateIp` must equal 10\.100\.0\.4/);
  assert.match(files.get('infra/README.md')!, /\| aks-prod \|[^\n]*firewall \(the hub Azure Firewall, ours\) at 10\.100\.0\.4/);
  // dev keeps the load balancer: no route table.
  assert.doesNotMatch(files.get('infra/clusters/aks-dev/network.bicep')!, /routeTables/);
});

test('hub address plan refused at the fleet.yaml line: overlap with a spoke, firewall subnet outside or too small', () => {
  const line = HUB.split('\n').findIndex((l) => l.startsWith('  hub: {')) + 1;
  const at = (msg: string) => new RegExp(`^fleet\\.yaml:${line}:\\d+: ${msg}`, 'm');
  assert.match(fleetErrorOf(HUB.replace('addressSpace: 10.100.0.0/16, firewallSubnet: 10.100.0.0/26', 'addressSpace: 10.30.128.0/17, firewallSubnet: 10.30.128.0/26')), at("spec\\.hub\\.addressSpace: hub address space 10\\.30\\.128\\.0/17 overlaps the VNet 10\\.30\\.0\\.0/16 of cluster 'aks-prod' \\(spec\\.clusters\\[2\\]\\.network\\.vnet\\.addressSpace\\); peered VNets must not overlap"));
  assert.match(fleetErrorOf(HUB.replace('firewallSubnet: 10.100.0.0/26 }', 'firewallSubnet: 10.101.0.0/26 }')), at('spec\\.hub\\.firewallSubnet: firewallSubnet 10\\.101\\.0\\.0/26 is outside the hub address space 10\\.100\\.0\\.0/16'));
  assert.match(fleetErrorOf(HUB.replace('firewallSubnet: 10.100.0.0/26 }', 'firewallSubnet: 10.100.0.0/27 }')), at('spec\\.hub\\.firewallSubnet: firewallSubnet 10\\.100\\.0\\.0/27 is smaller than /26'));
  assert.match(fleetErrorOf(HUB.replace('addressSpace: 10.100.0.0/16, firewallSubnet: 10.100.0.0/26', 'addressSpace: 10.0.0.0/16, firewallSubnet: 10.0.0.0/26')), at("spec\\.hub\\.addressSpace: hub address space 10\\.0\\.0\\.0/16 overlaps the serviceCidr 10\\.0\\.0\\.0/16 of cluster 'aks-dev'"));
  // Without the hub, prod's userDefinedRouting has no firewall: refused as before.
  assert.match(fleetErrorOf(HUB.replace(/ {2}hub: \{[^\n]*\n/, '')), /spec\.clusters\[2\]\.egress: userDefinedRouting needs network\.vnet\.firewallSubnet/);
});
