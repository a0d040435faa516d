/**
 * The repository root comes from the input, never from where the command is run (issue #19
 * item 12): `kustomize DIR`, `build REPO` and `check REPO` give the same answer run from a
 * foreign git repository, a plain folder and the repository itself, for a repository in git and
 * for the same tree outside git (a tarball or a copy), whose overlays reach `../../components`.
 * The kustomize output is checked against the real kustomize (v5.5.0 oracle) where it runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';
import { configMap, externalAppsRepo, gitCommitAll, tempDir, writeTree } from '../testing/fixture-repos.js';
import { kustomizeSkip, kustomizeText } from '../../kustomize/testing/oracle.js';
import { repoRootFor } from './kustomize.js';

/** A home-ops shaped tree: kubernetes/apps/ai reaches ../../components/alerts. */
const TREE = {
  ...externalAppsRepo(),
  'kubernetes/components/alerts/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - alert.yaml\n',
  'kubernetes/components/alerts/alert.yaml': configMap('alerts', 'default', { to: 'ops' }),
  'kubernetes/apps/ai/kustomization.yaml':
    'namespace: ai\nresources:\n  - app.yaml\ncomponents:\n  - ../../components/alerts\n',
  'kubernetes/apps/ai/app.yaml': configMap('ai', 'default', { model: 'small' }),
};

interface Places {
  readonly gitRepo: string;
  readonly plainRepo: string;
  readonly foreignGit: string;
  readonly plainCwd: string;
  readonly top: string;
}

function places(): Places {
  const top = tempDir('aksfleet-root-');
  const gitRepo = join(top, 'in-git');
  const plainRepo = join(top, 'outside-git', 'checkout');
  const foreignGit = join(top, 'foreign');
  const plainCwd = join(top, 'elsewhere');
  writeTree(gitRepo, TREE);
  gitCommitAll(gitRepo);
  writeTree(plainRepo, TREE);
  writeTree(foreignGit, { 'README.md': 'another repository\n' });
  gitCommitAll(foreignGit);
  mkdirSync(plainCwd);
  return { gitRepo, plainRepo, foreignGit, plainCwd, top };
}

test('repoRootFor: the git top level of the folder, else the file system root; never the current directory', () => {
  const p = places();
  try {
    assert.equal(repoRootFor(join(p.gitRepo, 'kubernetes/apps/ai')), p.gitRepo);
    assert.equal(repoRootFor(join(p.plainRepo, 'kubernetes/apps/ai')), '/');
  } finally {
    rmSync(p.top, { recursive: true, force: true });
  }
});

test('kustomize DIR: the same output from a foreign git repository, a plain folder and the repository itself', async () => {
  const p = places();
  try {
    for (const repo of [p.gitRepo, p.plainRepo]) {
      const dir = join(repo, 'kubernetes/apps/ai');
      const outs: string[] = [];
      for (const cwd of [p.foreignGit, p.plainCwd, repo, dir]) {
        const r = await runCli(['kustomize', dir], { cwd });
        assert.equal(r.code, 0, `${repo} from ${cwd}: ${r.err}`);
        outs.push(r.out);
      }
      assert.match(outs[0]!, /name: ai\n  namespace: ai\n/);
      assert.match(outs[0]!, /name: alerts\n  namespace: ai\n/);
      for (const o of outs) assert.equal(o, outs[0]);
      // A path relative to the current directory gives the same.
      const rel = await runCli(['kustomize', 'kubernetes/apps/ai'], { cwd: repo });
      assert.equal(rel.out, outs[0]);
    }
  } finally {
    rmSync(p.top, { recursive: true, force: true });
  }
});

test('kustomize DIR outside git: what kustomize v5.5.0 prints', { skip: kustomizeSkip() }, async () => {
  const p = places();
  try {
    const dir = join(p.plainRepo, 'kubernetes/apps/ai');
    const r = await runCli(['kustomize', dir], { cwd: p.foreignGit });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, kustomizeText(dir));
  } finally {
    rmSync(p.top, { recursive: true, force: true });
  }
});

test('kustomize DIR: errors name files relative to where the command runs, whatever the root', async () => {
  const p = places();
  try {
    writeTree(p.plainRepo, { 'kubernetes/apps/ai/kustomization.yaml': 'resources:\n  - missing.yaml\n' });
    const r = await runCli(['kustomize', 'checkout/kubernetes/apps/ai'], { cwd: join(p.top, 'outside-git') });
    assert.equal(r.code, 2);
    assert.match(r.err, /checkout\/kubernetes\/apps\/ai\/kustomization\.yaml/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(p.top, { recursive: true, force: true });
  }
});

test('build REPO and check REPO: the same answer from a foreign git repository, a plain folder and the repository itself', async () => {
  const p = places();
  try {
    for (const repo of [p.gitRepo, p.plainRepo]) {
      const builds: string[] = [];
      const checks: string[] = [];
      for (const cwd of [p.foreignGit, p.plainCwd, repo]) {
        const b = await runCli(['build', repo, '--path', 'clusters/prod', '--summary', '--allow-unbuildable'], { cwd });
        assert.equal(b.code, 0, `${repo} from ${cwd}: ${b.err}`);
        builds.push(b.out);
        const c = await runCli(['check', repo, '--format', 'json'], { cwd });
        assert.equal(c.code, 1, `${repo} from ${cwd}: ${c.err}`);
        checks.push(JSON.stringify(JSON.parse(c.out).findings));
      }
      assert.match(builds[0]!, /\n3 Kustomizations \(1 not buildable\), 1 HelmReleases \(0 rendered\), 7 objects\n$/);
      for (const b of builds) assert.equal(b, builds[0]);
      assert.match(checks[0]!, /kustomization-builds/);
      for (const c of checks) assert.equal(c, checks[0]);
    }
  } finally {
    rmSync(p.top, { recursive: true, force: true });
  }
});
