/**
 * The network rules of the fleet spec (network-rules.ts), each refused at its fleet.yaml line and
 * field, and the fleet-wide address plan against Node's net.BlockList as the oracle: random VNet
 * address spaces for the three clusters are refused exactly when two of them overlap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { parseFleet } from './load.js';
import { editExample, exampleFleetText, fleetErrorOf } from './testing.js';
import { sharedPublicNetworkAccess, usesPrivateLink } from './network.js';

const DEV_VNET = 'vnet: { addressSpace: 10.10.0.0/16, nodeSubnet: 10.10.0.0/22, privateEndpointSubnet: 10.10.4.0/24 }';
const PROD_VNET =
  'vnet: { addressSpace: 10.30.0.0/16, nodeSubnet: 10.30.0.0/20, privateEndpointSubnet: 10.30.16.0/24 }';

test('the example: every environment on Private Link, public access of the shared resources Disabled', () => {
  const f = parseFleet(exampleFleetText, 'fleet.yaml');
  assert.deepEqual(f.spec.environments.map(usesPrivateLink), [true, true, true]);
  assert.equal(sharedPublicNetworkAccess(f), 'Disabled');
});

const cases: { name: string; from: string; to: string; field: string; expect: RegExp; nth?: number }[] = [
  {
    name: 'overlapping VNets of two clusters',
    from: PROD_VNET,
    to: PROD_VNET.replace('addressSpace: 10.30.0.0/16', 'addressSpace: 10.8.0.0/13'),
    field: 'spec.clusters[2].network.vnet.addressSpace',
    expect:
      /VNet address space 10\.8\.0\.0\/13 of cluster 'aks-prod' overlaps 10\.10\.0\.0\/16 of cluster 'aks-dev' \(spec\.clusters\[0\]\.network\.vnet\.addressSpace\)/,
  },
  {
    name: 'subnet outside the address space',
    from: DEV_VNET,
    to: DEV_VNET.replace('nodeSubnet: 10.10.0.0/22', 'nodeSubnet: 10.11.0.0/22'),
    field: 'spec.clusters[0].network.vnet.nodeSubnet',
    expect: /nodeSubnet 10\.11\.0\.0\/22 is outside the VNet address space 10\.10\.0\.0\/16/,
  },
  {
    name: 'subnet wider than the address space',
    from: DEV_VNET,
    to: DEV_VNET.replace('nodeSubnet: 10.10.0.0/22', 'nodeSubnet: 10.0.0.0/8'),
    field: 'spec.clusters[0].network.vnet.nodeSubnet',
    expect: /is outside the VNet address space/,
  },
  {
    name: 'overlapping subnets',
    from: DEV_VNET,
    to: DEV_VNET.replace('privateEndpointSubnet: 10.10.4.0/24', 'privateEndpointSubnet: 10.10.3.0/24'),
    field: 'spec.clusters[0].network.vnet.privateEndpointSubnet',
    expect: /privateEndpointSubnet 10\.10\.3\.0\/24 overlaps nodeSubnet 10\.10\.0\.0\/22/,
  },
  {
    name: 'service CIDR inside the VNet',
    from: DEV_VNET,
    to: `serviceCidr: 10.10.128.0/20, dnsServiceIp: 10.10.128.10, ${DEV_VNET}`,
    field: 'spec.clusters[0].network.serviceCidr',
    expect: /service CIDR 10\.10\.128\.0\/20 overlaps the VNet address space 10\.10\.0\.0\/16/,
  },
  {
    name: "overlay pod CIDR on another cluster's VNet",
    from: DEV_VNET,
    to: `podCidr: 10.30.0.0/16, ${DEV_VNET}`,
    field: 'spec.clusters[0].network.podCidr',
    expect: /overlay pod CIDR 10\.30\.0\.0\/16 overlaps the VNet 10\.30\.0\.0\/16 of cluster 'aks-prod'/,
  },
  {
    name: 'AKS default overlay pod CIDR on a VNet',
    from: DEV_VNET,
    to: DEV_VNET.replace(/10\.10\./g, '10.244.'),
    field: 'spec.clusters[0].network.plugin',
    expect: /AKS's default overlay pod CIDR 10\.244\.0\.0\/16 overlaps .*set network\.podCidr/,
  },
  {
    name: 'Private Link without an endpoint subnet',
    from: DEV_VNET,
    to: DEV_VNET.replace(', privateEndpointSubnet: 10.10.4.0/24', ''),
    field: 'spec.clusters[0].network.vnet',
    expect: /environment 'dev' uses privateLink: cluster 'aks-dev' needs network\.vnet with privateEndpointSubnet/,
  },
  {
    name: 'Private Link on a Standard registry',
    from: 'sku: Premium ',
    to: 'sku: Standard ',
    field: 'spec.registry.sku',
    expect: /private endpoints on a registry need sku Premium/,
  },
  {
    name: 'userAssignedNATGateway without a VNet',
    from: `, ${PROD_VNET}`,
    to: '',
    field: 'spec.clusters[2].egress.type',
    expect: /userAssignedNATGateway puts a NAT gateway on the node subnet aksfleet creates: set network\.vnet/,
  },
  {
    name: 'firewall subnet too small',
    from: DEV_VNET,
    to: DEV_VNET.replace(' }', ', firewallSubnet: 10.10.5.0/27 }'),
    field: 'spec.clusters[0].network.vnet.firewallSubnet',
    expect: /AzureFirewallSubnet must be \/26 or larger/,
  },
  {
    name: 'firewall subnet without userDefinedRouting',
    from: DEV_VNET,
    to: DEV_VNET.replace(' }', ', firewallSubnet: 10.10.5.0/26 }'),
    field: 'spec.clusters[0].network.vnet.firewallSubnet',
    expect: /for egress type 'userDefinedRouting' only/,
  },
  {
    name: 'userDefinedRouting with neither firewall',
    from: 'egress: { type: loadBalancer }',
    to: 'egress: { type: userDefinedRouting }',
    field: 'spec.clusters[0].egress',
    expect: /userDefinedRouting needs network\.vnet\.firewallSubnet/,
  },
  {
    name: 'a VNet on a range AKS reserves',
    from: PROD_VNET,
    to: 'vnet: { addressSpace: 172.30.0.0/16, nodeSubnet: 172.30.0.0/20, privateEndpointSubnet: 172.30.16.0/24 }',
    field: 'spec.clusters[2].network.vnet.addressSpace',
    expect: /172\.30\.0\.0\/16 overlaps 172\.30\.0\.0\/16, which AKS reserves/,
  },
  {
    name: 'a service CIDR on a range AKS reserves',
    from: DEV_VNET,
    to: `serviceCidr: 192.0.2.0/24, dnsServiceIp: 192.0.2.10, ${DEV_VNET}`,
    field: 'spec.clusters[0].network.serviceCidr',
    expect: /192\.0\.2\.0\/24 overlaps 192\.0\.2\.0\/24, which AKS reserves/,
  },
  {
    name: 'pod subnet with overlay',
    from: DEV_VNET,
    to: DEV_VNET.replace(' }', ', podSubnet: 10.10.8.0/22 }'),
    field: 'spec.clusters[0].network.vnet.podSubnet',
    expect: /a pod subnet applies to plugin 'azure' only/,
  },
];

for (const c of cases) {
  test(`network rule: ${c.name}`, () => {
    const e = editExample(c.from, c.to, c.nth);
    const msg = fleetErrorOf(e.text);
    const line = new RegExp(`^fleet\\.yaml:\\d+:\\d+: ${c.field.replace(/[.[\]]/g, (m) => `\\${m}`)}: (.*)$`, 'm').exec(
      msg,
    );
    assert.ok(line, `no error at ${c.field}:\n${msg}`);
    assert.match(line[1]!, c.expect, msg);
  });
}

test('public access Disabled while dev has no private endpoints is refused; left to its default it is Enabled', () => {
  const devPublic = editExample(
    '      soak: 24h            # how long a change or an upgrade soaks here before moving on\n      privateLink: true',
    '      soak: 24h\n      privateLink: false',
  ).text;
  assert.equal(sharedPublicNetworkAccess(parseFleet(devPublic, 'fleet.yaml')), 'Enabled');
  const text = devPublic.replace('  keyVault:\n', '  privateLink: { publicNetworkAccess: Disabled }\n  keyVault:\n');
  const line = text.split('\n').findIndex((l) => l.startsWith('  privateLink:')) + 1;
  assert.match(
    fleetErrorOf(text),
    new RegExp(
      `^fleet\\.yaml:${line}:\\d+: spec\\.privateLink\\.publicNetworkAccess: ` +
        `public access Disabled, but the clusters of 'dev' have no private endpoints`,
      'm',
    ),
  );
});

test('a private DNS zone ID of the wrong zone is refused', () => {
  const zone =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/' +
    'providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net';
  const e = editExample('  keyVault:\n', `  privateLink:\n    dnsZoneIds: { registry: ${zone} }\n  keyVault:\n`);
  assert.match(
    fleetErrorOf(e.text),
    new RegExp(
      `^fleet\\.yaml:${e.line + 1}:\\d+: spec\\.privateLink\\.dnsZoneIds\\.registry: ` +
        `.*must be the zone privatelink\\.azurecr\\.io`,
      'm',
    ),
  );
});

test('the overlapping-VNets error names the line of the later cluster in fleet.yaml', () => {
  const e = editExample(PROD_VNET, PROD_VNET.replace('10.30.0.0/16', '10.10.0.0/16'));
  assert.match(
    fleetErrorOf(e.text),
    new RegExp(`^fleet\\.yaml:${e.line}:\\d+: spec\\.clusters\\[2\\]\\.network\\.vnet\\.addressSpace: `, 'm'),
  );
});

test('VNet address spaces: refused exactly when two overlap (fast-check against net.BlockList, seed 22)', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const space = fc.tuple(fc.constantFrom(10, 172, 192), octet, fc.integer({ min: 8, max: 24 })).map(([a, b, p]) => {
    const n = ((a << 24) | (b << 16)) >>> 0;
    const net = p === 0 ? 0 : (n & ((0xffffffff << (32 - p)) >>> 0)) >>> 0;
    return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${p}`;
  });
  const vnets = ['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16'];
  fc.assert(
    fc.property(fc.tuple(space, space, space), (spaces) => {
      let text = exampleFleetText;
      // Only the address spaces change: subnets become the space itself minus nothing (nodes = space), no endpoints
      // subnet conflicts.
      spaces.forEach((s, i) => {
        const old = new RegExp(`vnet: \\{ addressSpace: ${vnets[i]!.replace(/\./g, '\\.')}[^}]*\\}`);
        text = text.replace(old, `vnet: { addressSpace: ${s}, nodeSubnet: ${s}, privateEndpointSubnet: ${s} }`);
      });
      let overlapping = false;
      for (let i = 0; i < 3; i++)
        for (let j = i + 1; j < 3; j++) {
          const l = new BlockList();
          const [a, p] = spaces[i]!.split('/');
          l.addSubnet(a!, Number(p));
          const [b, q] = spaces[j]!.split('/');
          const r = new BlockList();
          r.addSubnet(b!, Number(q));
          if (l.check(b!) || r.check(a!)) overlapping = true;
        }
      let msg = '';
      try {
        parseFleet(text, 'fleet.yaml');
      } catch (e) {
        msg = (e as { format(): string }).format();
      }
      assert.equal(
        /network\.vnet\.addressSpace: VNet address space .* overlaps/.test(msg),
        overlapping,
        `${spaces.join(' ')}\n${msg}`,
      );
    }),
    { seed: 22, numRuns: 120 },
  );
});
