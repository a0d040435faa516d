/**
 * The recorded answers of `--changed-since` compared by stamps first: a question whose path kept
 * its stamp is not asked again, and nothing stale gets through: a file rewritten with the same
 * size and modification time (its change time moved), a file replaced by another (its inode
 * moved), a file changed within the second its stamp was taken (racy: never kept), a chart folder
 * edited in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DiskRepoFs, type RepoFs } from '../repo/repo-fs.js';
import { InputRecorder, InputSet } from './inputs.js';
import { treeStamp } from './disk-stamp.js';
import { mappedChartStamp } from './chart-inputs.js';
import { parseStatRecord, secondStartNs, statRecordText, workingTreeStamps } from './stat-record.js';

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-stat-'));
  made.push(dir);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
    utimesSync(join(dir, p), OLD, OLD);
  }
  return dir;
}

/** A modification time in whole seconds (restored exactly: a Date keeps only milliseconds). */
const OLD = 1_700_000_000;

/** The recorded inputs of two "clusters" reading a, b and listing their folder. */
function record(dir: string): InputSet {
  const base = new DiskRepoFs(dir);
  const global = new InputRecorder(base);
  global.isFile('fleet.yaml');
  const a = new InputRecorder(base);
  a.readFile('c/a/x.yaml');
  a.list('c/a');
  a.exists('c/a/missing.yaml');
  const b = new InputRecorder(base);
  b.readFile('c/b/x.yaml');
  b.isDir('c/b');
  return InputSet.fromRecorders(
    'k',
    global,
    new Map([
      ['c/a', a],
      ['c/b', b],
    ]),
  );
}

/** A second in the future: every stamp taken now is older than it (not racy). */
const later = () => Date.now() + 5000;

/** Compares twice as two runs would (the second with the first's record); returns the second. */
function twoRuns(dir: string, set: InputSet, between: () => void, now1 = later, fs: RepoFs = new DiskRepoFs(dir)) {
  const first = set.compare(fs, undefined, {
    stamp: workingTreeStamps(dir),
    known: new Map(),
    keepBeforeNs: secondStartNs(now1()),
  });
  assert.equal(first.answered, first.questions, 'no record: every question asked');
  const known = parseStatRecord(statRecordText('k', first.same), 'k')!;
  between();
  return set.compare(fs, undefined, { stamp: workingTreeStamps(dir), known, keepBeforeNs: secondStartNs(later()) });
}

const files = { 'fleet.yaml': 'kind: Fleet\n', 'c/a/x.yaml': 'a: 1\n', 'c/b/x.yaml': 'b: 1\n' };

test('unchanged stamps: no question is asked again, and nothing changed', () => {
  const dir = tree(files);
  const set = record(dir);
  const r = twoRuns(dir, set, () => {});
  assert.equal(r.answered, 0);
  assert.equal(r.global, false);
  assert.deepEqual([...r.changed], []);
  // Without stamps every question is asked: the same verdict.
  const plain = set.compare(new DiskRepoFs(dir));
  assert.equal(plain.answered, plain.questions);
  assert.deepEqual([...plain.changed], []);
});

test('a file rewritten with the same size and modification time is seen (its change time moved)', () => {
  const dir = tree(files);
  const set = record(dir);
  const file = join(dir, 'c/a/x.yaml');
  const r = twoRuns(dir, set, () => {
    writeFileSync(file, 'a: 2\n');
    utimesSync(file, OLD, OLD);
  });
  assert.deepEqual([...r.changed], ['c/a']);
  assert.equal(r.answered, 1, 'only the file whose stamp moved is read');
});

test('a file replaced by another of the same size and times is seen (its inode moved)', () => {
  const dir = tree(files);
  const set = record(dir);
  const file = join(dir, 'c/b/x.yaml');
  const r = twoRuns(dir, set, () => {
    writeFileSync(`${file}.new`, 'b: 2\n');
    utimesSync(`${file}.new`, OLD, OLD);
    renameSync(`${file}.new`, file);
  });
  assert.deepEqual([...r.changed], ['c/b']);
});

