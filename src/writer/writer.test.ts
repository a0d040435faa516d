import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, InputError } from '../errors.js';
import type { GeneratedFile } from '../generators/types.js';
import { nodeFs, type WriterFs } from './fs-ops.js';
import { recoverPending } from './apply.js';
import { MANIFEST_PATH, writeGenerated } from './index.js';
import { loadJournalKey } from './journal-key.js';
import { sha256 } from './manifest.js';

// The journal key of these tests lives in a folder of their own, not in the user's.
process.env.XDG_STATE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-writer-state-'));
const userKey = () => loadJournalKey();

function tmpRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-writer-'));
}

/** Every file under root: path -> content and executable bit (staging and journal excluded). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const rel = path.relative(root, p).split(path.sep).join('/');
      if (rel === '.aksfleet/staging' || rel.startsWith('.aksfleet/journal')) continue;
      const st = fs.lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[rel] = `${st.mode & 0o111 ? 'x' : '-'} ${fs.readFileSync(p, 'utf8')}`;
    }
  };
  walk(root);
  return out;
}

const V1: GeneratedFile[] = [
  { path: 'a/one.yaml', content: 'one: 1\n' },
  { path: 'a/two.yaml', content: 'two: 2\n' },
  { path: 'b/stale.yaml', content: 'stale: true\n' },
  { path: 'run.sh', content: '#!/bin/sh\necho v1\n', executable: true },
];
const V2: GeneratedFile[] = [
  { path: 'a/one.yaml', content: 'one: 1\n' }, // unchanged
  { path: 'a/two.yaml', content: 'two: 22\n' }, // updated
  { path: 'c/d/new.yaml', content: 'new: yes\n' }, // created
  { path: 'run.sh', content: '#!/bin/sh\necho v2\n', executable: true }, // updated
  // b/stale.yaml: deleted
];

test('first write creates files, records them with sha256, and a second identical write changes nothing', () => {
  const root = tmpRoot();
  const r1 = writeGenerated(root, V1);
  assert.deepEqual([...r1.created].sort(), V1.map((f) => f.path).sort());
  const manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST_PATH), 'utf8')) as {
    files: Record<string, { sha256: string; executable?: boolean }>;
  };
  assert.equal(manifest.files['a/one.yaml']!.sha256, sha256('one: 1\n'));
  assert.equal(manifest.files['run.sh']!.executable, true);
  assert.equal(fs.statSync(path.join(root, 'run.sh')).mode & 0o777, 0o755);
  assert.equal(fs.statSync(path.join(root, 'a/one.yaml')).mode & 0o777, 0o644);
  const before = snapshot(root);
  const r2 = writeGenerated(root, V1);
  assert.deepEqual(
    [r2.created.length, r2.updated.length, r2.deleted.length, r2.unchanged.length],
    [0, 0, 0, V1.length],
  );
  assert.deepEqual(snapshot(root), before);
  assert.equal(fs.existsSync(path.join(root, '.aksfleet/staging')), false);
  assert.equal(fs.existsSync(path.join(root, '.aksfleet/journal.json')), false);
});

test('updates, creates, deletes stale owned files (and their empty folders), leaves unowned files alone', () => {
  const root = tmpRoot();
  writeGenerated(root, V1);
  fs.writeFileSync(path.join(root, 'b/mine.txt'), 'user file\n');
  const r = writeGenerated(root, V2);
  assert.deepEqual(r.created, ['c/d/new.yaml']);
  assert.deepEqual([...r.updated].sort(), ['a/two.yaml', 'run.sh']);
  assert.deepEqual(r.deleted, ['b/stale.yaml']);
  assert.deepEqual(r.unchanged, ['a/one.yaml']);
  assert.equal(fs.existsSync(path.join(root, 'b/stale.yaml')), false);
  assert.equal(fs.readFileSync(path.join(root, 'b/mine.txt'), 'utf8'), 'user file\n');
  // b/ still holds the user's file; a folder emptied by a deletion is removed
  writeGenerated(
    root,
    V2.filter((f) => f.path !== 'c/d/new.yaml'),
  );
  assert.equal(fs.existsSync(path.join(root, 'c')), false);
  assert.equal(fs.existsSync(path.join(root, 'b')), true);
});

test('refuses to overwrite an unowned file unless --force, and writes nothing at all then', () => {
  const root = tmpRoot();
  fs.mkdirSync(path.join(root, 'a'));
  fs.writeFileSync(path.join(root, 'a/two.yaml'), 'hand written\n');
  assert.throws(
    () => writeGenerated(root, V1),
    (e: unknown) => e instanceof ConflictError && /a\/two\.yaml.*not written by aksfleet/.test(e.message),
  );
  assert.deepEqual(snapshot(root), { 'a/two.yaml': '- hand written\n' });
  const r = writeGenerated(root, V1, { force: true });
  assert.ok(r.updated.includes('a/two.yaml'));
  assert.equal(fs.readFileSync(path.join(root, 'a/two.yaml'), 'utf8'), 'two: 2\n');
});

test('an unowned file that already has the generated content is adopted without --force', () => {
  const root = tmpRoot();
  fs.mkdirSync(path.join(root, 'a'));
  fs.writeFileSync(path.join(root, 'a/one.yaml'), 'one: 1\n');
  const r = writeGenerated(root, V1);
  assert.ok(r.unchanged.includes('a/one.yaml'));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST_PATH), 'utf8')) as {
    files: Record<string, unknown>;
  };
  assert.ok(manifest.files['a/one.yaml']);
});

test('an owned file edited by a user is reported (update or delete) and kept; --force overwrites', () => {
  const root = tmpRoot();
  writeGenerated(root, V1);
  fs.writeFileSync(path.join(root, 'a/two.yaml'), 'two: edited\n');
  fs.writeFileSync(path.join(root, 'b/stale.yaml'), 'stale: edited\n');
  const before = snapshot(root);
  let err: unknown;
  try {
    writeGenerated(root, V2);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConflictError);
  assert.equal(err.exitCode, 1);
  assert.match(err.message, /a\/two\.yaml: would overwrite a file that changed since aksfleet wrote it/);
  assert.match(
    err.message,
    /b\/stale\.yaml: would delete a file that no longer generated, but changed since aksfleet wrote it/,
  );
  assert.deepEqual(snapshot(root), before, 'nothing written on conflict');
  const dry = writeGenerated(root, V2, { dryRun: true });
  assert.deepEqual(
    dry.conflicts.map((c) => `${c.path}:${c.reason}:${c.action}`),
    ['a/two.yaml:edited:write', 'b/stale.yaml:edited:delete'],
  );
  const r = writeGenerated(root, V2, { force: true });
  assert.ok(r.updated.includes('a/two.yaml'));
  assert.deepEqual(r.deleted, ['b/stale.yaml']);
  assert.equal(fs.readFileSync(path.join(root, 'a/two.yaml'), 'utf8'), 'two: 22\n');
});

test('--dry-run reports create/update/delete/unchanged and writes nothing', () => {
  const root = tmpRoot();
  const empty = writeGenerated(root, V1, { dryRun: true });
  assert.equal(empty.created.length, V1.length);
  assert.deepEqual(snapshot(root), {});
  writeGenerated(root, V1);
  const before = snapshot(root);
  const r = writeGenerated(root, V2, { dryRun: true });
  assert.deepEqual(
    { c: r.created, u: [...r.updated].sort(), d: r.deleted, n: r.unchanged },
    { c: ['c/d/new.yaml'], u: ['a/two.yaml', 'run.sh'], d: ['b/stale.yaml'], n: ['a/one.yaml'] },
  );
  assert.deepEqual(snapshot(root), before);
});

test('refuses paths outside the root, into its state folder, and through symlinks', () => {
  const root = tmpRoot();
  for (const p of [
    '../escape.yaml',
    '/etc/passwd',
    'a/../../x',
    'a//b',
    './a',
    'a\\b',
    '.aksfleet/manifest.json',
    '',
  ]) {
    assert.throws(() => writeGenerated(root, [{ path: p, content: 'x' }]), InputError, p);
  }
  const outside = tmpRoot();
  fs.symlinkSync(outside, path.join(root, 'link'));
  assert.throws(
    () => writeGenerated(root, [{ path: 'link/x.yaml', content: 'x\n' }]),
    (e: unknown) => e instanceof ConflictError && /symlink/.test(e.message),
  );
  assert.throws(
    () => writeGenerated(root, [{ path: 'link/x.yaml', content: 'x\n' }], { force: true }),
    ConflictError,
    '--force never follows symlinks',
  );
  assert.deepEqual(fs.readdirSync(outside), []);
});

test('a symlinked .aksfleet state folder is refused before anything is read or removed through it', () => {
  const root = tmpRoot();
  const outside = tmpRoot();
  fs.mkdirSync(path.join(outside, 'staging'));
  fs.writeFileSync(path.join(outside, 'staging', 'keep.txt'), 'not yours\n');
  fs.symlinkSync(outside, path.join(root, '.aksfleet'));
  for (const opts of [{}, { dryRun: true }, { force: true }]) {
    assert.throws(
      () => writeGenerated(root, V1, opts),
      (e: unknown) => e instanceof InputError && /symlink/.test(e.message),
    );
  }
  assert.equal(fs.readFileSync(path.join(outside, 'staging', 'keep.txt'), 'utf8'), 'not yours\n');
  assert.deepEqual(fs.readdirSync(root), ['.aksfleet']);
});

test('a generated file that is also a folder of another is refused', () => {
  const root = tmpRoot();
  assert.throws(
    () =>
      writeGenerated(root, [
        { path: 'a/b', content: 'x' },
        { path: 'a/b/c', content: 'y' },
      ]),
    (e: unknown) => e instanceof InputError && /also a folder/.test(e.message),
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a directory in the way is reported, not removed', () => {
  const root = tmpRoot();
  fs.mkdirSync(path.join(root, 'a/one.yaml'), { recursive: true });
  assert.throws(
    () => writeGenerated(root, V1, { force: true }),
    (e: unknown) => e instanceof ConflictError && /a directory is in the way/.test(e.message),
  );
});

/** nodeFs that throws at the n-th mutating operation (a crash in the middle of a write). */
function crashingFs(n: number): { fs: WriterFs; count: () => number } {
  let i = 0;
  const step = () => {
    i++;
    if (i === n) throw new Error(`simulated crash at operation ${n}`);
  };
  return {
    count: () => i,
    fs: {
      ...nodeFs,
      writeFile: (p, d, m) => (step(), nodeFs.writeFile(p, d, m)),
      rename: (a, b) => (step(), nodeFs.rename(a, b)),
      unlink: (p) => (step(), nodeFs.unlink(p)),
      mkdir: (p) => (step(), nodeFs.mkdir(p)),
      rmdir: (p) => (step(), nodeFs.rmdir(p)),
      rmTree: (p) => (step(), nodeFs.rmTree(p)),
      fsync: (p) => (step(), nodeFs.fsync(p)),
    },
  };
}

