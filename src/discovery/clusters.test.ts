import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DiskRepoFs, MemoryRepoFs } from '../repo/repo-fs.js';
import { discoverClusters } from './clusters.js';
import { PACKAGE_ROOT } from '../package-root.js';

const corpus = join(PACKAGE_ROOT, '..', 'shared', 'corpus');

test('cluster entry points of the real corpus repositories', {
  skip: !existsSync(corpus) && 'shared corpus not present',
}, () => {
  const found = (repo: string) => discoverClusters(new DiskRepoFs(join(corpus, repo))).map((c) => c.path);
  assert.deepEqual(found('fluxcd+flux2-kustomize-helm-example'), ['clusters/production', 'clusters/staging']);
  assert.deepEqual(found('fluxcd+flux2-multi-tenancy'), ['clusters/production', 'clusters/staging']);
  assert.deepEqual(found('Azure+gitops-flux2-kustomize-helm-mt'), ['clusters/production', 'clusters/staging']);
  // The hub reconciles the spokes' folders through kubeConfig Kustomizations: one entry point.
  assert.deepEqual(found('fluxcd+flux2-hub-spoke-example'), ['hub']);
  // No clusters/ folder: the root of the Flux graph.
  assert.deepEqual(found('onedr0p+home-ops'), ['kubernetes/flux/cluster']);
  // Flux configured from Bicep, no Flux objects in the repo: nothing to discover.
  assert.deepEqual(found('mspnp+aks-baseline'), []);
});

test('an aksfleet repo lists the clusters of its spec', () => {
  const fs = new MemoryRepoFs({ 'clusters/aks-dev/sync.yaml': 'x: 1\n' });
  assert.deepEqual(discoverClusters(fs, ['aks-prod', 'aks-dev']), [
    { name: 'aks-dev', path: 'clusters/aks-dev' },
    { name: 'aks-prod', path: 'clusters/aks-prod' },
  ]);
});
