/**
 * One render-options model through the CLI: `.aksfleet.yaml` `render:` sets chart sources, the
 * Kubernetes version and sources once for build, check, diff and promote (real git), the flags
 * win, bad values exit 2 at file:line:col; `check --source` maps another repository; `check
 * --jobs` passes the helm options to its workers (same findings as one thread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './testing/run-cli.js';
import {
  configMap,
  fluxKustomization,
  gitCommitAll,
  gitRepository,
  multiRepoBootstrap,
  tempDir,
  writeTree,
} from './testing/fixture-repos.js';
import { git } from '../git/git.js';
import { parseYamlDocuments } from '../yaml/parse.js';

const SHARED_PODINFO = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts', 'podinfo');
const HELM_REPO =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n' +
  '  namespace: flux-system\nspec:\n  url: https://stefanprodan.github.io/podinfo\n';
const release = (values: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n` +
  `  namespace: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.14.1"\n` +
  `      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n        namespace: flux-system\n` +
  `  values:\n${values}`;
const CONFIG = 'render:\n  chartSources:\n    HelmRepository/flux-system/podinfo: charts\n  kubeVersion: "1.31"\n';

/** A repository with podinfo under charts/, clusters dev and prod, and `.aksfleet.yaml`. */
function repo(config = CONFIG, values = '    replicaCount: 2\n'): string {
  const root = tempDir('aksfleet-renderopts-');
  cpSync(SHARED_PODINFO, join(root, 'charts', 'podinfo'), { recursive: true });
  writeTree(root, {
    // What .Capabilities.KubeVersion the render saw.
    'charts/podinfo/templates/kube-version.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-version\ndata:\n' +
      '  version: {{ .Capabilities.KubeVersion.Version | quote }}\n',
    '.aksfleet.yaml': config,
    'clusters/dev/repo.yaml': HELM_REPO,
    'clusters/dev/release.yaml': release(values),
    'clusters/prod/repo.yaml': HELM_REPO,
    'clusters/prod/release.yaml': release(values),
  });
  return root;
}

const docs = (out: string) => parseYamlDocuments(out, 'out').map((d) => d.value as any);

