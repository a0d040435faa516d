/**
 * Never silent (issue #19 items 4-6): a cluster that syncs a Kustomization from another
 * repository. `diff` does not claim "no changes" for it (exit 1, `--strict` exit 2), `build`
 * exits 2 unless `--allow-unbuildable` and its summary counts it, `check` reports it as an error
 * finding with the reason, and `helm-chart-source-exists` does not judge a source that the
 * unrendered part may define (while it still fails when everything was rendered).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';
import { configMap, externalAppsRepo, gitCommitAll, tempDir, writeTree } from '../testing/fixture-repos.js';
import { parseYamlDocuments } from '../../yaml/parse.js';

const MAP = '--source=GitRepository/flux-system/apps=ext/apps';

/** The fixture with, in `ext/apps`, a folder that stands for the other repository. */
function repo(extra: Record<string, string> = {}): string {
  const dir = tempDir('aksfleet-never-silent-');
  writeTree(dir, {
    ...externalAppsRepo(),
    'ext/apps/deploy/kustomization.yaml': 'resources:\n  - app.yaml\n',
    'ext/apps/deploy/app.yaml': configMap('app', 'default', { color: 'blue' }),
    ...extra,
  });
  gitCommitAll(dir);
  return dir;
}

test('diff: an unfollowed Kustomization is never "no changes": exit 1 naming it and the --source that maps it; --strict exits 2', async () => {
  const dir = repo();
  try {
    const r = await runCli(['diff', '--base', 'HEAD'], { cwd: dir });
    assert.equal(r.code, 1, r.all);
    assert.doesNotMatch(r.out, /\): no changes/);
    assert.match(
      r.out,
      /cluster prod \(clusters\/prod\): INCOMPLETE: no changes in what was rendered \(inputs unchanged\); 1 Kustomization not followed/,
    );
    assert.match(
      r.out,
      /clusters\/prod\/apps\.yaml:12: Kustomization flux-system\/apps not followed: .*--source GitRepository\/flux-system\/apps=\.\/path/,
    );
    assert.match(r.err, /warning: the diff is incomplete/);
    const strict = await runCli(['diff', '--base', 'HEAD', '--strict'], { cwd: dir });
    assert.equal(strict.code, 2, strict.all);
    assert.match(strict.err, /error: the diff is incomplete/);
    const md = await runCli(['diff', '--base', 'HEAD', '--format', 'markdown'], { cwd: dir });
    assert.equal(md.code, 1);
    assert.match(md.out, /\| prod \| `clusters\/prod` \| ⚠️ incomplete: 1 Kustomization not followed/);
    const json = JSON.parse((await runCli(['diff', '--base', 'HEAD', '--format', 'json'], { cwd: dir })).out);
    assert.deepEqual(
      json.clusters[0].unfollowed.map((u: { kind: string; id: string; source: string }) => [u.kind, u.id, u.source]),
      [['Kustomization', 'flux-system/apps', 'GitRepository/flux-system/apps']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diff: with the source mapped, the part is followed: no changes exits 0, a change in it shows', async () => {
  const dir = repo();
  try {
    const same = await runCli(['diff', '--base', 'HEAD', MAP], { cwd: dir });
    assert.equal(same.code, 0, same.all);
    assert.match(same.out, /cluster prod \(clusters\/prod\): no changes \(inputs unchanged\)\n/);
    writeFileSync(join(dir, 'ext/apps/deploy/app.yaml'), configMap('app', 'default', { color: 'green' }));
    const changed = await runCli(['diff', '--base', 'HEAD', MAP], { cwd: dir });
    assert.equal(changed.code, 1, changed.all);
    assert.match(changed.out, /~ ConfigMap\/default\/app\n\s+~ data\.color: blue -> green/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diff: a side that cannot be rendered is an error (exit 2), not "no changes"', async () => {
  const dir = repo();
  try {
    writeFileSync(join(dir, 'infrastructure/kustomization.yaml'), 'resources:\n  - settings.yaml\n  - missing.yaml\n');
    const r = await runCli(['diff', '--base', 'HEAD', MAP], { cwd: dir });
    assert.equal(r.code, 2, r.all);
    assert.match(r.out, /cluster prod \(clusters\/prod\): ERROR\n\s+working tree: .*missing\.yaml/);
    assert.doesNotMatch(r.out, /no changes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build: a Kustomization that is not buildable exits 2 unless --allow-unbuildable; the summary counts it', async () => {
  const dir = repo();
  try {
    const r = await runCli(['build', '--path', 'clusters/prod'], { cwd: dir });
    assert.equal(r.code, 2, r.all);
    assert.equal(r.out, '');
    assert.match(
      r.err,
      /1 Kustomization is not buildable offline, so the output would be incomplete \(--allow-unbuildable prints the rest\):\n\s+clusters\/prod\/apps\.yaml:12: Kustomization flux-system\/apps not followed: .*--source GitRepository\/flux-system\/apps=/,
    );
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/, 'no stack trace');
    const s = await runCli(['build', '--path', 'clusters/prod', '--summary'], { cwd: dir });
    assert.equal(s.code, 2);
    // The fixture's HelmRelease has no chart store: listed as chart-unavailable, never counted as rendered.
    assert.match(
      s.out,
      /flux-system\/apps\s+-\s+0\s+flux-system\/infrastructure\s+not-buildable \(GitRepository\/flux-system\/apps\)\n\nHELMRELEASE\s+CHART\s+OBJECTS\s+STATUS\ndefault\/podinfo\s+podinfo\s+0\s+chart-unavailable\n3 Kustomizations \(1 not buildable\), 1 HelmReleases \(0 rendered\), 7 objects\n$/,
    );
    const allowed = await runCli(['build', '--path', 'clusters/prod', '--allow-unbuildable'], { cwd: dir });
    assert.equal(allowed.code, 0, allowed.all);
    assert.match(
      allowed.err,
      /warning: clusters\/prod\/apps\.yaml:12: spec\.sourceRef: source GitRepository\/flux-system\/apps is not this repository/,
    );
    assert.equal(parseYamlDocuments(allowed.out, 'out').length, 7);
    const mapped = await runCli(['build', '--path', 'clusters/prod', '--summary', MAP], { cwd: dir });
    assert.equal(mapped.code, 0, mapped.all);
    assert.match(mapped.out, /\n3 Kustomizations, 1 HelmReleases \(0 rendered\), 8 objects\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check: an unbuildable Kustomization is an error finding with the reason; references into it are not judged', async () => {
  const dir = repo();
  try {
    const r = await runCli(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.all);
    const findings = JSON.parse(r.out).findings as {
      rule: string;
      message: string;
      file?: string;
      line?: number;
      severity: string;
    }[];
    const builds = findings.filter((f) => f.rule === 'kustomization-builds');
    assert.equal(builds.length, 1, JSON.stringify(findings));
    assert.equal(builds[0]!.severity, 'error');
    assert.match(
      builds[0]!.message,
      /Kustomization flux-system\/apps does not build: not rendered offline: source GitRepository\/flux-system\/apps is not this repository.*--source GitRepository\/flux-system\/apps=/,
    );
    assert.deepEqual([builds[0]!.file, builds[0]!.line], ['clusters/prod/apps.yaml', 12]);
    // The HelmRepository the HelmRelease uses may be in the part that was not rendered.
    assert.deepEqual(
      findings.filter((f) => f.rule === 'helm-chart-source-exists'),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check: helm-chart-source-exists still fails when every part was rendered', async () => {
  const dir = tempDir('aksfleet-never-silent-');
  try {
    const files = externalAppsRepo();
    delete files['clusters/prod/apps.yaml'];
    writeTree(dir, files);
    const r = await runCli(['check', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(r.out).findings as { rule: string; message: string }[];
    assert.deepEqual(
      findings.filter((f) => f.rule === 'kustomization-builds'),
      [],
    );
    assert.deepEqual(
      findings.filter((f) => f.rule === 'helm-chart-source-exists').map((f) => f.message),
      ['spec.chart.spec.sourceRef HelmRepository/flux-system/podinfo is not defined in cluster prod'],
    );
    assert.equal(r.code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
