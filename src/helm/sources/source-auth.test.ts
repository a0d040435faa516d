/**
 * Credentials of chart sources (Flux secretRef / certSecretRef / passCredentials / provider),
 * taken from what helm reads: a `repositories.yaml` written by the real `helm repo add`
 * (test/oracles helm-4.2, Flux 2.9's Helm) and a registry config written by `helm registry
 * login`. Each case runs helm itself with the same file as the oracle: what helm can pull we
 * fetch (same bytes), what helm is refused we are refused; a source that needs credentials and
 * has none is refused before any request; no secret ever appears in a result or message.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NO_CREDENTIALS, readDockerConfigs } from './credentials.js';
import { createChartFetcher } from './fetcher.js';
import { parseRepositoryConfig, repositoryEntryFor } from './repository-config.js';
import { authFor } from './source-auth.js';
import { basic, bytes, startServer, type Route, type TestServer } from './testing/http-server.js';
import { helmCli, helmPackage, writeChart, type HelmCli } from './testing/helm-cli.js';
import { registrySkip, startRegistry, type Registry } from './testing/registry.js';
import { oracle } from '../../../test/oracles/oracle.mjs';
import type { ChartRequest } from './types.js';

const HELM42 = 'helm-4.2';
const skip = oracle(HELM42).skip;
const ociSkip = skip || registrySkip();
const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-srcauth-'));
const sha = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const PW = 's3cret-pw-42';
const OCI_PW = 'oci-s3cret-42';

const httpReq = (url: string, auth?: ChartRequest['auth'], version = '1.2.0'): ChartRequest => ({
  sourceId: 'HelmRepository/flux-system/private',
  sourceKind: 'HelmRepository',
  url,
  chart: 'web',
  version,
  ...(auth ? { auth } : {}),
});

test('repositories.yaml: entries as helm writes them; bad files name the file and field, never a value', () => {
  const text =
    'apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- caFile: ""\n  certFile: /c.pem\n' +
    '  keyFile: /k.pem\n  insecure_skip_tls_verify: false\n  name: priv\n  pass_credentials_all: true\n' +
    '  password: hunter22\n  url: https://Charts.Example.com/x/\n  username: bot\n';
  const [e] = parseRepositoryConfig(text, 'repositories.yaml');
  assert.deepEqual(e, {
    name: 'priv',
    certFile: '/c.pem',
    keyFile: '/k.pem',
    passCredentialsAll: true,
    password: 'hunter22',
    url: 'https://Charts.Example.com/x/',
    username: 'bot',
  });
  assert.equal(repositoryEntryFor([e!], 'https://charts.example.com/x'), e);
  assert.equal(repositoryEntryFor([e!], 'https://charts.example.com/y'), undefined);
  assert.deepEqual(parseRepositoryConfig('', 'f'), []);
  assert.throws(() => parseRepositoryConfig('repositories:\n- name: a\n  url: 3\n  password: hunter22\n', 'f.yaml'), {
    message: 'f.yaml: repositories[0].url: expected a string',
  });
  assert.throws(
    () => parseRepositoryConfig('repositories:\n- url: https://x\n  password: hunter22\n', 'f.yaml'),
    (err: Error) => /username and password go together/.test(err.message) && !/hunter22/.test(err.message),
  );
  assert.throws(() => parseRepositoryConfig('repositories: {}\n', 'f.yaml'), /f\.yaml: repositories: expected a list/);
});

test('authFor: a source that asks for credentials or TLS and has none gets the flag that gives them', () => {
  const repos = parseRepositoryConfig(
    'repositories:\n- name: priv\n  url: https://charts.example.com\n  username: bot\n  password: hunter22\n',
    'r.yaml',
  );
  const none = { credentials: NO_CREDENTIALS, repositories: [] };
  const r1 = authFor(httpReq('https://charts.example.com', { secretRef: 'charts-auth' }), none);
  assert.deepEqual(r1, {
    ok: false,
    reason:
      'needs credentials (spec.secretRef charts-auth) and no --repository-config was given: give them with ' +
      "--repository-config FILE (a helm repositories.yaml, as 'helm repo add --username' writes it)",
  });
  const r2 = authFor(httpReq('https://charts.example.com/', { secretRef: 'charts-auth', passCredentials: true }), {
    credentials: NO_CREDENTIALS,
    repositories: repos,
  });
  assert.deepEqual(r2, {
    ok: true,
    credential: { username: 'bot', password: 'hunter22' },
    passCredentials: true,
    from: "the repository config entry 'priv'",
  });
  const r3 = authFor(httpReq('https://other.example.com', { secretRef: 's' }), {
    credentials: NO_CREDENTIALS,
    repositories: repos,
  });
  assert.ok(
    !r3.ok &&
      /the repository config has no entry with url https:\/\/other\.example\.com\/? and username\/password/.test(
        r3.reason,
      ),
    JSON.stringify(r3),
  );
  const r4 = authFor(httpReq('https://charts.example.com', { certSecretRef: 'ca' }), {
    credentials: NO_CREDENTIALS,
    repositories: repos,
  });
  assert.ok(!r4.ok && /needs TLS files \(spec\.certSecretRef ca\)/.test(r4.reason));
  // No auth asked: anonymous, as before.
  assert.deepEqual(authFor(httpReq('https://charts.example.com'), none), { ok: true, passCredentials: false });
  const oci: ChartRequest = {
    sourceId: 'OCIRepository/flux-system/app',
    sourceKind: 'OCIRepository',
    url: 'oci://myacr.azurecr.io/charts/app',
    chart: '',
    auth: { provider: 'azure' },
  };
  const o1 = authFor(oci, none);
  assert.ok(
    !o1.ok &&
      /spec\.provider azure .*myacr\.azurecr\.io has no auths entry in --registry-config: give the registry's credentials with --registry-config FILE/.test(
        o1.reason,
      ),
    JSON.stringify(o1),
  );
  const dir = mkdtempSync(join(tmp, 'cfg-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ auths: { 'myacr.azurecr.io': { auth: Buffer.from(`bot:${OCI_PW}`).toString('base64') } } }),
  );
  const o2 = authFor(
    { ...oci, auth: { secretRef: 'acr' } },
    { credentials: readDockerConfigs([join(dir, 'config.json')]), repositories: [] },
  );
  assert.deepEqual(o2, {
    ok: true,
    credential: { username: 'bot', password: OCI_PW },
    from: 'the registry config (host myacr.azurecr.io)',
    passCredentials: false,
  });
});

// ---- against the real helm 4.2 on loopback servers ----

let h: HelmCli;
let server: TestServer;
let other: TestServer;
let tlsServer: TestServer;
let authReg: Registry | undefined;
let tlsReg: Registry | undefined;
let pki: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
const archives = new Map<string, Buffer>();

function makePki(dir: string): typeof pki {
  mkdirSync(dir, { recursive: true });
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=aksfleet test CA',
  ]);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [n, ext] of [
    ['server', true],
    ['client', false],
  ] as const) {
    o([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${n}.key`,
      '-out',
      `${n}.csr`,
      '-subj',
      `/CN=${n}`,
    ]);
    o([
      'x509',
      '-req',
      '-in',
      `${n}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${n}.pem`,
      '-days',
      '2',
      ...(ext ? ['-extfile', 'ext.cnf'] : []),
    ]);
  }
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}

before(async () => {
  if (skip) return;
  h = helmCli(HELM42);
  const repoDir = join(tmp, 'repo');
  for (const v of ['1.0.0', '1.2.0']) {
    const tgz = helmPackage(h, writeChart(join(tmp, 'src'), 'web', v), repoDir);
    archives.set(v, readFileSync(tgz));
    rmSync(join(tmp, 'src', 'web'), { recursive: true });
  }
  assert.equal(h.run(['repo', 'index', repoDir]).status, 0);
  const index = readFileSync(join(repoDir, 'index.yaml'), 'utf8');
  // The chart archives live on another host that asks for the same credentials (passCredentials).
  other = await startServer(
    { '/elsewhere/web-1.2.0.tgz': basic('reader', PW, bytes(archives.get('1.2.0')!)) },
    'localhost',
  );
  const routes: Record<string, Route> = {
    '/private/index.yaml': basic('reader', PW, bytes(index)),
    '/cross/index.yaml': basic(
      'reader',
      PW,
      bytes(index.replace('- web-1.2.0.tgz', `- ${other.url}/elsewhere/web-1.2.0.tgz`)),
    ),
  };
  for (const [v, data] of archives) routes[`/private/web-${v}.tgz`] = basic('reader', PW, bytes(data));
  server = await startServer(routes);
  pki = makePki(join(tmp, 'pki'));
  const tlsRoutes: Record<string, Route> = { '/tls/index.yaml': bytes(index) };
  for (const [v, data] of archives) tlsRoutes[`/tls/web-${v}.tgz`] = bytes(data);
  tlsServer = await startServer(tlsRoutes, '127.0.0.1', {
    cert: readFileSync(pki.serverCert, 'utf8'),
    key: readFileSync(pki.serverKey, 'utf8'),
    clientCa: readFileSync(pki.ca, 'utf8'),
  });
  if (!ociSkip) {
    authReg = await startRegistry({ user: 'puller', password: OCI_PW });
    const regCfg = join(tmp, 'registry.json');
    const login = await h.runAsync(
      [
        'registry',
        'login',
        authReg.host,
        '--username',
        'puller',
        '--password-stdin',
        '--plain-http',
        '--registry-config',
        regCfg,
      ],
      { input: OCI_PW },
    );
    assert.equal(login.status, 0, login.stderr);
    const tgz = join(repoDir, 'web-1.2.0.tgz');
    const p = await h.runAsync([
      'push',
      tgz,
      `oci://${authReg.host}/charts`,
      '--plain-http',
      '--registry-config',
      regCfg,
    ]);
    assert.equal(p.status, 0, p.stderr);
    // HTTPS with client certificates (a Flux OCI source with certSecretRef); helm pushes with the same files.
    tlsReg = await startRegistry(undefined, undefined, {
      certificate: pki.serverCert,
      key: pki.serverKey,
      clientCas: [pki.ca],
    });
    const tp = await h.runAsync([
      'push',
      tgz,
      `oci://${tlsReg.host}/charts`,
      '--ca-file',
      pki.ca,
      '--cert-file',
      pki.clientCert,
      '--key-file',
      pki.clientKey,
      '--registry-config',
      join(tmp, 'tls-registry.json'),
    ]);
    assert.equal(tp.status, 0, tp.stderr);
  }
});
after(async () => {
  await Promise.all([server?.close(), other?.close(), tlsServer?.close(), authReg?.stop(), tlsReg?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
  if (h) rmSync(h.home, { recursive: true, force: true });
});

/**
 * `helm repo add NAME URL ARGS` into its own repositories.yaml; returns the file and helm's pull of web 1.2.0 through
 * it.
 */
