/**
 * Which Kustomization at the cluster path syncs it from this repository (issue #19 item 1):
 * URL normalisation, the git config reader, and the choice on a multi-repo bootstrap layout
 * where the other repository's Kustomization sorts first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRepoUrl, pickClusterSync } from './this-repository.js';
import { remoteUrlsOfConfig } from '../../repo/git-remotes.js';
import type { KObject } from '../../resources/resource.js';

test('normalizeRepoUrl: https, ssh, scp-like, ports, .git and case name the same repository', () => {
  const same = [
    'https://github.com/Example/Fleet-Infra',
    'https://github.com/example/fleet-infra.git',
    'ssh://git@github.com/example/fleet-infra',
    'ssh://git@github.com:22/example/fleet-infra.git',
    'git@github.com:example/fleet-infra.git',
    'https://github.com/example/fleet-infra/',
  ];
  for (const u of same) assert.equal(normalizeRepoUrl(u), 'github.com/example/fleet-infra', u);
  assert.notEqual(
    normalizeRepoUrl('https://github.com/example/apps'),
    normalizeRepoUrl('https://github.com/example/fleet-infra'),
  );
  assert.equal(normalizeRepoUrl('oci://ghcr.io/example/manifests'), 'ghcr.io/example/manifests');
});

test('remoteUrlsOfConfig: the url of every remote section, nothing else', () => {
  const cfg =
    '[core]\n\turl = not-a-remote\n[remote "origin"]\n\turl = git@github.com:example/fleet-infra.git\n' +
    '\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n[remote "upstream"]\n' +
    '\turl = "https://github.com/upstream/fleet-infra"\n';
  assert.deepEqual(remoteUrlsOfConfig(cfg), [
    'git@github.com:example/fleet-infra.git',
    'https://github.com/upstream/fleet-infra',
  ]);
  assert.deepEqual(remoteUrlsOfConfig(''), []);
});

const ks = (name: string, source: string): { object: KObject; sourceId: string } => ({
  object: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: source } },
  },
  sourceId: `GitRepository/flux-system/${source}`,
});
const repoObj = (name: string, url: string): KObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name, namespace: 'flux-system' },
  spec: { url },
});

test('pickClusterSync: the bootstrap source wins over a Kustomization of another repository that sorts first', () => {
  const objs = new Map([
    ['GitRepository/flux-system/apps', repoObj('apps', 'https://github.com/example/apps')],
    ['GitRepository/flux-system/flux-system', repoObj('flux-system', 'https://github.com/example/fleet-infra')],
  ]);
  const cands = [ks('apps', 'apps'), ks('flux-system', 'flux-system')];
  assert.equal(pickClusterSync(cands, (id) => objs.get(id))?.object.metadata?.name, 'flux-system');
  // With the checkout's remote, the same; a fork's remote (matching nothing) does not exclude it.
  assert.equal(
    pickClusterSync(cands, (id) => objs.get(id), ['git@github.com:example/fleet-infra.git'])?.object.metadata?.name,
    'flux-system',
  );
  assert.equal(
    pickClusterSync(cands, (id) => objs.get(id), ['https://github.com/me/fleet-infra-fork'])?.object.metadata?.name,
    'flux-system',
  );
});

test('pickClusterSync: without bootstrap names, the remote URL decides; without it, the name order', () => {
  const objs = new Map([
    ['GitRepository/flux-system/apps', repoObj('apps', 'https://github.com/example/apps')],
    ['GitRepository/flux-system/fleet', repoObj('fleet', 'https://github.com/example/fleet-infra')],
  ]);
  const cands = [ks('apps', 'apps'), ks('cluster', 'fleet')];
  assert.equal(
    pickClusterSync(cands, (id) => objs.get(id), ['https://github.com/example/fleet-infra.git'])?.object.metadata?.name,
    'cluster',
  );
  assert.equal(
    pickClusterSync(cands, (id) => objs.get(id), ['https://github.com/example/apps'])?.object.metadata?.name,
    'apps',
  );
  assert.equal(pickClusterSync(cands, (id) => objs.get(id))?.object.metadata?.name, 'apps');
  assert.equal(
    pickClusterSync([], () => undefined),
    undefined,
  );
  assert.equal(pickClusterSync([cands[1]!], () => undefined)?.object.metadata?.name, 'cluster');
});
