/**
 * Which source is "this repository", end to end (issue #19 item 1), on a multi-repo bootstrap
 * layout in real git: the other repository's Kustomization at the cluster path (sorting first)
 * is not followed as if it were this one (no invented recursion cycle); it is reported once, with
 * the --source that would map it, by build, check and diff. Without bootstrap names, the
 * checkout's remote URL decides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runCli } from '../testing/run-cli.js';
import { configMap, gitCommitAll, multiRepoBootstrap, tempDir, writeTree } from '../testing/fixture-repos.js';

function repo(files: Record<string, string>, origin?: string): string {
  const dir = tempDir('aksfleet-this-repo-');
  writeTree(dir, files);
  gitCommitAll(dir, 'fixture', origin);
  return dir;
}

test('multi-repo bootstrap: flux-system is this repository, apps (another repository, same path) is external, reported once', async () => {
  const dir = repo(multiRepoBootstrap());
  try {
    const b = await runCli(['build', '--path', 'clusters/prod', '--summary', '--allow-unbuildable'], { cwd: dir });
    assert.equal(b.code, 0, b.all);
    assert.doesNotMatch(b.all, /recursion cycle/);
    assert.match(b.out, /^flux-system\/flux-system\s+clusters\/prod\s+\d+\s+-\s+built$/m);
    assert.match(b.out, /^flux-system\/infra\s+infrastructure\s+1\s+-\s+built$/m);
    assert.match(b.out, /^flux-system\/apps\s+-\s+0\s+-\s+not-buildable \(GitRepository\/flux-system\/apps\)$/m);
    const strict = await runCli(['build', '--path', 'clusters/prod'], { cwd: dir });
    assert.equal(strict.code, 2);
    assert.equal(strict.err.match(/--source GitRepository\/flux-system\/apps=/g)?.length, 1, strict.err);
    const c = await runCli(['check', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(c.out).findings as { rule: string; message: string }[];
    assert.doesNotMatch(JSON.stringify(findings), /recursion cycle/);
    assert.deepEqual(
      findings.filter((f) => f.rule === 'kustomization-builds').map((f) => f.message.replace(/:.*/s, '')),
      ['Kustomization flux-system/apps does not build'],
    );
    const d = await runCli(['diff', '--base', 'HEAD'], { cwd: dir });
    assert.equal(d.code, 1, d.all);
    assert.match(
      d.out,
      /INCOMPLETE.*\n\s+! clusters\/prod\/apps-sync\.yaml:\d+: Kustomization flux-system\/apps not followed/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('multi-repo layout without bootstrap names: the checkout remote URL tells which source is this repository', async () => {
  const files = multiRepoBootstrap({ named: false, fleetUrl: 'https://github.com/example/fleet-infra' });
  const dir = repo(files, 'git@github.com:example/fleet-infra.git');
  try {
    const b = await runCli(['build', '--path', 'clusters/prod', '--summary', '--allow-unbuildable'], { cwd: dir });
    assert.equal(b.code, 0, b.all);
    assert.doesNotMatch(b.all, /recursion cycle/);
    assert.match(b.out, /^flux-system\/cluster\s+clusters\/prod\s+\d+\s+-\s+built$/m);
    assert.match(b.out, /^flux-system\/apps\s+-\s+0\s+-\s+not-buildable \(GitRepository\/flux-system\/apps\)$/m);
    // diff reads the base side from git objects: it decides the same way (no error, apps not followed).
    writeTree(dir, { 'infrastructure/settings.yaml': configMap('settings', 'default', { level: 'debug' }) });
    const d = await runCli(['diff', '--base', 'HEAD', '--format', 'json'], { cwd: dir });
    assert.equal(d.code, 1, d.all);
    const cl = JSON.parse(d.out).clusters[0];
    assert.deepEqual(
      [cl.errors, cl.unchangedInputs, cl.unfollowed.map((u: { id: string }) => u.id)],
      [[], false, ['flux-system/apps']],
    );
    assert.deepEqual(
      [cl.diff.added, cl.diff.removed, cl.diff.changed.map((c: { id: string }) => c.id)],
      [[], [], ['ConfigMap/default/settings']],
    );
    // The same tree in a checkout of the other repository: apps is this repository there.
    const other = repo(files, 'https://github.com/example/apps-team');
    try {
      const o = await runCli(['build', '--path', 'clusters/prod', '--summary', '--allow-unbuildable'], { cwd: other });
      assert.match(o.out, /^flux-system\/apps\s+clusters\/prod\s+\d+\s+-\s+built$/m);
      assert.match(o.out, /^flux-system\/cluster\s+-\s+0\s+-\s+not-buildable \(GitRepository\/flux-system\/fleet\)$/m);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
