/**
 * `--fetch-charts --repository-config FILE` through the CLI: a HelmRepository with `secretRef`
 * served on loopback with basic auth (archive and index made by the real helm, test/oracles
 * helm-4.2; the repositories.yaml written by its `helm repo add`). Without the file the chart is
 * "not rendered" with the flag that gives the credentials (a check finding, never a pass); with
 * it the chart renders; the password never appears in any output; bad use is exit 2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './testing/run-cli.js';
import { tempDir, writeTree } from './testing/fixture-repos.js';
import { basic, bytes, startServer, type TestServer } from '../helm/sources/testing/http-server.js';
import { helmCli, helmPackage, type HelmCli } from '../helm/sources/testing/helm-cli.js';
import { oracle } from '../../test/oracles/oracle.mjs';
import { registrySkip, startRegistry, type Registry } from '../helm/sources/testing/registry.js';

const HELM42 = 'helm-4.2';
const skip = oracle(HELM42).skip;
const ociSkip = skip || registrySkip();
const OCI_PW = 'cli-oci-s3cret';
const SHARED_PODINFO = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts', 'podinfo');
const PW = 'cli-s3cret-pw';
const tmp = tempDir('aksfleet-fetch-auth-');
let h: HelmCli;
let server: TestServer;
let root: string;
let config: string;
let reg: Registry | undefined;
let regConfig: string;
let ociRoot: string;

before(async () => {
  if (skip) return;
  h = helmCli(HELM42);
  const repoDir = join(tmp, 'served');
  const tgz = helmPackage(h, SHARED_PODINFO, repoDir);
  assert.equal(h.run(['repo', 'index', repoDir]).status, 0);
  server = await startServer({
    '/podinfo/index.yaml': basic('reader', PW, bytes(readFileSync(join(repoDir, 'index.yaml'), 'utf8'), 'text/yaml')),
    '/podinfo/podinfo-6.14.1.tgz': basic('reader', PW, bytes(readFileSync(tgz))),
  });
  config = join(tmp, 'repositories.yaml');
  const add = await h.runAsync([
    'repo',
    'add',
    'podinfo',
    `${server.url}/podinfo`,
    '--username',
    'reader',
    '--password',
    PW,
    '--repository-config',
    config,
    '--repository-cache',
    join(tmp, 'helm-cache'),
  ]);
  assert.equal(add.status, 0, add.stderr);
  if (!ociSkip) {
    reg = await startRegistry({ user: 'puller', password: OCI_PW });
    regConfig = join(tmp, 'registry.json');
    const login = await h.runAsync(
      [
        'registry',
        'login',
        reg.host,
        '--username',
        'puller',
        '--password-stdin',
        '--plain-http',
        '--registry-config',
        regConfig,
      ],
      { input: OCI_PW },
    );
    assert.equal(login.status, 0, login.stderr);
    const p = await h.runAsync([
      'push',
      tgz,
      `oci://${reg.host}/charts`,
      '--plain-http',
      '--registry-config',
      regConfig,
    ]);
    assert.equal(p.status, 0, p.stderr);
    ociRoot = tempDir('aksfleet-fetch-auth-oci-');
    writeTree(ociRoot, {
      'clusters/dev/source.yaml':
        `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n` +
        `  namespace: flux-system\nspec:\n  url: oci://${reg.host}/charts/podinfo\n  insecure: true\n  ref:\n` +
        `    tag: 6.14.1\n  secretRef:\n    name: ghcr-auth\n`,
      'clusters/dev/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n' +
        '  namespace: podinfo\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n' +
        '    namespace: flux-system\n',
    });
  }
  root = tempDir('aksfleet-fetch-auth-repo-');
  writeTree(root, {
    'clusters/dev/repo.yaml':
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n` +
      `  namespace: flux-system\nspec:\n  url: ${server.url}/podinfo\n  secretRef:\n    name: podinfo-auth\n`,
    'clusters/dev/release.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n' +
      '  namespace: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.14.x"\n' +
      '      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n' +
      '        namespace: flux-system\n',
  });
});

after(async () => {
  await server?.close();
  await reg?.stop();
  if (ociRoot) rmSync(ociRoot, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
  if (h) rmSync(h.home, { recursive: true, force: true });
});

const noSecret = (...texts: string[]) => {
  for (const t of texts)
    for (const s of [PW, Buffer.from(`reader:${PW}`).toString('base64')])
      assert.ok(!t.includes(s), 'a secret in the output');
};

test('a HelmRepository with secretRef and no --repository-config: "not rendered" with the flag to use, a check finding; no request', {
  skip,
}, async () => {
  const seen = server.seen.length;
  const offline = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', join(tmp, 'c1')]);
  assert.match(
    offline.err,
    /chart podinfo not rendered: .*\(or fetch it into the cache with --fetch-charts, which needs its credentials \(spec\.secretRef podinfo-auth\) from --repository-config FILE\)/,
  );
  const b = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', join(tmp, 'c1'), '--fetch-charts']);
  assert.equal(b.code, 0, b.err);
  assert.match(
    b.err,
    /warning: --fetch-charts: HelmRepository\/flux-system\/podinfo \(http:\/\/127\.0\.0\.1:\d+\/podinfo\): needs credentials \(spec\.secretRef podinfo-auth\) and no --repository-config was given: give them with --repository-config FILE/,
  );
  assert.match(
    b.err,
    /chart podinfo not rendered: .*--fetch-charts could not fetch it: HelmRepository\/flux-system\/podinfo \(http:[^)]*\): needs credentials/,
  );
  // A chart whose credentials are missing is not rendered: an error that fails the default gate (never an info that
  // passes it).
  const c = await runCli(['check', root, '--format', 'json', '--chart-cache', join(tmp, 'c1'), '--fetch-charts']);
  assert.equal(c.code, 1, c.err);
  const f = JSON.parse(c.out).findings.filter((x: { rule: string }) => x.rule === 'helmrelease-renders');
  assert.equal(f.length, 1, c.out);
  assert.equal(f[0].severity, 'error');
  assert.equal(f[0].file, 'clusters/dev/release.yaml');
  assert.match(f[0].message, /needs credentials \(spec\.secretRef podinfo-auth\).*--repository-config FILE/);
  assert.equal(server.seen.length, seen, 'nothing was asked anonymously');
});

test('--repository-config from helm repo add: the chart is fetched with its entry and rendered; the password is in no output', {
  skip,
}, async () => {
  const b = await runCli([
    'build',
    root,
    '--path',
    'clusters/dev',
    '--chart-cache',
    join(tmp, 'c2'),
    '--fetch-charts',
    '--repository-config',
    config,
  ]);
  assert.equal(b.code, 0, b.err);
  assert.match(
    b.err,
    /info: --fetch-charts: fetched HelmRepository\/flux-system\/podinfo podinfo 6\.14\.x -> 6\.14\.1 \(sha256:[0-9a-f]{64}\) with credentials from the repository config entry 'podinfo' into the chart cache/,
  );
  assert.doesNotMatch(b.err, /not rendered/);
  assert.match(b.out, /kind: Deployment/);
  noSecret(b.out, b.err);
});

test('bad use: --repository-config without --fetch-charts, a missing or broken file: exit 2, the file named, no secret', {
  skip,
}, async () => {
  const a = await runCli(['build', root, '--path', 'clusters/dev', '--repository-config', config]);
  assert.equal(a.code, 2);
  assert.match(a.err, /--repository-config is only used with --fetch-charts/);
  const m = await runCli([
    'build',
    root,
    '--path',
    'clusters/dev',
    '--fetch-charts',
    '--chart-cache',
    join(tmp, 'c3'),
    '--repository-config',
    join(tmp, 'nope.yaml'),
  ]);
  assert.equal(m.code, 2);
  assert.match(m.err, /cannot read the helm repository config '.*nope\.yaml'/);
  const broken = join(tmp, 'broken.yaml');
  writeFileSync(broken, `repositories:\n- name: x\n  url: [1]\n  password: ${PW}\n`);
  const br = await runCli([
    'build',
    root,
    '--path',
    'clusters/dev',
    '--fetch-charts',
    '--chart-cache',
    join(tmp, 'c3'),
    '--repository-config',
    broken,
  ]);
  assert.equal(br.code, 2);
  assert.match(br.err, /broken\.yaml: repositories\[0\]\.url: expected a string/);
  const reg = join(tmp, 'reg.json');
  writeFileSync(reg, '{ not json');
  const r = await runCli([
    'build',
    root,
    '--path',
    'clusters/dev',
    '--fetch-charts',
    '--chart-cache',
    join(tmp, 'c3'),
    '--registry-config',
    reg,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, /reg\.json: not a Docker config \(not JSON\)/);
  noSecret(a.err, m.err, br.err, r.err);
  for (const x of [a, m, br, r]) assert.doesNotMatch(x.err, /\n\s+at /, 'no stack trace');
});

test('OCIRepository with secretRef: --registry-config from helm registry login; without it "needs credentials", the Docker config never read', {
  skip: ociSkip,
}, async () => {
  // The user's Docker config holds the right credentials: --fetch-charts does not read it on its own.
  mkdirSync(join(tmp, 'docker'), { recursive: true });
  writeFileSync(join(tmp, 'docker', 'config.json'), readFileSync(regConfig));
  const none = await runCli(
    ['build', ociRoot, '--path', 'clusters/dev', '--chart-cache', join(tmp, 'o1'), '--fetch-charts'],
    { env: { DOCKER_CONFIG: join(tmp, 'docker'), HOME: tmp } },
  );
  assert.equal(none.code, 0, none.err);
  assert.match(
    none.err,
    /OCIRepository\/flux-system\/podinfo \([^)]*\): needs credentials \(spec\.secretRef ghcr-auth\) and 127\.0\.0\.1:\d+ has no auths entry in --registry-config: give them with --registry-config FILE/,
  );
  const ok = await runCli([
    'build',
    ociRoot,
    '--path',
    'clusters/dev',
    '--chart-cache',
    join(tmp, 'o2'),
    '--fetch-charts',
    '--registry-config',
    regConfig,
  ]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(
    ok.err,
    /fetched OCIRepository\/flux-system\/podinfo \(artifact\) -> 6\.14\.1 \(sha256:[0-9a-f]{64}\) with credentials from the registry config \(host 127\.0\.0\.1:\d+\)/,
  );
  assert.match(ok.out, /kind: Deployment/);
  for (const t of [none.out, none.err, ok.out, ok.err]) {
    assert.ok(
      !t.includes(OCI_PW) && !t.includes(Buffer.from(`puller:${OCI_PW}`).toString('base64')),
      'a secret in the output',
    );
  }
});
