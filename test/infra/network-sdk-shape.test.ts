/**
 * The network and private DNS IaC against a real oracle: the model (de)serializers of
 * @azure/arm-network 39.0.0 and @azure/arm-privatedns 4.0.0, the code the Azure SDK uses to read
 * and send these very resources. Our bodies are written in the ARM wire shape, so each one goes
 * through the SDK's deserializer (wire -> model) and back through its serializer (model -> wire):
 * a property the SDK does not know, or one at the wrong level (`sku` outside `properties` on a
 * firewall, a subnet field beside `properties`), is dropped on the way and the two differ.
 * The hub (infra/hub/main.bicep) and both peerings are judged the same way, also with a hub the user
 * runs (spec.hub.existing: the spoke side and infra/hub-owner/peering-<c>.bicep).
 * Expressions are replaced by marker strings first (the SDK knows no Bicep); Bicep's own keys
 * (`name`, `parent`, `scope`, `dependsOn`) are not part of the request body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BicepExpr, type BicepFile, type ResourceDecl } from '../../src/bicep/index.js';
import { parseFleet } from '../../src/spec/load.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { networkFile } from '../../src/generators/infra/network.js';
import { privateEndpointsFile } from '../../src/generators/infra/private-endpoints.js';
import { clusterPlan } from '../../src/generators/infra/index.js';
import { hubOf, usesPrivateLink } from '../../src/spec/network.js';
import { EXISTING_HUB, FLEET_TEXTS, HUB } from './fixtures.js';
import { hubFile, hubPeeringFile } from '../../src/generators/infra/hub.js';

const NETWORK = join(PACKAGE_ROOT, 'node_modules/@azure/arm-network/dist/esm/models');
const PRIVATE_DNS = join(PACKAGE_ROOT, 'node_modules/@azure/arm-privatedns/dist/esm/models/models.js');
const skip =
  existsSync(NETWORK) && existsSync(PRIVATE_DNS)
    ? false
    : '@azure/arm-network or @azure/arm-privatedns is not installed';

type Fn = (x: unknown) => unknown;
type Models = Record<string, Fn>;

/** Resource type -> the SDK model name whose serializer/deserializer pair judges it. */
const MODEL_OF: Readonly<Record<string, readonly [pkg: 'network' | 'privatedns', model: string]>> = {
  'Microsoft.Network/virtualNetworks': ['network', 'virtualNetwork'],
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings': ['network', 'virtualNetworkPeering'],
  'Microsoft.Network/networkSecurityGroups': ['network', 'networkSecurityGroup'],
  'Microsoft.Network/natGateways': ['network', 'natGateway'],
  'Microsoft.Network/publicIPAddresses': ['network', 'publicIPAddress'],
  'Microsoft.Network/routeTables': ['network', 'routeTable'],
  'Microsoft.Network/azureFirewalls': ['network', 'azureFirewall'],
  'Microsoft.Network/firewallPolicies': ['network', 'firewallPolicy'],
  'Microsoft.Network/firewallPolicies/ruleCollectionGroups': ['network', 'firewallPolicyRuleCollectionGroup'],
  'Microsoft.Network/privateEndpoints': ['network', 'privateEndpoint'],
  'Microsoft.Network/privateEndpoints/privateDnsZoneGroups': ['network', 'privateDnsZoneGroup'],
  'Microsoft.Network/privateDnsZones': ['privatedns', 'privateZone'],
  'Microsoft.Network/privateDnsZones/virtualNetworkLinks': ['privatedns', 'virtualNetworkLink'],
};

/** Keys of a Bicep resource body that are not in the ARM request body. */
const BICEP_ONLY = new Set(['name', 'parent', 'scope', 'dependsOn']);

function plain(v: unknown): unknown {
  if (v instanceof BicepExpr) return `<expr ${v.text}>`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, plain(x)]),
    );
  return v;
}
const clean = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));

