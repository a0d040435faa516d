/**
 * Hub and spoke (spec.hub): the hub VNet and firewall, peerings both ways, the spokes routed through
 * the hub firewall (its planned IP, its public IP as EGRESS_IPS), every Bicep file through our
 * grammar check, and the address plan checked at the fleet.yaml line; the same for a hub the user
 * runs (spec.hub.existing), whose hub side is a file for the hub's owner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra } from '../../src/generators/infra/index.js';
import { fleetErrorOf } from '../../src/spec/testing.js';
import { EXISTING_HUB, EXISTING_HUB_ID, HUB } from './fixtures.js';

function generated(text: string): Map<string, string> {
  const files = new Map(generateInfra(parseFleet(text, 'fleet.yaml')).map((f) => [f.path, f.content]));
  for (const [p, c] of files)
    if (p.endsWith('.bicep') || p.endsWith('.bicepparam'))
      assert.deepEqual(checkBicep(c, p.endsWith('.bicepparam') ? 'bicepparam' : undefined).errors, [], p);
  return files;
}

test(
  'hub: VNet with AzureFirewallSubnet and a firewall allowing every spoke; ' +
    'peerings both ways; prod routed through the hub firewall',
  () => {
    const files = generated(HUB);
    const hub = files.get('infra/hub/main.bicep')!;
    assert.match(hub, /name: 'vnet-hub'[\s\S]*addressPrefixes: \[\n\s+'10\.100\.0\.0\/16'/);
    assert.match(hub, /name: 'AzureFirewallSubnet'\n\s+properties: \{\n\s+addressPrefix: '10\.100\.0\.0\/26'/);
    assert.match(
      hub,
      /sourceAddresses: \[\n\s+'10\.10\.0\.0\/16'\n\s+'10\.20\.0\.0\/16'\n\s+'10\.30\.0\.0\/16'\n\s+\]/,
    );
    assert.match(hub, /Must equal 10\.100\.0\.4/);
    for (const c of ['aks-dev', 'aks-qa', 'aks-prod']) {
      const net = files.get(`infra/clusters/${c}/network.bicep`)!;
      assert.match(
        net,
        /resource toHub 'Microsoft\.Network\/virtualNetworks\/virtualNetworkPeerings@[\d-]+' = \{\n\s+parent: vnet\n\s+name: 'to-hub'[\s\S]*allowForwardedTraffic: true[\s\S]*id: resourceId\('rg-hub', 'Microsoft\.Network\/virtualNetworks', 'vnet-hub'\)/,
        c,
      );
      assert.match(
        files.get(`infra/clusters/${c}/hub-peering.bicep`)!,
        new RegExp(`parent: hub\\n\\s+name: 'to-${c}'[\\s\\S]*id: spokeVnetId`),
        c,
      );
      assert.match(
        files.get(`infra/clusters/${c}/main.bicep`)!,
        /module hubPeering '\.\/hub-peering\.bicep' = \{\n\s+name: 'hub-peering-\$\{clusterName\}'\n\s+scope: resourceGroup\('rg-hub'\)/,
        c,
      );
      assert.match(
        files.get(`infra/az/${c}.sh`)!,
        /hub peering \(spec\.hub\) is created by the Bicep deployment only[\s\S]*exit 1\s*$/,
        c,
      );
    }
    const prod = files.get('infra/clusters/aks-prod/network.bicep')!;
    assert.match(prod, /nextHopIpAddress: '10\.100\.0\.4'/);
    assert.match(prod, /routeTable: \{\n\s+id: routes\.id/);
    assert.match(
      prod,
      /resource hubFirewallIp 'Microsoft\.Network\/publicIPAddresses@[\d-]+' existing = \{\n\s+name: 'pip-hub-firewall'\n\s+scope: resourceGroup\('rg-hub'\)/,
    );
    assert.match(prod, /output egressIps array = \[\n\s+hubFirewallIp\.properties\.ipAddress\n\]/);
    assert.doesNotMatch(prod, /azureFirewalls/, 'prod has no firewall of its own');
    assert.match(
      files.get('infra/clusters/aks-prod/main.bicep')!,
      /output EGRESS_IPS string = join\(network\.outputs\.egressIps, ','\)/,
    );
    assert.match(
      files.get('infra/README.md')!,
      /az deployment group create -g rg-hub -n aksfleet-hub --template-file infra\/hub\/main\.bicep`; its output `firewallPrivateIp` must equal 10\.100\.0\.4/,
    );
    assert.match(
      files.get('infra/README.md')!,
      /\| aks-prod \|[^\n]*firewall \(the hub Azure Firewall, ours\) at 10\.100\.0\.4/,
    );
    // dev keeps the load balancer: no route table.
    assert.doesNotMatch(files.get('infra/clusters/aks-dev/network.bicep')!, /routeTables/);
  },
);

test('hub address plan refused at the fleet.yaml line: overlap with a spoke, firewall subnet outside or too small', () => {
  const line = HUB.split('\n').findIndex((l) => l.startsWith('  hub: {')) + 1;
  const at = (msg: string) => new RegExp(`^fleet\\.yaml:${line}:\\d+: ${msg}`, 'm');
  assert.match(
    fleetErrorOf(
      HUB.replace(
        'addressSpace: 10.100.0.0/16, firewallSubnet: 10.100.0.0/26',
        'addressSpace: 10.30.128.0/17, firewallSubnet: 10.30.128.0/26',
      ),
    ),
    at(
      'spec\\.hub\\.addressSpace: hub address space 10\\.30\\.128\\.0/17 overlaps ' +
        "the VNet 10\\.30\\.0\\.0/16 of cluster 'aks-prod' " +
        '\\(spec\\.clusters\\[2\\]\\.network\\.vnet\\.addressSpace\\); peered VNets must not overlap',
    ),
  );
  assert.match(
    fleetErrorOf(HUB.replace('firewallSubnet: 10.100.0.0/26 }', 'firewallSubnet: 10.101.0.0/26 }')),
    at(
      'spec\\.hub\\.firewallSubnet: firewallSubnet 10\\.101\\.0\\.0/26 ' +
        'is outside the hub address space 10\\.100\\.0\\.0/16',
    ),
  );
  assert.match(
    fleetErrorOf(HUB.replace('firewallSubnet: 10.100.0.0/26 }', 'firewallSubnet: 10.100.0.0/27 }')),
    at('spec\\.hub\\.firewallSubnet: firewallSubnet 10\\.100\\.0\\.0/27 is smaller than /26'),
  );
  assert.match(
    fleetErrorOf(
      HUB.replace(
        'addressSpace: 10.100.0.0/16, firewallSubnet: 10.100.0.0/26',
        'addressSpace: 10.0.0.0/16, firewallSubnet: 10.0.0.0/26',
      ),
    ),
    at(
      'spec\\.hub\\.addressSpace: hub address space 10\\.0\\.0\\.0/16 ' +
        "overlaps the serviceCidr 10\\.0\\.0\\.0/16 of cluster 'aks-dev'",
    ),
  );
  // Without the hub, prod's userDefinedRouting has no firewall: refused as before.
  assert.match(
    fleetErrorOf(HUB.replace(/ {2}hub: \{[^\n]*\n/, '')),
    /spec\.clusters\[2\]\.egress: userDefinedRouting needs network\.vnet\.firewallSubnet/,
  );
});

test(
  'existing hub (spec.hub.existing, another subscription): spokes peer to its VNet ID, ' +
    'prod routes to its firewall with its listed egress IPs; the hub side is a separate file for the hub owner',
  () => {
    const files = generated(EXISTING_HUB);
    assert.ok(!files.has('infra/hub/main.bicep'), 'nothing of the hub is created');
    for (const c of ['aks-dev', 'aks-qa', 'aks-prod']) {
      const net = files.get(`infra/clusters/${c}/network.bicep`)!;
      assert.match(
        net,
        new RegExp(
          `resource toHub 'Microsoft\\.Network/virtualNetworks/virtualNetworkPeerings@[\\d-]+' = \\{\\n\\s+parent: ` +
            `vnet\\n\\s+name: 'to-hub'[\\s\\S]*allowForwardedTraffic: true[\\s\\S]*id: ` +
            `'${EXISTING_HUB_ID.replace(/[.]/g, '\\.')}'`,
        ),
        c,
      );
      assert.ok(!files.has(`infra/clusters/${c}/hub-peering.bicep`), c);
      assert.doesNotMatch(
        files.get(`infra/clusters/${c}/main.bicep`)!,
        /hubPeering/,
        `${c}: the cluster deployment does not touch the hub's subscription`,
      );
      const owner = files.get(`infra/hub-owner/peering-${c}.bicep`)!;
      assert.match(
        owner,
        /^\/\/ For the owner of the hub VNet vnet-hub-uksouth \(subscription 11111111-2222-3333-4444-555555555555, resource group rg-connectivity\)/m,
        c,
      );
      assert.match(
        owner,
        new RegExp(
          `^// az deployment group create --subscription 11111111-2222-3333-4444-555555555555 -g ` +
            `rg-connectivity -n aksfleet-peering-${c} --template-file infra/hub-owner/peering-${c}\\.bicep`,
          'm',
        ),
        c,
      );
      assert.match(
        owner,
        /resource hub 'Microsoft\.Network\/virtualNetworks@[\d-]+' existing = \{\n\s+name: 'vnet-hub-uksouth'\n\}/,
        c,
      );
      assert.match(owner, new RegExp(`parent: hub\\n\\s+name: 'to-${c}'[\\s\\S]*id: spokeVnetId`), c);
      assert.match(
        files.get(`infra/az/${c}.sh`)!,
        new RegExp(
          `deploy infra/clusters/${c}/main\\.bicep instead of this script; ` +
            `the hub's owner deploys infra/hub-owner/peering-${c}\\.bicep" >&2\\nexit 1`,
        ),
        c,
      );
    }
    const prod = files.get('infra/clusters/aks-prod/network.bicep')!;
    assert.match(prod, /nextHopIpAddress: '10\.200\.1\.4'/);
    assert.match(prod, /output egressIps array = \[\n\s+'203\.0\.113\.10'\n\s+'203\.0\.113\.11'\n\]/);
    assert.doesNotMatch(prod, /azureFirewalls|hubFirewallIp/);
    assert.match(
      files.get('infra/clusters/aks-prod/main.bicep')!,
      /output EGRESS_IPS string = join\(network\.outputs\.egressIps, ','\)/,
    );
    const readme = files.get('infra/README.md')!;
    assert.match(readme, /3b\. \*\*The hub's owner\*\* deploys the hub -> spoke side, in the hub's subscription/);
    assert.match(
      readme,
      /- `az deployment group create --subscription 11111111-2222-3333-4444-555555555555 -g rg-connectivity -n aksfleet-peering-aks-prod --template-file infra\/hub-owner\/peering-aks-prod\.bicep/,
    );
    assert.match(readme, /`Microsoft\.Network\/virtualNetworks\/peer\/action` on the hub VNet/);
    assert.match(
      readme,
      /\| aks-prod \|[^\n]*firewall \(the firewall of your hub vnet-hub-uksouth, egress IPs 203\.0\.113\.10, 203\.0\.113\.11\) at 10\.200\.1\.4/,
    );
    assert.doesNotMatch(readme, /Peering to a hub you already run/);
  },
);

test(
  'existing hub refused at the fleet.yaml line: malformed VNet ID, ' +
    'firewall IP outside its address space, overlaps, both kinds at once, unlisted egress IPs',
  () => {
    const line = EXISTING_HUB.split('\n').findIndex((l) => l.startsWith('    existing: {')) + 1;
    const at = (msg: string) => new RegExp(`^fleet\\.yaml:${line}:\\d+: ${msg}`, 'm');
    assert.match(
      fleetErrorOf(
        EXISTING_HUB.replace(
          '/providers/Microsoft.Network/virtualNetworks/vnet-hub-uksouth',
          '/providers/Microsoft.Network/vnet-hub-uksouth',
        ),
      ),
      at('spec\\.hub\\.existing\\.vnetId: "[^"]+": must be a virtual network resource ID'),
    );
    assert.match(
      fleetErrorOf(
        EXISTING_HUB.replace('/subscriptions/11111111-2222-3333-4444-555555555555/', '/subscriptions/not-a-guid/'),
      ),
      at('spec\\.hub\\.existing\\.vnetId: "[^"]+": must be a virtual network resource ID'),
    );
    assert.match(
      fleetErrorOf(EXISTING_HUB.replace('firewallPrivateIp: 10.200.1.4', 'firewallPrivateIp: 10.202.0.4')),
      at(
        'spec\\.hub\\.existing\\.firewallPrivateIp: firewallPrivateIp 10\\.202\\.0\\.4 ' +
          'is outside the hub address space 10\\.200\\.0\\.0/16, 10\\.201\\.0\\.0/24',
      ),
    );
    assert.match(
      fleetErrorOf(
        EXISTING_HUB.replace(
          'addressSpace: [10.200.0.0/16, 10.201.0.0/24]',
          'addressSpace: [10.200.0.0/16, 10.30.128.0/17]',
        ),
      ),
      at(
        'spec\\.hub\\.existing\\.addressSpace\\[1\\]: hub address space 10\\.30\\.128\\.0/17 ' +
          "overlaps the VNet 10\\.30\\.0\\.0/16 of cluster 'aks-prod' " +
          '\\(spec\\.clusters\\[2\\]\\.network\\.vnet\\.addressSpace\\); peered VNets must not overlap',
      ),
    );
    assert.match(
      fleetErrorOf(
        EXISTING_HUB.replace(
          'addressSpace: [10.200.0.0/16, 10.201.0.0/24]',
          'addressSpace: [10.200.0.0/16, 10.200.128.0/24]',
        ),
      ),
      at(
        'spec\\.hub\\.existing\\.addressSpace\\[1\\]: ' +
          'hub address prefix 10\\.200\\.128\\.0/24 overlaps 10\\.200\\.0\\.0/16',
      ),
    );
    assert.match(
      fleetErrorOf(
        EXISTING_HUB.replace(
          'addressSpace: [10.200.0.0/16, 10.201.0.0/24], firewallPrivateIp: 10.200.1.4',
          'addressSpace: [10.0.0.0/16], firewallPrivateIp: 10.0.1.4',
        ),
      ),
      at(
        'spec\\.hub\\.existing\\.addressSpace\\[0\\]: ' +
          "hub address space 10\\.0\\.0\\.0/16 overlaps the serviceCidr 10\\.0\\.0\\.0/16 of cluster 'aks-dev'",
      ),
    );
    assert.match(
      fleetErrorOf(EXISTING_HUB.replace(', egressIps: [203.0.113.10, 203.0.113.11]', '')),
      at(
        'spec\\.hub\\.existing\\.egressIps: clusters aks-prod egress through the hub firewall: ' +
          'list its public IPs in egressIps',
      ),
    );
    assert.match(
      fleetErrorOf(EXISTING_HUB.replace('egressIps: [203.0.113.10, 203.0.113.11]', 'egressIps: [203.0.113.300]')),
      at('spec\\.hub\\.existing\\.egressIps\\[0\\]: "203\\.0\\.113\\.300": must be an IPv4 address'),
    );
    // Without the hub firewall's IP, prod's userDefinedRouting has no next hop.
    assert.match(
      fleetErrorOf(EXISTING_HUB.replace(', firewallPrivateIp: 10.200.1.4', '')),
      /spec\.clusters\[2\]\.egress: userDefinedRouting needs network\.vnet\.firewallSubnet .*an existing hub needs hub\.existing\.firewallPrivateIp/,
    );
    const both = EXISTING_HUB.replace('  hub:\n', '  hub:\n    resourceGroup: rg-hub\n');
    assert.match(
      fleetErrorOf(both),
      new RegExp(
        `^fleet\\.yaml:${line}:\\d+: spec\\.hub\\.resourceGroup: resourceGroup: ` +
          `the hub aksfleet creates; with hub\\.existing \\(a hub you run\\) give only existing`,
        'm',
      ),
    );
    assert.match(
      fleetErrorOf(HUB.replace(', firewallSubnet: 10.100.0.0/26 }', ' }')),
      /spec\.hub: a hub needs resourceGroup, addressSpace and firewallSubnet \(a hub aksfleet creates\) or existing \(a hub you run\); missing: firewallSubnet/,
    );
  },
);
