/**
 * HelmReleases through the commands, end to end: build with `--chart-source` (a real chart of
 * ../shared/charts copied to a temp folder), a corpus repository with its HelmRepository mapped,
 * `check` finding a defect planted in chart values at the HelmRelease, a template error and a
 * missing chart reported with their reasons (exit codes unchanged in meaning), and `diff`
 * showing per-object changes of a values change and of a chart version bump in a real git repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { demoChartFiles } from '../../src/flux/helmrelease/testing.js';
import { CORPUS, haveCorpus } from './corpus.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts');

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const REPO =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n' +
  '  namespace: flux-system\nspec:\n  url: https://stefanprodan.github.io/podinfo\n';
const release = (version: string, values: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n` +
  `  namespace: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: "${version}"\n` +
  `      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n        namespace: flux-system\n` +
  `  values:\n${values}`;

/**
 * A temp folder: `charts/` with podinfo 6.14.1 (as shared) and 6.15.0 (the same with a bumped Chart.yaml), `repo/` with
 * one cluster.
 */
function setup(values = '    replicaCount: 2\n'): { root: string; repo: string; charts: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-hr-'));
  const charts = join(root, 'charts');
  cpSync(join(SHARED_CHARTS, 'podinfo'), join(charts, 'podinfo'), { recursive: true });
  cpSync(join(SHARED_CHARTS, 'podinfo'), join(charts, 'podinfo-next'), { recursive: true });
  const cy = join(charts, 'podinfo-next', 'Chart.yaml');
  writeFileSync(cy, readFileSync(cy, 'utf8').replace(/^version: 6\.14\.1$/m, 'version: 6.15.0'));
  const repo = join(root, 'repo');
  tree(repo, { 'clusters/dev/repo.yaml': REPO, 'clusters/dev/release.yaml': release('6.14.1', values) });
  return { root, repo, charts, done: () => rmSync(root, { recursive: true, force: true }) };
}

const MAP = (charts: string) => ['--chart-source', `HelmRepository/flux-system/podinfo=${charts}`];

