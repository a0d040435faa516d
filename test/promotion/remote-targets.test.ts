/**
 * diff and promote keep apart what a cluster applies to other clusters through spec.kubeConfig
 * (a remote Kustomization's objects, a HelmRelease's chart objects): each target is a group of
 * its own named after the kubeConfig reference, in text, markdown and JSON, and in the
 * promotion's commit message; never counted as this cluster's changes, never dropped. Real git.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { git } from '../../src/git/git.js';
import { demoChartFiles } from '../../src/flux/helmrelease/testing.js';

const ks = (name: string, path: string, extra = '') =>
  `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n` +
  `  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n` +
  `    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n${extra}`;
const cm = (name: string, value: string) =>
  `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  v: "${value}"\n`;
const SOURCES =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n' +
  '  name: charts\n  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';
const hr = (replicas: number) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: spoke-demo\n` +
  `  namespace: apps\nspec:\n  kubeConfig:\n    secretRef:\n      name: edge-kubeconfig\n  chart:\n` +
  `    spec:\n      chart: demo\n      version: "1.2.3"\n      sourceRef:\n        kind: HelmRepository\n` +
  `        name: charts\n        namespace: flux-system\n  values:\n    replicas: ${replicas}\n`;

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const commit = (repo: string, msg: string) =>
  git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', msg]);

/**
 * A hub cluster: a local Kustomization, a remote one (kubeConfig spoke-kubeconfig), a HelmRelease installing into edge.
 */
function setup(): { root: string; repo: string; charts: string; map: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-remote-diff-'));
  const repo = join(root, 'repo');
  const charts = join(root, 'charts');
  write(charts, Object.fromEntries(Object.entries(demoChartFiles('1.2.3')).map(([k, v]) => [`demo/${k}`, v])));
  write(repo, {
    'clusters/hub/local.yaml': ks('local', './apps/local'),
    'clusters/hub/spoke.yaml': ks(
      'spoke',
      './apps/spoke',
      '  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n',
    ),
    'clusters/hub/sources.yaml': SOURCES,
    'clusters/hub/edge.yaml': hr(1),
    'apps/local/cm.yaml': cm('local-cm', 'a'),
    'apps/spoke/cm.yaml': cm('spoke-cm', 'a'),
  });
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  commit(repo, 'hub');
  return { root, repo, charts, map: ['--chart-source', `HelmRepository/flux-system/charts=${charts}`] };
}

