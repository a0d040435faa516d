/**
 * Size and depth of kustomize input (issue #25, point 6): a deep chain of bases stops with an
 * input error at a documented depth instead of exhausting the stack; two folders that include
 * each other through symlinks are a cycle, as kubectl says (checked against the real kubectl);
 * a symlink that leaves the repository says so instead of "not found"; a stream of many
 * documents keeps every document and reports a duplicate at the first repeat. Speed itself is
 * measured in `npm run bench`, not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { MAX_KUSTOMIZATION_DEPTH } from '../../src/kustomize/loader.js';
import { oracle } from '../oracles/index.js';

const kubectl = oracle('kubectl-1.35');

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-limits-'));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

function chain(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const d = join(root, `k${i}`);
    mkdirSync(d, { recursive: true });
    if (i === n - 1) {
      writeFileSync(join(d, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaf\n');
      writeFileSync(join(d, 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    } else writeFileSync(join(d, 'kustomization.yaml'), `resources:\n- ../k${i + 1}\n`);
  }
}

test('a chain of bases as deep as the cap renders', async () => {
  const dir = repo();
  try {
    chain(dir, MAX_KUSTOMIZATION_DEPTH + 1);
    const r = await runCli(['kustomize', 'k0'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /name: leaf/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chain of bases deeper than the cap is an input error naming its ends, never a stack overflow', async () => {
  const dir = repo();
  try {
    chain(dir, 2000);
    const r = await runCli(['kustomize', 'k0'], { cwd: dir });
    assert.equal(r.code, 2, r.all);
    assert.match(
      r.err,
      new RegExp(
        `nest deeper than ${MAX_KUSTOMIZATION_DEPTH} levels \\(from 'k0' to 'k${MAX_KUSTOMIZATION_DEPTH + 1}'\\)`,
      ),
    );
    assert.doesNotMatch(r.all, /call stack|internal error|bug in aksfleet/);
    // The chain in the message shows its two ends, not 2,000 folders.
    assert.ok(r.err.length < 2000, `message of ${r.err.length} characters`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two kustomizations that include each other through a symlink: "cycle detected", as kubectl says', {
  skip: kubectl.skip,
}, async () => {
  const dir = repo();
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/kustomization.yaml'), 'resources:\n- ../b\n');
    writeFileSync(join(dir, 'b/kustomization.yaml'), 'resources:\n- link\n- cm.yaml\n');
    writeFileSync(join(dir, 'b/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    symlinkSync('../a', join(dir, 'b/link'));
    const r = await runCli(['kustomize', 'a'], { cwd: dir });
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, /cycle detected: candidate root 'a' contains visited root 'a'/);
    let real = '';
    try {
      execFileSync(kubectl.path, ['kustomize', join(dir, 'a')], { stdio: 'pipe' });
    } catch (e) {
      real = String((e as { stderr: Buffer }).stderr);
    }
    assert.match(real, /cycle detected: candidate root '[^']*\/a' contains visited root '[^']*\/a'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a resource folder reached through a symlink inside the repository renders as the folder itself', {
  skip: kubectl.skip,
}, async () => {
  const dir = repo();
  try {
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'base/kustomization.yaml'), 'resources:\n- cm.yaml\n');
    writeFileSync(join(dir, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    symlinkSync('../base', join(dir, 'app/base-link'));
    writeFileSync(join(dir, 'app/kustomization.yaml'), 'namePrefix: p-\nresources:\n- base-link\n');
    const r = await runCli(['kustomize', 'app'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const real = execFileSync(kubectl.path, ['kustomize', join(dir, 'app')], { encoding: 'utf8' });
    assert.equal(r.out, real);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a resource or patch that is a symlink leaving the repository says so, not "not found"', async () => {
  const dir = repo();
  const outside = mkdtempSync(join(tmpdir(), 'aksfleet-outside-'));
  try {
    writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n');
    mkdirSync(join(dir, 'k'));
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'k/leak.yaml'));
    symlinkSync(outside, join(dir, 'k/leak-dir'));
    writeFileSync(join(dir, 'k/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in\n');
    for (const [k, what] of [
      ['resources:\n- leak.yaml\n', "resource 'leak.yaml'"],
      ['resources:\n- leak-dir\n', "resource 'leak-dir'"],
      ['resources:\n- cm.yaml\npatches:\n- path: leak.yaml\n', 'leak.yaml'],
    ] as const) {
      writeFileSync(join(dir, 'k/kustomization.yaml'), k);
      const r = await runCli(['kustomize', 'k'], { cwd: dir });
      assert.equal(r.code, 2, r.all);
      assert.ok(r.err.includes(what), r.err);
      assert.match(r.err, /is a symlink that leaves the repository root/);
      assert.doesNotMatch(r.all, /name: outside/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a stream of 20,000 documents keeps each one; a duplicate is reported at its first repeat', async () => {
  const dir = repo();
  try {
    mkdirSync(join(dir, 'k'));
    const docs = Array.from(
      { length: 20000 },
      (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\n`,
    ).join('');
    writeFileSync(join(dir, 'k/objs.yaml'), docs);
    writeFileSync(join(dir, 'k/kustomization.yaml'), 'resources:\n- objs.yaml\n');
    const r = await runCli(['kustomize', 'k'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.match(/^kind: ConfigMap$/gm)?.length, 20000);
    writeFileSync(
      join(dir, 'k/objs.yaml'),
      docs + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm7\n  namespace: default\n',
    );
    const dup = await runCli(['kustomize', 'k'], { cwd: dir });
    assert.equal(dup.code, 2, dup.all);
    assert.match(dup.err, /may not add resource with an already registered id: ConfigMap\.v1\.\[noGrp\]\/cm7\.default/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
