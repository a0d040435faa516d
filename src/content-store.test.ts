/**
 * The content store gives back exactly what was put under exactly the same key and salt; a
 * corrupt, truncated or foreign entry is a miss with a note, never trusted; writes leave no
 * temporary file; eviction keeps the most recently used entries under the size bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskContentStore, entryBody, entryText } from './content-store.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'aksfleet-content-store-')), 'store');

test('an entry is found by exactly its key and salt', () => {
  const d = dir();
  const s = new DiskContentStore(d, { salt: 'engine-a', maxBytes: 1e6 });
  s.put('chart\0values-1', 'rendered 1');
  assert.equal(s.get('chart\0values-1'), 'rendered 1');
  assert.equal(s.get('chart\0values-2'), undefined);
  assert.equal(new DiskContentStore(d, { salt: 'engine-b', maxBytes: 1e6 }).get('chart\0values-1'), undefined);
  assert.equal(new DiskContentStore(d, { salt: 'engine-a', maxBytes: 1e6 }).get('chart\0values-1'), 'rendered 1');
  assert.deepEqual(
    readdirSync(d).filter((n) => n.endsWith('.tmp')),
    [],
  );
  assert.deepEqual(s.stats, { hits: 1, misses: 1, written: 1, corrupt: 0, evicted: 0 });
});

test('a salt given as a function is asked once, at the first key, and not by a store never used', () => {
  const d = dir();
  let asked = 0;
  const salt = () => {
    asked++;
    return 'engine-a';
  };
  const unused = new DiskContentStore(join(d, 'unused'), { salt, maxBytes: 1e6 });
  unused.finish();
  assert.equal(asked, 0);
  const s = new DiskContentStore(d, { salt, maxBytes: 1e6 });
  assert.equal(asked, 0);
  s.put('k', 'v');
  assert.equal(s.get('k'), 'v');
  assert.equal(asked, 1);
  // the same entries as the salt given as text
  assert.equal(new DiskContentStore(d, { salt: 'engine-a', maxBytes: 1e6 }).get('k'), 'v');
});

test('a corrupt, truncated or foreign entry is a miss with a note', () => {
  const d = dir();
  const s = new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 });
  s.put('k', 'the body of k');
  const [file] = readdirSync(d);
  const path = join(d, file!);
  const good = readFileSync(path, 'utf8');
  for (const bad of [
    good.replace('the body', 'The body'),
    good.slice(0, good.length - 3),
    good.slice(0, good.indexOf('\n')),
    entryText('0'.repeat(64), 'the body of k'),
  ]) {
    writeFileSync(path, bad);
    const t = new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 });
    assert.equal(t.get('k'), undefined, JSON.stringify(bad));
    assert.equal(t.stats.corrupt, 1);
    assert.match(t.notes[0]!, /corrupt entry \(its digest does not match its content\): ignored/);
  }
  writeFileSync(path, good);
  assert.equal(new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 }).get('k'), 'the body of k');
  assert.equal(entryBody(entryText('a', 'b\nc'), 'a'), 'b\nc');
});

test('a body beyond ASCII is hashed and read back as written; a changed byte in it is noticed', () => {
  const d = dir();
  const body = 'h\u00e9llo \u4e16\u754c \u{1f600}\n';
  new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 }).put('k', body);
  assert.equal(new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 }).get('k'), body);
  const [file] = readdirSync(d);
  const path = join(d, file!);
  const bytes = readFileSync(path);
  // The last byte of the emoji's four (0x80): a lone continuation byte is not UTF-8 any more.
  bytes[bytes.length - 2] = 0xff;
  writeFileSync(path, bytes);
  const t = new DiskContentStore(d, { salt: 'x', maxBytes: 1e6 });
  assert.equal(t.get('k'), undefined);
  assert.equal(t.stats.corrupt, 1);
});

test('eviction removes the least recently used entries down to 3/4 of the bound', () => {
  const d = dir();
  const body = 'x'.repeat(800); // about 955 bytes an entry: 5 of them go beyond 4,000, 3 fit in 3,000
  const s = new DiskContentStore(d, { salt: 's', maxBytes: 4000, now: () => 5_000_000 });
  const keys = ['a', 'b', 'c', 'd', 'e'];
  for (const k of keys) s.put(k, body);
  assert.equal(s.stats.written, 5);
  // a oldest ... e newest; then a is read (touched now): b and c are the least recently used.
  for (const [i, k] of keys.entries()) utimesSync(s.path(k), 1000 * (i + 1), 1000 * (i + 1));
  assert.equal(s.get('a'), body);
  writeFileSync(join(d, 'x.1-0.tmp'), 'a killed run');
  utimesSync(join(d, 'x.1-0.tmp'), 1, 1);
  s.finish();
  const left = new Set(readdirSync(d));
  assert.deepEqual(
    keys.map((k) => left.has(s.path(k).slice(d.length + 1))),
    [true, false, false, true, true],
  );
  assert.equal(s.stats.evicted, 2);
  assert.ok(!left.has('x.1-0.tmp'), "an old temporary file (a killed run's) goes");
});

test('a run that wrote nothing evicts nothing; an entry larger than a quarter of the bound is not kept', () => {
  const d = dir();
  const s = new DiskContentStore(d, { salt: 's', maxBytes: 400 });
  s.put('big', 'y'.repeat(200));
  assert.equal(s.stats.written, 0);
  assert.equal(s.get('big'), undefined);
  s.finish();
});
