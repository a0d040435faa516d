/**
 * The network rules on facts read from the generated example (infra-network.ts readers on the
 * files the generator writes), and the firewall rule on NetworkPolicies: 0.0.0.0/0 on 443 (or on
 * every port) is refused behind a firewall, a named range or another port is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exampleFile } from '../../package-root.js';
import { parseFleet } from '../../spec/load.js';
import { generateInfra } from '../../generators/infra/index.js';
import { infraFromFleet, infraFromRepo } from '../infra.js';
import { readPrivateEndpoints } from '../infra-network.js';
import { contextFromYaml } from '../testing.js';
import type { InfraInfo, Report, RepoContext } from '../types.js';
import { egressAnyBehindFirewall, networkRepoRules } from './network.js';
import { DEFAULT_CONFIG } from '../config.js';

const text = readFileSync(exampleFile('fleet.yaml'), 'utf8');
const fleet = parseFleet(text);
const files = new Map(generateInfra(fleet).map((f) => [f.path, f.content]));

function infraOf(edit: (path: string, content: string) => string = (_, c) => c): InfraInfo {
  const read = {
    isFile: (p: string) => files.has(p),
    readFile: (p: string) => edit(p, files.get(p)!),
    isDir: (p: string) => [...files.keys()].some((k) => k.startsWith(`${p}/`)),
    list: (p: string) => [
      ...new Set(
        [...files.keys()].filter((k) => k.startsWith(`${p}/`)).map((k) => k.slice(p.length + 1).split('/')[0]!),
      ),
    ],
  };
  return infraFromRepo(infraFromFleet(fleet), read).infra;
}

function repoFindings(infra: InfraInfo): { rule: string; message: string; file?: string; line?: number }[] {
  const ctx = { clusters: [], infra, config: DEFAULT_CONFIG, contexts: [] } as unknown as RepoContext;
  const out: { rule: string; message: string; file?: string; line?: number }[] = [];
  for (const r of networkRepoRules)
    r.check(ctx, (f: Report) => out.push({ rule: r.id, message: f.message, file: f.file, line: f.line }));
  return out;
}

test(
  'the generated example: prod endpoints to registry, vault and blob, each zone linked; public access ' +
    'Disabled; NAT egress',
  () => {
    const infra = infraOf();
    const prod = infra.clusters.find((c) => c.name === 'aks-prod')!;
    assert.deepEqual(
      prod.network!.endpoints.map((e) => [e.groupId, e.linked, e.zone]),
      [
        ['registry', true, 'privatelink.azurecr.io'],
        ['vault', true, 'privatelink.vaultcore.azure.net'],
        ['blob', true, 'privatelink.blob.core.windows.net'],
      ],
    );
    assert.equal(prod.network!.egressType, 'userAssignedNATGateway');
    assert.equal(infra.sharedAccess!.publicNetworkAccess, 'Disabled');
    assert.equal(infra.sharedAccess!.file, 'infra/shared/main.bicepparam');
    assert.deepEqual(repoFindings(infra), []);
  },
);

test('planted: public access re-enabled, a DNS link removed, egress through the load balancer', () => {
  const infra = infraOf((p, c) => {
    if (p === 'infra/shared/main.bicepparam')
      return c.replace("publicNetworkAccess = 'Disabled'", "publicNetworkAccess = 'Enabled'");
    if (p === 'infra/clusters/aks-prod/private-endpoints.bicep')
      return c
        .replace(/resource blobZoneLink\b[\s\S]*?\n\}\n/, '')
        .replace(/resource backupStorageZoneLink\b[\s\S]*?\n\}\n/, '');
    if (p === 'infra/clusters/aks-prod/main.bicepparam')
      return c.replace("outboundType: 'userAssignedNATGateway'", "outboundType: 'loadBalancer'");
    return c;
  });
  const f = repoFindings(infra);
  assert.deepEqual(f.map((x) => x.rule).sort(), [
    'prod-egress-pinned',
    'prod-private-endpoints',
    'prod-shared-resources-private',
  ]);
  const pe = f.find((x) => x.rule === 'prod-private-endpoints')!;
  assert.match(
    pe.message,
    /private DNS zone privatelink\.blob\.core\.windows\.net of aks-prod's endpoint to the backup storage \(blob\) is not linked to the cluster's VNet/,
  );
  assert.equal(pe.file, 'infra/clusters/aks-prod/private-endpoints.bicep');
  const shared = f.find((x) => x.rule === 'prod-shared-resources-private')!;
  assert.equal(
    shared.line,
    files
      .get('infra/shared/main.bicepparam')!
      .split('\n')
      .findIndex((l) => l.startsWith('param publicNetworkAccess')) + 1,
  );
});

test("a cluster whose infra has no private-endpoints.bicep has no endpoints (not the fleet's plan)", () => {
  files.delete('infra/clusters/aks-prod/private-endpoints.bicep');
  try {
    const f = repoFindings(infraOf());
    assert.equal(f.filter((x) => x.rule === 'prod-private-endpoints').length, 3, JSON.stringify(f));
  } finally {
    files.set(
      'infra/clusters/aks-prod/private-endpoints.bicep',
      generateInfra(fleet).find((x) => x.path === 'infra/clusters/aks-prod/private-endpoints.bicep')!.content,
    );
  }
});

test('readPrivateEndpoints: a zone the user manages (resource ID) counts as linked; no zone group is reported', () => {
  const t = `resource registryEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  properties: {
    privateLinkServiceConnections: [
      {
        properties: {
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}

resource registryEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: registryEndpoint
  properties: {
    privateDnsZoneConfigs: [
      {
        properties: {
          privateDnsZoneId: '/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io'
        }
      }
    ]
  }
}

resource vaultEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  properties: {
    groupIds: [
      'vault'
    ]
  }
}
`;
  assert.deepEqual(
    readPrivateEndpoints(t, 'pe.bicep').map((e) => [e.groupId, e.linked, e.hasZoneGroup]),
    [
      ['registry', true, true],
      ['vault', false, false],
    ],
  );
});

const policy = (to: string, ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: egress, namespace: app }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [ ${to} ]
${ports}`;

test('egress-any-behind-firewall: 0.0.0.0/0 on 443 (or any port) behind a firewall; ranges and other ports pass', () => {
  const infra = (firewall: boolean): InfraInfo => ({
    file: 'fleet.yaml',
    identities: [],
    clusters: [
      {
        name: 'test',
        production: true,
        oidcIssuer: 'x',
        pools: [],
        network: {
          privateLink: true,
          endpoints: [],
          endpointsFile: 'f',
          egressType: firewall ? 'userDefinedRouting' : 'userAssignedNATGateway',
          firewall,
          egressFile: 'fleet.yaml',
        },
      },
    ],
  });
  const run = (yaml: string, fw = true) => {
    const out: string[] = [];
    egressAnyBehindFirewall.check(contextFromYaml(yaml, { infra: infra(fw) }), (f) => out.push(f.message));
    return out;
  };
  const any = '{ ipBlock: { cidr: 0.0.0.0/0 } }';
  assert.match(
    run(policy(any, '      ports: [ { port: 443 } ]'))[0]!,
    /NetworkPolicy app\/egress allows egress to 0\.0\.0\.0\/0 on 443 while cluster test routes egress through a firewall/,
  );
  assert.equal(run(policy(any, '')).length, 1, 'no ports: every port');
  assert.equal(run(policy(any, '      ports: [ { port: 400, endPort: 500 } ]')).length, 1, 'a range holding 443');
  assert.equal(run(policy(any, '      ports: [ { port: 5432 } ]')).length, 0);
  assert.equal(run(policy(any, '      ports: [ { port: 443, protocol: UDP } ]')).length, 0);
  assert.equal(run(policy('{ ipBlock: { cidr: 203.0.113.0/24 } }', '      ports: [ { port: 443 } ]')).length, 0);
  assert.equal(run(policy(any, '      ports: [ { port: 443 } ]'), false).length, 0, 'no firewall: not this rule');
});