async function helmRepoAdd(
  name: string,
  url: string,
  args: readonly string[],
): Promise<{ config: string; pull: { status: number; data?: Buffer; stderr: string } }> {
  const dir = join(tmp, `helm-${name}`);
  mkdirSync(join(dir, 'out'), { recursive: true });
  const config = join(dir, 'repositories.yaml');
  const common = ['--repository-config', config, '--repository-cache', join(dir, 'cache')];
  const add = await h.runAsync(['repo', 'add', name, url, ...args, ...common]);
  assert.equal(add.status, 0, add.stderr);
  const p = await h.runAsync(['pull', `${name}/web`, '--version', '1.2.0', '-d', join(dir, 'out'), ...common]);
  const files = readdirSync(join(dir, 'out'));
  return {
    config,
    pull: {
      status: p.status,
      stderr: p.stderr,
      ...(files.length ? { data: readFileSync(join(dir, 'out', files[0]!)) } : {}),
    },
  };
}

function noSecret(x: unknown): void {
  const text = JSON.stringify(x);
  for (const s of [
    PW,
    OCI_PW,
    Buffer.from(`reader:${PW}`).toString('base64'),
    Buffer.from(`puller:${OCI_PW}`).toString('base64'),
  ])
    assert.ok(!text.includes(s), `secret in ${text}`);
}

