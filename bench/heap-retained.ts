/**
 * Heap kept by a streaming check, per cluster: runs `checkRepository` in-process (as `aksfleet
 * check` does: `keepContexts: false`, the given `--chart-source` mappings) and, after every
 * `--every` clusters, forces a GC and prints the heap used; at the end (session still alive) it
 * can write a heap snapshot to compare retainers between fleet sizes.
 *   node --expose-gc --import tsx bench/heap-retained.ts REPO [--every 50] [--snapshot FILE] \
 *     [--chart-source KIND/NS/NAME=DIR ...]
 */
import { writeHeapSnapshot } from 'node:v8';
import { checkRepository } from '../src/checks/index.js';
import { DiskRepoFs } from '../src/repo/repo-fs.js';
import { withRenderSettings } from '../src/session/render-settings.js';
import { createSession } from '../src/session/session.js';

const args = process.argv.slice(2);
const root = args[0];
const gc = (globalThis as { gc?: () => void }).gc;
if (!root || root.startsWith('--') || !gc) {
  console.error('usage: node --expose-gc --import tsx bench/heap-retained.ts REPO [--every N] [--snapshot FILE]');
  process.exit(2);
}
const argOf = (k: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const chartSources: Record<string, string> = {};
args.forEach((a, i) => {
  if (a !== '--chart-source') return;
  const m = args[i + 1]!;
  const eq = m.indexOf('=');
  chartSources[m.slice(0, eq)] = m.slice(eq + 1);
});
const every = Number(argOf('--every') ?? '50');
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};
const session = withRenderSettings(createSession(), { chartSources }, root);
let n = 0;
const start = process.cpuUsage();
const res = checkRepository(new DiskRepoFs(root), {
  keepContexts: false,
  session,
  today: '2026-11-25',
  onClusterBuild: () => {
    n++;
    if (n % every === 0) console.log(`after ${n} clusters (before its rules): heap ${heapMb().toFixed(1)} MB`);
  },
});
const cpu = process.cpuUsage(start);
console.log(`end: ${res.clusters.length} clusters, ${res.findings.length} findings, heap ${heapMb().toFixed(1)} MB`);
console.log(
  `cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
const snap = argOf('--snapshot');
if (snap) console.log(`snapshot ${writeHeapSnapshot(snap)} (session holds ${session.diagnostics.length} diagnostics)`);
