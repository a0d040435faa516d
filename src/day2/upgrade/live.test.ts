import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLiveState, sdkReader } from './live.js';
import { miniFleet } from './testing/fixtures.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();

test('live state: the SDK objects (flattened like az aks show) map to cluster state; no network (reader injected)', async () => {
  const recorded = JSON.parse(
    readFileSync(join(root, 'data/azure-examples/az-aks-create-output.recordingbot.json'), 'utf8'),
  );
  const fleet = miniFleet([{ name: 'dev' }], [{ name: 'recordingbotcluster', env: 'dev', version: '1.28.5' }]);
  const calls: string[] = [];
  const states = await readLiveState(fleet, { AZURE_SUBSCRIPTION_ID: 'sub-1' }, async (sub, rg, name) => {
    calls.push(`${sub}/${rg}/${name}`);
    return recorded;
  });
  assert.deepEqual(calls, ['sub-1/rg-recordingbotcluster/recordingbotcluster']);
  assert.equal(states[0]!.controlPlane, '1.28.5');
  assert.equal(states[0]!.pools[0]!.maxSurge, '10%');
  await assert.rejects(
    readLiveState(fleet, {}, async () => recorded),
    /no subscriptionId and AZURE_SUBSCRIPTION_ID is not set/,
  );
  await assert.rejects(
    readLiveState(fleet, { AZURE_SUBSCRIPTION_ID: 's' }, async () => {
      throw new Error('AuthorizationFailed');
    }),
    /reading managed cluster rg-recordingbotcluster\/recordingbotcluster failed: AuthorizationFailed/,
  );
});

test('the Azure SDK loads lazily and builds a reader without touching the network', async () => {
  const get = await sdkReader();
  assert.equal(typeof get, 'function');
});