test('HelmRepository secretRef: credentials from the repositories.yaml helm repo add wrote; none: refused before any request', {
  skip,
}, async () => {
  const url = `${server.url}/private`;
  const { config, pull } = await helmRepoAdd('private', url, ['--username', 'reader', '--password', PW]);
  assert.equal(pull.status, 0, pull.stderr);
  const [ok] = await createChartFetcher({
    cacheDir: join(tmp, 'c1'),
    dockerConfigs: [],
    repositoryConfig: config,
  }).fetch([httpReq(url, { secretRef: 'private-auth' })]);
  assert.ok(ok!.ok, ok!.error);
  assert.equal(ok!.digest, sha(pull.data!), 'the same archive as helm pull');
  assert.equal(ok!.credentialsFrom, "the repository config entry 'private'");
  const seen = server.seen.length;
  const [none] = await createChartFetcher({ cacheDir: join(tmp, 'c2'), dockerConfigs: [] }).fetch([
    httpReq(url, { secretRef: 'private-auth' }),
  ]);
  assert.ok(!none!.ok);
  assert.match(
    none!.error!,
    /HelmRepository\/flux-system\/private \([^)]*\): needs credentials \(spec\.secretRef private-auth\) and no --repository-config was given: give them with --repository-config FILE/,
  );
  assert.equal(server.seen.length, seen, 'no anonymous request');
  // A wrong password: refused by the server as helm is, the password never shown.
  const wrong = join(tmp, 'wrong.yaml');
  writeFileSync(wrong, readFileSync(config, 'utf8').replace(PW, 'not-the-pw-42'));
  const [bad] = await createChartFetcher({
    cacheDir: join(tmp, 'c3'),
    dockerConfigs: [],
    repositoryConfig: wrong,
  }).fetch([httpReq(url, { secretRef: 'private-auth' })]);
  assert.ok(!bad!.ok && /401 Unauthorized/.test(bad!.error!), bad!.error);
  assert.ok(!bad!.error!.includes('not-the-pw-42'));
  const hb = await h.runAsync([
    'pull',
    'private/web',
    '--version',
    '1.2.0',
    '-d',
    join(tmp, 'bad-out'),
    '--repository-config',
    wrong,
    '--repository-cache',
    join(tmp, 'bad-cache'),
  ]);
  assert.notEqual(hb.status, 0, 'helm is refused too');
  noSecret([ok, none, bad]);
});

