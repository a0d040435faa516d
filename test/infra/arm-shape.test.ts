/**
 * armBody/wireShape against a real oracle: the request serializers of @azure/arm-containerservice
 * (the code the Azure SDK uses to send these very models to ARM). For every cluster of the
 * example fleet, the SDK-typed values the generator builds are serialized both ways; the results
 * must be equal. Expressions are replaced by marker strings first (the SDK knows no Bicep).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BicepExpr, armBody, wireShape } from '../../src/bicep/index.js';
import { parseFleet } from '../../src/spec/load.js';
import { exampleFile, PACKAGE_ROOT } from '../../src/package-root.js';
import {
  autoScalerProfileSdk,
  managedClusterTemplate,
  maintenanceSdk,
  networkProfileSdk,
  systemPoolSdk,
  userPoolSdk,
} from '../../src/generators/infra/aks.js';

const MODELS = join(PACKAGE_ROOT, 'node_modules/@azure/arm-containerservice/dist/esm/models/models.js');
const skip = existsSync(MODELS) ? false : '@azure/arm-containerservice is not installed';

/** Expressions -> marker strings; drops undefined (the SDK keeps keys with undefined values). */
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
function clean(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}
/**
 * Where our value is an expression standing for a whole object (a parameter), the SDK serializer
 * walks the marker string as if it were an object and yields {}: take our marker there.
 */
function alignExpressions(ours: unknown, theirs: unknown): unknown {
  if (typeof ours === 'string' && ours.startsWith('<expr ') && theirs !== null && typeof theirs === 'object')
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

test('ARM shape of the cluster, pools, network, autoscaler and maintenance equals the SDK serializers', {
  skip,
}, async () => {
  const sdk = (await import(pathToFileURL(MODELS).href)) as Record<string, (x: unknown) => unknown>;
  const fleet = parseFleet(readFileSync(exampleFile('fleet.yaml'), 'utf8'));
  let compared = 0;
  const same = (ours: unknown, theirs: unknown, what: string) => {
    const o = clean(plain(ours));
    assert.deepEqual(o, alignExpressions(o, clean(theirs)), what);
    compared++;
  };
  // The ManagedCluster template: SDK model -> { location, tags, sku, identity, properties }.
  const mc = plain(managedClusterTemplate()) as Record<string, unknown>;
  const theirs = clean(sdk.managedClusterSerializer!(mc)) as Record<string, unknown>;
  same(armBody(managedClusterTemplate()), theirs, 'managedCluster');
  for (const c of fleet.spec.clusters) {
    same(
      wireShape(systemPoolSdk(c)),
      sdk.managedClusterAgentPoolProfileSerializer!(plain(systemPoolSdk(c))),
      `${c.name} system pool`,
    );
    userPoolSdk(c).forEach((p, i) => same(armBody(p), sdk.agentPoolSerializer!(plain(p)), `${c.name} user pool ${i}`));
    same(
      wireShape(networkProfileSdk(c)),
      sdk.containerServiceNetworkProfileSerializer!(plain(networkProfileSdk(c))),
      `${c.name} network profile`,
    );
    same(
      wireShape(autoScalerProfileSdk(c)),
      sdk.managedClusterPropertiesAutoScalerProfileSerializer!(plain(autoScalerProfileSdk(c))),
      `${c.name} autoscaler profile`,
    );
    for (const [name, m] of maintenanceSdk(c))
      same(armBody(m), sdk.maintenanceConfigurationSerializer!(plain(m)), `${c.name} ${name}`);
  }
  assert.ok(compared >= 1 + 3 * 5, `compared ${compared}`);
});

test('the autoscaler profile uses the kebab-case ARM names (the seed sketch used camelCase)', () => {
  const fleet = parseFleet(readFileSync(exampleFile('fleet.yaml'), 'utf8'));
  const prod = fleet.spec.clusters.find((c) => c.name === 'aks-prod')!;
  assert.deepEqual(wireShape(autoScalerProfileSdk(prod)), { 'scan-interval': '20s', 'max-empty-bulk-delete': '10' });
});
