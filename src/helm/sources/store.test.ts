/**
 * openChartStore over folders and a cache filled with archives made by the real helm
 * (`helm package`, `helm repo index`: test/oracles helm-4.1).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { putChart, putListing, defaultChartCacheDir } from './chart-cache.js';
import { repositoryKey } from './source-url.js';
import { openChartStore, parseChartSourceMapping } from './store.js';
import { HELM, helmCli, helmPackage, writeChart } from './testing/helm-cli.js';
import { oracle } from '../../../test/oracles/oracle.mjs';
import type { ChartRequest } from './types.js';

// The real helm (test/oracles): these suites run in the full test run only (scripts/test.mjs).
const skip = oracle(HELM).skip;
const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-chartstore-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const helmReq = (chart: string, version?: string, url = 'https://charts.example.com/stable'): ChartRequest => ({
  sourceId: 'HelmRepository/flux-system/example',
  sourceKind: 'HelmRepository',
  url,
  chart,
  ...(version !== undefined ? { version } : {}),
});

function versionOf(r: ReturnType<ReturnType<typeof openChartStore>['lookup']>): string {
  if (!r.ok) return `!${r.reason}`;
  return r.chart.version;
}

test('a mapped folder of chart folders and helm-packaged archives resolves constraints as Flux', { skip }, () => {
  const h = helmCli();
  const src = join(tmp, 'src1');
  const repo = join(tmp, 'repo1');
  const charts = join(repo, 'charts');
  writeChart(charts, 'podinfo', '1.0.0'); // a folder
  helmPackage(h, writeChart(src, 'podinfo', '1.2.0'), charts);
  rmSync(join(src, 'podinfo'), { recursive: true });
  helmPackage(h, writeChart(src, 'podinfo', '2.0.0-rc.1'), charts);
  rmSync(join(src, 'podinfo'), { recursive: true });
  helmPackage(h, writeChart(src, 'podinfo-extra', '9.0.0'), charts); // shares the prefix, another chart
  const store = openChartStore({
    mappings: { 'HelmRepository/flux-system/example': charts },
    root: repo,
    cacheDir: join(tmp, 'nocache'),
  });
  assert.equal(versionOf(store.lookup(helmReq('podinfo'))), '1.2.0');
  assert.equal(versionOf(store.lookup(helmReq('podinfo', '~1.0'))), '1.0.0');
  assert.equal(versionOf(store.lookup(helmReq('podinfo', '>=2.0.0-0'))), '2.0.0-rc.1');
  assert.equal(versionOf(store.lookup(helmReq('podinfo-extra'))), '9.0.0');
  const r = store.lookup(helmReq('podinfo', '1.2.0'));
  assert.ok(r.ok);
  assert.equal(r.chart.from, 'mapped');
  assert.equal(r.chart.location, 'charts/podinfo-1.2.0.tgz');
  assert.match(r.chart.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(r.chart.digest.slice(7), sha256(readFileSync(join(charts, 'podinfo-1.2.0.tgz'))));
  assert.deepEqual(r.chart.files.map((f) => f.name).sort(), ['Chart.yaml', 'templates/cm.yaml', 'values.yaml']);
  const folder = store.lookup(helmReq('podinfo', '1.0.0'));
  assert.ok(folder.ok && folder.chart.location === 'charts/podinfo');
  const none = store.lookup(helmReq('podinfo', '>=3'));
  assert.ok(!none.ok);
  assert.match(
    none.reason,
    /HelmRepository\/flux-system\/example is mapped to charts: no 'podinfo' chart with version matching '>=3' found/,
  );
  // An archive whose name lies about its version is refused once picked.
  writeFileSync(join(charts, 'podinfo-1.5.0.tgz'), readFileSync(join(charts, 'podinfo-1.2.0.tgz')));
  const lying = openChartStore({ mappings: { 'HelmRepository/flux-system/example': charts }, root: repo }).lookup(
    helmReq('podinfo'),
  );
  assert.ok(!lying.ok);
  assert.match(lying.reason, /charts\/podinfo-1\.5\.0\.tgz holds version 1\.2\.0 of 'podinfo', not 1\.5\.0/);
  // A gzip bomb in a mapped folder: Helm's caps, a reason, no crash.
  mkdirSync(join(tmp, 'bomb', 'bomb', 'templates'), { recursive: true });
  writeFileSync(join(tmp, 'bomb', 'bomb', 'Chart.yaml'), 'apiVersion: v2\nname: bomb\nversion: 1.0.0\n');
  writeFileSync(join(tmp, 'bomb', 'bomb', 'templates', 'zeros.yaml'), Buffer.alloc(16 * 1024 * 1024));
  execFileSync('tar', ['-czf', join(charts, 'bomb-1.0.0.tgz'), '-C', join(tmp, 'bomb'), 'bomb']);
  const bomb = store.lookup(helmReq('bomb'));
  assert.ok(!bomb.ok);
  assert.match(
    bomb.reason,
    /is mapped to charts: decompressed chart file "bomb\/templates\/zeros.yaml" is larger than the maximum file size 5242880/,
  );
  const other = store.lookup(helmReq('nginx'));
  assert.ok(!other.ok && /no chart 'nginx' there/.test(other.reason));
});

test('a mapped Helm repository folder (helm repo index): index resolution and digest verification', { skip }, () => {
  const h = helmCli();
  const src = join(tmp, 'src2');
  const repo = join(tmp, 'helmrepo');
  for (const v of ['0.1.0', '0.2.0', '0.3.0-beta.1']) {
    helmPackage(h, writeChart(src, 'app', v), repo);
    rmSync(join(src, 'app'), { recursive: true });
  }
  const idx = h.run(['repo', 'index', repo, '--url', 'https://charts.example.com/stable']);
  assert.equal(idx.status, 0, idx.stderr);
  const store = openChartStore({
    mappings: { 'HelmRepository/flux-system/example': repo },
    cacheDir: join(tmp, 'nocache'),
  });
  assert.equal(versionOf(store.lookup(helmReq('app'))), '0.2.0');
  assert.equal(versionOf(store.lookup(helmReq('app', '0.1.x'))), '0.1.0');
  // Tamper with the archive the index lists: the index's digest no longer matches.
  writeFileSync(join(repo, 'app-0.2.0.tgz'), readFileSync(join(repo, 'app-0.1.0.tgz')));
  const bad = openChartStore({ mappings: { 'HelmRepository/flux-system/example': repo } }).lookup(helmReq('app'));
  assert.ok(!bad.ok);
  assert.match(bad.reason, /digest mismatch: the index says sha256:[0-9a-f]{64}, the archive is sha256:/);
});

test('an OCIRepository mapped to one archive or chart folder', { skip }, () => {
  const h = helmCli();
  const src = join(tmp, 'src3');
  const tgz = helmPackage(h, writeChart(src, 'oci-app', '3.1.0'), join(tmp, 'oci'));
  const req: ChartRequest = {
    sourceId: 'OCIRepository/apps/oci-app',
    sourceKind: 'OCIRepository',
    url: 'oci://registry.example.com/charts/oci-app',
    chart: '',
    tag: '3.1.0',
  };
  const store = openChartStore({
    mappings: { 'OCIRepository/apps/oci-app': tgz, 'OCIRepository/apps/folder': join(src, 'oci-app') },
    cacheDir: join(tmp, 'nocache'),
  });
  assert.equal(versionOf(store.lookup(req)), '3.1.0');
  assert.equal(versionOf(store.lookup({ ...req, tag: undefined })), '3.1.0');
  const wrongTag = store.lookup({ ...req, tag: '3.2.0' });
  assert.ok(!wrongTag.ok && /no chart with version 3.2.0/.test(wrongTag.reason));
  const folder = store.lookup({ ...req, sourceId: 'OCIRepository/apps/folder' });
  assert.ok(folder.ok && folder.chart.version === '3.1.0' && folder.chart.digest.startsWith('sha256:'));
});

test('an OCIRepository mapped to a folder of several charts takes the one its URL names', { skip }, () => {
  const h = helmCli();
  const src = join(tmp, 'src6');
  const folder = join(tmp, 'oci6');
  writeChart(folder, 'gateway-helm', '1.8.0'); // a folder
  helmPackage(h, writeChart(src, 'podinfo', '6.14.1'), folder); // an archive, a higher version
  const req: ChartRequest = {
    sourceId: 'OCIRepository/envoy-gateway-system/gateway-helm',
    sourceKind: 'OCIRepository',
    url: 'oci://docker.io/envoyproxy/gateway-helm',
    chart: '',
    version: '>= 1.8.0-rc.0',
  };
  const store = openChartStore({
    mappings: { [req.sourceId]: folder, 'OCIRepository/apps/other': folder },
    cacheDir: join(tmp, 'nocache'),
  });
  const r = store.lookup(req);
  assert.ok(r.ok, !r.ok ? r.reason : '');
  assert.equal(r.chart.version, '1.8.0');
  assert.match(r.chart.location, /gateway-helm$/);
  assert.equal(versionOf(store.lookup({ ...req, url: 'oci://ghcr.io/stefanprodan/charts/podinfo' })), '6.14.1');
  const none = store.lookup({ ...req, sourceId: 'OCIRepository/apps/other', url: 'oci://example.com/charts/other' });
  assert.ok(!none.ok);
  assert.match(
    none.reason,
    /holds several charts \(gateway-helm, podinfo\) and none named 'other' as oci:\/\/example\.com\/charts\/other is/,
  );
});

test('the cache: lookups by constraint against the recorded listing, verified blobs, reasons that say what to do', {
  skip,
}, () => {
  const h = helmCli();
  const src = join(tmp, 'src4');
  const cacheDir = join(tmp, 'cache4');
  const url = 'https://user:s3cret@charts.example.com/stable/?token=t0k3n';
  const key = repositoryKey(helmReq('web', '', url));
  assert.equal(key, 'helm https://charts.example.com/stable web');
  const tgz1 = helmPackage(h, writeChart(src, 'web', '1.0.0'), join(tmp, 'pk4'));
  rmSync(join(src, 'web'), { recursive: true });
  const tgz2 = helmPackage(h, writeChart(src, 'web', '1.1.0'), join(tmp, 'pk4'));
  putChart(cacheDir, { key, version: '1.0.0' }, readFileSync(tgz1));
  const store = openChartStore({ cacheDir });
  // No listing recorded: resolution among cached versions.
  assert.equal(versionOf(store.lookup(helmReq('web', '', url))), '1.0.0');
  // The listing says 1.1.0 is the latest: offline, it is missing (never silently the older one).
  putListing(cacheDir, key, [{ version: '1.0.0' }, { version: '1.1.0' }]);
  // A found chart is kept for the store's life: a store opened after the cache changed sees the change.
  assert.equal(versionOf(store.lookup(helmReq('web', '', url))), '1.0.0');
  const store2 = openChartStore({ cacheDir });
  const miss = store2.lookup(helmReq('web', '', url));
  assert.ok(!miss.ok);
  assert.match(
    miss.reason,
    /version 1\.1\.0 .* is not cached: chart 'web' version '\*' from https:\/\/charts\.example\.com\/stable \(HelmRepository\/flux-system\/example\) is not in the chart cache; download it with 'aksfleet helm pull' into a folder and map HelmRepository\/flux-system\/example to that folder with --chart-source/,
  );
  assert.doesNotMatch(miss.reason, /s3cret|t0k3n|user/);
  const d2 = putChart(cacheDir, { key, version: '1.1.0' }, readFileSync(tgz2));
  // Misses are not kept: the same store finds what was added since.
  const hit = store2.lookup(helmReq('web', '', url));
  assert.ok(hit.ok);
  assert.equal(hit.chart.version, '1.1.0');
  assert.equal(hit.chart.from, 'cache');
  assert.equal(hit.chart.digest, d2);
  assert.doesNotMatch(hit.chart.location, /s3cret|t0k3n|user/);
  assert.equal(versionOf(store.lookup(helmReq('web', '<1.1', url))), '1.0.0');
  // Nothing on disk holds the credentials.
  for (const f of walk(cacheDir)) {
    assert.doesNotMatch(f, /s3cret|t0k3n|example/);
    assert.doesNotMatch(readFileSync(f).toString('latin1'), /s3cret|t0k3n/);
  }
  // A corrupted blob is refused.
  writeFileSync(join(cacheDir, 'blobs', 'sha256', d2.slice(7)), readFileSync(tgz1));
  const bad = openChartStore({ cacheDir }).lookup(helmReq('web', '', url));
  assert.ok(!bad.ok);
  assert.match(
    bad.reason,
    /is corrupted \(its content is sha256:[0-9a-f]{64}\); download it again \('aksfleet helm pull'\) and map it with --chart-source/,
  );
  // Nothing cached for another chart.
  const none = store2.lookup(helmReq('api', '1.0.0', url));
  assert.ok(!none.ok && /nothing cached: .*--chart-source/.test(none.reason));
});

test('OCI cache entries: by tag, by semver over tags (_ read as +), by manifest digest', { skip }, () => {
  const h = helmCli();
  const src = join(tmp, 'src5');
  const cacheDir = join(tmp, 'cache5');
  const req: ChartRequest = {
    sourceId: 'OCIRepository/apps/x',
    sourceKind: 'OCIRepository',
    url: 'oci://reg.example.com/charts/x',
    chart: '',
  };
  const key = repositoryKey(req);
  const tgz = helmPackage(h, writeChart(src, 'x', '1.0.0+build.1'), join(tmp, 'pk5'));
  putChart(
    cacheDir,
    { key, version: '1.0.0+build.1', tag: '1.0.0_build.1', manifestDigest: `sha256:${'a'.repeat(64)}` },
    readFileSync(tgz),
  );
  const store = openChartStore({ cacheDir });
  assert.equal(versionOf(store.lookup({ ...req, tag: '1.0.0_build.1' })), '1.0.0+build.1');
  assert.equal(versionOf(store.lookup({ ...req, version: '>=1.0.0' })), '1.0.0+build.1');
  assert.equal(versionOf(store.lookup({ ...req, digest: `sha256:${'a'.repeat(64)}` })), '1.0.0+build.1');
  const latest = store.lookup(req);
  assert.ok(!latest.ok && /tag latest not cached/.test(latest.reason));
  // A HelmRepository of type oci keys its chart as <url>/<chart>.
  assert.equal(
    repositoryKey({ ...helmReq('podinfo'), url: 'oci://ghcr.io/stefanprodan/charts' }),
    'oci oci://ghcr.io/stefanprodan/charts/podinfo',
  );
});

test('mapping arguments and the default cache folder', () => {
  assert.deepEqual(parseChartSourceMapping('HelmRepository/flux-system/bitnami=./charts'), {
    sourceId: 'HelmRepository/flux-system/bitnami',
    path: './charts',
  });
  assert.throws(
    () => parseChartSourceMapping('GitRepository/flux-system/x=./charts'),
    /expected HelmRepository\/NAMESPACE\/NAME=DIR/,
  );
  assert.throws(() => parseChartSourceMapping('HelmRepository/flux-system/x'), /expected/);
  assert.throws(() => openChartStore({ mappings: { bitnami: '/tmp' } }), /chart source mapping "bitnami"/);
  assert.equal(defaultChartCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), '/x/cache/aksfleet/charts');
  assert.equal(defaultChartCacheDir({ HOME: '/home/u' }), '/home/u/.cache/aksfleet/charts');
  assert.equal(defaultChartCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.cache/aksfleet/charts');
});

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
