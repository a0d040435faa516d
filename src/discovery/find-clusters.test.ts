import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { findClusters } from './find-clusters.js';

const sync = (path: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { url: https://github.com/o/r }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: flux-system, namespace: flux-system }
spec: { path: ${path}, sourceRef: { kind: GitRepository, name: flux-system } }
`;

test('a directory synced by the Flux objects inside it is a cluster (flux bootstrap layout)', () => {
  const fs = new MemoryRepoFs({
    'clusters/prod-eu/flux-system/gotk-sync.yaml': sync('./clusters/prod-eu'),
    'clusters/prod-eu/apps.yaml': 'a: 1\n',
    'clusters/staging/flux-system/gotk-sync.yaml': sync('./clusters/staging'),
    // A tenant repository's sync (path ./ of another repository) is not a cluster of this one.
    'tenants/team-a/sync.yaml': sync('./'),
  });
  assert.deepEqual(findClusters(fs), [
    { name: 'prod-eu', path: 'clusters/prod-eu', how: 'sync' },
    { name: 'staging', path: 'clusters/staging', how: 'sync' },
  ]);
});

test('a FluxInstance sync path is a cluster (flux-operator layout)', () => {
  const fs = new MemoryRepoFs({
    'kubernetes/flux/cluster/ks.yaml': 'a: 1\n',
    'kubernetes/apps/flux-system/instance.yaml':
      'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n' +
      'metadata: { name: flux, namespace: flux-system }\n' +
      'spec: { sync: { kind: GitRepository, url: "https://x", path: kubernetes/flux/cluster, ref: ' +
      'refs/heads/main } }\n',
  });
  assert.deepEqual(findClusters(fs), [{ name: 'cluster', path: 'kubernetes/flux/cluster', how: 'flux-instance' }]);
});

test('without sync objects in Git, clusters/<name>/ directories are the clusters; an aksfleet repo uses them always', () => {
  const fs = new MemoryRepoFs({
    'clusters/dev/apps.yaml': 'a: 1\n',
    'clusters/prod/apps.yaml': 'a: 1\n',
    'apps/x.yaml': 'a: 1\n',
  });
  assert.deepEqual(
    findClusters(fs).map((c) => `${c.name}:${c.how}`),
    ['dev:clusters-dir', 'prod:clusters-dir'],
  );
  assert.deepEqual(
    findClusters(fs, { fleet: true }).map((c) => `${c.name}:${c.how}`),
    ['dev:fleet', 'prod:fleet'],
  );
  assert.deepEqual(findClusters(new MemoryRepoFs({ 'manifests/a.yaml': 'a: 1\n' })), []);
});