/** Where ours is a marker standing for a whole object (`tags: tags`), the SDK walks it as one: keep ours. */
function alignExpressions(ours: unknown, theirs: unknown): unknown {
  if (typeof ours === 'string' && ours.startsWith('<expr ') && (theirs === null || typeof theirs === 'object'))
    return ours;
  if (Array.isArray(ours) && Array.isArray(theirs)) return theirs.map((t, i) => alignExpressions(ours[i], t));
  if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object')
    return Object.fromEntries(
      Object.entries(theirs as Record<string, unknown>).map(([k, t]) => [
        k,
        alignExpressions((ours as Record<string, unknown>)[k], t),
      ]),
    );
  return theirs;
}

function resources(file: BicepFile): ResourceDecl[] {
  return file.declarations.filter((d): d is ResourceDecl => d.kind === 'resource' && !d.existing);
}

async function loadModels(): Promise<Record<'network' | 'privatedns', Models>> {
  const common = (await import(pathToFileURL(join(NETWORK, 'common/models.js')).href)) as Models;
  const network = (await import(pathToFileURL(join(NETWORK, 'network/models.js')).href)) as Models;
  const privatedns = (await import(pathToFileURL(PRIVATE_DNS).href)) as Models;
  return { network: { ...common, ...network }, privatedns };
}

/** ours -> the SDK's deserializer -> its serializer; returns the two wire bodies to compare. */
export function roundTrip(
  models: Record<'network' | 'privatedns', Models>,
  decl: ResourceDecl,
): { ours: unknown; theirs: unknown } {
  const m = MODEL_OF[decl.type];
  assert.ok(m, `no SDK model mapped for ${decl.type}`);
  const [pkg, model] = m;
  const ser = models[pkg][`${model}Serializer`];
  const de = models[pkg][`${model}Deserializer`];
  assert.ok(ser && de, `${pkg} has no ${model}Serializer/Deserializer`);
  const body = Object.fromEntries(Object.entries(decl.body).filter(([k]) => !BICEP_ONLY.has(k)));
  const ours = clean(plain(body));
  const theirs = clean(ser(de(ours)));
  return { ours, theirs: alignExpressions(ours, theirs) };
}

test('network.bicep and private-endpoints.bicep bodies survive the ' +
  'arm-network/arm-privatedns deserializer + serializer unchanged', {
  skip,
}, async () => {
  const models = await loadModels();
  const seen = new Set<string>();
  let compared = 0;
  for (const [label, text] of [...FLEET_TEXTS, ['hub', HUB] as const, ['existing hub', EXISTING_HUB] as const]) {
    const fleet = parseFleet(text, 'fleet.yaml');
    const hub = hubOf(fleet);
    if (hub?.kind === 'ours')
      for (const decl of resources(hubFile(fleet))) {
        const { ours, theirs } = roundTrip(models, decl);
        assert.deepEqual(ours, theirs, `${label} hub ${decl.symbol} (${decl.type})`);
        seen.add(decl.type);
        compared++;
      }
    for (const cluster of fleet.spec.clusters) {
      const files: BicepFile[] = [];
      if (cluster.network.vnet) files.push(networkFile(fleet, cluster));
      if (cluster.network.vnet && hub) files.push(hubPeeringFile(cluster, hub));
      const plan = clusterPlan(fleet, cluster);
      if (usesPrivateLink(plan.environment)) files.push(privateEndpointsFile(fleet, plan));
      for (const decl of files.flatMap(resources)) {
        // arm-authorization: see main.ts's typed bodies
        if (decl.type === 'Microsoft.Authorization/roleAssignments') continue;
        const { ours, theirs } = roundTrip(models, decl);
        assert.deepEqual(ours, theirs, `${label} ${cluster.name} ${decl.symbol} (${decl.type})`);
        seen.add(decl.type);
        compared++;
      }
    }
  }
  // Every network/private DNS type the generators write was judged at least once.
  for (const t of Object.keys(MODEL_OF)) assert.ok(seen.has(t), `no ${t} compared`);
  assert.ok(compared > 50, `compared ${compared}`);
});

