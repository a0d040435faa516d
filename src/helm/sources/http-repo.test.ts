/**
 * HTTP Helm repositories served on loopback by the test, with archives and indexes made by the
 * real helm (helm-4.1: `helm package`, `helm repo index`); what we fetch is compared with what
 * `helm pull --repo` fetches (same version chosen, same bytes). Hostile cases: a gzip bomb, an
 * entry escaping the chart, an index pointing to another host, a huge index, a digest mismatch,
 * a server that never answers, credentials in URLs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import { createChartFetcher } from './fetcher.js';
import { openChartStore } from './store.js';
import { basic, bytes, startServer, type TestServer } from './testing/http-server.js';
import { HELM, helmCli, helmPackage, writeChart, type HelmCli } from './testing/helm-cli.js';
import { oracle } from '../../../test/oracles/oracle.mjs';
import type { ChartRequest } from './types.js';

// The real helm (test/oracles): these suites run in the full test run only (scripts/test.mjs).
const skip = oracle(HELM).skip;
const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-httprepo-'));
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
let h: HelmCli;
let repoDir: string;
let server: TestServer;
let other: TestServer;
const VERSIONS = ['1.0.0', '1.2.0', '1.10.0', '2.0.0-rc.1'];

before(async () => {
  if (skip) return;
  h = helmCli();
  repoDir = join(tmp, 'repo');
  const src = join(tmp, 'src');
  for (const v of VERSIONS) {
    helmPackage(h, writeChart(src, 'web', v), repoDir);
    rmSync(join(src, 'web'), { recursive: true });
  }
  const idx = h.run(['repo', 'index', repoDir]); // relative chart URLs
  assert.equal(idx.status, 0, idx.stderr);
  other = await startServer(
    { '/elsewhere/web-1.10.0.tgz': bytes(readFileSync(join(repoDir, 'web-1.10.0.tgz'))) },
    'localhost',
  );
  const index = readFileSync(join(repoDir, 'index.yaml'), 'utf8');
  const routes: Record<string, ReturnType<typeof bytes>> = {
    '/stable/index.yaml': bytes(index, 'text/yaml'),
    '/private/index.yaml': basic('reader', 's3cret-pw', bytes(index)),
    // The index points the latest version at another host (absolute URL).
    '/cross/index.yaml': bytes(index.replace('- web-1.10.0.tgz', `- ${other.url}/elsewhere/web-1.10.0.tgz`)),
    '/redirect/index.yaml': bytes(index),
    '/redirect/web-1.10.0.tgz': (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', `${other.url}/elsewhere/web-1.10.0.tgz`);
      res.end();
    },
    '/huge/index.yaml': (_req, res) => {
      // Chunked (no Content-Length): the cap must hold while streaming.
      const chunk = Buffer.alloc(64 * 1024, 0x23);
      for (let i = 0; i < 40; i++) res.write(chunk);
      res.end();
    },
    '/silent/index.yaml': () => undefined, // never answers
    '/baddigest/index.yaml': bytes(index.replace(/digest: [0-9a-f]{64}/g, `digest: ${'f'.repeat(64)}`)),
  };
  for (const v of VERSIONS) {
    const data = readFileSync(join(repoDir, `web-${v}.tgz`));
    for (const p of ['stable', 'private', 'cross', 'baddigest'])
      routes[`/${p}/web-${v}.tgz`] = p === 'private' ? basic('reader', 's3cret-pw', bytes(data)) : bytes(data);
    if (v !== '1.10.0') routes[`/redirect/web-${v}.tgz`] = bytes(data);
  }
  // Hostile archives, each listed with its true digest.
  const bombDir = join(tmp, 'bomb', 'bomb');
  mkdirSync(join(bombDir, 'templates'), { recursive: true });
  writeFileSync(join(bombDir, 'Chart.yaml'), 'apiVersion: v2\nname: bomb\nversion: 1.0.0\n');
  writeFileSync(join(bombDir, 'templates', 'zeros.yaml'), Buffer.alloc(32 * 1024 * 1024));
  execFileSync('tar', ['-czf', join(tmp, 'bomb-1.0.0.tgz'), '-C', join(tmp, 'bomb'), 'bomb']);
  const bomb = readFileSync(join(tmp, 'bomb-1.0.0.tgz'));
  execFileSync('python3', ['-c', ESCAPE_PY, join(tmp, 'escape-1.0.0.tgz')]);
  const escape = readFileSync(join(tmp, 'escape-1.0.0.tgz'));
  const hostileIndex = [
    'apiVersion: v1',
    'entries:',
    `  bomb:\n  - name: bomb\n    version: 1.0.0\n    urls: [bomb-1.0.0.tgz]\n    digest: ${sha(bomb)}`,
    `  escape:\n  - name: escape\n    version: 1.0.0\n    urls: [escape-1.0.0.tgz]\n    digest: ${sha(escape)}`,
    '',
  ].join('\n');
  routes['/hostile/index.yaml'] = bytes(hostileIndex);
  routes['/hostile/bomb-1.0.0.tgz'] = bytes(bomb);
  routes['/hostile/escape-1.0.0.tgz'] = bytes(escape);
  server = await startServer(routes);
});
after(async () => {
  await server?.close();
  await other?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const ESCAPE_PY = `
import io, sys, tarfile
out = sys.argv[1]
with tarfile.open(out, 'w:gz') as t:
    for name, data in [('escape/Chart.yaml', b'apiVersion: v2\\nname: escape\\nversion: 1.0.0\\n'), ('escape/../../evil.yaml', b'x: 1\\n')]:
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
`;

const req = (path: string, version?: string, chart = 'web', base?: string): ChartRequest => ({
  sourceId: 'HelmRepository/flux-system/web',
  sourceKind: 'HelmRepository',
  url: `${base ?? server.url}/${path}`,
  chart,
  ...(version !== undefined ? { version } : {}),
});

test('fetches what helm pull fetches: the same version for each constraint, the same bytes', { skip }, async () => {
  const cacheDir = join(tmp, 'cache-same');
  const fetcher = createChartFetcher({ cacheDir, dockerConfigs: [] });
  const store = openChartStore({ cacheDir });
  for (const c of ['', '~1.0', '^1.0.0', '>=1.1.0 <1.5.0', '>=2.0.0-0', '1.2.0']) {
    const [r] = await fetcher.fetch([req('stable', c)]);
    assert.ok(r!.ok, r!.error);
    const out = join(tmp, `pull-${sha(Buffer.from(c)).slice(0, 8)}`);
    mkdirSync(out, { recursive: true });
    const args = ['pull', 'web', '--repo', `${server.url}/stable`, '-d', out, ...(c ? ['--version', c] : [])];
    const hp = await h.runAsync(args);
    assert.equal(hp.status, 0, hp.stderr);
    const [file] = readdirSync(out);
    assert.equal(file, `web-${r!.version}.tgz`, `constraint '${c}'`);
    assert.equal(r!.digest, `sha256:${sha(readFileSync(join(out, file!)))}`);
    const hit = store.lookup(req('stable', c));
    assert.ok(hit.ok && hit.chart.version === r!.version && hit.chart.digest === r!.digest);
  }
  // Offline resolution uses the recorded index: '*' is 1.10.0 even though other versions are cached.
  const all = store.lookup(req('stable'));
  assert.ok(all.ok && all.chart.version === '1.10.0');
});

test('basic auth: credentials from the URL, never in results, errors or the cache', { skip }, async () => {
  const cacheDir = join(tmp, 'cache-auth');
  const fetcher = createChartFetcher({ cacheDir, dockerConfigs: [] });
  const withCreds = `http://reader:s3cret-pw@127.0.0.1:${server.port}/private`;
  const [ok] = await fetcher.fetch([{ ...req('', '1.2.0'), url: withCreds }]);
  assert.ok(ok!.ok, ok!.error);
  assert.equal(ok!.version, '1.2.0');
  mkdirSync(join(tmp, 'pull-auth'), { recursive: true });
  const hp = await h.runAsync([
    'pull',
    'web',
    '--repo',
    `${server.url}/private`,
    '--username',
    'reader',
    '--password',
    's3cret-pw',
    '--version',
    '1.2.0',
    '-d',
    join(tmp, 'pull-auth'),
  ]);
  assert.equal(hp.status, 0, hp.stderr);
  assert.equal(ok!.digest, `sha256:${sha(readFileSync(join(tmp, 'pull-auth', 'web-1.2.0.tgz')))}`);
  const [bad] = await fetcher.fetch([
    { ...req('', '1.2.0'), url: `http://reader:wrong-pw-123@127.0.0.1:${server.port}/private` },
  ]);
  assert.ok(!bad!.ok);
  assert.match(
    bad!.error!,
    /HelmRepository\/flux-system\/web \(http:\/\/127\.0\.0\.1:\d+\/private\): http:\/\/127\.0\.0\.1:\d+\/private\/index\.yaml: 401 Unauthorized/,
  );
  assert.doesNotMatch(bad!.error!, /wrong-pw|reader/);
  const store = openChartStore({ cacheDir });
  const hit = store.lookup({ ...req('', '1.2.0'), url: withCreds });
  assert.ok(hit.ok);
  assert.doesNotMatch(JSON.stringify({ ...hit.chart, files: [] }), /s3cret/);
  for (const f of walk(cacheDir)) {
    assert.doesNotMatch(f, /s3cret|reader/);
    assert.doesNotMatch(readFileSync(f).toString('latin1'), /s3cret|reader/);
  }
  const miss = store.lookup({ ...req('', '9.9.9'), url: withCreds });
  assert.ok(!miss.ok && !/s3cret|reader/.test(miss.reason));
});

test('an index or a redirect pointing to another host gets no credentials; the digest still holds', {
  skip,
}, async () => {
  const cacheDir = join(tmp, 'cache-cross');
  const fetcher = createChartFetcher({ cacheDir, dockerConfigs: [] });
  other.seen.length = 0;
  // Credentials for 127.0.0.1 only (explicit option): the chart lives on localhost.
  const f2 = createChartFetcher({
    cacheDir,
    dockerConfigs: [],
    credentials: { [`127.0.0.1:${server.port}`]: { username: 'u', password: 'cross-pw' } },
  });
  const [a] = await f2.fetch([req('cross')]);
  assert.ok(a!.ok, a!.error);
  assert.equal(a!.version, '1.10.0');
  const [b] = await f2.fetch([req('redirect')]);
  assert.ok(b!.ok, b!.error);
  assert.equal(other.seen.length, 2);
  for (const s of other.seen) assert.equal(s.authorization, undefined);
  assert.ok(server.seen.some((s) => s.path === '/cross/index.yaml' && s.authorization?.startsWith('Basic ')));
  const [d] = await fetcher.fetch([req('baddigest', '1.0.0')]);
  assert.ok(!d!.ok, JSON.stringify(d));
  assert.match(
    d!.error!,
    /web-1\.0\.0\.tgz: digest mismatch: the index says sha256:f{64}, the download is sha256:[0-9a-f]{64}/,
  );
});

test('hostile input: gzip bomb, entry escaping the chart, huge index, silent server, unreachable host', {
  skip,
}, async () => {
  const cacheDir = join(tmp, 'cache-hostile');
  const fetcher = createChartFetcher({ cacheDir, dockerConfigs: [], maxIndexBytes: 1024 * 1024, timeoutMs: 1500 });
  const results = await fetcher.fetch([
    req('hostile', '', 'bomb'),
    req('hostile', '', 'escape'),
    req('huge'),
    req('silent'),
  ]);
  assert.deepEqual(
    results.map((r) => r.ok),
    [false, false, false, false],
  );
  assert.match(results[0]!.error!, /larger than the maximum file size 5242880/);
  assert.match(results[1]!.error!, /chart illegally references parent directory/);
  assert.match(results[2]!.error!, /huge\/index\.yaml: response is larger than the cap of 1048576 bytes/);
  assert.match(results[3]!.error!, /silent\/index\.yaml: timed out after 1500 ms/);
  const closed = await startServer({});
  await closed.close();
  const [down] = await fetcher.fetch([{ ...req('x'), url: `${closed.url}/charts` }]);
  assert.ok(!down!.ok && /127\.0\.0\.1:\d+\/charts\/index\.yaml: ECONNREFUSED/.test(down!.error!), down!.error);
  // Nothing hostile reached the cache.
  assert.deepEqual(
    walk(cacheDir).filter((f) => f.includes('blobs')),
    [],
  );
});

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
