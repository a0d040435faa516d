/**
 * `check --jobs N` workers share the persistent stores: threads of one process writing the same
 * entries of one content store folder at once leave only whole entries (each write goes to a
 * temporary file of its own process, thread and write, renamed over the entry).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DiskContentStore } from '../content-store.js';

const STORE = new URL('../content-store.ts', import.meta.url).href;

/** The body of entry `i`: large, so that writes of it overlap. */
const body = (i: number) => `entry ${i}\n${String(i % 10).repeat(400_000)}\n`;

/** A worker thread that writes entries 0..n-1 `rounds` times into the store folder `dir`. */
interface WriterStats {
  readonly written: number;
  readonly corrupt: number;
}

/** A worker thread that writes entries 0..n-1 `rounds` times into the store folder `dir`, reading others between. */
function writer(
  dir: string,
  n: number,
  rounds: number,
  gate: SharedArrayBuffer,
  threads: number,
): Promise<WriterStats> {
  const code = `(async () => {
    (await import('tsx/esm/api')).register();
    const { DiskContentStore } = await import(${JSON.stringify(STORE)});
    const { dir, n, rounds, gate, threads } = (await import('node:worker_threads')).workerData;
    const store = new DiskContentStore(dir, { salt: 's', maxBytes: 2 ** 30 });
    // Every thread starts writing at the same moment (the writes overlap).
    const g = new Int32Array(gate);
    Atomics.add(g, 0, 1);
    while (Atomics.load(g, 0) < threads) Atomics.wait(g, 0, Atomics.load(g, 0), 10);
    const body = ${body.toString()};
    let corrupt = 0;
    for (let r = 0; r < rounds; r++)
      for (let i = 0; i < n; i++) {
        store.put('k' + i, body(i));
        // What the other threads wrote meanwhile is read whole or not at all.
        const j = (i + 1 + r) % n;
        const got = store.get('k' + j);
        if (got !== undefined && got !== body(j)) corrupt++;
      }
    const { parentPort } = await import('node:worker_threads');
    parentPort.postMessage({ ...store.stats, corrupt: store.stats.corrupt + corrupt });
  })()`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { dir, n, rounds, gate, threads } });
    let stats: WriterStats | undefined;
    w.on('message', (m: WriterStats) => (stats = m));
    w.once('error', reject);
    w.once('exit', (c) => (c === 0 && stats ? resolve(stats) : reject(new Error(`worker exited with ${c}`))));
  });
}

test('threads writing the same entries at once leave whole entries and no temporary files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-store-threads-'));
  try {
    const n = 12;
    const gate = new SharedArrayBuffer(4);
    const stats = await Promise.all([0, 1, 2].map(() => writer(dir, n, 3, gate, 3)));
    for (const s of stats) {
      assert.equal(s.written, n * 3, 'every write of every thread landed');
      assert.equal(s.corrupt, 0, 'no thread read a partial entry');
    }
    const store = new DiskContentStore(dir, { salt: 's', maxBytes: 2 ** 30 });
    for (let i = 0; i < n; i++) assert.equal(store.get(`k${i}`), body(i), `entry ${i} is whole`);
    assert.equal(store.stats.corrupt, 0);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