test('a crash at any step leaves the old state or, after the next run recovers, the new one: never a mix', () => {
  // Reference states and the number of operations of an uninterrupted write.
  const oldRoot = tmpRoot();
  writeGenerated(oldRoot, V1);
  const oldState = snapshot(oldRoot);
  const counter = crashingFs(Number.MAX_SAFE_INTEGER);
  writeGenerated(oldRoot, V2, { fs: counter.fs });
  const newState = snapshot(oldRoot);
  const total = counter.count();
  assert.ok(total > 10, `an update does many operations (${total})`);
  assert.notDeepEqual(oldState, newState);
  let sawOld = 0;
  let sawNew = 0;
  for (let n = 1; n <= total; n++) {
    const root = tmpRoot();
    writeGenerated(root, V1);
    const crash = crashingFs(n);
    assert.throws(() => writeGenerated(root, V2, { fs: crash.fs }), /simulated crash/);
    const committed = fs.existsSync(path.join(root, '.aksfleet/journal.json'));
    const crashed = snapshot(root);
    // Without a journal the write either had not reached its commit point (old state) or had
    // completed everything but its clean-up (new state).
    const isOld = isDeepStrictEqual(crashed, oldState);
    if (!committed)
      assert.ok(
        isOld || isDeepStrictEqual(crashed, newState),
        `crash at op ${n} without a journal: old or new state, not a mix`,
      );
    // What the next run does first:
    recoverPending(nodeFs, root, userKey);
    const after = snapshot(root);
    if (committed || !isOld) {
      assert.deepEqual(after, newState, `crash at op ${n} after the commit point: rolled forward to the new state`);
      sawNew++;
    } else {
      assert.deepEqual(after, oldState, `crash at op ${n}: old state`);
      sawOld++;
    }
    assert.equal(fs.existsSync(path.join(root, '.aksfleet/staging')), false);
    // And the next run completes the write normally.
    writeGenerated(root, V2);
    assert.deepEqual(snapshot(root), newState);
  }
  assert.ok(sawOld > 0 && sawNew > 0, `both sides of the commit point were exercised (${sawOld} old, ${sawNew} new)`);
});

