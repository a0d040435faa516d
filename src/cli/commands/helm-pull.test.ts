/**
 * `aksfleet helm pull` against a loopback HTTP repository and Debian's docker-registry, judged by
 * the real `helm pull` (helm-4.1): same files, same bytes, same manifest digest; exit 2 with the
 * reason (and no credentials) when the chart cannot be pulled.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { HELM, helmCli, helmPackage, writeChart, type HelmCli } from '../../helm/sources/testing/helm-cli.js';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { basic, bytes, startServer, type TestServer } from '../../helm/sources/testing/http-server.js';
import { registrySkip, startRegistry, type Registry } from '../../helm/sources/testing/registry.js';
import { runCli } from '../testing/run-cli.js';

// The real helm (test/oracles): these suites run in the full test run only (scripts/test.mjs).
const skip = oracle(HELM).skip || registrySkip();
const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-helmpull-'));
let h: HelmCli;
let server: TestServer;
let reg: Registry;

before(async () => {
  if (skip) return;
  h = helmCli();
  const repo = join(tmp, 'repo');
  const src = join(tmp, 'src');
  for (const v of ['0.1.0', '0.2.0']) {
    helmPackage(
      h,
      writeChart(src, 'demo', v, {
        'README.md': '# demo\n',
        'templates/_helpers.tpl': '{{- define "x" }}x{{ end }}\n',
      }),
      repo,
    );
    rmSync(join(src, 'demo'), { recursive: true });
  }
  assert.equal(h.run(['repo', 'index', repo]).status, 0);
  const routes: Record<string, ReturnType<typeof bytes>> = {};
  for (const f of readdirSync(repo)) {
    routes[`/charts/${f}`] = bytes(readFileSync(join(repo, f)));
    routes[`/private/${f}`] = basic('u', 'pull-s3cret', bytes(readFileSync(join(repo, f))));
  }
  server = await startServer(routes);
  reg = await startRegistry();
  const p = await h.runAsync(['push', join(repo, 'demo-0.2.0.tgz'), `oci://${reg.host}/charts`, '--plain-http']);
  assert.equal(p.status, 0, p.stderr);
});
after(async () => {
  await server?.close();
  await reg?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

async function both(
  args: readonly string[],
  name: string,
): Promise<{ ours: string; theirs: string; err: string; helmErr: string }> {
  const ours = join(tmp, `ours-${name}`);
  const theirs = join(tmp, `theirs-${name}`);
  mkdirSync(ours, { recursive: true });
  mkdirSync(theirs, { recursive: true });
  const r = await runCli(['helm', 'pull', ...args, '-d', ours], {
    env: { HOME: tmp, DOCKER_CONFIG: join(tmp, 'docker') },
  });
  assert.equal(r.code, 0, r.all);
  const hr = await h.runAsync(['pull', ...args, '-d', theirs]);
  assert.equal(hr.status, 0, hr.stderr);
  return { ours, theirs, err: r.err, helmErr: hr.stdout + hr.stderr };
}

test('helm pull --repo: the same archive as helm pull, for a constraint and for the latest', { skip }, async () => {
  for (const [i, extra] of [[], ['--version', '~0.1']].entries()) {
    const { ours, theirs } = await both(['demo', '--repo', `${server.url}/charts`, ...extra], `repo${i}`);
    assert.deepEqual(readdirSync(ours), readdirSync(theirs));
    for (const f of readdirSync(theirs)) assert.deepEqual(readFileSync(join(ours, f)), readFileSync(join(theirs, f)));
  }
});

test('helm pull --untar: the same chart folder as helm pull --untar', { skip }, async () => {
  const { ours, theirs } = await both(['demo', '--repo', `${server.url}/charts`, '--untar'], 'untar');
  assert.deepEqual(tree(ours), tree(theirs));
  assert.ok(Object.keys(tree(ours)).includes(join('demo', 'templates', '_helpers.tpl')));
  const again = await runCli(['helm', 'pull', 'demo', '--repo', `${server.url}/charts`, '--untar', '-d', ours], {
    env: { HOME: tmp },
  });
  assert.equal(again.code, 2);
  assert.match(again.err, /failed to untar: a file or directory with the name .*demo already exists/);
});

test('helm pull oci:// --plain-http: the same archive and manifest digest as helm pull', { skip }, async () => {
  const { ours, theirs, err, helmErr } = await both(
    [`oci://${reg.host}/charts/demo`, '--version', '0.2.0', '--plain-http'],
    'oci',
  );
  assert.deepEqual(readdirSync(ours), ['demo-0.2.0.tgz']);
  assert.deepEqual(readFileSync(join(ours, 'demo-0.2.0.tgz')), readFileSync(join(theirs, 'demo-0.2.0.tgz')));
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(helmErr)?.[1];
  assert.ok(digest);
  assert.match(err, new RegExp(`Pulled: ${reg.host.replace(/\./g, '\\.')}/charts/demo:0\\.2\\.0\\nDigest: ${digest}`));
});

test('cannot pull: exit 2 with the reason, no stack trace, no credentials', { skip }, async () => {
  const cases: [string[], RegExp][] = [
    [
      ['demo', '--repo', `${server.url}/charts`, '--version', '9.x'],
      /failed to pull|no 'demo' chart with version matching '9\.x' found/,
    ],
    [
      ['nothing', '--repo', `${server.url}/charts`],
      /chart "nothing" not found in http:\/\/127\.0\.0\.1:\d+\/charts repository/,
    ],
    [
      ['demo', '--repo', `${server.url}/private`, '--username', 'u', '--password', 'wrong-pw-42'],
      /private\/index\.yaml: 401 Unauthorized/,
    ],
    [
      ['demo', '--repo', `http://u:wrong-pw-42@127.0.0.1:${server.port}/private`],
      /private\/index\.yaml: 401 Unauthorized/,
    ],
    [
      [`oci://${reg.host}/charts/demo`, '--version', '7.0.0', '--plain-http'],
      /no '127\.0\.0\.1:\d+\/charts\/demo' chart with version matching '7\.0\.0' found/,
    ],
    [['stable/demo'], /needs --repo URL, an oci:\/\/ reference or a chart archive URL/],
  ];
  for (const [args, want] of cases) {
    const r = await runCli(['helm', 'pull', ...args, '-d', join(tmp, 'never')], { env: { HOME: tmp } });
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, want);
    assert.doesNotMatch(r.all, /wrong-pw-42|\n\s+at /);
  }
  const ok = await runCli(
    [
      'helm',
      'pull',
      'demo',
      '--repo',
      `${server.url}/private`,
      '--username',
      'u',
      '--password',
      'pull-s3cret',
      '-d',
      join(tmp, 'auth'),
    ],
    { env: { HOME: tmp } },
  );
  assert.equal(ok.code, 0, ok.all);
  assert.deepEqual(readdirSync(join(tmp, 'auth')), ['demo-0.2.0.tgz']);
});
