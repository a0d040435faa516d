/**
 * Nothing lost when a process dies: `generate` and `promote` are run in a child process and
 * killed with SIGKILL (and SIGINT) at points spread over a normal run's duration. After each
 * kill the tree is the old state, the new state, or holds the writer's journal, and the next run
 * always ends in the new state; `promote` never leaves a half-made branch, never moves a branch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { git } from '../../src/git/git.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { exampleFleetText } from '../../src/spec/example.js';

const TSX = join(PACKAGE_ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
const MAIN = join(PACKAGE_ROOT, 'src', 'cli', 'main.ts');

/** Runs the CLI in a child; kills it after `killAfterMs` (if given). */
function child(
  argv: string[],
  cwd: string,
  killAfterMs?: number,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const script = `const m = await import(${JSON.stringify(MAIN)}); process.exitCode = await m.main(process.argv.slice(1));`;
  const t0 = Date.now();
  const p = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script, '--', ...argv], {
    cwd,
    stdio: 'ignore',
  });
  if (killAfterMs !== undefined) setTimeout(() => p.kill(signal), killAfterMs);
  return new Promise((resolve) => p.on('exit', (code, sig) => resolve({ code, signal: sig, ms: Date.now() - t0 })));
}

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const rel = relative(root, p);
      if (rel === '.git' || rel === 'fleet.yaml' || rel === 'fleet.schema.json') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[rel] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Owned state only: the writer's own bookkeeping files other than the manifest are excluded. */
function owned(s: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(s).filter(([k]) => !k.startsWith('.aksfleet/') || k === '.aksfleet/manifest.json'),
  );
}

function journalPresent(root: string): boolean {
  return existsSync(join(root, '.aksfleet')) && readdirSync(join(root, '.aksfleet')).some((n) => n !== 'manifest.json');
}

const fleetA = exampleFleetText();
const fleetB = fleetA.replaceAll('acrprod123', 'acrfleet456').replace('name: app\n', 'name: app\n');

test('generate killed at any point: old state, new state, or a journal the next run rolls forward', {
  timeout: 600_000,
}, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-kill-gen-'));
  // The two states, each from an uninterrupted run.
  writeFileSync(join(root, 'fleet.yaml'), fleetB);
  const full = await child(['generate'], root);
  assert.equal(full.code, 0);
  const newState = owned(snapshot(root));
  writeFileSync(join(root, 'fleet.yaml'), fleetA);
  assert.equal((await child(['generate'], root)).code, 0);
  const oldState = owned(snapshot(root));
  assert.notDeepEqual(oldState, newState);

  const outcomes = { old: 0, new: 0, journal: 0 };
  const points = [0.3, 0.5, 0.7, 0.85, 1.0];
  for (const [i, f] of points.entries()) {
    writeFileSync(join(root, 'fleet.yaml'), fleetB);
    const r = await child(['generate'], root, Math.round(full.ms * f), i % 3 === 2 ? 'SIGINT' : 'SIGKILL');
    const s = owned(snapshot(root));
    if (journalPresent(root)) outcomes.journal++;
    else if (isDeepStrictEqual(s, oldState)) outcomes.old++;
    else if (isDeepStrictEqual(s, newState)) outcomes.new++;
    else
      assert.fail(
        `killed at ${Math.round(full.ms * f)} ms (${r.signal ?? r.code}): a mix of old and new files without a journal`,
      );
    // The next run ends in the new state.
    assert.equal((await child(['generate'], root)).code, 0);
    assert.deepEqual(owned(snapshot(root)), newState);
    assert.ok(!journalPresent(root));
    // Back to the old state for the next kill.
    writeFileSync(join(root, 'fleet.yaml'), fleetA);
    assert.equal((await child(['generate'], root)).code, 0);
    assert.deepEqual(owned(snapshot(root)), oldState);
  }
  t.diagnostic(`full run ${full.ms} ms; states seen right after the kills: ${JSON.stringify(outcomes)}`);
});

test('promote killed at any point: no half-made branch, no branch moved, no commit lost', {
  timeout: 600_000,
}, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-kill-promote-'));
  assert.equal((await child(['demo'], cwd)).code, 0);
  const repo = join(cwd, 'aksfleet-demo');
  // without the demo's own release on env/dev: the change below is the one
  git(repo, ['branch', '-f', 'env/dev', 'env/qa']);
  git(repo, ['checkout', '-q', 'env/dev']);
  const f = join(repo, 'workloads/base/app/api/deployment.yaml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('api:1.2.3', 'api:1.3.0'));
  git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'api 1.3.0']);
  const refsBefore = git(repo, ['for-each-ref', '--format=%(refname) %(objectname)']);
  const statusBefore = git(repo, ['status', '--porcelain']);
  const full = await child(['promote', 'dev', 'qa', repo], repo);
  assert.equal(full.code, 0);
  const branch = git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/']).trim();
  const tree = git(repo, ['rev-parse', `${branch}^{tree}`]).trim();
  git(repo, ['branch', '-D', '-q', branch]);
  for (const frac of [0.3, 0.6, 0.85, 0.95]) {
    await child(['promote', 'dev', 'qa', repo], repo, Math.round(full.ms * frac));
    const refs = git(repo, ['for-each-ref', '--format=%(refname) %(objectname)']);
    const extra = refs.split('\n').filter((l) => l && !refsBefore.includes(l));
    if (extra.length) {
      assert.equal(extra.length, 1, `only the promotion branch may appear: ${extra.join(', ')}`);
      assert.equal(
        git(repo, ['rev-parse', `${branch}^{tree}`]).trim(),
        tree,
        'a promotion branch, when it exists, is complete',
      );
      git(repo, ['branch', '-D', '-q', branch]);
    }
    assert.equal(
      git(repo, ['for-each-ref', '--format=%(refname) %(objectname)']),
      refsBefore,
      'no existing branch moved',
    );
    assert.equal(git(repo, ['status', '--porcelain']), statusBefore, 'the working tree is untouched');
  }
});