test('a crash during recovery itself is recovered by the next run', () => {
  const root = tmpRoot();
  writeGenerated(root, V1);
  // Crash right after the commit point: find the first n whose crash leaves a journal.
  let n = 1;
  for (; ; n++) {
    const r = tmpRoot();
    writeGenerated(r, V1);
    assert.throws(() => writeGenerated(r, V2, { fs: crashingFs(n).fs }));
    if (fs.existsSync(path.join(r, '.aksfleet/journal.json'))) break;
  }
  assert.throws(() => writeGenerated(root, V2, { fs: crashingFs(n).fs }));
  const dry = writeGenerated(root, V2, { dryRun: true });
  assert.equal(dry.pendingRecovery, true, 'dry-run tells that a write is pending');
  assert.throws(() => recoverPending(crashingFs(2).fs, root, userKey), /simulated crash/);
  const r = writeGenerated(root, V2);
  assert.equal(r.recovered, true);
  const ref = tmpRoot();
  writeGenerated(ref, V1);
  writeGenerated(ref, V2);
  assert.deepEqual(snapshot(root), snapshot(ref));
});

test('output is byte-identical across runs and roots (manifest included)', () => {
  const a = tmpRoot();
  const b = tmpRoot();
  writeGenerated(a, V2);
  writeGenerated(b, [...V2].reverse());
  assert.deepEqual(snapshot(a), snapshot(b));
});
