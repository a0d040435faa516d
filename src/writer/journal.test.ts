/**
 * `.aksfleet/` is committed with the repository: a journal or manifest found there is input from
 * whoever opened the pull request. Every op type with paths that leave the root, through a
 * symlinked folder, or into the writer's own state is refused before anything runs (exit 2), even
 * when signed with the right key; a journal not signed by this user's key for this root is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import type { GeneratedFile } from '../generators/types.js';
import { nodeFs } from './fs-ops.js';
import { writeGenerated } from './index.js';
import { loadJournalKey } from './journal-key.js';
import { serializeJournal, type Op } from './journal.js';
import { JOURNAL_PATH, MANIFEST_PATH, sha256 } from './manifest.js';

const KEY = randomBytes(32);
const FILES: GeneratedFile[] = [{ path: 'a/one.yaml', content: 'one: 1\n' }];

/** A root and, beside it, a folder of someone else's that must survive everything. */
function setup(): { root: string; outside: string; victim: string; listing: () => string[] } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-journal-'));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'out');
  fs.mkdirSync(path.join(root, '.aksfleet'), { recursive: true });
  fs.mkdirSync(outside);
  const victim = path.join(outside, 'v.txt');
  fs.writeFileSync(victim, 'keep me\n');
  const listing = () => walk(base);
  return { root, outside, victim, listing };
}

function walk(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = fs.lstatSync(p);
      if (st.isDirectory()) return [`${r}/`, ...walk(p, r)];
      return [st.isSymbolicLink() ? `${r} -> ${fs.readlinkSync(p)}` : `${r} ${fs.readFileSync(p, 'utf8').length}`];
    });
}

function plant(root: string, text: string): void {
  fs.writeFileSync(path.join(root, JOURNAL_PATH), text);
}

function refusedWithExit2(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (e: unknown) =>
      e instanceof InputError && e.exitCode === 2 && pattern.test(e.format()) && !/\n\s+at /.test(e.format()),
  );
}

/** Ops a pull request could ask for, one per line: each escapes the root in its own way. */
const ESCAPING: { name: string; ops: unknown[]; prepare?: (s: ReturnType<typeof setup>) => void }[] = [
  { name: 'delete ../', ops: [{ op: 'delete', path: '../out/v.txt' }] },
  { name: 'delete a/../../', ops: [{ op: 'delete', path: 'a/../../out/v.txt' }] },
  { name: 'delete absolute', ops: [{ op: 'delete', path: '/tmp/../etc/hostname' }] },
  { name: 'delete windows absolute', ops: [{ op: 'delete', path: 'C:/x' }] },
  { name: 'delete backslash', ops: [{ op: 'delete', path: '..\\out\\v.txt' }] },
  { name: 'delete NUL', ops: [{ op: 'delete', path: 'a\0b' }] },
  { name: 'delete the manifest', ops: [{ op: 'delete', path: MANIFEST_PATH }] },
  { name: 'delete ./', ops: [{ op: 'delete', path: './x' }] },
  { name: 'delete a number', ops: [{ op: 'delete', path: 7 }] },
  { name: 'rename from outside in', ops: [{ op: 'rename', from: '../out/v.txt', to: 'stolen.txt' }] },
  {
    name: 'rename from a staging-looking ../',
    ops: [{ op: 'rename', from: '.aksfleet/staging/../../../out/v.txt', to: 'stolen.txt' }],
  },
  { name: 'rename staged file out', ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: '../out/new.txt' }] },
  {
    name: 'rename staged file to absolute',
    ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: `/tmp/aksfleet-pwn-${process.pid}` }],
  },
  { name: 'rename a user file', ops: [{ op: 'rename', from: 'README.md', to: 'x.md' }] },
  {
    name: 'rename staged manifest elsewhere',
    ops: [{ op: 'rename', from: '.aksfleet/staging/manifest.json', to: '../out/m.json' }],
  },
  { name: 'rename over the journal', ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: JOURNAL_PATH }] },
  { name: 'rename with extra fields', ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: 'x', mode: 4095 }] },
  { name: 'an op this version never writes', ops: [{ op: 'rmtree', path: '../out' }] },
  { name: 'a shell op', ops: [{ op: 'exec', cmd: 'touch pwn' }] },
  { name: 'not an object', ops: ['../out/v.txt'] },
];

