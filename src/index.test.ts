import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aksfleet from './index.js';
import { readFileSync } from 'node:fs';
import { exampleFile } from './package-root.js';

test('the public API carries the example fleet from spec to checked clusters, in memory', () => {
  const fleet = aksfleet.loadFleet(exampleFile('fleet.yaml'));
  const files = aksfleet.generateAll(fleet);
  // An aksfleet repository: the generated tree next to its fleet.yaml.
  const fs = new aksfleet.MemoryRepoFs({
    'fleet.yaml': readFileSync(exampleFile('fleet.yaml'), 'utf8'),
    ...Object.fromEntries(files.map((f) => [f.path, f.content])),
  });
  const build = aksfleet.buildCluster(fs, { cluster: 'aks-prod', allowMissingVars: true });
  assert.equal(build.kustomizations.filter((k) => k.status === 'built').length, build.kustomizations.length);
  const ids = aksfleet.allResources(build).map((r) => aksfleet.resourceId(r.object));
  assert.ok(ids.includes('Deployment/app/api'));
  assert.ok(ids.includes('NetworkPolicy/app/default-deny'));
  const { findings } = aksfleet.checkRepository(fs, { today: '2026-11-25' });
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
  assert.equal(typeof aksfleet.main, 'function');
  assert.equal(aksfleet.fleetJsonSchema().$id, 'https://aksfleet.dev/schemas/fleet-v1alpha1.json');
});

test('the public model namespace keeps every fact derived from a fleet, wherever it lives in src/', () => {
  assert.deepEqual(Object.keys(aksfleet.model).sort(), [
    'OUTPUTS_CONFIGMAP',
    'OUTPUT_VARS',
    'RATIFY_SERVICE_ACCOUNT',
    'appIn',
    'appNamespace',
    'clusterPath',
    'clustersOf',
    'clustersOfTenant',
    'environmentOf',
    'identityClientIdVar',
    'identityNamespace',
    'platformIdentities',
    'registryLoginServer',
    'tenantPlacedOn',
    'tenantsOn',
  ]);
});
