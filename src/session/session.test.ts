/**
 * A session owns what one run shares: two sessions never see each other's memo; the
 * environment can turn the memo off; a build cache goes behind a new memo of the same session
 * (same diagnostics); and a cluster built in one session is served from its memo the next time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { generateAll } from '../generators/index.js';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { buildCluster } from '../flux/index.js';
import type { BuildCacheStore } from '../flux/build/build-cache.js';
import { createSession, fluxBuildOptions, sessionOptionsFromEnv, withBuildCache } from './session.js';

const fleet = syntheticFleet({ clusters: 2, tenants: 1, appsPerTenant: 1, seed: 11 });
const fs = new MemoryRepoFs(Object.fromEntries(generateAll(fleet).map((f) => [f.path, f.content])));
const cluster = fleet.spec.clusters[0]!.name;

test('session: builds share its memo; another session starts empty', () => {
  const a = createSession();
  const first = JSON.stringify(buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(a) }));
  const misses = a.memo!.stats().misses;
  assert.ok(misses > 0);
  assert.equal(JSON.stringify(buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(a) })), first);
  assert.equal(a.memo!.stats().misses, misses, 'the second build came from the memo');
  assert.ok(a.memo!.stats().hits > 0);
  const b = createSession();
  assert.equal(b.memo!.stats().entries, 0);
  buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(b) });
  assert.equal(b.memo!.stats().misses, misses, "b built everything itself: nothing of a's memo");
});

test('session: AKSFLEET_NO_BUILD_MEMO=1 turns the memo off; timings only when asked', () => {
  assert.equal(createSession(sessionOptionsFromEnv({ AKSFLEET_NO_BUILD_MEMO: '1' })).memo, undefined);
  assert.notEqual(createSession(sessionOptionsFromEnv({})).memo, undefined);
  assert.equal(createSession().timings, undefined);
  const timed = createSession({ timeStages: true });
  buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(timed) });
  assert.ok(timed.timings!.list().some((t) => t.stage === 'flux/kustomize-build' && t.runs > 0));
});

test('session: withBuildCache puts the store behind a new memo and keeps the diagnostics', () => {
  const asked: string[] = [];
  const store: BuildCacheStore = { get: (k) => void asked.push(k) as undefined, put: () => {} };
  const s = createSession();
  const c = withBuildCache(s, store);
  assert.notEqual(c.memo, s.memo);
  assert.equal(c.diagnostics, s.diagnostics);
  assert.equal(withBuildCache(s, undefined), s);
  buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(c) });
  assert.ok(asked.length > 0, 'the store was asked');
  assert.equal(withBuildCache(createSession({ buildMemo: false }), store).memo, undefined, 'no memo: no store either');
});

test('session: the render count sees every cluster build given fluxBuildOptions, by view and path, and no other', () => {
  const s = createSession();
  buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(s) });
  buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(s) });
  buildCluster(fs, { cluster, allowMissingVars: true }); // not through the session: not counted
  assert.deepEqual(s.renders.entries(), [{ view: fs.label, path: `clusters/${cluster}`, count: 2 }]);
  assert.equal(s.renders.of(fs.label, `clusters/${cluster}`), 2);
  assert.equal(s.renders.of('other', `clusters/${cluster}`), 0);
  assert.deepEqual(createSession().renders.entries(), [], 'another session counts on its own');
});