test(
  'diff: objects applied to other clusters (remote Kustomization, ' +
    'HelmRelease kubeConfig) are shown apart in text, markdown and JSON (real git)',
  async () => {
    const s = setup();
    try {
      // Only the other clusters' objects change: this cluster has no changes, the diff still says what changes (exit
      // 1).
      write(s.repo, { 'apps/spoke/cm.yaml': cm('spoke-cm', 'b'), 'clusters/hub/edge.yaml': hr(3) });
      const t = await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/hub', ...s.map]);
      assert.equal(t.code, 1, t.out + t.err);
      assert.match(
        t.out,
        /cluster hub \(clusters\/hub\): 0 added, 1 changed, 0 removed\n/,
        "the HelmRelease object itself is this cluster's",
      );
      assert.match(t.out, /\n {2}~ HelmRelease\/apps\/spoke-demo\n/);
      assert.match(
        t.out,
        /\n {2}objects cluster hub applies to another cluster \(kubeConfig apps\/edge-kubeconfig\), not counted above: 0 added, 1 changed, 0 removed\n {4}~ Deployment\/apps\/spoke-demo\n {8}~ spec\.replicas: 1 -> 3\n/,
      );
      assert.match(
        t.out,
        /\n {2}objects cluster hub applies to another cluster \(kubeConfig flux-system\/spoke-kubeconfig\), not counted above: 0 added, 1 changed, 0 removed\n {4}~ ConfigMap\/default\/spoke-cm\n {8}~ data\.v: a -> b\n/,
      );
      assert.doesNotMatch(
        t.out,
        /^ {2}~ (ConfigMap\/default\/spoke-cm|Deployment\/apps\/spoke-demo)$/m,
        "never among this cluster's changes",
      );

      const j = JSON.parse(
        (await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/hub', '--format', 'json', ...s.map])).out,
      );
      const hub = j.clusters[0];
      assert.deepEqual(
        hub.diff.changed.map((c: { id: string }) => c.id),
        ['HelmRelease/apps/spoke-demo'],
      );
      assert.deepEqual(
        hub.remote.map((r: { target: string; diff: { changed: { id: string }[] } }) => [
          r.target,
          r.diff.changed.map((c) => c.id),
        ]),
        [
          ['apps/edge-kubeconfig', ['Deployment/apps/spoke-demo']],
          ['flux-system/spoke-kubeconfig', ['ConfigMap/default/spoke-cm']],
        ],
      );

      const m = await runCli([
        'diff',
        s.repo,
        '--base',
        'main',
        '--path',
        'clusters/hub',
        '--format',
        'markdown',
        ...s.map,
      ]);
      assert.equal(m.code, 1);
      assert.match(
        m.out,
        /\| hub \| `clusters\/hub` \| 0 \| 1 \| 0 \| 0 \|\n\| hub → kubeConfig `apps\/edge-kubeconfig` \| `clusters\/hub` \| 0 \| 1 \| 0 \| 0 \|\n\| hub → kubeConfig `flux-system\/spoke-kubeconfig` \| `clusters\/hub` \| 0 \| 1 \| 0 \| 0 \|\n/,
      );
      assert.match(
        m.out,
        /#### hub → another cluster \(kubeConfig `flux-system\/spoke-kubeconfig`\), not counted in hub: 0 added, 1 changed, 0 removed/,
      );

      // A change on this cluster only: the other clusters say "no changes", never left out.
      git(s.repo, ['checkout', '-q', '--', '.']);
      write(s.repo, { 'apps/local/cm.yaml': cm('local-cm', 'b') });
      const l = await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/hub', ...s.map]);
      assert.equal(l.code, 1);
      assert.match(
        l.out,
        /cluster hub \(clusters\/hub\): 0 added, 1 changed, 0 removed\n {2}~ ConfigMap\/default\/local-cm\n/,
      );
      assert.match(l.out, /kubeConfig flux-system\/spoke-kubeconfig\), not counted above: no changes\n/);
    } finally {
      rmSync(s.root, { recursive: true, force: true });
    }
  },
);

test("promote: the commit message and the diff name the other clusters' changes apart (real git)", async () => {
  const s = setup();
  try {
    git(s.repo, ['branch', 'env/qa']);
    git(s.repo, ['checkout', '-q', '-b', 'env/dev']);
    write(s.repo, { 'apps/spoke/cm.yaml': cm('spoke-cm', 'b') });
    commit(s.repo, 'spoke cm b');
    const p = await runCli(['promote', 'dev', 'qa', s.repo, ...s.map]);
    assert.equal(p.code, 0, p.err);
    const branch = /created branch (\S+)/.exec(p.err)![1]!;
    const msg = git(s.repo, ['log', '-1', '--format=%B', branch]);
    assert.match(
      msg,
      /^- hub: no change\n- hub -> another cluster \(kubeConfig flux-system\/spoke-kubeconfig\): 0 added, 1 changed, 0 removed$/m,
    );
    assert.match(
      p.out,
      /cluster hub \(clusters\/hub\): no changes\n {2}objects cluster hub applies to another cluster \(kubeConfig apps\/edge-kubeconfig\), not counted above: no changes\n {2}objects cluster hub applies to another cluster \(kubeConfig flux-system\/spoke-kubeconfig\), not counted above: 0 added, 1 changed, 0 removed\n {4}~ ConfigMap\/default\/spoke-cm\n/,
    );
  } finally {
    rmSync(s.root, { recursive: true, force: true });
  }
});