test('passCredentials: chart URLs on another host get the credentials only when asked (Flux passCredentials, helm --pass-credentials)', {
  skip,
}, async () => {
  const url = `${server.url}/cross`;
  const withPass = await helmRepoAdd('crosspass', url, [
    '--username',
    'reader',
    '--password',
    PW,
    '--pass-credentials',
  ]);
  const without = await helmRepoAdd('cross', url, ['--username', 'reader', '--password', PW]);
  assert.equal(withPass.pull.status, 0, withPass.pull.stderr);
  assert.notEqual(without.pull.status, 0, 'helm without --pass-credentials is refused by the other host');
  const f = (config: string, cacheDir: string) =>
    createChartFetcher({ cacheDir: join(tmp, cacheDir), dockerConfigs: [], repositoryConfig: config });
  const [a] = await f(withPass.config, 'p1').fetch([httpReq(url, { secretRef: 'x' })]);
  assert.ok(a!.ok, a!.error);
  assert.equal(a!.digest, sha(withPass.pull.data!));
  const [b] = await f(without.config, 'p2').fetch([httpReq(url, { secretRef: 'x' })]);
  assert.ok(!b!.ok && /elsewhere\/web-1\.2\.0\.tgz: 401 Unauthorized/.test(b!.error!), b!.error);
  // Flux's spec.passCredentials does the same without the file's pass_credentials_all.
  const [c] = await f(without.config, 'p3').fetch([httpReq(url, { secretRef: 'x', passCredentials: true })]);
  assert.ok(c!.ok, c!.error);
  noSecret([a, b, c]);
});

