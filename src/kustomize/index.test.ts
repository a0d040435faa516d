/**
 * The public API's options, as the Flux layer uses them. Each expectation is an equivalence with
 * a build whose output is checked against kubectl elsewhere (test/conformance/), or is run
 * against kubectl here when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { buildKustomization } from './index.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, plain, withTempTree } from './testing/oracle.js';
import { parseGoYaml } from '../yaml/go-yaml.js';
import { InputError } from '../errors.js';

const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`;
const FILES = {
  'app/kustomization.yaml': 'resources: [r.yaml]\nnamespace: team\n',
  'app/r.yaml': `${cm('z')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\n${cm('a')}`,
};
const ids = (rs: { object: { kind?: string; metadata?: { name?: string } } }[]) =>
  rs.map((r) => `${r.object.kind}/${r.object.metadata?.name}`);

test('defaultSortOrder fifo keeps accumulation order; legacy is the default', () => {
  const fs = new MemoryRepoFs(FILES);
  assert.deepEqual(ids(buildKustomization(fs, 'app', { defaultSortOrder: 'fifo' })), [
    'ConfigMap/z',
    'Namespace/team',
    'ConfigMap/a',
  ]);
  assert.deepEqual(ids(buildKustomization(fs, 'app')), ['Namespace/team', 'ConfigMap/a', 'ConfigMap/z']);
});

test('rootKustomization replaces the file in the root directory (Flux generated kustomization)', () => {
  const fs = new MemoryRepoFs({ 'app/r.yaml': FILES['app/r.yaml'] });
  const out = buildKustomization(fs, 'app', { rootKustomization: { resources: ['r.yaml'], namespace: 'team' } });
  assert.deepEqual(
    out.map((r) => plain(r.object)),
    buildKustomization(new MemoryRepoFs(FILES), 'app').map((r) => plain(r.object)),
  );
});

test('every resource carries its origin: repo-relative file, document line, kustomization dir', () => {
  const out = buildKustomization(new MemoryRepoFs(FILES), 'app', { defaultSortOrder: 'fifo' });
  assert.deepEqual(
    out.map((r) => r.origin),
    [
      { file: 'app/r.yaml', line: 1, kustomization: 'app' },
      { file: 'app/r.yaml', line: 6, kustomization: 'app' },
      { file: 'app/r.yaml', line: 11, kustomization: 'app' },
    ],
  );
});

const OUTSIDE = {
  'app/kustomization.yaml': 'resources: [../shared/cm.yaml]\n',
  'shared/cm.yaml': cm('shared'),
};

test('load restrictions: RootOnly refuses files above the kustomization, None allows them', () => {
  const fs = new MemoryRepoFs(OUTSIDE);
  assert.throws(
    () => buildKustomization(fs, 'app'),
    (e: unknown) => e instanceof InputError && /not in or below 'app'/.test(e.message),
  );
  assert.deepEqual(ids(buildKustomization(fs, 'app', { loadRestrictions: 'None' })), ['ConfigMap/shared']);
});

test('load restrictions: kubectl agrees (--load-restrictor LoadRestrictionsNone)', { skip: kustomizeSkip() }, () => {
  const out = withTempTree(OUTSIDE, (root) =>
    execFileSync(kustomizePath(), kustomizeArgv(join(root, 'app'), ['--load-restrictor', 'LoadRestrictionsNone']), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  assert.deepEqual(
    parseGoYaml(out, 'kubectl').map((d) => d.value),
    buildKustomization(new MemoryRepoFs(OUTSIDE), 'app', { loadRestrictions: 'None' }).map((r) => plain(r.object)),
  );
});

test('remote resources and helmCharts are refused with a clear error', () => {
  const remote = new MemoryRepoFs({ 'kustomization.yaml': 'resources: [https://github.com/org/repo//base?ref=v1]\n' });
  assert.throws(
    () => buildKustomization(remote, ''),
    (e: unknown) => e instanceof InputError && /remote resource .* offline/.test(e.message),
  );
  const helm = new MemoryRepoFs({ 'kustomization.yaml': 'helmCharts:\n- name: x\n' });
  assert.throws(
    () => buildKustomization(helm, ''),
    (e: unknown) =>
      e instanceof InputError && /helmCharts is not supported/.test(e.message) && e.fieldPath === 'helmCharts',
  );
});

test('errors in a base name the chain of kustomizations', () => {
  const fs = new MemoryRepoFs({
    'prod/kustomization.yaml': 'resources: [../base]\n',
    'base/kustomization.yaml': 'resources: [missing.yaml]\n',
  });
  assert.throws(
    () => buildKustomization(fs, 'prod'),
    (e: unknown) =>
      e instanceof InputError && e.pos?.file === 'base/kustomization.yaml' && /chain: prod -> base/.test(e.message),
  );
});

test('generated resources carry the kustomization file and the line of their generator entry', () => {
  const fs = new MemoryRepoFs({
    'k/kustomization.yaml':
      'configMapGenerator:\n- name: a\n  literals: [x=1]\nsecretGenerator:\n- name: s\n  literals: [y=2]\n',
  });
  assert.deepEqual(
    buildKustomization(fs, 'k', { defaultSortOrder: 'fifo' }).map((r) => r.origin),
    [
      { file: 'k/kustomization.yaml', line: 2, kustomization: 'k' },
      { file: 'k/kustomization.yaml', line: 5, kustomization: 'k' },
    ],
  );
});
