/**
 * storedValidator: a validator kept as code is loaded with V8's code cache kept beside it (made on
 * the first load, used on the next ones), and gives the same answers with it, without it, and with
 * a cache that is not this code's (V8 refuses it; the code is parsed and a new cache kept).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiskContentStore, type ContentStore } from '../content-store.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { storedValidator } from './stored-validator.js';

class MemoryStore implements ContentStore {
  readonly entries = new Map<string, string>();
  readonly puts: string[] = [];
  get(key: string): string | undefined {
    return this.entries.get(key);
  }
  put(key: string, text: string): void {
    this.puts.push(key);
    this.entries.set(key, text);
  }
}

const schema = (max: number) => ({
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z]+$' }, size: { type: 'integer', maximum: max } },
  required: ['name'],
  additionalProperties: false,
});

function load(store: ContentStore, key: string, max: number): ValidateFunction {
  return storedValidator(store, key, () => {
    const ajv = new Ajv({ allErrors: true, code: { source: true } });
    return { ajv, fn: ajv.compile(schema(max)) };
  });
}

const OBJECTS = [
  { name: 'ab', size: 3 },
  { name: 'AB' },
  { size: 99 },
  { name: 'x', extra: 1 },
  { name: 'y', size: 11 },
];
const answers = (fn: ValidateFunction) =>
  OBJECTS.map((o) => [fn(o), (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)]);

const cacheKeys = (s: MemoryStore) => [...s.entries.keys()].filter((k) => k.startsWith('v8 code cache 1\0'));

test('the code is kept, then V8 code cache beside it, then both are used', () => {
  const store = new MemoryStore();
  const compiled = answers(load(store, 'k', 10));
  assert.deepEqual(store.puts, ['k'], 'the first run keeps the code');
  assert.deepEqual(answers(load(store, 'k', 10)), compiled);
  assert.equal(store.puts.length, 2, 'the first load keeps its code cache');
  assert.equal(cacheKeys(store).length, 1);
  assert.ok(Buffer.from(store.entries.get(cacheKeys(store)[0]!)!, 'base64').length > 0);
  assert.deepEqual(answers(load(store, 'k', 10)), compiled);
  assert.equal(store.puts.length, 2, 'a load with a cache V8 takes keeps nothing new');
});

/**
 * One load in a fresh process (V8 keeps what a process compiled by source text, so a second
 * compile of the same code in one process never looks at the cache): its answers and how many
 * entries it wrote.
 */
function loadInProcess(dir: string, key: string, max: number): { answers: unknown; written: number } {
  const here = (f: string) => JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'src', f)).href);
  const script = [
    `import { Ajv } from 'ajv';`,
    `import { DiskContentStore } from ${here('content-store.ts')};`,
    `import { storedValidator } from ${here('schemas/stored-validator.ts')};`,
    `const store = new DiskContentStore(${JSON.stringify(dir)}, { salt: 's', maxBytes: 1e8 });`,
    `const schema = ${JSON.stringify(schema(max))};`,
    `const fn = storedValidator(store, ${JSON.stringify(key)}, () => {`,
    `  const ajv = new Ajv({ allErrors: true, code: { source: true } });`,
    `  return { ajv, fn: ajv.compile(schema) };`,
    `});`,
    `const objects = ${JSON.stringify(OBJECTS)};`,
    `const answers = objects.map((o) => [fn(o), (fn.errors ?? []).map((e) => e.instancePath + ' ' + e.message)]);`,
    `console.log(JSON.stringify({ answers, written: store.stats.written }));`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { answers: unknown; written: number };
}

test("a cache that is not this code's is refused by V8: the same answers, and a new cache is kept", () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'aksfleet-stored-validator-')), 'store');
  const compiled = loadInProcess(dir, 'k', 10);
  assert.equal(compiled.written, 1, 'the code');
  assert.deepEqual(loadInProcess(dir, 'k', 10), { answers: compiled.answers, written: 1 }, 'its code cache');
  assert.deepEqual(loadInProcess(dir, 'k', 10), { answers: compiled.answers, written: 0 }, 'the cache used');
  const other = join(mkdtempSync(join(tmpdir(), 'aksfleet-stored-validator-')), 'store');
  loadInProcess(other, 'o', 1000);
  loadInProcess(other, 'o', 1000);
  const store = new DiskContentStore(dir, { salt: 's', maxBytes: 1e8 });
  const theirs = new DiskContentStore(other, { salt: 's', maxBytes: 1e8 });
  const code = store.get('k')!;
  const cacheKey = (text: string) =>
    `v8 code cache 1\0${process.version}\0${process.arch}\0${createHash('sha256').update(text).digest('hex')}`;
  const foreign = theirs.get(cacheKey(theirs.get('o')!))!;
  assert.ok(foreign && store.get(cacheKey(code)), 'both caches are where the test looks');
  for (const bad of [foreign, Buffer.from('not a V8 cache').toString('base64')]) {
    store.put(cacheKey(code), bad);
    assert.deepEqual(loadInProcess(dir, 'k', 10), { answers: compiled.answers, written: 1 }, 'a new cache is kept');
    assert.notEqual(store.get(cacheKey(code)), bad);
  }
});

test('another code of the same length in the entry gives its own answers, never the cached code', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'aksfleet-stored-validator-')), 'store');
  loadInProcess(dir, 'k', 10);
  assert.equal(loadInProcess(dir, 'k', 10).written, 1, 'its code cache');
  const other = join(mkdtempSync(join(tmpdir(), 'aksfleet-stored-validator-')), 'store');
  const twelve = loadInProcess(other, 'k', 12);
  const store = new DiskContentStore(dir, { salt: 's', maxBytes: 1e8 });
  const code12 = new DiskContentStore(other, { salt: 's', maxBytes: 1e8 }).get('k')!;
  assert.equal(code12.length, store.get('k')!.length);
  assert.notEqual(code12, store.get('k'));
  // The entry of 'k' now holds the other code (maximum 12): the validator is that code's.
  store.put('k', code12);
  const loaded = loadInProcess(dir, 'k', 10);
  assert.deepEqual(loaded.answers, twelve.answers);
  assert.notDeepEqual(loaded.answers, loadInProcess(join(dir, 'fresh'), 'k', 10).answers);
});