test('a new file in a listed folder is seen (the folder stamp moved)', () => {
  const dir = tree(files);
  const set = record(dir);
  const r = twoRuns(dir, set, () => writeFileSync(join(dir, 'c/a/missing.yaml'), 'x: 1\n'));
  assert.deepEqual([...r.changed], ['c/a']);
});

test('racy: a stamp taken within the second it changed is not kept, so the next run reads again', () => {
  const began = Date.now();
  const dir = tree(files);
  const set = record(dir);
  // The run began before the files were written: every file's stamp is racy, none is kept (a
  // path that does not exist has no time: its stamp is kept).
  const first = set.compare(new DiskRepoFs(dir), undefined, {
    stamp: workingTreeStamps(dir),
    known: new Map(),
    keepBeforeNs: secondStartNs(began),
  });
  assert.deepEqual([...first.same.values()], ['none']);
  // A subject whose stamp cannot move (a file system with coarse times) changed after the first
  // run took it: the second run still reads it, because the first did not keep its racy stamp.
  const frozen = () => ({ fp: 'frozen', changedNs: secondStartNs(Date.now()) });
  const run = (known: ReadonlyMap<number, string>) =>
    set.compare(new DiskRepoFs(dir), undefined, {
      stamp: frozen,
      known,
      keepBeforeNs: secondStartNs(Date.now()),
    });
  const r1 = run(new Map());
  assert.equal(r1.same.size, 0, 'racy stamps are not kept');
  writeFileSync(join(dir, 'c/b/x.yaml'), 'b: 2\n');
  const r2 = run(r1.same);
  assert.deepEqual([...r2.changed], ['c/b']);
});

test('a stamp that moved: asked again, and kept with its new stamp when the answer is the same', () => {
  const dir = tree(files);
  const set = record(dir);
  const file = join(dir, 'c/a/x.yaml');
  const r = twoRuns(dir, set, () => writeFileSync(file, 'a: 1\n'));
  assert.deepEqual([...r.changed], []);
  assert.equal(r.answered, 1);
  assert.equal(r.same.size, set.compare(new DiskRepoFs(dir)).questions);
});

test('a record of another key or version is no record', () => {
  assert.equal(parseStatRecord(statRecordText('k', new Map([[1, 'x']])), 'other'), undefined);
  assert.equal(parseStatRecord('{"version":2,"key":"k","same":[]}', 'k'), undefined);
  assert.equal(parseStatRecord('not json', 'k'), undefined);
  assert.deepEqual(
    [
      ...parseStatRecord(
        statRecordText(
          'k',
          new Map([
            [2, 'y'],
            [1, 'x'],
          ]),
        ),
        'k',
      )!,
    ],
    [
      [1, 'x'],
      [2, 'y'],
    ],
  );
});

test('a chart folder edited in place (same size and times) changes its tree stamp', () => {
  const dir = tree({ 'podinfo/Chart.yaml': 'name: podinfo\nversion: 1.0.0\n', 'podinfo/templates/a.yaml': 'x\n' });
  const before = treeStamp(dir)!;
  assert.deepEqual(treeStamp(dir), before, 'the same tree, the same stamp');
  const file = join(dir, 'podinfo/templates/a.yaml');
  writeFileSync(file, 'y\n');
  utimesSync(file, OLD, OLD);
  assert.notEqual(treeStamp(dir)!.fp, before.fp);
  const stamp = mappedChartStamp({ 'HelmRepository/flux-system/charts': dir });
  const q = JSON.stringify([
    'HelmRepository/flux-system/charts',
    'HelmRepository',
    'https://x',
    'podinfo',
    '',
    '',
    '',
    false,
  ]);
  assert.equal(stamp(`chart\0${q}`)!.fp, treeStamp(dir)!.fp);
  assert.equal(stamp(`chart\0${q.replace('flux-system/charts', 'flux-system/other')}`), undefined, 'not mapped: ask');
  assert.equal(treeStamp(dir, 2), undefined, 'too many entries: ask');
});
