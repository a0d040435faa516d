import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../git/git.js';
import { commitFiles, makeRepo } from '../git/testing.js';
import { runPromotion } from './promotion.js';
import { followPathsRenderer } from '../diff/testing.js';
import { ConflictError, InputError } from '../errors.js';

const ks = (name: string, path: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n` +
  `  namespace: flux-system\nspec:\n  path: ./${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n` +
  `    name: flux-system\n`;
const cm = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: app\ndata:\n  value: "${value}"\n`;

/** A bare remote and a clone with env/dev, env/qa, env/prod all at the same commit. */
function fleetRepo(): { remote: string; clone: string } {
  const seed = makeRepo({
    'clusters/qa/workloads.yaml': ks('workloads', 'workloads/qa') + '---\n' + ks('base', 'workloads/base'),
    'clusters/dev/workloads.yaml': ks('workloads', 'workloads/dev') + '---\n' + ks('base', 'workloads/base'),
    'workloads/base/api.yaml': cm('api', '1'),
    'workloads/qa/settings.yaml': cm('settings', 'qa'),
    'workloads/dev/settings.yaml': cm('settings', 'dev'),
  });
  for (const b of ['env/dev', 'env/qa', 'env/prod']) git(seed, ['branch', b]);
  const remote = mkdtempSync(join(tmpdir(), 'aksfleet-remote-'));
  git(remote, ['init', '-q', '--bare']);
  git(seed, ['push', '-q', remote, 'env/dev', 'env/qa', 'env/prod', 'main']);
  const clone = mkdtempSync(join(tmpdir(), 'aksfleet-clone-'));
  git(clone, ['clone', '-q', remote, '.']);
  git(clone, ['config', 'user.email', 't@example.com']);
  git(clone, ['config', 'user.name', 't']);
  for (const b of ['env/dev', 'env/qa']) git(clone, ['branch', '-q', '--track', b, `origin/${b}`]);
  return { remote, clone };
}

// Clusters are taken from the folder layout (no fleet.yaml): both envs' clusters are listed,
// and the diff shows which of them a change touches.
const promoteDevToQa = (clone: string) =>
  runPromotion({ repo: clone, from: 'dev', to: 'qa', render: followPathsRenderer });

test('a change to a shared base reaches qa; the target branch never moves', () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', '2') }, 'api 2');
  const qaBefore = git(clone, ['rev-parse', 'env/qa']).trim();
  const devHead = git(clone, ['rev-parse', 'env/dev']).trim();
  const p = promoteDevToQa(clone);
  assert.equal(p.result.status, 'created');
  if (p.result.status !== 'created') return;
  assert.equal(p.result.branch, `promote/dev-to-qa-${devHead.slice(0, 7)}`);
  // git itself: the branch holds the change, has both parents, and env/qa did not move.
  assert.equal(git(clone, ['show', `${p.result.branch}:workloads/base/api.yaml`]), cm('api', '2'));
  assert.deepEqual(git(clone, ['rev-list', '--parents', '-n', '1', p.result.branch]).trim().split(' ').slice(1), [
    qaBefore,
    devHead,
  ]);
  assert.equal(git(clone, ['rev-parse', 'env/qa']).trim(), qaBefore);
  assert.equal(git(clone, ['rev-parse', 'HEAD']).trim(), devHead, 'the checkout is untouched');
  const qa = p.diff!.clusters.find((c) => c.cluster === 'qa')!;
  assert.deepEqual(
    qa.diff!.changed.map((c) => c.id),
    ['ConfigMap/app/api'],
  );
  assert.match(p.result.message, /- qa: 0 added, 1 changed, 0 removed/);
});

test("a change to dev's own overlay changes nothing on qa", () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/dev/settings.yaml': cm('settings', 'dev-2') }, 'dev only');
  const p = promoteDevToQa(clone);
  assert.equal(p.result.status, 'created');
  const qa = p.diff!.clusters.find((c) => c.cluster === 'qa')!;
  assert.equal(qa.unchangedInputs, true, 'qa was not rebuilt: none of its inputs changed');
  assert.match(p.diff ? (p.result as { message: string }).message : '', /- qa: no change/);
});

test('nothing to promote when the target already has the source', () => {
  const { clone } = fleetRepo();
  const p = promoteDevToQa(clone);
  assert.equal(p.result.status, 'nothing-to-promote');
  assert.equal(git(clone, ['branch', '--list', 'promote/*']).trim(), '');
});

test('a conflict is reported and leaves the repository as it was', () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/qa']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', 'hotfix-on-qa') }, 'qa hotfix');
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', '3') }, 'dev change');
  const refsBefore = git(clone, ['for-each-ref']);
  const statusBefore = git(clone, ['status', '--porcelain']);
  assert.throws(
    () => promoteDevToQa(clone),
    (e: unknown) => e instanceof ConflictError && /conflicts in:\n {2}workloads\/base\/api\.yaml/.test(e.message),
  );
  assert.equal(git(clone, ['for-each-ref']), refsBefore);
  assert.equal(git(clone, ['status', '--porcelain']), statusBefore);
});

test('a dirty working tree is refused', () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', '4') });
  writeFileSync(join(clone, 'workloads/base/api.yaml'), cm('api', 'uncommitted'));
  assert.throws(
    () => promoteDevToQa(clone),
    (e: unknown) => e instanceof InputError && /uncommitted changes/.test(e.message),
  );
  assert.equal(git(clone, ['branch', '--list', 'promote/*']).trim(), '');
});

test('a diverged target: its own commits are kept, only the source changes are merged', () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/qa']);
  commitFiles(clone, { 'workloads/qa/settings.yaml': cm('settings', 'qa-2') }, 'qa tweak');
  const qaHead = git(clone, ['rev-parse', 'HEAD']).trim();
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', '5') }, 'dev change');
  const p = promoteDevToQa(clone);
  assert.equal(p.result.status, 'created');
  if (p.result.status !== 'created') return;
  assert.equal(git(clone, ['show', `${p.result.branch}:workloads/qa/settings.yaml`]), cm('settings', 'qa-2'));
  assert.equal(git(clone, ['show', `${p.result.branch}:workloads/base/api.yaml`]), cm('api', '5'));
  assert.equal(git(clone, ['merge-base', '--is-ancestor', qaHead, p.result.branch]).trim(), '');
  assert.equal(git(clone, ['rev-parse', 'env/qa']).trim(), qaHead);
  // Every commit of both branches is still reachable from the promotion branch.
  const all = git(clone, ['rev-list', 'env/qa', 'env/dev']).trim().split('\n');
  const reach = new Set(git(clone, ['rev-list', p.result.branch]).trim().split('\n'));
  assert.ok(all.every((c) => reach.has(c)));
  // Running it again does not overwrite the prepared branch.
  assert.throws(() => promoteDevToQa(clone), ConflictError);
});

test('a preview computes the promotion without creating any ref', () => {
  const { clone } = fleetRepo();
  git(clone, ['checkout', '-q', 'env/dev']);
  commitFiles(clone, { 'workloads/base/api.yaml': cm('api', '9') });
  const refs = git(clone, ['for-each-ref']);
  const p = runPromotion({ repo: clone, from: 'dev', to: 'qa', render: followPathsRenderer, preview: true });
  assert.equal(p.result.status, 'created');
  assert.equal(p.diff!.clusters.find((c) => c.cluster === 'qa')!.diff!.changed.length, 1);
  assert.equal(git(clone, ['for-each-ref']), refs);
});
