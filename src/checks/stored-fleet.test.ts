/**
 * The fleet spec's load kept in a content store: the stored result is the load's own (deep equal,
 * prototypes and undefined fields included), it is used only while every file the load read is
 * unchanged, and a load that fails fails the same way with or without the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { appendFileSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import type { ContentStore } from '../content-store.js';
import { generateAll } from '../generators/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { toYaml } from '../yaml/emit.js';
import { loadRepoFleet } from './render.js';
import { loadRepoFleetStored } from './stored-fleet.js';

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function fleetRepo(): string {
  const fleet = syntheticFleet({ clusters: 4, tenants: 2, appsPerTenant: 1, seed: 9 });
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-stored-fleet-'));
  made.push(dir);
  for (const f of [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }]) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

/** A store in memory that counts what it was asked. */
function memoryStore() {
  const entries = new Map<string, string>();
  const counts = { hits: 0, puts: 0 };
  const store: ContentStore = {
    get: (k) => {
      const v = entries.get(k);
      if (v !== undefined) counts.hits++;
      return v;
    },
    put: (k, v) => {
      counts.puts++;
      entries.set(k, v);
    },
  };
  return { store, entries, counts };
}

test('a stored load is the load itself, and is used while its files are unchanged', () => {
  const dir = fleetRepo();
  const fs = () => new DiskRepoFs(dir);
  const fresh = loadRepoFleet(fs());
  assert.ok(fresh && fresh.infra.clusters.length === 4);
  assert.ok(readdirSync(join(dir, 'infra/clusters')).length > 0, 'the fleet has infra/ files the load reads');
  const m = memoryStore();
  const first = loadRepoFleetStored(fs(), m.store);
  assert.equal(m.counts.puts, 1);
  const second = loadRepoFleetStored(fs(), m.store);
  assert.equal(m.counts.hits, 1, 'the second load comes from the store');
  assert.equal(m.counts.puts, 1);
  assert.ok(isDeepStrictEqual(first, fresh));
  assert.ok(isDeepStrictEqual(second, fresh), 'the stored result is the load, field for field');
});

test('an infra file changed: the stored entry is not used', () => {
  const dir = fleetRepo();
  const m = memoryStore();
  const before = loadRepoFleetStored(new DiskRepoFs(dir), m.store)!;
  const name = readdirSync(join(dir, 'infra/clusters')).sort()[0]!;
  appendFileSync(join(dir, `infra/clusters/${name}/main.bicep`), "output extraVar string = 'x'\n");
  const after = loadRepoFleetStored(new DiskRepoFs(dir), m.store)!;
  const fresh = loadRepoFleet(new DiskRepoFs(dir))!;
  assert.ok(isDeepStrictEqual(after, fresh));
  assert.ok(!isDeepStrictEqual(after, before), 'the change is seen');
  assert.ok(after.outputsByCluster[name]!.includes('extraVar'));
});

test('a bad fleet spec: the same error with and without the store, and nothing kept', () => {
  const dir = fleetRepo();
  const m = memoryStore();
  loadRepoFleetStored(new DiskRepoFs(dir), m.store);
  appendFileSync(join(dir, 'fleet.yaml'), 'bogusField: 1\n');
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error & { format?: () => string }).format?.() ?? (e as Error).message;
    }
    return 'no error';
  };
  const plain = message(() => loadRepoFleet(new DiskRepoFs(dir)));
  assert.notEqual(plain, 'no error');
  assert.equal(
    message(() => loadRepoFleetStored(new DiskRepoFs(dir), m.store)),
    plain,
  );
  assert.equal(
    message(() => loadRepoFleetStored(new DiskRepoFs(dir), m.store)),
    plain,
  );
  assert.equal(m.counts.puts, 1, 'only the good load was kept');
});

test('an entry that is not one is a miss', () => {
  const dir = fleetRepo();
  const m = memoryStore();
  loadRepoFleetStored(new DiskRepoFs(dir), m.store);
  for (const k of m.entries.keys()) m.entries.set(k, '{"inputs":');
  const r = loadRepoFleetStored(new DiskRepoFs(dir), m.store);
  assert.ok(isDeepStrictEqual(r, loadRepoFleet(new DiskRepoFs(dir))));
  assert.equal(m.counts.puts, 2);
});
