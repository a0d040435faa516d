/**
 * Worker thread of openParallelCheck: for each pass asked (a message with the render settings),
 * checks its share of the clusters (discovery index modulo the number of workers) and posts plain
 * data back. Its session lives as long as the worker: a second pass reuses the builds whose
 * answers did not change (`--fetch-charts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkRepository } from '../checks/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { createSession } from '../session/session.js';
import { threadCheckOptions, type WorkerInput, type WorkerOutput, type WorkerPass } from './check-parallel.js';

const input = workerData as WorkerInput;
const session = createSession();

function pass(p: WorkerPass): WorkerOutput {
  try {
    const order = new Map<string, number>();
    let i = -1;
    const t = threadCheckOptions(input.root, { ...input.options, ...(p.render ? { render: p.render } : {}) }, session);
    const r = checkRepository(new DiskRepoFs(input.root), {
      ...t.options,
      onlyClusters: (c) => {
        i++;
        if (i % input.of !== input.index) return false;
        order.set(c.path, i);
        return true;
      },
    });
    return {
      ok: true,
      findings: r.findings,
      clusters: r.clusters.map((c) => ({ ...c, order: order.get(c.path) ?? -1 })),
      ruleIds: r.rules.map((x) => x.id),
      missedCharts: t.missed(),
      renders: t.renders(),
    };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

parentPort!.on('message', (p: WorkerPass) => parentPort!.postMessage(pass(p)));
