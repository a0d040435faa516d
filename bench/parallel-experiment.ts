/**
 * Do worker threads across clusters pay on this machine? `aksfleet check` of a repository once in
 * the main thread, then split over W worker threads (clusters by index modulo W, each worker a
 * full checkRepository over its share), compiled code (dist/). Prints wall and CPU times and
 * whether the findings are the same set. An experiment for docs/performance.md, not a feature:
 *   node --import tsx bench/parallel-experiment.ts REPO [--workers 2]
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const repo = process.argv[2]!;
const W = Number(process.argv[process.argv.indexOf('--workers') + 1] || 2);
const code = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { checkRepository } = await import(${JSON.stringify(join(ROOT, 'dist/checks/index.js'))});
  const { DiskRepoFs } = await import(${JSON.stringify(join(ROOT, 'dist/repo/repo-fs.js'))});
  const fs = new DiskRepoFs(workerData.repo);
  let i = -1;
  const only = workerData.of > 1 ? () => (++i % workerData.of) === workerData.index : undefined;
  const r = checkRepository(fs, { today: '2026-11-25', ...(only ? { onlyClusters: only } : {}) });
  parentPort.postMessage({ findings: r.findings.map((f) => JSON.stringify(f)), clusters: r.clusters.length, cpu: process.cpuUsage() });
})();`;

function run(index: number, of: number): Promise<{ findings: string[]; clusters: number; cpu: NodeJS.CpuUsage }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { repo, index, of } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const c0 = process.cpuUsage();
let t0 = performance.now();
const one = await run(0, 1);
const oneMs = performance.now() - t0;
const c1 = process.cpuUsage(c0);
t0 = performance.now();
const parts = await Promise.all(Array.from({ length: W }, (_, i) => run(i, W)));
const wMs = performance.now() - t0;
const c2 = process.cpuUsage(c0);
const cpu = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);
const merged = new Set(parts.flatMap((p) => p.findings));
const same = merged.size === new Set(one.findings).size && one.findings.every((f) => merged.has(f));
console.log(
  JSON.stringify({
    clusters: one.clusters,
    workers: W,
    oneThread: { ms: Math.round(oneMs), cpuMs: cpu(c1) },
    workerThreads: { ms: Math.round(wMs), cpuMs: cpu(c2) - cpu(c1), clusters: parts.map((p) => p.clusters) },
    speedupWall: +(oneMs / wMs).toFixed(2),
    sameFindings: same,
    load: (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
  }),
);
