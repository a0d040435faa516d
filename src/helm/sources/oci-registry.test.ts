/**
 * OCI registries: Debian's docker-registry (CNCF distribution) on loopback, charts pushed with the
 * real helm (`helm push ... --plain-http`, helm-4.1); what we fetch is compared with what
 * `helm pull oci://` fetches (same version, same bytes, same manifest digest as helm push
 * printed). Basic auth with an htpasswd file, logged in with `helm registry login` (the oracle of
 * the auth flow) whose config file we read as a Docker config.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createChartFetcher } from './fetcher.js';
import { parseOciRef } from './oci-registry.js';
import { pullChart } from './pull.js';
import { openChartStore } from './store.js';
import { HELM, helmCli, helmPackage, writeChart, type HelmCli } from './testing/helm-cli.js';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { registrySkip, startRegistry, type Registry } from './testing/registry.js';
import { startTokenServer, type TokenServer } from './testing/token-server.js';
import type { ChartRequest } from './types.js';

// The real helm (test/oracles): these suites run in the full test run only (scripts/test.mjs).
const skip = oracle(HELM).skip || registrySkip();
const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-oci-'));
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
let h: HelmCli;
let reg: Registry;
let authReg: Registry;
let tokenReg: Registry;
let tokens: TokenServer;
const pushed = new Map<string, string>(); // version -> manifest digest printed by helm push
const VERSIONS = ['1.0.0', '1.2.0', '1.3.0+build.7', '2.0.0-rc.1'];

before(async () => {
  if (skip) return;
  h = helmCli();
  tokens = await startTokenServer('bearer-user', 'tok-s3cret');
  [reg, authReg, tokenReg] = await Promise.all([
    startRegistry(),
    startRegistry({ user: 'puller', password: 'oci-s3cret' }),
    startRegistry(undefined, tokens),
  ]);
  const src = join(tmp, 'src');
  const login = await h.runAsync(
    ['registry', 'login', authReg.host, '--username', 'puller', '--password-stdin', '--plain-http'],
    { input: 'oci-s3cret' },
  );
  assert.equal(login.status, 0, login.stderr);
  const tlogin = await h.runAsync(
    ['registry', 'login', tokenReg.host, '--username', 'bearer-user', '--password-stdin', '--plain-http'],
    { input: 'tok-s3cret' },
  );
  assert.equal(tlogin.status, 0, tlogin.stderr);
  for (const v of VERSIONS) {
    const tgz = helmPackage(h, writeChart(src, 'web', v), join(tmp, 'pkg'));
    rmSync(join(src, 'web'), { recursive: true });
    const p = await h.runAsync(['push', tgz, `oci://${reg.host}/charts`, '--plain-http']);
    assert.equal(p.status, 0, p.stderr);
    const d = /Digest: (sha256:[0-9a-f]{64})/.exec(p.stdout + p.stderr);
    assert.ok(d, p.stdout + p.stderr);
    pushed.set(v, d[1]!);
    const pa = await h.runAsync(['push', tgz, `oci://${authReg.host}/charts`, '--plain-http']);
    assert.equal(pa.status, 0, pa.stderr);
    const pt = await h.runAsync(['push', tgz, `oci://${tokenReg.host}/charts`, '--plain-http']);
    assert.equal(pt.status, 0, pt.stderr);
  }
});
after(async () => {
  await Promise.all([reg?.stop(), authReg?.stop(), tokenReg?.stop()]);
  await tokens?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const ociRepo = (ref: Partial<ChartRequest>, host = reg.host): ChartRequest => ({
  sourceId: 'OCIRepository/apps/web',
  sourceKind: 'OCIRepository',
  url: `oci://${host}/charts/web`,
  chart: '',
  ...ref,
});
const helmOci = (version: string | undefined, host = reg.host): ChartRequest => ({
  sourceId: 'HelmRepository/flux-system/oci',
  sourceKind: 'HelmRepository',
  url: `oci://${host}/charts`,
  chart: 'web',
  ...(version !== undefined ? { version } : {}),
});

async function helmPull(args: readonly string[]): Promise<{ file: string; data: Buffer; digest?: string }> {
  const out = join(tmp, `pull-${sha(Buffer.from(args.join(' '))).slice(0, 10)}`);
  mkdirSync(out, { recursive: true });
  const r = await h.runAsync(['pull', ...args, '--plain-http', '-d', out]);
  assert.equal(r.status, 0, r.stderr);
  const [file] = readdirSync(out);
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(r.stdout + r.stderr)?.[1];
  return { file: file!, data: readFileSync(join(out, file!)), ...(digest ? { digest } : {}) };
}

test('OCI references parse; credentials and bad names are refused', () => {
  assert.deepEqual(parseOciRef('oci://ghcr.io/stefanprodan/charts/podinfo:6.5.0'), {
    host: 'ghcr.io',
    repository: 'stefanprodan/charts/podinfo',
    tag: '6.5.0',
  });
  assert.deepEqual(parseOciRef(`oci://127.0.0.1:5000/c/x@sha256:${'a'.repeat(64)}`), {
    host: '127.0.0.1:5000',
    repository: 'c/x',
    digest: `sha256:${'a'.repeat(64)}`,
  });
  assert.throws(
    () => parseOciRef('oci://user:pw@ghcr.io/x'),
    (e: Error) => !/pw/.test(e.message) && /credentials in the reference/.test(e.message),
  );
  assert.throws(() => parseOciRef('oci://ghcr.io/UPPER/x'), /invalid OCI repository name/);
  assert.throws(() => parseOciRef('https://ghcr.io/x'), /expected oci:\/\/HOST\/REPOSITORY/);
});

test('anonymous registry: tags, semver over tags, digests, HelmRepository type oci, as helm pull', {
  skip,
}, async () => {
  const cacheDir = join(tmp, 'cache-anon');
  const fetcher = createChartFetcher({ cacheDir, plainHttp: true, dockerConfigs: [] });
  const store = openChartStore({ cacheDir });
  // By tag.
  const [t] = await fetcher.fetch([ociRepo({ tag: '1.2.0' })]);
  assert.ok(t!.ok, t!.error);
  const hp = await helmPull([`oci://${reg.host}/charts/web`, '--version', '1.2.0']);
  assert.equal(hp.file, 'web-1.2.0.tgz');
  assert.equal(t!.digest, `sha256:${sha(hp.data)}`);
  assert.equal(hp.digest, pushed.get('1.2.0'));
  // Semver over tags: `_` read back as `+`; the result equals helm pull's choice and bytes.
  for (const c of ['>=1.3.0 <2.0.0', '~1.0.0', '>=2.0.0-0']) {
    const [r] = await fetcher.fetch([ociRepo({ version: c })]);
    assert.ok(r!.ok, r!.error);
    const pulled = await helmPull([`oci://${reg.host}/charts/web`, '--version', c]);
    assert.equal(pulled.file, `web-${r!.version}.tgz`, c);
    assert.equal(r!.digest, `sha256:${sha(pulled.data)}`);
    const hit = store.lookup(ociRepo({ version: c }));
    assert.ok(hit.ok && hit.chart.version === r!.version, c);
  }
  // HelmRepository of type oci, no version: Flux's latest stable (1.3.0+build.7, not the rc).
  const [latest] = await fetcher.fetch([helmOci(undefined)]);
  assert.ok(latest!.ok, latest!.error);
  assert.equal(latest!.version, '1.3.0+build.7');
  const hl = store.lookup(helmOci(''));
  assert.ok(hl.ok && hl.chart.version === '1.3.0+build.7' && hl.chart.from === 'cache');
  // HelmRepository of type oci with an exact version: pulled as its tag (`+` as `_`), found offline by it.
  const [exact] = await fetcher.fetch([helmOci('1.3.0+build.7')]);
  assert.ok(exact!.ok && exact!.version === '1.3.0+build.7', exact!.error);
  const he = openChartStore({ cacheDir }).lookup(helmOci('1.3.0+build.7'));
  assert.ok(he.ok && he.chart.version === '1.3.0+build.7');
  // `spec.insecure` on the source: plain HTTP for that request only.
  const strict = createChartFetcher({ cacheDir: join(tmp, 'cache-insecure'), dockerConfigs: [], timeoutMs: 5000 });
  const [tls, insecure] = await strict.fetch([
    ociRepo({ tag: '1.0.0' }),
    { ...ociRepo({ tag: '1.0.0' }), insecure: true },
  ]);
  assert.ok(!tls!.ok, 'https to a plain-http registry fails');
  assert.match(
    tls!.error!,
    /manifests\/1\.0\.0: ERR_SSL_WRONG_VERSION_NUMBER \(TLS handshake failed: if the server speaks plain HTTP, use --plain-http or the source's spec\.insecure\)/,
  );
  assert.ok(insecure!.ok, insecure!.error);
  // helm pull without a version, and ours (pull.ts): the same chart.
  const hnv = await helmPull([`oci://${reg.host}/charts/web`]);
  const ours = await pullChart({ chart: `oci://${reg.host}/charts/web`, plainHttp: true, env: {} });
  assert.equal(ours.fileName, hnv.file);
  assert.equal(ours.digest, `sha256:${sha(hnv.data)}`);
  // By manifest digest (what helm push printed).
  const digest = pushed.get('1.0.0')!;
  const [d] = await fetcher.fetch([ociRepo({ digest })]);
  assert.ok(d!.ok && d!.version === '1.0.0', d!.error);
  const hd = store.lookup(ociRepo({ digest }));
  assert.ok(hd.ok && hd.chart.version === '1.0.0');
  // Missing tag and missing repository: reasons, no throw.
  const [nt, nr] = await fetcher.fetch([
    ociRepo({ tag: '9.9.9' }),
    { ...ociRepo({ tag: '1.0.0' }), url: `oci://${reg.host}/charts/nothing` },
  ]);
  assert.ok(!nt!.ok && /manifests\/9\.9\.9: 404 Not Found/.test(nt!.error!), nt!.error);
  assert.ok(!nr!.ok && /404/.test(nr!.error!), nr!.error);
});

test('basic auth: helm registry login credentials (Docker config format) work; none or wrong ones are a clear 401', {
  skip,
}, async () => {
  const cacheDir = join(tmp, 'cache-auth');
  const helmRegistryConfig = join(h.home, 'config', 'registry', 'config.json');
  const logged = createChartFetcher({ cacheDir, plainHttp: true, dockerConfigs: [helmRegistryConfig] });
  const [ok] = await logged.fetch([ociRepo({ tag: '1.2.0' }, authReg.host)]);
  assert.ok(ok!.ok, ok!.error);
  const pulled = await helmPull([`oci://${authReg.host}/charts/web`, '--version', '1.2.0']);
  assert.equal(ok!.digest, `sha256:${sha(pulled.data)}`);
  const anon = createChartFetcher({ cacheDir, plainHttp: true, dockerConfigs: [join(tmp, 'no-such-config.json')] });
  const [a] = await anon.fetch([ociRepo({ tag: '1.2.0' }, authReg.host)]);
  assert.ok(!a!.ok);
  assert.match(
    a!.error!,
    /401 Unauthorized \(no credentials for 127\.0\.0\.1:\d+: log in with "helm registry login" or "docker login", or pass credentials\)/,
  );
  const wrong = createChartFetcher({
    cacheDir,
    plainHttp: true,
    dockerConfigs: [],
    credentials: { [authReg.host]: { username: 'puller', password: 'wrong-secret' } },
  });
  const [w] = await wrong.fetch([ociRepo({ tag: '1.2.0' }, authReg.host)]);
  assert.ok(!w!.ok);
  assert.match(w!.error!, /401 Unauthorized \(the credentials for this host were refused\)/);
  assert.doesNotMatch(w!.error!, /wrong-secret|puller/);
  for (const f of walk(cacheDir)) assert.doesNotMatch(readFileSync(f).toString('latin1'), /oci-s3cret|puller/);
});

test('Bearer token challenge: the token service gets the credentials, the registry the token; as helm pull', {
  skip,
}, async () => {
  const cacheDir = join(tmp, 'cache-token');
  tokens.server.seen.length = 0;
  const fetcher = createChartFetcher({
    cacheDir,
    plainHttp: true,
    dockerConfigs: [],
    credentials: { [tokenReg.host]: { username: 'bearer-user', password: 'tok-s3cret' } },
  });
  const [r] = await fetcher.fetch([ociRepo({ version: '^1.0.0' }, tokenReg.host)]);
  assert.ok(r!.ok, r!.error);
  assert.equal(r!.version, '1.3.0+build.7');
  const pulled = await helmPull([`oci://${tokenReg.host}/charts/web`, '--version', '^1.0.0']);
  assert.equal(pulled.file, 'web-1.3.0+build.7.tgz');
  assert.equal(r!.digest, `sha256:${sha(pulled.data)}`);
  const ours = tokens.server.seen.filter(
    (s) => s.authorization === `Basic ${Buffer.from('bearer-user:tok-s3cret').toString('base64')}`,
  );
  assert.ok(ours.length >= 1, 'our fetcher asked the token service with its credentials');
  const anon = createChartFetcher({ cacheDir, plainHttp: true, dockerConfigs: [] });
  const [a] = await anon.fetch([ociRepo({ tag: '1.0.0' }, tokenReg.host)]);
  assert.ok(!a!.ok);
  assert.match(a!.error!, /the token service answered 401 \(no credentials for 127\.0\.0\.1:\d+/);
  assert.doesNotMatch(a!.error! + r!.digest, /tok-s3cret/);
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