test(
  'a journal with ops this version never writes is refused ' +
    'before any op runs, even when signed with the right key',
  () => {
    for (const c of ESCAPING) {
      const s = setup();
      fs.mkdirSync(path.join(s.root, '.aksfleet/staging'));
      fs.writeFileSync(path.join(s.root, '.aksfleet/staging/0'), 'staged\n');
      // The harmless op first: nothing at all may run when any op is bad.
      const ops = [{ op: 'delete', path: 'a/one.yaml' }, ...c.ops];
      fs.mkdirSync(path.join(s.root, 'a'));
      fs.writeFileSync(path.join(s.root, 'a/one.yaml'), 'mine\n');
      plant(s.root, serializeJournal(KEY, s.root, ops as Op[]));
      const before = s.listing();
      for (const dryRun of [false, true]) {
        refusedWithExit2(
          () => writeGenerated(s.root, FILES, { journalKey: KEY, dryRun, force: true }),
          /refusing to replay the write journal: it asks for what aksfleet never does: ops\[1\]/,
        );
        assert.deepEqual(s.listing(), before, `${c.name}: nothing changed (dryRun ${dryRun})`);
      }
      assert.equal(fs.readFileSync(s.victim, 'utf8'), 'keep me\n', c.name);
    }
  },
);

test('signed ops through a symlinked folder (the root, staging, or a subfolder) are refused before any op runs', () => {
  const cases: { name: string; ops: Op[]; link: string }[] = [
    { name: 'delete through a symlinked folder', link: 'link', ops: [{ op: 'delete', path: 'link/v.txt' }] },
    {
      name: 'rename into a symlinked folder',
      link: 'link',
      ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: 'link/new.txt' }],
    },
    {
      name: 'rename out of a symlinked staging folder',
      link: '.aksfleet/staging',
      ops: [{ op: 'rename', from: '.aksfleet/staging/0', to: 'stolen.txt' }],
    },
  ];
  for (const c of cases) {
    const s = setup();
    if (c.link !== '.aksfleet/staging') {
      fs.mkdirSync(path.join(s.root, '.aksfleet/staging'));
      fs.writeFileSync(path.join(s.root, '.aksfleet/staging/0'), 'staged\n');
    } else {
      fs.writeFileSync(path.join(s.outside, '0'), 'outside staged-looking file\n');
    }
    fs.symlinkSync(s.outside, path.join(s.root, c.link));
    fs.writeFileSync(path.join(s.root, 'keep.yaml'), 'mine\n');
    plant(s.root, serializeJournal(KEY, s.root, [{ op: 'delete', path: 'keep.yaml' }, ...c.ops]));
    const before = s.listing();
    refusedWithExit2(() => writeGenerated(s.root, FILES, { journalKey: KEY, force: true }), /symlink/);
    assert.deepEqual(s.listing(), before, c.name);
  }
});

test(
  'a journal not signed by this user for this root is refused: ' +
    'unsigned (the issue example), other key, other root, edited',
  () => {
    const s = setup();
    const ops: Op[] = [{ op: 'delete', path: 'a/one.yaml' }];
    const other = setup();
    const planted = [
      `${JSON.stringify({ version: 1, ops: [{ op: 'delete', path: '../out/v.txt' }] })}\n`,
      `${JSON.stringify({ version: 1, ops })}\n`,
      serializeJournal(randomBytes(32), s.root, ops),
      serializeJournal(KEY, other.root, ops),
      serializeJournal(KEY, s.root, ops).replace('a/one.yaml', 'a/two.yaml'),
      serializeJournal(KEY, s.root, ops).replace(/"mac":"[0-9a-f]+"/, '"mac":"00"'),
      'not json',
      '{"version":2,"ops":[]}',
    ];
    fs.mkdirSync(path.join(s.root, 'a'));
    for (const text of planted) {
      fs.writeFileSync(path.join(s.root, 'a/one.yaml'), 'mine\n');
      plant(s.root, text);
      const before = s.listing();
      for (const dryRun of [false, true]) {
        refusedWithExit2(
          () => writeGenerated(s.root, FILES, { journalKey: KEY, dryRun, force: true }),
          /refusing to replay the write journal: .*(signature|never does|JSON|version 1).*Delete the file/s,
        );
        assert.deepEqual(s.listing(), before, text);
      }
    }
    assert.equal(fs.readFileSync(s.victim, 'utf8'), 'keep me\n');
  },
);

test('the journal of an interrupted run of ours is still completed (the signature round-trips)', () => {
  const s = setup();
  writeGenerated(s.root, FILES, { journalKey: KEY });
  fs.mkdirSync(path.join(s.root, '.aksfleet/staging'));
  fs.writeFileSync(path.join(s.root, '.aksfleet/staging/0'), 'two: 2\n');
  plant(
    s.root,
    serializeJournal(KEY, s.root, [
      { op: 'delete', path: 'a/one.yaml' },
      { op: 'rename', from: '.aksfleet/staging/0', to: 'b/two.yaml' },
    ]),
  );
  const r = writeGenerated(s.root, [{ path: 'b/two.yaml', content: 'two: 2\n' }], { journalKey: KEY });
  assert.equal(r.recovered, true);
  assert.deepEqual(r.unchanged, ['b/two.yaml']);
  assert.equal(fs.existsSync(path.join(s.root, 'a')), false);
  assert.equal(fs.existsSync(path.join(s.root, JOURNAL_PATH)), false);
});