/** Wire keys whose values are an enum of arm-network (its Known* values: the SDK types them as open strings). */
const ENUM_OF: Readonly<Record<string, string>> = {
  protocol: 'KnownSecurityRuleProtocol',
  access: 'KnownSecurityRuleAccess',
  direction: 'KnownSecurityRuleDirection',
  ipProtocols: 'KnownFirewallPolicyRuleNetworkProtocol',
  protocolType: 'KnownFirewallPolicyRuleApplicationProtocolType',
  nextHopType: 'KnownRouteNextHopType',
  publicIPAllocationMethod: 'KnownIPAllocationMethod',
  publicIPAddressVersion: 'KnownIPVersion',
  threatIntelMode: 'KnownAzureFirewallThreatIntelMode',
  ruleCollectionType: 'KnownFirewallPolicyRuleCollectionType',
  privateEndpointNetworkPolicies: 'KnownVirtualNetworkPrivateEndpointNetworkPolicies',
};

/** [key, value] of every enum-valued field in a wire body. */
function enumValues(v: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(v)) v.forEach((x) => enumValues(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (ENUM_OF[k] && typeof x === 'string') out.push([k, x]);
      else if (ENUM_OF[k] && Array.isArray(x)) x.forEach((y) => typeof y === 'string' && out.push([k, y]));
      else enumValues(x, out);
    }
  return out;
}

test('every enum value the network bodies use is one arm-network knows', { skip }, async () => {
  const enums = (await import(pathToFileURL(join(NETWORK, 'common/models.js')).href)) as Record<
    string,
    Record<string, string>
  >;
  const more = (await import(pathToFileURL(join(NETWORK, 'network/models.js')).href)) as Record<
    string,
    Record<string, string>
  >;
  let checked = 0;
  for (const [label, text] of [...FLEET_TEXTS, ['hub', HUB] as const]) {
    const fleet = parseFleet(text, 'fleet.yaml');
    for (const cluster of fleet.spec.clusters.filter((c) => c.network.vnet)) {
      for (const decl of resources(networkFile(fleet, cluster))) {
        for (const [k, value] of enumValues(plain(decl.body))) {
          const known = enums[ENUM_OF[k]!] ?? more[ENUM_OF[k]!];
          assert.ok(known, `arm-network has no ${ENUM_OF[k]}`);
          assert.ok(
            Object.values(known).includes(value),
            `${label} ${cluster.name} ${decl.symbol}: ${k} '${value}' is not one of ${Object.values(known).join(', ')}`,
          );
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 20, `checked ${checked}`);
});

test('the round trip catches a misplaced or unknown property (the oracle is not blind)', { skip }, async () => {
  const models = await loadModels();
  const fw: ResourceDecl = {
    kind: 'resource',
    symbol: 'firewall',
    type: 'Microsoft.Network/azureFirewalls',
    apiVersion: 'x',
    body: { name: 'afw', location: 'uksouth', sku: { name: 'AZFW_VNet', tier: 'Standard' }, properties: {} },
  };
  const r1 = roundTrip(models, fw);
  assert.notDeepEqual(r1.ours, r1.theirs, 'sku outside properties must be dropped by the SDK');
  const subnetTypo: ResourceDecl = {
    kind: 'resource',
    symbol: 'vnet',
    type: 'Microsoft.Network/virtualNetworks',
    apiVersion: 'x',
    body: {
      name: 'v',
      location: 'uksouth',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ name: 's', properties: { addressPrefix: '10.0.0.0/24', routeTabel: { id: 'x' } } }],
      },
    },
  };
  const r2 = roundTrip(models, subnetTypo);
  assert.notDeepEqual(r2.ours, r2.theirs, 'an unknown subnet property must be dropped by the SDK');
  const linkTypo: ResourceDecl = {
    kind: 'resource',
    symbol: 'link',
    type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
    apiVersion: 'x',
    body: { name: 'l', location: 'global', properties: { registrationEnabled: false, virtualNetworkId: 'x' } },
  };
  const r3 = roundTrip(models, linkTypo);
  assert.notDeepEqual(r3.ours, r3.theirs, 'virtualNetworkId is not a link property (virtualNetwork.id is)');
});
