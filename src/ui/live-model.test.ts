/**
 * The model swap of `aksfleet ui --watch` (live-model.ts) through the server: `/api/revision`
 * counts the models published, says when a recompute is under way and why the last one failed
 * (with where), and every API answer comes from the last complete model: the one before while a
 * recompute runs or after it failed (then marked stale), none before the first (503, said).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIXED_REVISION, startConsole } from './server.js';
import { LiveModel } from './live-model.js';
import type { ConsoleModel } from './model.js';

const model = (fleet: string): ConsoleModel => ({
  overview: { fleet, root: 'r', environments: [], clusters: [] },
  clusters: [],
  findings: [],
  promotions: [],
  upgrade: { available: false, note: 'none' },
  slos: [],
  objects: new Map(),
  sources: new Map(),
});

test('/api/revision and the model swap: the last complete model, stale after a failure, recovered after', async () => {
  const live = new LiveModel(true);
  const server = await startConsole({ model: () => live.current(), revision: () => live.revision(), port: 0 });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (p: string) => {
    const r = await fetch(`${base}${p}`);
    return { status: r.status, body: (await r.json()) as any };
  };
  try {
    // Before the first model: no half model, a 503 that says why.
    assert.deepEqual(await get('/api/fleet'), {
      status: 503,
      body: { error: 'the console is computing its first model: try again in a moment' },
    });
    assert.deepEqual((await get('/api/revision')).body, {
      watching: true,
      revision: 0,
      state: 'checking',
      stale: false,
    });

    live.publish(model('a'), { checked: 2, total: 2, ms: 5 }, new Date('2026-12-08T01:00:00Z'));
    assert.deepEqual(await get('/api/fleet'), { status: 200, body: model('a').overview });
    assert.deepEqual((await get('/api/revision')).body, {
      watching: true,
      revision: 1,
      updatedAt: '2026-12-08T01:00:00.000Z',
      state: 'ready',
      stale: false,
      last: { checked: 2, total: 2, ms: 5 },
    });

    // A recompute under way: the revision says so, answers still come from model a.
    live.checking();
    assert.equal((await get('/api/revision')).body.state, 'checking');
    assert.equal((await get('/api/fleet')).body.fleet, 'a');

    live.publish(model('b'), { checked: 1, total: 2, ms: 3 }, new Date('2026-12-08T01:00:05Z'));
    assert.equal((await get('/api/fleet')).body.fleet, 'b');
    assert.equal((await get('/api/revision')).body.revision, 2);

    // A failed recompute: model b stays, marked stale, with the error and where it is.
    live.checking();
    live.fail('fleet.yaml:3:5: invalid YAML', { file: 'fleet.yaml', line: 3, column: 5 });
    assert.equal((await get('/api/fleet')).body.fleet, 'b');
    assert.deepEqual((await get('/api/revision')).body, {
      watching: true,
      revision: 2,
      updatedAt: '2026-12-08T01:00:05.000Z',
      state: 'ready',
      stale: true,
      error: { message: 'fleet.yaml:3:5: invalid YAML', location: { file: 'fleet.yaml', line: 3, column: 5 } },
      last: { checked: 1, total: 2, ms: 3 },
    });

    // Fixed: a new model, no error, not stale.
    live.publish(model('c'), { checked: 1, total: 2, ms: 4 }, new Date('2026-12-08T01:00:09Z'));
    const r = (await get('/api/revision')).body;
    assert.equal(r.revision, 3);
    assert.equal(r.stale, false);
    assert.equal(r.error, undefined);
    assert.equal((await get('/api/fleet')).body.fleet, 'c');

    // The revision is guarded like every endpoint: a foreign Host is refused.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const port = (server.address() as AddressInfo).port;
      const req = request(
        { host: '127.0.0.1', port, path: '/api/revision', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('/api/revision of a console without --watch: revision 1, not watching', async () => {
  const server = await startConsole({ model: model('a'), port: 0 });
  try {
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/revision`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), FIXED_REVISION);
    assert.deepEqual(FIXED_REVISION, { watching: false, revision: 1, state: 'ready', stale: false });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
