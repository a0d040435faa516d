/**
 * `--fetch-charts` through the CLI against real servers on loopback: an HTTP Helm repository
 * served by the test (archive and index made by the real helm, test/oracles helm-4.1) and
 * Debian's docker-registry (the chart pushed with `helm push`). Offline stays the default: no
 * request reaches a server without the flag; a fetched chart is in the cache for the next
 * offline run; `check --jobs` workers report what they missed; what cannot be fetched says why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { runCli } from './testing/run-cli.js';
import { gitCommitAll, tempDir, writeTree } from './testing/fixture-repos.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { bytes, startServer, type TestServer } from '../helm/sources/testing/http-server.js';
import { HELM, helmCli, helmPackage, type HelmCli } from '../helm/sources/testing/helm-cli.js';
import { registrySkip, startRegistry, type Registry } from '../helm/sources/testing/registry.js';
import { oracle } from '../../test/oracles/oracle.mjs';

const skip = oracle(HELM).skip;
const ociSkip = skip || registrySkip();
const SHARED_PODINFO = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts', 'podinfo');
const tmp = tempDir('aksfleet-fetch-charts-');
let h: HelmCli;
let server: TestServer;
let reg: Registry | undefined;
let closedPort: number;

before(async () => {
  if (skip) return;
  h = helmCli();
  const repoDir = join(tmp, 'served');
  const tgz = helmPackage(h, SHARED_PODINFO, repoDir);
  const idx = h.run(['repo', 'index', repoDir]);
  assert.equal(idx.status, 0, idx.stderr);
  server = await startServer({
    '/podinfo/index.yaml': bytes(readFileSync(join(repoDir, 'index.yaml'), 'utf8'), 'text/yaml'),
    '/podinfo/podinfo-6.14.1.tgz': bytes(readFileSync(tgz)),
  });
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  closedPort = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  if (!ociSkip) {
    reg = await startRegistry();
    const p = await h.runAsync(['push', tgz, `oci://${reg.host}/charts`, '--plain-http']);
    assert.equal(p.status, 0, p.stderr);
  }
});

after(async () => {
  await server?.close();
  await reg?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (h) rmSync(h.home, { recursive: true, force: true });
});

const helmRepo = (url: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n` +
  `  namespace: flux-system\nspec:\n  url: ${url}\n`;
const release = (values: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n` +
  `  namespace: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.14.x"\n` +
  `      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n        namespace: flux-system\n` +
  `  values:\n${values}`;

/** A repository with clusters dev and prod installing podinfo from `url`. */
function repo(url: string, values = '    image:\n      tag: latest\n'): string {
  const root = tempDir('aksfleet-fetch-repo-');
  writeTree(
    root,
    Object.fromEntries(
      ['dev', 'prod'].flatMap((c) => [
        [`clusters/${c}/repo.yaml`, helmRepo(url)],
        [`clusters/${c}/release.yaml`, release(values)],
      ]),
    ),
  );
  return root;
}
const cache = (name: string) => join(tmp, 'caches', name);
const kinds = (out: string) => parseYamlDocuments(out, 'out').map((d) => (d.value as { kind: string }).kind);