test('build --chart-source: the chart objects with helm-controller labels, located at the HelmRelease; without it, a warning with the reason', async () => {
  const s = setup();
  try {
    const r = await runCli(['build', s.repo, '--path', 'clusters/dev', ...MAP(s.charts)]);
    assert.equal(r.code, 0, r.err);
    const objs = parseYamlDocuments(r.out, 'out').map((d) => d.value as any);
    const dep = objs.find((o) => o.kind === 'Deployment');
    assert.equal(dep.metadata.name, 'podinfo');
    assert.equal(dep.metadata.namespace, 'podinfo');
    assert.equal(dep.spec.replicas, 2);
    assert.equal(dep.metadata.labels['helm.toolkit.fluxcd.io/name'], 'podinfo');
    assert.equal(dep.metadata.labels['helm.sh/chart'], 'podinfo-6.14.1');
    const j = JSON.parse(
      (await runCli(['build', s.repo, '--path', 'clusters/dev', '-o', 'json', ...MAP(s.charts)])).out,
    );
    const h = j.helmReleases[0];
    assert.equal(h.status, 'rendered');
    assert.equal(h.chart.version, '6.14.1');
    const d = h.resources.find((x: any) => x.object.kind === 'Deployment');
    assert.deepEqual(d.origin.helm, {
      release: 'HelmRelease/podinfo/podinfo',
      chart: 'podinfo@6.14.1',
      template: 'podinfo/templates/deployment.yaml',
    });
    assert.equal(d.origin.file, 'clusters/dev/release.yaml');
    const without = await runCli(['build', s.repo, '--path', 'clusters/dev']);
    assert.equal(without.code, 0);
    assert.match(
      without.err,
      /warning: clusters\/dev\/release\.yaml:1: HelmRelease\/podinfo\/podinfo: spec\.chart\.spec\.sourceRef: chart podinfo not rendered: no chart store: map HelmRepository\/flux-system\/podinfo to a folder of charts with --chart-source/,
    );
    assert.equal(parseYamlDocuments(without.out, 'out').length, 2, 'the HelmRepository and the HelmRelease, as before');
    const off = await runCli(['build', s.repo, '--path', 'clusters/dev', '--no-helm']);
    assert.equal(off.code, 0);
    assert.equal(off.out, without.out);
    assert.match(off.err, /info: --no-helm: 1 HelmRelease\(s\) not rendered/);
    const wrong = await runCli([
      'build',
      s.repo,
      '--path',
      'clusters/dev',
      ...MAP(s.charts).slice(0, 1),
      'HelmRepository/flux-system/podinfo=' + join(s.root, 'nowhere'),
    ]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /--chart-source HelmRepository\/flux-system\/podinfo: '.*nowhere' does not exist/);
    assert.equal((await runCli(['build', s.repo, '--path', 'clusters/dev', '--chart-source', 'podinfo=x'])).code, 2);
    // valuesFrom a ConfigMap that lives only in the cluster, given with --values-from.
    tree(s.repo, {
      'clusters/dev/release.yaml': release('6.14.1', '    replicaCount: 2\n').replace(
        '  values:\n',
        '  valuesFrom:\n    - kind: ConfigMap\n      name: podinfo-values\n  values:\n',
      ),
    });
    writeFileSync(
      join(s.root, 'cluster.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo-values\n  namespace: podinfo\ndata:\n' +
        '  values.yaml: |\n    ui:\n      message: from the cluster\n',
    );
    const vf = await runCli([
      'build',
      s.repo,
      '--path',
      'clusters/dev',
      '--values-from',
      join(s.root, 'cluster.yaml'),
      ...MAP(s.charts),
    ]);
    assert.equal(vf.code, 0, vf.err);
    assert.doesNotMatch(vf.err, /podinfo-values/);
    assert.match(vf.out, /PODINFO_UI_MESSAGE[\s\S]*from the cluster/);
    writeFileSync(join(s.root, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n');
    const bad = await runCli([
      'build',
      s.repo,
      '--path',
      'clusters/dev',
      '--values-from',
      join(s.root, 'bad.yaml'),
      ...MAP(s.charts),
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.yaml:1.*--values-from: each document must be a ConfigMap or Secret/);
    assert.equal((await runCli(['build', s.repo, '--path', 'clusters/dev', '--kube-version', 'banana'])).code, 2);
    assert.equal((await runCli(['build', s.repo, '--path', 'clusters/dev', '--no-helm', ...MAP(s.charts)])).code, 2);
  } finally {
    s.done();
  }
});

test('check: an unpinned image planted in chart values is found at the HelmRelease; a template error is an error finding, a chart missing from the given store too, no store at all info', async () => {
  const s = setup('    image:\n      tag: latest\n');
  try {
    const r = await runCli(['check', s.repo, '--format', 'json', ...MAP(s.charts)]);
    assert.equal(r.code, 1, r.out);
    const f = JSON.parse(r.out).findings.filter((x: any) => x.rule === 'image-tag-pinned');
    assert.equal(f.length, 1, r.out);
    assert.equal(f[0].file, 'clusters/dev/release.yaml');
    assert.equal(f[0].resource, 'Deployment/podinfo/podinfo');
    assert.match(f[0].message, /uses the 'latest' tag/);
    const missing = await runCli(['check', s.repo, '--format', 'json']);
    const m = JSON.parse(missing.out).findings.filter((x: any) => x.rule === 'helmrelease-renders');
    assert.deepEqual(
      m.map((x: any) => [x.severity, x.file, x.resource]),
      [['info', 'clusters/dev/release.yaml', 'HelmRelease/podinfo/podinfo']],
    );
    assert.equal(
      JSON.parse(missing.out).findings.filter((x: any) => x.rule === 'image-tag-pinned').length,
      0,
      'not rendered, so not judged',
    );
    // A chart asked for (a --chart-source folder, the chart cache) and not there fails the gate.
    mkdirSync(join(s.root, 'empty'));
    for (const given of [
      ['--chart-source', `HelmRepository/flux-system/podinfo=${join(s.root, 'empty')}`],
      ['--chart-cache', join(s.root, 'empty')],
    ]) {
      const asked = await runCli(['check', s.repo, '--format', 'json', ...given]);
      assert.equal(asked.code, 1, asked.out);
      const a = JSON.parse(asked.out).findings.filter((x: any) => x.rule === 'helmrelease-renders');
      assert.deepEqual(
        a.map((x: any) => [x.severity, x.file, x.line, x.resource]),
        [['error', 'clusters/dev/release.yaml', 1, 'HelmRelease/podinfo/podinfo']],
        given.join(' '),
      );
      assert.match(a[0].message, /podinfo/);
    }

    // A chart whose template fails with these values.
    tree(s.charts, Object.fromEntries(Object.entries(demoChartFiles('1.0.0')).map(([k, v]) => [`demo/${k}`, v])));
    tree(s.repo, {
      'clusters/dev/release.yaml': release('6.14.1', '    replicaCount: 1\n')
        .replaceAll('podinfo', 'demo')
        .replace('"6.14.1"', '"1.0.0"')
        .replace('    replicaCount: 1\n', '    boom: true\n')
        .replace('name: demo\n      version', 'name: demo\n      version'),
    });
    writeFileSync(join(s.repo, 'clusters/dev/repo.yaml'), REPO.replace('name: podinfo', 'name: demo'));
    const b = await runCli([
      'build',
      s.repo,
      '--path',
      'clusters/dev',
      '--chart-source',
      `HelmRepository/flux-system/demo=${s.charts}`,
    ]);
    assert.equal(b.code, 2, b.err);
    assert.match(
      b.err,
      /clusters\/dev\/release\.yaml:1: HelmRelease\/demo\/demo: chart demo@1\.0\.0: .*demo\/templates\/fail\.yaml.*boom requested/s,
    );
    const c = await runCli([
      'check',
      s.repo,
      '--format',
      'json',
      '--chart-source',
      `HelmRepository/flux-system/demo=${s.charts}`,
    ]);
    assert.equal(c.code, 1);
    const e = JSON.parse(c.out).findings.filter((x: any) => x.rule === 'helmrelease-renders');
    assert.equal(e.length, 1);
    assert.equal(e[0].severity, 'error');
    assert.match(e[0].message, /HelmRelease\/demo\/demo does not render: chart demo@1\.0\.0: .*boom requested/s);
  } finally {
    s.done();
  }
});

test('diff: a values change and a chart version bump show per-object changes of the chart output (real git)', async () => {
  const s = setup();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: s.repo,
      encoding: 'utf8',
    });
  try {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'podinfo 6.14.1');
    writeFileSync(join(s.repo, 'clusters/dev/release.yaml'), release('6.14.1', '    replicaCount: 3\n'));
    const v = await runCli([
      'diff',
      s.repo,
      '--base',
      'main',
      '--path',
      'clusters/dev',
      '--format',
      'json',
      ...MAP(s.charts),
    ]);
    assert.equal(v.code, 1, v.out + v.err);
    const vj = JSON.stringify(JSON.parse(v.out));
    assert.match(vj, /Deployment\/podinfo\/podinfo/);
    assert.match(vj, /replicas/);
    assert.doesNotMatch(vj, /Service\/podinfo\/podinfo"/, 'only what the values change');
    git('commit', '-qam', 'replicas 3');
    writeFileSync(join(s.repo, 'clusters/dev/release.yaml'), release('6.15.0', '    replicaCount: 3\n'));
    const bump = await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/dev', ...MAP(s.charts)]);
    assert.equal(bump.code, 1, bump.out + bump.err);
    assert.match(bump.out, /Deployment\/podinfo\/podinfo/);
    assert.match(bump.out, /Service\/podinfo\/podinfo/);
    assert.match(bump.out, /podinfo-6\.15\.0/, 'the helm.sh/chart label of the bumped chart');
    const same = await runCli([
      'diff',
      s.repo,
      '--base',
      'main',
      '--head',
      'main',
      '--path',
      'clusters/dev',
      ...MAP(s.charts),
    ]);
    assert.equal(same.code, 0, same.out);
  } finally {
    s.done();
  }
});

test('corpus fluxcd/flux2-kustomize-helm-example: podinfo mapped renders; the charts not at hand say why', {
  skip: haveCorpus ? false : 'no corpus',
}, async () => {
  const s = setup();
  try {
    const r = await runCli([
      'build',
      join(CORPUS, 'fluxcd+flux2-kustomize-helm-example'),
      '--path',
      'clusters/staging',
      '-o',
      'json',
      '--chart-source',
      `HelmRepository/podinfo/podinfo=${s.charts}`,
      '--chart-source',
      `OCIRepository/cert-manager/cert-manager=${join(SHARED_CHARTS, 'cert-manager')}`,
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const byId = Object.fromEntries(j.helmReleases.map((h: any) => [h.id, h]));
    const p = byId['podinfo/podinfo'];
    assert.equal(p.status, 'rendered');
    assert.ok(p.resources.some((x: any) => x.object.kind === 'Deployment' && x.object.metadata.name === 'podinfo'));
    assert.ok(
      p.resources.some((x: any) => x.object.kind === 'HTTPRoute'),
      'the values turn on httpRoute',
    );
    assert.ok(p.resources.every((x: any) => x.origin.fluxKustomization === 'flux-system/apps'));
    assert.equal(byId['cert-manager/cert-manager'].status, 'chart-unavailable');
    assert.match(
      byId['cert-manager/cert-manager'].warnings[0].message,
      /version matching '1\.x'/,
      'the shared cert-manager chart is v0.0.0',
    );
    assert.equal(byId['envoy-gateway-system/envoy-gateway'].status, 'chart-unavailable');
    assert.match(
      byId['envoy-gateway-system/envoy-gateway'].warnings[0].message,
      /--chart-source OCIRepository\/envoy-gateway-system\/gateway-helm=DIR/,
    );
  } finally {
    s.done();
  }
});

test('example fleet: its add-on HelmReleases render from ../shared/charts (its pins are the versions it holds, but cert-manager and kyverno: data/addon-versions.json)', async () => {
  const { parseFleet } = await import('../../src/spec/load.js');
  const { generateAll } = await import('../../src/generators/index.js');
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-hr-example-'));
  try {
    // Only the two source checkouts of ../shared/charts (placeholder version v0.0.0, never published) need another pin.
    const text = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8')
      .replace('certManager: { version: v1.16.2', 'certManager: { version: v0.0.0')
      .replace('policy: { engine: kyverno, version: 3.3.4 }', 'policy: { engine: kyverno, version: v0.0.0 }');
    writeFileSync(join(root, 'fleet.yaml'), text);
    for (const f of generateAll(parseFleet(text))) tree(root, { [f.path]: f.content });
    const sources = [
      'envoy-gateway-system/envoyproxy',
      'kube-system/secrets-store-csi-driver',
      'velero/vmware-tanzu',
      'cert-manager/jetstack',
      'kyverno/kyverno',
      'monitoring/prometheus-community',
      'kube-system/csi-secrets-store-provider-azure',
    ];
    const r = await runCli([
      'build',
      root,
      '--cluster',
      'aks-dev',
      '--allow-missing-vars',
      '-o',
      'json',
      ...sources.flatMap((s) => ['--chart-source', `HelmRepository/${s}=${SHARED_CHARTS}`]),
    ]);
    // kube-prometheus-stack's folder lacks its subcharts: helm template fails on it the same way
    // (test/helm/conformance.test.ts).
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      /HelmRelease\/monitoring\/kube-prometheus-stack: chart kube-prometheus-stack@88\.5\.3: .*helm dependency build.*missing in charts\/ directory: kube-state-metrics/s,
    );
    const s = await runCli([
      'build',
      root,
      '--cluster',
      'aks-dev',
      '--allow-missing-vars',
      '--summary',
      ...sources.flatMap((x) => ['--chart-source', `HelmRepository/${x}=${SHARED_CHARTS}`]),
    ]);
    const rows = s.out
      .split('\n')
      .filter((l) => /^\S+\/\S+\s+\S+@\S+\s+\d+\s+(rendered|failed)$/.test(l))
      .map((l) => l.split(/\s+/));
    assert.deepEqual(
      rows.map((x) => [x[0], x[3]]),
      [
        ['envoy-gateway-system/envoy-gateway', 'rendered'],
        ['cert-manager/cert-manager', 'rendered'],
        ['kube-system/csi-secrets-store', 'rendered'],
        ['kube-system/csi-secrets-store-provider-azure', 'rendered'],
        ['kyverno/kyverno', 'rendered'],
        ['monitoring/kube-prometheus-stack', 'failed'],
        ['velero/velero', 'rendered'],
      ],
    );
    for (const x of rows) if (x[3] === 'rendered') assert.ok(Number(x[2]) > 0, `${x[0]} installs ${x[2]} objects`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
