import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { SourceFs } from './source-fs.js';
import { assembleArtifact } from './artifact-generator.js';
import type { KObject } from '../../resources/resource.js';

const gen = (copy: object[]): KObject => ({
  apiVersion: 'source.extensions.fluxcd.io/v1beta1',
  kind: 'ArtifactGenerator',
  metadata: { name: 'g', namespace: 'flux-system' },
  spec: {
    sources: [{ alias: 'repo', kind: 'GitRepository', name: 'flux-system' }],
    artifacts: [{ name: 'apps', copy }],
  },
});

test('artifact generator: tree, one-level glob and file copies; origins map back to the repository', () => {
  const repo = new SourceFs(
    new MemoryRepoFs({
      'apps/base/a/k.yaml': 'a',
      'apps/base/a/x.yaml': 'x',
      'apps/prod/k.yaml': 'p',
      'apps/prod/sub/y.yaml': 'y',
      'cfg/one.yaml': '1',
      'cfg/two.yml': '2',
      'cfg/three.yaml': '3',
    }),
  );
  const art = assembleArtifact(
    gen([
      { from: '@repo/apps/base/**', to: '@artifact/base/' },
      { from: '@repo/apps/prod/**', to: '@artifact/production/' },
      { from: '@repo/cfg/*.yaml', to: '@artifact/cfg/' },
      { from: '@repo/cfg/two.yml', to: '@artifact/renamed.yml' },
    ]),
    'apps',
    () => repo,
  );
  assert.ok(typeof art !== 'string', String(art));
  assert.deepEqual(art.list(''), ['base', 'cfg', 'production', 'renamed.yml']);
  assert.deepEqual(art.list('cfg'), ['one.yaml', 'three.yaml']);
  assert.deepEqual(art.list('production'), ['k.yaml', 'sub']);
  assert.equal(art.readFile('production/sub/y.yaml'), 'y');
  assert.equal(art.repoPath('production/sub/y.yaml'), 'apps/prod/sub/y.yaml');
  assert.equal(art.repoPath('production'), 'apps/prod');
  assert.equal(art.readFile('renamed.yml'), '2');
});

test('artifact generator: unsupported rules and unknown sources are reasons, not guesses', () => {
  const repo = new SourceFs(new MemoryRepoFs({ 'a/x.yaml': 'x' }));
  assert.match(
    String(assembleArtifact(gen([{ from: '@repo/a/**', to: '@artifact/', exclude: ['*.md'] }]), 'apps', () => repo)),
    /exclude/,
  );
  assert.match(
    String(assembleArtifact(gen([{ from: '@other/a/**', to: '@artifact/' }]), 'apps', () => repo)),
    /no source with alias 'other'/,
  );
  assert.match(
    String(assembleArtifact(gen([{ from: '@repo/a/**', to: '@artifact/' }]), 'apps', () => 'not this repository')),
    /not this repository/,
  );
  assert.match(String(assembleArtifact(gen([]), 'nope', () => repo)), /has no artifact 'nope'/);
});
