/**
 * `aksfleet check --watch` as a process: after each save in a temporary repository it prints one
 * header line on stderr and the report a fresh `aksfleet check` prints for the repository as it
 * is then (the same bytes); a broken file gives its finding, the fix removes it; SIGINT ends it
 * with the last run's exit code. And the flags it cannot be given with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { runCli } from '../testing/run-cli.js';
import { tempDir, twoClusterRepo, writeTree } from '../testing/fixture-repos.js';
import { watchRoots } from './check-watch.js';

const ENV = { AKSFLEET_TODAY: '2026-12-07', NO_COLOR: '1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWatch(dir: string) {
  const main = JSON.stringify(join(PACKAGE_ROOT, 'src/cli/main.ts'));
  const entry = `import { main } from ${main}; main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', entry, 'check', dir, '--watch'],
    {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const headers = () => err.split('\n').filter((l) => /^\[\d\d:\d\d:\d\d\] watch: /.test(l));
  return {
    headers,
    /** The stdout of run `n` (1-based) once its report is written; the stdout so far is taken. */
    async report(n: number): Promise<string> {
      const deadline = Date.now() + 120_000;
      while (headers().length < n || !out.endsWith('\n') || !/watching \d+ folder/.test(err)) {
        if (Date.now() > deadline) throw new Error(`no run ${n}: ${err}`);
        await sleep(50);
      }
      await sleep(300); // the report is one write; let the pipe deliver all of it
      const r = out;
      out = '';
      return r;
    },
    async stop(): Promise<number | null> {
      child.kill('SIGINT');
      return exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

test("check --watch: after each save, a fresh check's report; a broken file's finding, gone when fixed", async () => {
  const dir = tempDir('aksfleet-watch-cli-');
  writeTree(dir, twoClusterRepo());
  const w = startWatch(dir);
  try {
    assert.equal(await w.report(1), (await runCli(['check', dir], { env: ENV })).out);
    const freshOut = async () => (await runCli(['check', dir], { env: ENV })).out;
    const save = (file: string, from: string, to: string) => {
      const p = join(dir, file);
      const text = readFileSync(p, 'utf8');
      assert.ok(text.includes(from));
      writeFileSync(p, text.replace(from, to));
    };
    let n = 1;
    const next = async () => {
      n++;
      return w.report(n);
    };
    save('clusters/dev/flux.yaml', 'path: ./apps/dev', 'path: ./apps/nope');
    const broken = await next();
    assert.match(broken, /kustomization-path-exists/);
    assert.equal(broken, await freshOut());
    assert.match(
      w.headers().at(-1)!,
      /1 file\(s\) changed \(clusters\/dev\/flux\.yaml\): 1 of 2 cluster\(s\) checked again/,
    );
    save('clusters/dev/flux.yaml', 'path: ./apps/nope', 'path: ./apps/dev');
    const fixed = await next();
    assert.doesNotMatch(fixed, /kustomization-path-exists/);
    assert.equal(fixed, await freshOut());
    save('apps/base/deploy.yaml', 'web:latest', 'web:1.0.1');
    const base = await next();
    assert.match(w.headers().at(-1)!, /: 2 of 2 cluster\(s\) checked again/);
    assert.equal(base, await freshOut());
    const last = await runCli(['check', dir], { env: ENV });
    assert.equal(await w.stop(), last.code);
  } finally {
    w.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check --watch: not with --jobs, --shard, --changed-since or --list-rules', async () => {
  for (const flag of [['--jobs', '2'], ['--shard', '1/2'], ['--changed-since', 'main'], ['--list-rules']]) {
    const r = await runCli(['check', '.', '--watch', ...flag]);
    assert.equal(r.code, 2, flag.join(' '));
    assert.match(r.err, new RegExp(`use --watch or ${flag[0]}, not both`));
  }
});

test('watchRoots: the repository, then the folders outside it, each once', () => {
  const dir = tempDir('aksfleet-watch-roots-');
  try {
    writeTree(dir, { 'repo/policies/p.yaml': 'x', 'charts/a/Chart.yaml': 'x', 'charts/b/Chart.yaml': 'x' });
    const repo = join(dir, 'repo');
    assert.deepEqual(
      watchRoots(repo, [join(repo, 'policies'), join(dir, 'charts/a'), join(dir, 'charts'), join(dir, 'gone')]),
      [repo, join(dir, 'charts')],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