test('certSecretRef: CA and client certificate from the entry helm repo add --ca-file/--cert-file/--key-file wrote', {
  skip,
}, async () => {
  const url = `${tlsServer.url}/tls`;
  const { config, pull } = await helmRepoAdd('tls', url, [
    '--ca-file',
    pki.ca,
    '--cert-file',
    pki.clientCert,
    '--key-file',
    pki.clientKey,
  ]);
  assert.equal(pull.status, 0, pull.stderr);
  const [ok] = await createChartFetcher({
    cacheDir: join(tmp, 't1'),
    dockerConfigs: [],
    repositoryConfig: config,
  }).fetch([httpReq(url, { certSecretRef: 'tls-certs' })]);
  assert.ok(ok!.ok, ok!.error);
  assert.equal(ok!.digest, sha(pull.data!));
  const [none] = await createChartFetcher({ cacheDir: join(tmp, 't2'), dockerConfigs: [] }).fetch([
    httpReq(url, { certSecretRef: 'tls-certs' }),
  ]);
  assert.ok(
    !none!.ok &&
      /needs TLS files \(spec\.certSecretRef tls-certs\) and no --repository-config was given/.test(none!.error!),
    none!.error,
  );
  // The CA alone: the server wants a client certificate, and refuses (as helm does).
  const caOnly = join(tmp, 'ca-only.yaml');
  writeFileSync(caOnly, readFileSync(config, 'utf8').replace(/^\s*(certFile|keyFile):.*$/gm, ''));
  const [noClient] = await createChartFetcher({
    cacheDir: join(tmp, 't3'),
    dockerConfigs: [],
    repositoryConfig: caOnly,
    timeoutMs: 5000,
  }).fetch([httpReq(url, { certSecretRef: 'tls-certs' })]);
  assert.ok(!noClient!.ok, 'no client certificate: refused');
  const hc = await h.runAsync([
    'pull',
    'tls/web',
    '--version',
    '1.2.0',
    '-d',
    join(tmp, 'ca-out'),
    '--repository-config',
    caOnly,
    '--repository-cache',
    join(tmp, 'helm-tls', 'cache'),
  ]);
  assert.notEqual(hc.status, 0, 'helm without the client certificate is refused too');
});

test('OCIRepository secretRef: credentials from the registry config helm registry login wrote; none: refused before any request', {
  skip: ociSkip,
}, async () => {
  const regCfg = join(tmp, 'registry.json');
  const oci: ChartRequest = {
    sourceId: 'OCIRepository/flux-system/web',
    sourceKind: 'OCIRepository',
    url: `oci://${authReg!.host}/charts/web`,
    chart: '',
    tag: '1.2.0',
    insecure: true,
    auth: { secretRef: 'ghcr-auth' },
  };
  const out = join(tmp, 'oci-out');
  mkdirSync(out, { recursive: true });
  const hp = await h.runAsync([
    'pull',
    `oci://${authReg!.host}/charts/web`,
    '--version',
    '1.2.0',
    '--plain-http',
    '--registry-config',
    regCfg,
    '-d',
    out,
  ]);
  assert.equal(hp.status, 0, hp.stderr);
  const [ok] = await createChartFetcher({ cacheDir: join(tmp, 'o1'), dockerConfigs: [regCfg] }).fetch([oci]);
  assert.ok(ok!.ok, ok!.error);
  assert.equal(ok!.digest, sha(readFileSync(join(out, readdirSync(out)[0]!))));
  const [none] = await createChartFetcher({ cacheDir: join(tmp, 'o2'), dockerConfigs: [] }).fetch([oci]);
  assert.ok(
    !none!.ok &&
      /OCIRepository\/flux-system\/web \([^)]*\): needs credentials \(spec\.secretRef ghcr-auth\) and 127\.0\.0\.1:\d+ has no auths entry in --registry-config/.test(
        none!.error!,
      ),
    none!.error,
  );
  const [anon] = await createChartFetcher({ cacheDir: join(tmp, 'o3'), dockerConfigs: [] }).fetch([
    { ...oci, auth: undefined },
  ] as ChartRequest[]);
  assert.ok(!anon!.ok && /401|unauthorized/i.test(anon!.error!), anon!.error);
  noSecret([ok, none, anon]);
});

