/**
 * Incremental check in a long-lived process (the console, a watch mode): check the whole
 * repository once while recording each cluster's inputs, change one file, then check again only
 * the clusters whose inputs changed, with the build memos warm. Compiled code (dist/). The file is
 * restored afterwards. An experiment for docs/performance.md:
 *   node --import tsx bench/incremental-warm.ts REPO
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const { checkRepository } = await import(join(ROOT, 'dist/checks/index.js'));
const { DiskRepoFs } = await import(join(ROOT, 'dist/repo/repo-fs.js'));
const { InputRecorder, InputSet } = await import(join(ROOT, 'dist/incremental/inputs.js'));
const repo = process.argv[2]!;
const cpu = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);

const fs1 = new DiskRepoFs(repo);
const global = new InputRecorder(fs1);
const recs = new Map();
let c0 = process.cpuUsage();
let t0 = performance.now();
const full = checkRepository(global, {
  today: '2026-11-25',
  clusterFs: (c: { path: string }) => {
    const r = new InputRecorder(fs1);
    recs.set(c.path, r);
    return r;
  },
});
const fullRun = {
  ms: Math.round(performance.now() - t0),
  cpuMs: cpu(process.cpuUsage(c0)),
  clusters: full.clusters.length,
};
const set = InputSet.fromRecorders('warm', global, recs);
const out: Record<string, unknown> = { fullRun };
const first = (full.clusters[0] as { path: string }).path;
for (const [name, file] of [
  ['oneCluster', `${first}/aksfleet/workloads.yaml`],
  ['environmentOverlay', 'workloads/dev/kustomization.yaml'],
] as const) {
  const abs = join(repo, file);
  const before = readFileSync(abs, 'utf8');
  writeFileSync(abs, before + '# touched\n');
  try {
    c0 = process.cpuUsage();
    t0 = performance.now();
    const fs2 = new DiskRepoFs(repo);
    const cmp = set.compare(fs2);
    const r = checkRepository(fs2, {
      today: '2026-11-25',
      onlyClusters: (c: { path: string }) => cmp.global || cmp.changed.has(c.path),
    });
    out[name] = {
      file,
      ms: Math.round(performance.now() - t0),
      cpuMs: cpu(process.cpuUsage(c0)),
      clustersChecked: r.clusters.length,
      findings: r.findings.length,
    };
  } finally {
    writeFileSync(abs, before);
  }
}
out.load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
out.rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