test('.aksfleet.yaml render: chart sources and kubeVersion for build and check; the flags win; bad values exit 2 at file:line:col', async () => {
  const root = repo(CONFIG, '    image:\n      tag: latest\n');
  try {
    const b = await runCli(['build', root, '--path', 'clusters/dev', '-o', 'json']);
    assert.equal(b.code, 0, b.err);
    const h = JSON.parse(b.out).helmReleases[0];
    assert.equal(h.status, 'rendered', b.err);
    assert.equal(h.chart.location, 'charts/podinfo');
    const kube = (out: string) =>
      docs(out).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kube-version')?.data.version;
    assert.equal(
      kube((await runCli(['build', root, '--path', 'clusters/dev'])).out),
      'v1.31',
      'render.kubeVersion reaches .Capabilities',
    );
    assert.equal(
      kube((await runCli(['build', root, '--path', 'clusters/dev', '--kube-version', '1.33'])).out),
      'v1.33',
      'the flag wins',
    );
    const off = await runCli(['build', root, '--path', 'clusters/dev', '--no-helm']);
    assert.equal(off.code, 0, off.err);
    assert.deepEqual(
      docs(off.out).map((o) => o.kind),
      ['HelmRelease', 'HelmRepository'],
      '--no-helm wins over the file',
    );
    assert.match(off.err, /--no-helm: 1 HelmRelease\(s\) not rendered/);
    const c = await runCli(['check', root, '--format', 'json']);
    assert.equal(c.code, 1, c.err);
    const pinned = JSON.parse(c.out).findings.filter((f: any) => f.rule === 'image-tag-pinned');
    assert.deepEqual(
      pinned.map((f: any) => [f.cluster, f.file, f.resource]),
      [
        ['dev', 'clusters/dev/release.yaml', 'Deployment/podinfo/podinfo'],
        ['prod', 'clusters/prod/release.yaml', 'Deployment/podinfo/podinfo'],
      ],
    );

    writeFileSync(
      join(root, '.aksfleet.yaml'),
      'render:\n  chartSources:\n    HelmRepository/flux-system/podinfo: no-such-folder\n  kubeVersion: 1.30\n',
    );
    for (const cmd of [
      ['build', root, '--path', 'clusters/dev'],
      ['check', root],
    ]) {
      const bad = await runCli(cmd);
      assert.equal(bad.code, 2, bad.err);
      assert.match(bad.err, /\.aksfleet\.yaml:4:16: render\.kubeVersion: write the version as a quoted string/);
      assert.doesNotMatch(bad.err, /\n\s+at /, 'no stack trace');
    }
    writeFileSync(
      join(root, '.aksfleet.yaml'),
      'render:\n  chartSources:\n    HelmRepository/flux-system/podinfo: no-such-folder\n',
    );
    const missing = await runCli(['build', root, '--path', 'clusters/dev']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /\.aksfleet\.yaml:3:41: render\.chartSources\.HelmRepository\/flux-system\/podinfo: 'no-such-folder' does not exist in the repository/,
    );
    // The flag's mapping wins over the file's (which is then never opened).
    const flag = await runCli([
      'build',
      root,
      '--path',
      'clusters/dev',
      '--chart-source',
      `HelmRepository/flux-system/podinfo=${join(root, 'charts')}`,
    ]);
    assert.equal(flag.code, 2, 'the file is still validated: a broken config is never silently ignored');
    // A folder of the repository that is a link to elsewhere is refused.
    const elsewhere = tempDir('aksfleet-renderopts-elsewhere-');
    try {
      symlinkSync(elsewhere, join(root, 'linked'));
      writeFileSync(
        join(root, '.aksfleet.yaml'),
        'render:\n  chartSources:\n    HelmRepository/flux-system/podinfo: linked\n',
      );
      const link = await runCli(['build', root, '--path', 'clusters/dev']);
      assert.equal(link.code, 2);
      assert.match(
        link.err,
        /\.aksfleet\.yaml:3:41: render\.chartSources\.HelmRepository\/flux-system\/podinfo: 'linked' leaves the repository through a symbolic link/,
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check --source and render.sources: another repository mapped to a folder is checked; unmapped it is an error finding', async () => {
  const root = tempDir('aksfleet-renderopts-src-');
  try {
    writeTree(root, {
      'clusters/prod/flux-system/gotk-sync.yaml':
        `${gitRepository('flux-system', 'https://github.com/example/fleet-infra')}---\n` +
        `${fluxKustomization('flux-system', 'flux-system', './clusters/prod')}`,
      'clusters/prod/apps.yaml':
        `${gitRepository('apps', 'https://github.com/example/apps')}---\n` +
        `${fluxKustomization('apps', 'apps', './deploy')}`,
      'vendor/apps/deploy/kustomization.yaml': 'resources: [web.yaml]\n',
      'vendor/apps/deploy/web.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n' +
        '  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n' +
        '    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n',
    });
    gitCommitAll(root, 'fixture', 'https://github.com/example/fleet-infra');
    const rules = (out: string) => JSON.parse(out).findings.map((f: any) => f.rule);
    const without = await runCli(['check', root, '--format', 'json']);
    assert.ok(rules(without.out).includes('kustomization-builds'), without.out);
    assert.ok(!rules(without.out).includes('image-tag-pinned'));
    const mapped = await runCli([
      'check',
      root,
      '--format',
      'json',
      '--source',
      'GitRepository/flux-system/apps=vendor/apps',
    ]);
    assert.ok(!rules(mapped.out).includes('kustomization-builds'), mapped.out);
    const f = JSON.parse(mapped.out).findings.find((x: any) => x.rule === 'image-tag-pinned');
    assert.equal(f?.resource, 'Deployment/default/web', mapped.out);
    writeFileSync(
      join(root, '.aksfleet.yaml'),
      'render:\n  sources:\n    GitRepository/flux-system/apps: vendor/apps\n',
    );
    const fromFile = await runCli(['check', root, '--format', 'json']);
    assert.deepEqual(rules(fromFile.out), rules(mapped.out));
    const built = await runCli(['build', root, '--cluster', 'prod']);
    assert.equal(built.code, 0, built.err);
    assert.ok(docs(built.out).some((o) => o.kind === 'Deployment' && o.metadata.name === 'web'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check --jobs 2 with the helm flags: the workers render the charts; the same findings as one thread', async () => {
  const root = repo('', '    image:\n      tag: latest\n');
  try {
    const args = [
      'check',
      root,
      '--format',
      'json',
      '--chart-source',
      `HelmRepository/flux-system/podinfo=${join(root, 'charts')}`,
      '--kube-version',
      '1.31',
    ];
    const one = await runCli(args);
    const two = await runCli([...args, '--jobs', '2']);
    assert.equal(two.code, one.code, two.err);
    const j1 = JSON.parse(one.out);
    const j2 = JSON.parse(two.out);
    assert.deepEqual(j2.findings, j1.findings);
    assert.equal(j1.findings.filter((f: any) => f.rule === 'image-tag-pinned').length, 2, 'chart objects were checked');
    const off = await runCli(['check', root, '--format', 'json', '--no-helm', '--jobs', '2']);
    assert.equal(JSON.parse(off.out).findings.filter((f: any) => f.rule === 'image-tag-pinned').length, 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('diff and promote with the chart source set in .aksfleet.yaml (real git): a values change shows in the chart objects', async () => {
  const root = repo();
  const g = (...a: string[]) => git(root, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a]);
  try {
    gitCommitAll(root, 'podinfo');
    g('branch', 'env/prod');
    g('checkout', '-q', '-b', 'env/qa');
    writeFileSync(join(root, 'clusters/prod/release.yaml'), release('    replicaCount: 5\n'));
    g('commit', '-qam', 'prod: 5 replicas');
    const d = await runCli(['diff', root, '--base', 'env/prod', '--head', 'env/qa', '--path', 'clusters/prod']);
    assert.equal(d.code, 1, d.out + d.err);
    assert.match(d.out, /Deployment\/podinfo\/podinfo/);
    assert.match(d.out, /replicas/);
    const p = await runCli(['promote', 'qa', 'prod', root]);
    assert.equal(p.code, 0, p.err);
    assert.match(p.out, /Deployment\/podinfo\/podinfo/);
    assert.match(p.out, /replicas/);
    const noHelm = await runCli([
      'diff',
      root,
      '--base',
      'env/prod',
      '--head',
      'env/qa',
      '--path',
      'clusters/prod',
      '--no-helm',
    ]);
    assert.doesNotMatch(noHelm.out, /Deployment\/podinfo\/podinfo/, 'the flag wins over the file');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('promote: both sides know the checkout\'s remote URL, so they decide "this repository" as build and diff do', async () => {
  const root = tempDir('aksfleet-renderopts-promote-');
  const g = (...a: string[]) => git(root, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a]);
  try {
    writeTree(root, multiRepoBootstrap({ named: false, fleetUrl: 'https://github.com/example/fleet-infra' }));
    gitCommitAll(root, 'fixture', 'git@github.com:example/fleet-infra.git');
    g('branch', 'env/prod');
    g('checkout', '-q', '-b', 'env/qa');
    writeTree(root, { 'infrastructure/settings.yaml': configMap('settings', 'default', { level: 'debug' }) });
    g('commit', '-qam', 'debug');
    const p = await runCli(['promote', 'qa', 'prod', root]);
    assert.equal(p.code, 0, p.all);
    assert.doesNotMatch(p.all, /recursion cycle|build error/);
    assert.match(p.out, /ConfigMap\/default\/settings/);
    assert.match(p.out, /flux-system\/apps/, "the other repository's Kustomization is reported as not followed");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('cluster selection: the same rule on build, check and diff (one of --path/--cluster; build needs one)', async () => {
  const { clusterSelection } = await import('./render-options.js');
  assert.deepEqual(clusterSelection({ path: 'clusters/dev' }), { path: 'clusters/dev' });
  assert.deepEqual(clusterSelection({}), {});
  assert.throws(() => clusterSelection({}, { required: true }), /give exactly one of --path P or --cluster NAME/);
  for (const cmd of ['build', 'check', 'diff']) {
    const r = await runCli([cmd, '--path', 'a', '--cluster', 'b', ...(cmd === 'diff' ? ['--base', 'HEAD'] : [])]);
    assert.equal(r.code, 2, `${cmd}: ${r.err}`);
    assert.match(r.err, /give --path P or --cluster NAME, not both/);
  }
});
