/**
 * Chart objects in the console, in a real browser (Debian's Chromium through playwright-core):
 * a Kustomization's HelmRelease is shown with its chart, version and status, the objects its
 * chart installs are listed under it with their templates, and one opens with its rendered
 * YAML and the HelmRelease that installs it. Screenshot: test-artifacts/console/8-helmrelease.png.
 */
import { CHROMIUM_SKIP, openPage } from './chromium.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { startConsole } from '../../src/ui/server.js';
import { buildConsoleModel } from '../../src/ui/build-model.js';
import { createSession, withHelm } from '../../src/session/session.js';
import { demoChartFiles, memoryChartStore } from '../../src/flux/helmrelease/testing.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { diffFleet } from '../../src/diff/fleet-diff.js';
import { fluxRenderer } from '../../src/diff/cluster-renderer.js';
import type { ConsoleModel } from '../../src/ui/model.js';

const artifacts = join(PACKAGE_ROOT, 'test-artifacts', 'console');

const FILES: Record<string, string> = {
  'clusters/dev/flux-system/gotk-sync.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  url: https://example.com/fleet.git',
    '  ref:',
    '    branch: main',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  path: ./clusters/dev',
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '',
  ].join('\n'),
  'clusters/dev/apps.yaml': [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: apps',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  path: ./apps',
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '',
  ].join('\n'),
  'apps/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - sources.yaml\n' +
    '  - release.yaml\n',
  'apps/sources.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
    '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n',
  'apps/release.yaml': [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: web',
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chart:',
    '    spec:',
    '      chart: demo',
    '      version: "1.2.3"',
    '      sourceRef:',
    '        kind: HelmRepository',
    '        name: charts',
    '        namespace: flux-system',
    '  values:',
    '    replicas: 4',
    '',
  ].join('\n'),
};

let server: Server;
let base: string;
let root: string;
let model: ConsoleModel;

/** apps/release.yaml plus a HelmRelease `edge` that installs into another cluster (spec.kubeConfig) with `replicas`. */
function withRemoteRelease(replicas: number): Record<string, string> {
  const edge =
    FILES['apps/release.yaml']!.replace('name: web', 'name: edge').replace('replicas: 4', `replicas: ${replicas}`) +
    '  kubeConfig:\n    secretRef:\n      name: edge-kubeconfig\n';
  return { ...FILES, 'apps/release.yaml': `${FILES['apps/release.yaml']}---\n${edge}` };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'aksfleet-ui-helm-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const store = memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles('1.2.3') },
  ]);
  model = buildConsoleModel({ root, isGit: false, session: withHelm(createSession(), { enabled: true, store }) });
  server = await startConsole({ model, port: 0 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(root, { recursive: true, force: true });
});

test('Chromium: a HelmRelease with its chart objects under its Kustomization; a chart object opens with its YAML and its HelmRelease', {
  skip: CHROMIUM_SKIP,
}, async () => {
  mkdirSync(artifacts, { recursive: true });
  const { browser, page, errors } = await openPage();
  try {
    await page.goto(`${base}/#/cluster/dev/ks/flux-system/apps`);
    await page.getByRole('heading', { name: 'flux-system/apps' }).waitFor();
    const section = page.getByRole('region', { name: 'HelmRelease/apps/web' });
    await section.waitFor();
    assert.match(
      (await section.getByRole('heading').textContent()) ?? '',
      /HelmRelease\/apps\/web\s+demo@1\.2\.3 · rendered/,
    );
    const charts = page.locator('table[aria-label="Chart objects of HelmRelease/apps/web"] a[data-object]');
    assert.deepEqual(await charts.evaluateAll((as) => as.map((a) => a.getAttribute('data-object'))), [
      'CustomResourceDefinition/widgets.example.com',
      'ConfigMap/apps/web-config',
      'ClusterRole/web-reader',
      'Deployment/apps/web',
      'Job/apps/web-hook',
    ]);
    await section.getByRole('cell', { name: 'demo/templates/deployment.yaml' }).waitFor();
    await page.locator('a[data-object="Deployment/apps/web"]').click();
    await page.locator('#object-yaml').waitFor();
    assert.match((await page.locator('#object-yaml').textContent()) ?? '', /replicas: 4/);
    await page.getByText('installed by HelmRelease/apps/web from demo/templates/deployment.yaml').waitFor();
    // The source shown is the HelmRelease's file, where the chart object is located.
    await page.getByRole('heading', { name: /^Source apps\/release\.yaml:1/ }).waitFor();
    await page.screenshot({ path: join(artifacts, '8-helmrelease.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no errors in the page');
  } finally {
    await browser.close();
  }
});

test("Chromium: the promotion diff shows what a cluster applies to another cluster (spec.kubeConfig) apart, as diff's text does", {
  skip: CHROMIUM_SKIP,
}, async () => {
  // A real diff: only the remote HelmRelease's values change (2 -> 3 replicas): this cluster gets the HelmRelease, the
  // other its Deployment.
  const store = memoryChartStore([
    { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles('1.2.3') },
  ]);
  const clusters = [{ name: 'dev', path: 'clusters/dev' }];
  const diff = diffFleet({
    baseFs: new MemoryRepoFs(withRemoteRelease(2), 'env/qa'),
    headFs: new MemoryRepoFs(withRemoteRelease(3), 'env/dev'),
    baseLabel: 'env/qa',
    headLabel: 'env/dev',
    baseClusters: clusters,
    headClusters: clusters,
    render: fluxRenderer({ session: withHelm(createSession(), { enabled: true, store }) }),
  });
  const c = diff.clusters[0]!;
  assert.deepEqual(
    c.remote?.map((r) => r.target),
    ['apps/edge-kubeconfig'],
  );
  assert.ok(
    c.remote![0]!.diff.changed.some((x) => x.id === 'Deployment/apps/edge'),
    JSON.stringify(c.remote),
  );
  assert.deepEqual(
    c.diff?.changed.map((x) => x.id),
    ['HelmRelease/apps/edge'],
    'this cluster gets only the HelmRelease object',
  );
  const remoteServer = await startConsole({
    model: { ...model, promotions: [{ from: 'dev', to: 'qa', status: 'changes', diff }] },
    port: 0,
  });
  const { browser, page, errors } = await openPage();
  try {
    await page.goto(`http://127.0.0.1:${(remoteServer.address() as AddressInfo).port}/#/promotion`);
    await page.getByRole('heading', { name: /^Promotion/ }).waitFor();
    const panel = page.locator('section.panel', { hasText: 'dev → qa' });
    await panel.getByRole('heading', { name: 'dev 0 added, 1 changed, 0 removed' }).waitFor();
    const remote = panel.getByRole('region', { name: 'dev → kubeConfig apps/edge-kubeconfig' });
    await remote.waitFor();
    assert.match(
      (await remote.getByRole('heading').textContent()) ?? '',
      /^objects cluster dev applies to another cluster \(kubeConfig apps\/edge-kubeconfig\), not counted above: 0 added, \d+ changed, 0 removed$/,
    );
    await remote.getByText('~ Deployment/apps/edge').waitFor();
    await remote.getByText(/spec\.replicas: 2 → 3/).waitFor();
    await page.screenshot({ path: join(artifacts, '9-promotion-remote.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no errors in the page');
  } finally {
    await browser.close();
    await new Promise<void>((r) => remoteServer.close(() => r()));
  }
});