test(
  'a manifest entry outside the root is refused with the entry named (exit 2); ' +
    'one through a symlink is never deleted',
  () => {
    const s = setup();
    for (const p of ['../out/v.txt', '/etc/hostname', 'a/../../out/v.txt', '.aksfleet/journal.json', 'a//b']) {
      fs.writeFileSync(
        path.join(s.root, MANIFEST_PATH),
        JSON.stringify({ generator: 'aksfleet', version: 1, files: { [p]: { sha256: sha256('keep me\n') } } }),
      );
      refusedWithExit2(
        () => writeGenerated(s.root, FILES, { journalKey: KEY, force: true }),
        new RegExp(`manifest\\.json: files: entry '${p.replace(/[.*/]/g, '\\$&')}' is not a path aksfleet writes`),
      );
    }
    fs.symlinkSync(s.outside, path.join(s.root, 'link'));
    fs.writeFileSync(
      path.join(s.root, MANIFEST_PATH),
      JSON.stringify({ generator: 'aksfleet', version: 1, files: { 'link/v.txt': { sha256: sha256('keep me\n') } } }),
    );
    const dry = writeGenerated(s.root, FILES, { journalKey: KEY, dryRun: true, force: true });
    assert.deepEqual(
      dry.conflicts.map((c) => `${c.path} ${c.reason}`),
      ['link/v.txt blocked'],
    );
    assert.equal(fs.readFileSync(s.victim, 'utf8'), 'keep me\n');
  },
);

test('the user journal key is created once, private (0600), in XDG_STATE_HOME, and refused when it is not a key', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-state-'));
  const dir = path.join(home, 'aksfleet');
  const k1 = loadJournalKey(dir);
  const k2 = loadJournalKey(dir);
  assert.equal(k1.length, 32);
  assert.deepEqual(k1, k2);
  assert.equal(fs.statSync(path.join(dir, 'journal.key')).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dir), ['journal.key']);
  fs.writeFileSync(path.join(dir, 'journal.key'), 'short\n');
  refusedWithExit2(() => loadJournalKey(dir), /not an aksfleet journal key/);
  const file = path.join(home, 'a-file');
  fs.writeFileSync(file, '');
  refusedWithExit2(
    () => loadJournalKey(path.join(file, 'aksfleet')),
    /cannot keep the write journal's key at .*ENOTDIR.*XDG_STATE_HOME/,
  );
});

test(
  'an output folder the file system refuses (EACCES, EROFS, ' +
    'ENOSPC...) is an InputError (exit 2) naming the path, not a bug',
  () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC']) {
      const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-denied-')), 'out');
      const denied = (p: string) => Object.assign(new Error(`${code}: refused, mkdir '${p}'`), { code, path: p });
      const wfs = {
        ...nodeFs,
        mkdir: (p: string) => {
          throw denied(p);
        },
      };
      assert.throws(
        () => writeGenerated(root, FILES, { journalKey: KEY, fs: wfs }),
        (e: unknown) =>
          e instanceof InputError &&
          e.exitCode === 2 &&
          e.message.startsWith(`cannot write the output to ${root}: `) &&
          e.message.includes(`(${code})`),
        code,
      );
    }
    // Any other failure stays what it is (a bug is exit 3, not a user error).
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aksfleet-denied-'));
    const wfs = {
      ...nodeFs,
      mkdir: () => {
        throw new Error('boom');
      },
    };
    assert.throws(
      () => writeGenerated(root, FILES, { journalKey: KEY, fs: wfs }),
      (e: unknown) => !(e instanceof InputError) && (e as Error).message === 'boom',
    );
  },
);

test('a planted .aksfleet/staging (a symlink out, or a folder) is removed, never written into or emptied through', () => {
  const s = setup();
  fs.symlinkSync(s.outside, path.join(s.root, '.aksfleet/staging'));
  const r = writeGenerated(s.root, FILES, { journalKey: KEY });
  assert.deepEqual(r.created, ['a/one.yaml']);
  assert.deepEqual(fs.readdirSync(s.outside), ['v.txt']);
  assert.equal(fs.readFileSync(s.victim, 'utf8'), 'keep me\n');
  assert.equal(fs.existsSync(path.join(s.root, '.aksfleet/staging')), false);
});
