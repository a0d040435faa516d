import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../resources/resource.js';
import { releaseValues } from './values.js';

const release = (valuesFrom?: unknown[]): KObject => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'app', namespace: 'apps' },
  spec: { values: { image: { repository: 'nginx', tag: '1.25' }, replicas: 2 }, ...(valuesFrom ? { valuesFrom } : {}) },
});
const configMap: KObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'overrides', namespace: 'apps' },
  data: { replicas: '5', repository: 'mirror/nginx' },
};
const find = (kind: string, ns: string, name: string) =>
  kind === 'ConfigMap' && ns === 'apps' && name === 'overrides' ? configMap : undefined;

test('releaseValues: HelmReleases with the same spec.values each get their own values (spec.values is read once)', () => {
  const targeted = releaseValues(
    release([
      { kind: 'ConfigMap', name: 'overrides', valuesKey: 'replicas', targetPath: 'replicas' },
      { kind: 'ConfigMap', name: 'overrides', valuesKey: 'repository', targetPath: 'image.repository' },
    ]),
    find,
  );
  assert.deepEqual(targeted.warnings, []);
  const plain = releaseValues(release(), find);
  assert.deepEqual(plain.values, { image: { repository: 'nginx', tag: '1.25' }, replicas: 2 });
  // A change to one release's values is not seen by the next one with the same spec.values.
  (plain.values.image as Record<string, unknown>).tag = 'changed';
  plain.values.replicas = 9;
  assert.deepEqual(releaseValues(release(), find).values, { image: { repository: 'nginx', tag: '1.25' }, replicas: 2 });
  assert.notEqual(releaseValues(release(), find).values.image, releaseValues(release(), find).values.image);
});