test('build --fetch-charts: the missing chart is fetched into the cache, then rendered; without the flag nothing reaches the network', {
  skip,
}, async () => {
  const root = repo(`${server.url}/podinfo`);
  try {
    const seen = server.seen.length;
    const offline = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', cache('b')]);
    assert.equal(offline.code, 0, offline.err);
    assert.match(offline.err, /warning: .*chart podinfo not rendered/);
    assert.deepEqual(kinds(offline.out), ['HelmRelease', 'HelmRepository']);
    assert.equal(server.seen.length, seen, 'offline by default');
    const r = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', cache('b'), '--fetch-charts']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.err,
      /info: --fetch-charts: fetched HelmRepository\/flux-system\/podinfo podinfo 6\.14\.x -> 6\.14\.1 \(sha256:[0-9a-f]{64}\) into the chart cache/,
    );
    assert.doesNotMatch(r.err, /not rendered/);
    assert.ok(kinds(r.out).includes('Deployment'), r.out);
    assert.deepEqual(
      server.seen.slice(seen).map((x) => x.path),
      ['/podinfo/index.yaml', '/podinfo/podinfo-6.14.1.tgz'],
    );
    // The next run finds it in the cache, offline.
    const again = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', cache('b')]);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, r.out);
    assert.equal(server.seen.length, seen + 2);
    // With the chart in the cache, --fetch-charts fetches nothing.
    const cached = await runCli([
      'build',
      root,
      '--path',
      'clusters/dev',
      '--chart-cache',
      cache('b'),
      '--fetch-charts',
    ]);
    assert.doesNotMatch(cached.err, /fetched/);
    assert.equal(server.seen.length, seen + 2);
    assert.equal((await runCli(['build', root, '--path', 'clusters/dev', '--fetch-charts', '--no-helm'])).code, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('build and check --fetch-charts from an unreachable repository: the chart stays "not rendered", with the fetch error', {
  skip,
}, async () => {
  const root = repo(`http://127.0.0.1:${closedPort}/charts`);
  try {
    const b = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', cache('u'), '--fetch-charts']);
    assert.equal(b.code, 0, b.err);
    assert.match(
      b.err,
      /warning: --fetch-charts: HelmRepository\/flux-system\/podinfo \(http:\/\/127\.0\.0\.1:\d+\/charts\): /,
    );
    assert.match(b.err, /chart podinfo not rendered: .*; --fetch-charts could not fetch it: /);
    const c = await runCli(['check', root, '--format', 'json', '--chart-cache', cache('u'), '--fetch-charts']);
    const f = JSON.parse(c.out).findings.filter((x: any) => x.rule === 'helmrelease-renders');
    assert.equal(f.length, 2, c.out);
    // A chart asked for and not had fails the gate, at the HelmRelease's file and line (never an info).
    assert.equal(c.code, 1, c.out);
    for (const x of f) {
      assert.match(x.message, /--fetch-charts could not fetch it/);
      assert.equal(x.severity, 'error');
      assert.match(x.file, /^clusters\/(dev|prod)\/release\.yaml$/);
      assert.equal(typeof x.line, 'number');
    }
    // The same chart missing from the cache without --fetch-charts: the same error, offline.
    const offline = await runCli(['check', root, '--format', 'json', '--chart-cache', cache('u')]);
    assert.equal(offline.code, 1, offline.out);
    assert.deepEqual(
      JSON.parse(offline.out)
        .findings.filter((x: any) => x.rule === 'helmrelease-renders')
        .map((x: any) => x.severity),
      ['error', 'error'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check --fetch-charts, one thread and --jobs 2: the same findings, chart objects judged; the workers report what they missed', {
  skip,
}, async () => {
  const root = repo(`${server.url}/podinfo`);
  try {
    const one = await runCli(['check', root, '--format', 'json', '--chart-cache', cache('c1'), '--fetch-charts']);
    const two = await runCli([
      'check',
      root,
      '--format',
      'json',
      '--chart-cache',
      cache('c2'),
      '--fetch-charts',
      '--jobs',
      '2',
    ]);
    assert.equal(one.code, 1, one.err);
    assert.equal(two.code, 1, two.err);
    assert.match(two.err, /fetched HelmRepository\/flux-system\/podinfo/);
    assert.deepEqual(JSON.parse(two.out).findings, JSON.parse(one.out).findings);
    assert.equal(JSON.parse(one.out).findings.filter((x: any) => x.rule === 'image-tag-pinned').length, 2);
    assert.equal(JSON.parse(one.out).findings.filter((x: any) => x.rule === 'helmrelease-renders').length, 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('diff --fetch-charts (real git): a values change shows in the fetched chart objects', { skip }, async () => {
  const root = repo(`${server.url}/podinfo`, '    replicaCount: 1\n');
  try {
    gitCommitAll(root);
    writeFileSync(join(root, 'clusters/dev/release.yaml'), release('    replicaCount: 4\n'));
    const d = await runCli([
      'diff',
      root,
      '--base',
      'main',
      '--path',
      'clusters/dev',
      '--chart-cache',
      cache('d'),
      '--fetch-charts',
    ]);
    assert.equal(d.code, 1, d.out + d.err);
    assert.match(d.out, /Deployment\/podinfo\/podinfo/);
    assert.match(d.out, /replicas/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('build --fetch-charts from an OCI registry (OCIRepository, chartRef)', { skip: ociSkip }, async () => {
  const root = tempDir('aksfleet-fetch-oci-');
  try {
    writeTree(root, {
      'clusters/dev/source.yaml':
        `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n` +
        `  namespace: flux-system\nspec:\n  url: oci://${reg!.host}/charts/podinfo\n  insecure: true\n  ref:\n` +
        `    semver: ">=6.0.0"\n`,
      'clusters/dev/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n' +
        '  namespace: podinfo\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n' +
        '    namespace: flux-system\n',
    });
    mkdirSync(cache('o'), { recursive: true });
    const r = await runCli(['build', root, '--path', 'clusters/dev', '--chart-cache', cache('o'), '--fetch-charts']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /fetched OCIRepository\/flux-system\/podinfo \(artifact\) >=6\.0\.0 -> 6\.14\.1/);
    assert.ok(kinds(r.out).includes('Deployment'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('diff and promote --fetch-charts: after the fetch only the clusters that missed a chart render again; the output is the one of a warm cache', {
  skip,
}, async () => {
  const { createSession } = await import('../session/session.js');
  const { git } = await import('../git/git.js');
  const root = repo(`${server.url}/podinfo`, '    replicaCount: 1\n');
  const total = (s: ReturnType<typeof createSession>) => s.renders.entries().reduce((n, e) => n + e.count, 0);
  try {
    writeTree(root, {
      'clusters/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: default\n',
    });
    gitCommitAll(root);
    git(root, ['branch', 'env/qa']);
    git(root, ['checkout', '-q', '-b', 'env/dev']);
    writeFileSync(join(root, 'clusters/dev/release.yaml'), release('    replicaCount: 4\n'));
    git(root, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'dev: 4 replicas']);

    // diff: 3 clusters on the head side, 2 of them (dev, prod) miss the chart; the base side of
    // prod and plain has the same inputs (not rendered). Cold: 3 + dev's base, then dev and
    // prod again (their chart was missing), dev's base again; plain is not rendered again.
    const cold = createSession();
    const d = await runCli(['diff', root, '--base', 'env/qa', '--chart-cache', cache('memo-diff'), '--fetch-charts'], {
      session: cold,
    });
    assert.equal(d.code, 1, d.out + d.err);
    assert.match(d.err, /fetched HelmRepository\/flux-system\/podinfo podinfo 6\.14\.x -> 6\.14\.1/);
    const warm = createSession();
    const w = await runCli(['diff', root, '--base', 'env/qa', '--chart-cache', cache('memo-diff'), '--fetch-charts'], {
      session: warm,
    });
    assert.equal(w.out, d.out, 'byte-identical to a run that found every chart in the cache');
    assert.match(
      d.out,
      /cluster dev \(clusters\/dev\): 0 added, 2 changed, 0 removed\n  ~ Deployment\/podinfo\/podinfo\n      ~ spec.replicas: 1 -> 4\n/,
    );
    assert.equal(total(warm), 4, JSON.stringify(warm.renders.entries()));
    assert.equal(total(cold), 7, JSON.stringify(cold.renders.entries()));
    assert.deepEqual(
      cold.renders
        .entries()
        .filter((e) => e.path === 'clusters/plain')
        .map((e) => e.count),
      [1],
      'plain had no chart to fetch: rendered once',
    );

    // promote: the preview that finds the missing charts and the promotion render the same trees.
    const pc = createSession();
    const p = await runCli(['promote', 'dev', 'qa', root, '--chart-cache', cache('memo-promote'), '--fetch-charts'], {
      session: pc,
    });
    assert.equal(p.code, 0, p.err);
    const branch = /created branch (\S+)/.exec(p.err)![1]!;
    git(root, ['branch', '-D', branch]);
    const pw = createSession();
    const q = await runCli(['promote', 'dev', 'qa', root, '--chart-cache', cache('memo-promote'), '--fetch-charts'], {
      session: pw,
    });
    assert.equal(q.code, 0, q.err);
    assert.equal(q.out, p.out, 'byte-identical to a run that found every chart in the cache');
    assert.equal(git(root, ['log', '-1', '--format=%B', branch]), git(root, ['log', '-1', '--format=%B', branch]));
    t_diag(
      `promote --fetch-charts renders: cold ${total(pc)}, warm ${total(pw)}; diff: cold ${total(cold)}, warm ` +
        `${total(warm)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function t_diag(s: string): void {
  process.stdout.write(`# ${s}\n`);
}

test('check --fetch-charts: after the fetch only the clusters that missed a chart render again; the report is the one of a warm cache', {
  skip,
}, async () => {
  const { createSession } = await import('../session/session.js');
  const root = repo(`${server.url}/podinfo`);
  const total = (s: ReturnType<typeof createSession>) => s.renders.entries().reduce((n, e) => n + e.count, 0);
  try {
    // Two clusters miss the chart (dev, prod), one has none to miss (plain).
    writeTree(root, {
      'clusters/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: default\n',
    });
    const args = ['check', root, '--format', 'json', '--chart-cache', cache('memo-check'), '--fetch-charts'];
    const cold = createSession();
    const c = await runCli(args, { session: cold });
    assert.equal(c.code, 1, c.err);
    assert.match(c.err, /fetched HelmRepository\/flux-system\/podinfo podinfo 6\.14\.x -> 6\.14\.1/);
    const warm = createSession();
    const w = await runCli(args, { session: warm });
    assert.equal(w.out, c.out, 'byte-identical to a run that found every chart in the cache');
    assert.equal(
      JSON.parse(c.out).findings.filter((x: any) => x.rule === 'image-tag-pinned').length,
      2,
      'the fetched charts are judged',
    );
    // Cold: 3 clusters, then dev and prod again (their chart was missing); plain once.
    assert.equal(total(warm), 3, JSON.stringify(warm.renders.entries()));
    assert.equal(total(cold), 5, JSON.stringify(cold.renders.entries()));
    assert.deepEqual(
      cold.renders
        .entries()
        .filter((e) => e.path === 'clusters/plain')
        .map((e) => e.count),
      [1],
      'plain had no chart to fetch: rendered once',
    );
    t_diag(`check --fetch-charts renders: cold ${total(cold)}, warm ${total(warm)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check --jobs 2 --fetch-charts: the workers keep their builds for the pass after the fetch; ' +
  'only the clusters that missed a chart build again', {
  skip,
}, async () => {
  const { createSession } = await import('../session/session.js');
  const root = repo(`${server.url}/podinfo`);
  const total = (s: ReturnType<typeof createSession>) => s.renders.entries().reduce((n, e) => n + e.count, 0);
  try {
    writeTree(root, {
      'clusters/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: default\n',
    });
    const args = ['check', root, '--format', 'json', '--chart-cache', cache('memo-jobs'), '--fetch-charts'];
    const cold = createSession();
    const c = await runCli([...args, '--jobs', '2'], { session: cold });
    assert.equal(c.code, 1, c.err);
    assert.match(c.err, /fetched HelmRepository\/flux-system\/podinfo podinfo 6\.14\.x -> 6\.14\.1/);
    const warm = createSession();
    const w = await runCli([...args, '--jobs', '2'], { session: warm });
    assert.equal(w.out, c.out, 'byte-identical to a run that found every chart in the cache');
    const one = await runCli(args);
    assert.equal(one.out, c.out, 'the report of one thread');
    // Cold: 3 clusters, then dev and prod again (their chart was missing); plain once, as one thread.
    assert.equal(total(warm), 3, JSON.stringify(warm.renders.entries()));
    assert.equal(total(cold), 5, JSON.stringify(cold.renders.entries()));
    assert.deepEqual(
      cold.renders
        .entries()
        .filter((e) => e.path === 'clusters/plain')
        .map((e) => e.count),
      [1],
      'plain had no chart to fetch: built once',
    );
    t_diag(`check --jobs 2 --fetch-charts renders: cold ${total(cold)}, warm ${total(warm)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