test('OCI certSecretRef: CA and client certificate from a --repository-config entry for the registry (oci://host), against docker-registry over TLS; helm pull with the same files is the oracle', {
  skip: ociSkip,
}, async () => {
  const url = `oci://${tlsReg!.host}/charts/web`;
  const oci: ChartRequest = {
    sourceId: 'OCIRepository/flux-system/web',
    sourceKind: 'OCIRepository',
    url,
    chart: '',
    tag: '1.2.0',
    auth: { certSecretRef: 'registry-tls' },
  };
  const helmOci: ChartRequest = {
    sourceId: 'HelmRepository/flux-system/oci',
    sourceKind: 'HelmRepository',
    url: `oci://${tlsReg!.host}/charts`,
    chart: 'web',
    version: '1.2.0',
    auth: { certSecretRef: 'registry-tls' },
  };
  const out = join(tmp, 'oci-tls-out');
  mkdirSync(out, { recursive: true });
  const hp = await h.runAsync([
    'pull',
    url,
    '--version',
    '1.2.0',
    '--ca-file',
    pki.ca,
    '--cert-file',
    pki.clientCert,
    '--key-file',
    pki.clientKey,
    '--registry-config',
    join(tmp, 'tls-registry.json'),
    '-d',
    out,
  ]);
  assert.equal(hp.status, 0, hp.stderr);
  const helmBytes = readFileSync(join(out, readdirSync(out)[0]!));
  // The entry as helm writes one for an HTTP repository, with the registry's URL.
  const config = join(tmp, 'oci-tls-repositories.yaml');
  const entry = (u: string, files: string) =>
    `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: registry\n  url: ${u}\n${files}`;
  const all = `  caFile: ${pki.ca}\n  certFile: ${pki.clientCert}\n  keyFile: ${pki.clientKey}\n`;
  writeFileSync(config, entry(`oci://${tlsReg!.host}`, all));
  const results = await createChartFetcher({
    cacheDir: join(tmp, 'ot1'),
    dockerConfigs: [],
    repositoryConfig: config,
  }).fetch([oci, helmOci]);
  for (const r of results) {
    assert.ok(r.ok, r.error);
    assert.equal(r.digest, sha(helmBytes), 'the same archive helm pulls');
    assert.equal(r.credentialsFrom, "the repository config entry 'registry'");
  }
  // An entry with the source's own URL counts too.
  const exact = join(tmp, 'oci-tls-exact.yaml');
  writeFileSync(exact, entry(url, all));
  const [byUrl] = await createChartFetcher({
    cacheDir: join(tmp, 'ot2'),
    dockerConfigs: [],
    repositoryConfig: exact,
  }).fetch([oci]);
  assert.ok(byUrl!.ok, byUrl!.error);
  // None given: refused before any request, with the flag that gives them.
  const [none] = await createChartFetcher({ cacheDir: join(tmp, 'ot3'), dockerConfigs: [] }).fetch([oci]);
  assert.ok(
    !none!.ok &&
      /needs TLS files \(spec\.certSecretRef registry-tls\) and no --repository-config was given: give caFile, certFile and keyFile in an entry of --repository-config FILE whose url is oci:\/\/127\.0\.0\.1:\d+/.test(
        none!.error!,
      ),
    none!.error,
  );
  // The CA alone: the registry wants a client certificate and refuses, as it refuses helm.
  const caOnly = join(tmp, 'oci-tls-ca-only.yaml');
  writeFileSync(caOnly, entry(`oci://${tlsReg!.host}`, `  caFile: ${pki.ca}\n`));
  const [noClient] = await createChartFetcher({
    cacheDir: join(tmp, 'ot4'),
    dockerConfigs: [],
    repositoryConfig: caOnly,
    timeoutMs: 5000,
  }).fetch([oci]);
  assert.ok(!noClient!.ok, 'no client certificate: refused');
  const hc = await h.runAsync([
    'pull',
    url,
    '--version',
    '1.2.0',
    '--ca-file',
    pki.ca,
    '--registry-config',
    join(tmp, 'tls-registry.json'),
    '-d',
    join(tmp, 'oci-tls-ca-out'),
  ]);
  assert.notEqual(hc.status, 0, 'helm without the client certificate is refused too');
  // No CA: the registry's certificate is not trusted (as helm without --ca-file).
  const noCa = join(tmp, 'oci-tls-no-ca.yaml');
  writeFileSync(noCa, entry(`oci://${tlsReg!.host}`, `  certFile: ${pki.clientCert}\n  keyFile: ${pki.clientKey}\n`));
  const [untrusted] = await createChartFetcher({
    cacheDir: join(tmp, 'ot5'),
    dockerConfigs: [],
    repositoryConfig: noCa,
    timeoutMs: 5000,
  }).fetch([oci]);
  assert.ok(
    !untrusted!.ok &&
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE \(the server's certificate could not be verified: a private CA goes in the caFile/.test(
        untrusted!.error!,
      ),
    untrusted!.error,
  );
  noSecret([results, none, noClient, untrusted]);
});
