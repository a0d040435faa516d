/**
 * Worker thread of checkRepositoryParallel: checks its share of the clusters (discovery index
 * modulo the number of workers) and posts plain data back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkRepository } from '../checks/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { threadCheckOptions, type WorkerInput, type WorkerOutput } from './check-parallel.js';

const input = workerData as WorkerInput;
let out: WorkerOutput;
try {
  const order = new Map<string, number>();
  let i = -1;
  const t = threadCheckOptions(input.root, input.options);
  const r = checkRepository(new DiskRepoFs(input.root), {
    ...t.options,
    onlyClusters: (c) => {
      i++;
      if (i % input.of !== input.index) return false;
      order.set(c.path, i);
      return true;
    },
  });
  out = {
    ok: true,
    findings: r.findings,
    clusters: r.clusters.map((c) => ({ ...c, order: order.get(c.path) ?? -1 })),
    ruleIds: r.rules.map((x) => x.id),
    missedCharts: t.missed(),
  };
} catch (e) {
  out = { ok: false, message: (e as Error).message };
}
parentPort!.postMessage(out);
