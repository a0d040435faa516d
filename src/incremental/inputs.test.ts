/**
 * Pooled recording (each cluster's questions kept as pool numbers, the recorder holding nothing)
 * saves exactly the input set of plain recorders (one Map of questions per cluster), whether the
 * check streams (each cluster's rules right after its render) or renders every cluster first
 * (rules then ask earlier clusters' recorders again, interleaved): same JSON, byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { checkRepository } from '../checks/index.js';
import { generateAll } from '../generators/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { toYaml } from '../yaml/emit.js';
import { InputRecorder, InputSet, QuestionPool } from './inputs.js';

const fleet = syntheticFleet({ clusters: 6, tenants: 2, appsPerTenant: 1, seed: 3 });
const dir = mkdtempSync(join(tmpdir(), 'aksfleet-inputs-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
for (const f of [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }]) {
  mkdirSync(dirname(join(dir, f.path)), { recursive: true });
  writeFileSync(join(dir, f.path), f.content);
}

function plain(keepContexts: boolean): string {
  const base = new DiskRepoFs(dir);
  const global = new InputRecorder(base);
  const clusters = new Map<string, InputRecorder>();
  checkRepository(global, {
    today: '2026-11-25',
    keepContexts,
    clusterFs: (c) => {
      const r = new InputRecorder(base);
      clusters.set(c.path, r);
      return r;
    },
  });
  return JSON.stringify(InputSet.fromRecorders('k', global, clusters));
}

function pooled(keepContexts: boolean): { json: string; recorders: InputRecorder[] } {
  const base = new DiskRepoFs(dir);
  const global = new InputRecorder(base);
  const pool = new QuestionPool();
  const clusters = new Map<string, number[]>();
  const recorders: InputRecorder[] = [];
  checkRepository(global, {
    today: '2026-11-25',
    keepContexts,
    clusterFs: (c) => {
      const ids: number[] = [];
      clusters.set(c.path, ids);
      const r = new InputRecorder(base, { pool, ids });
      recorders.push(r);
      return r;
    },
  });
  const set = InputSet.fromPool(
    'k',
    pool,
    [...global.questions].map(([q, a]) => pool.id(q, a)),
    clusters,
  );
  return { json: JSON.stringify(set), recorders };
}

test('pooled recording saves the same input set as plain recorders (streamed and kept checks)', () => {
  const want = plain(true);
  const j = JSON.parse(want) as { questions: unknown[]; clusters: Record<string, number[]> };
  assert.equal(Object.keys(j.clusters).length, fleet.spec.clusters.length, 'every cluster recorded');
  assert.ok(j.questions.length > 100, `${j.questions.length} questions`);
  assert.equal(plain(false), want, 'plain recorders: kept and streamed checks ask the same');
  for (const keep of [false, true]) {
    const p = pooled(keep);
    assert.equal(p.json, want, `pooled, keepContexts ${keep}`);
    assert.ok(
      p.recorders.every((r) => r.questions.size === 0),
      'a pooled recorder keeps no questions of its own',
    );
  }
});

test('a pooled id repeated after another recorder noted it counts once', () => {
  const pool = new QuestionPool();
  const a = { pool, ids: [] as number[] };
  const b = { pool, ids: [] as number[] };
  const fs = new DiskRepoFs(dir);
  const ra = new InputRecorder(fs, a);
  const rb = new InputRecorder(fs, b);
  ra.isFile('fleet.yaml');
  ra.isFile('fleet.yaml');
  rb.isFile('fleet.yaml');
  ra.isFile('fleet.yaml');
  ra.exists('nope');
  assert.deepEqual(a.ids, [0, 0, 1]);
  assert.deepEqual(b.ids, [0]);
  const set = InputSet.fromPool(
    'k',
    pool,
    [],
    new Map([
      ['a', a.ids],
      ['b', b.ids],
    ]),
  ).toJSON();
  assert.deepEqual(set.clusters, { a: [0, 1], b: [0] });
  assert.deepEqual(set.questions, [
    ['isFile\0fleet.yaml', 'true'],
    ['exists\0nope', 'false'],
  ]);
});
