/**
 * Worker thread of openParallelCheck: for each pass asked (a message with the render settings),
 * checks its share of the clusters (discovery index modulo the number of workers) and posts plain
 * data back. Its session lives as long as the worker: a second pass reuses the builds whose
 * answers did not change (`--fetch-charts`). With `stores`, the session reads and fills the
 * repository's build cache and content stores, as the main thread's would; each pass ends by
 * writing the builds it made and evicting beyond the stores' bounds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkRepository } from '../checks/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { createSession, withBuildCache, withContentStores } from '../session/session.js';
import { openBuildCache, openContentStores } from '../incremental/build-cache-dir.js';
import { threadCheckOptions, type WorkerInput, type WorkerOutput, type WorkerPass } from './check-parallel.js';

const input = workerData as WorkerInput;
const cache = input.stores ? openBuildCache(input.root) : undefined;
const stores = input.stores ? openContentStores(input.root, input.stores.env) : undefined;
const session = withContentStores(withBuildCache(createSession(), cache), stores);
/** The stores' notes already posted (`finish` gives them all, each pass). */
const said = new Set<string>();

/** Ends a pass's use of the stores (eviction beyond their bounds); returns the notes not posted yet. */
function finishStores(): string[] {
  const notes = stores ? stores.finish().slice(1) : [];
  const fresh = notes.filter((n) => !said.has(n));
  for (const n of fresh) said.add(n);
  return fresh;
}

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
      storeNotes: finishStores(),
    };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  } finally {
    cache?.flush();
  }
}

parentPort!.on('message', (p: WorkerPass) => parentPort!.postMessage(pass(p)));
