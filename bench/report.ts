/**
 * Prints the tables of docs/performance.md from bench/results.json (what `npm run bench` wrote):
 *   node --import tsx bench/report.ts
 */
import { readFileSync } from 'node:fs';

interface T {
  ms: number;
  cpuMs?: number;
  maxRssMb?: number;
  status: number;
}
interface Row {
  clusters: number;
  tenants: number;
  appsPerTenant: number;
  files: number;
  objects: number;
  generateMs: number;
  build: T & { memo?: { hits: number; misses: number } };
  check: T & { findings: number; objectsPerSecond: number; objectsPerCpuSecond?: number };
  incremental: {
    record: T;
    oneCluster: T & { changed: string; checkedClusters: number };
    environmentOverlay: T & { changed: string; checkedClusters: number };
  };
  kubectl?: { ms: number; cpuMs: number; folders: number; measured: number; extrapolated: boolean; failures: number };
  ratio?: { buildWall: number; buildCpu?: number; checkWall: number; checkCpu?: number };
  load: number;
}
const r = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as {
  machine: Record<string, unknown>;
  corpusHomeOps?: {
    aksfleet: T & { objects: number; fluxKustomizations: number };
    kubectl?: { ms: number; cpuMs: number; folders: number; failures: number };
    ratioWall?: number;
    ratioCpu?: number;
  };
  synthetic: Row[];
};
const s = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
const lines: string[] = [];
const m = r.machine;
lines.push(
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, kubectl kustomize ` +
    `${m.kubectl}, ${m.date}.`,
  '',
);
lines.push(
  '| clusters | files | objects | generate s | build wall / CPU s | check wall / CPU s | objects/s (wall / ' +
    'CPU) | check peak RSS MB | kubectl per folder wall / CPU s (folders) | build ratio wall / CPU | check ' +
    'ratio wall / CPU | load avg |',
);
lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const x of r.synthetic) {
  const k = x.kubectl;
  lines.push(
    `| ${x.clusters} | ${x.files} | ${x.objects} | ${s(x.generateMs)} | ${s(x.build.ms)} / ` +
      `${s(x.build.cpuMs)} | ${s(x.check.ms)} / ${s(x.check.cpuMs)} | ${x.check.objectsPerSecond} / ` +
      `${x.check.objectsPerCpuSecond ?? '-'} | ${x.check.maxRssMb ?? '-'} | ` +
      `${k ? `${s(k.ms)} / ${s(k.cpuMs)} (${k.folders}${k.extrapolated ? `, ${k.measured} run` : ''})` : '-'} ` +
      `| ${x.ratio ? `${x.ratio.buildWall}x / ${x.ratio.buildCpu ?? '-'}x` : '-'} | ` +
      `${x.ratio ? `${x.ratio.checkWall}x / ${x.ratio.checkCpu ?? '-'}x` : '-'} | ${x.load} |`,
  );
}
lines.push(
  '',
  "| clusters | record inputs at HEAD wall / CPU s | one cluster's file: clusters checked, wall / CPU s, RSS " +
    'MB | environment overlay: clusters checked, wall / CPU s, RSS MB |',
);
lines.push('|---:|---:|---:|---:|');
for (const x of r.synthetic) {
  const i = x.incremental;
  lines.push(
    `| ${x.clusters} | ${s(i.record.ms)} / ${s(i.record.cpuMs)} | ${i.oneCluster.checkedClusters}: ` +
      `${s(i.oneCluster.ms)} / ${s(i.oneCluster.cpuMs)}, ${i.oneCluster.maxRssMb} | ` +
      `${i.environmentOverlay.checkedClusters}: ${s(i.environmentOverlay.ms)} / ` +
      `${s(i.environmentOverlay.cpuMs)}, ${i.environmentOverlay.maxRssMb} |`,
  );
}
const h = r.corpusHomeOps;
if (h) {
  lines.push(
    '',
    `Corpus onedr0p/home-ops (${h.aksfleet.fluxKustomizations} Flux Kustomizations, ${h.aksfleet.objects} ` +
      `objects): aksfleet build ${s(h.aksfleet.ms)} s wall / ${s(h.aksfleet.cpuMs)} s CPU, ` +
      `${h.aksfleet.maxRssMb} MB; kubectl kustomize per folder (${h.kubectl?.folders} folders, ` +
      `${h.kubectl?.failures} failing) ${s(h.kubectl?.ms)} s / ${s(h.kubectl?.cpuMs)} s: ${h.ratioWall}x wall, ` +
      `${h.ratioCpu}x CPU.`,
  );
}
console.log(lines.join('\n'));
