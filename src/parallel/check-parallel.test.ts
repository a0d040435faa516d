/**
 * checkRepositoryParallel gives exactly what one thread gives (findings, order, clusters) on a
 * generated fleet with findings in several clusters, with 2 and 3 workers; bad input is
 * reported as the sequential check reports it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { generateAll } from '../generators/index.js';
import { toYaml } from '../yaml/emit.js';
import { checkRepository } from '../checks/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { checkRepositoryParallel } from './check-parallel.js';

function writeRepo(files: { path: string; content: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-par-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

const fleet = syntheticFleet({ clusters: 7, tenants: 2, appsPerTenant: 1, seed: 11 });
const files = [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }];

test('parallel check: same findings in the same order and the same clusters as one thread (2 and 3 workers)', async () => {
  // A planted defect in one cluster so that findings come from a dev cluster too.
  const dev = fleet.spec.clusters.find((c) => c.environment === 'dev')!.name;
  const dir = writeRepo([
    ...files,
    {
      path: `clusters/${dev}/aksfleet/extra.yaml`,
      content:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\n  namespace: default\nspec:\n  containers:\n' +
        '  - name: c\n    image: nginx:latest\n',
    },
  ]);
  const kpath = join(dir, `clusters/${dev}/aksfleet/kustomization.yaml`);
  writeFileSync(
    kpath,
    (await import('node:fs')).readFileSync(kpath, 'utf8').replace('resources:\n', 'resources:\n- extra.yaml\n'),
  );
  const one = checkRepository(new DiskRepoFs(dir), { today: '2026-11-25' });
  const clusters = new Set(one.findings.map((f) => f.cluster));
  assert.ok(clusters.size >= 3, `findings in several clusters (${[...clusters].join(', ')})`);
  assert.ok(
    one.findings.some((f) => f.cluster === dev),
    'the planted defect is found',
  );
  for (const workers of [2, 3]) {
    const par = await checkRepositoryParallel(dir, { today: '2026-11-25' }, workers);
    assert.equal(par.ran, 'workers', `ran in workers (${par.workerError ?? ''})`);
    assert.equal(JSON.stringify(par.findings), JSON.stringify(one.findings), `${workers} workers: findings`);
    assert.deepEqual(par.clusters, one.clusters, `${workers} workers: clusters`);
    assert.deepEqual(
      par.rules.map((r) => r.id),
      one.rules.map((r) => r.id),
      `${workers} workers: the rules that ran`,
    );
  }
});

test('parallel check: the rules that ran are the configuration the workers read (a rule turned off in .aksfleet.yaml is not listed)', async () => {
  const dir = writeRepo([...files, { path: '.aksfleet.yaml', content: 'rules:\n  container-probes: off\n' }]);
  const one = checkRepository(new DiskRepoFs(dir), { today: '2026-11-25' });
  assert.ok(!one.rules.some((r) => r.id === 'container-probes'), 'the sequential check drops the rule');
  const par = await checkRepositoryParallel(dir, { today: '2026-11-25' }, 2);
  assert.equal(par.ran, 'workers', par.workerError ?? '');
  assert.deepEqual(
    par.rules.map((r) => r.id),
    one.rules.map((r) => r.id),
  );
});

test('parallel check: bad input is the sequential error', async () => {
  const dir = writeRepo(
    files.map((f) =>
      f.path === 'fleet.yaml' ? { ...f, content: f.content.replace('spec:', 'spec:\n  bogusField: 1') } : f,
    ),
  );
  let seq: unknown;
  try {
    checkRepository(new DiskRepoFs(dir), {});
  } catch (e) {
    seq = e;
  }
  assert.ok(seq instanceof Error, 'the sequential check refuses the fleet');
  await assert.rejects(checkRepositoryParallel(dir, {}, 2), (e: Error) => e.message === (seq as Error).message);
});
