/**
 * How long `aksfleet ui --watch` takes from a save to the page showing the new model (not a test:
 * the measurement of docs/performance.md). Runs the bundle (`npm run build` first) on a fleet made
 * by `bench/make-fleet.ts DIR --clusters 100 --charts`, opens Chromium on one cluster's Flux
 * Kustomization `workloads`, then saves its file with another `timeout` ROUNDS times (and back),
 * each time until the page shows the new value. Prints per save: the wall time from the save to
 * the page showing it, the recompute's wall and CPU (the console's terminal line), the console
 * process's CPU over the round (/proc, recompute plus the page's requests), the load average.
 *
 *   node --import tsx test/ui/watch-latency.ts DIR [ROUNDS] -- --chart-source ... (make-fleet's flags)
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { openPage } from './chromium.js';

const [dir, rounds = '4', ...rest] = process.argv.slice(2);
if (!dir) throw new Error('usage: watch-latency.ts DIR [ROUNDS] -- FLAGS');
const flags = rest.filter((a) => a !== '--');
const cluster = 'aks-dev-0000';
const file = join(dir, 'clusters', cluster, 'aksfleet/workloads.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** user + system CPU of a process, in ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

const child = spawn(
  process.execPath,
  [join(PACKAGE_ROOT, 'bin/aksfleet'), 'ui', dir, '--watch', '--port', '0', ...flags],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let out = '';
let err = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (err += d));
const started = performance.now();
while (!/^http:\/\/\S+\n/m.test(out) || !/watching \d+ folder/.test(err)) {
  if (child.exitCode !== null) throw new Error(err);
  await sleep(50);
}
const pid = child.pid!;
console.log(
  `first model: ${Math.round(performance.now() - started)} ms wall, console cpu ${cpuMs(pid)} ms, rss ${rssMb(pid)} MB`,
);
console.log(
  err
    .split('\n')
    .filter((l) => l.startsWith('aksfleet console'))
    .join('\n'),
);
const { browser, page } = await openPage();
try {
  const base = out.trim();
  await page.goto(`${base}#/object/${cluster}/${encodeURIComponent('Kustomization/flux-system/workloads')}`);
  await page.locator('#object-yaml', { hasText: 'timeout: 10m' }).waitFor({ timeout: 120_000 });
  console.log('save | page shows it (wall ms) | recompute wall ms | recompute cpu ms | console cpu ms | load');
  for (let i = 0; i < Number(rounds); i++) {
    const [from, to] = i % 2 === 0 ? ['timeout: 10m', 'timeout: 11m'] : ['timeout: 11m', 'timeout: 10m'];
    await sleep(1500);
    const lines = err.split('\n').length;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
    await page.locator('#object-yaml', { hasText: to }).waitFor({ timeout: 120_000 });
    const wall = performance.now() - t0;
    await sleep(200);
    const cpu = cpuMs(pid) - cpu0;
    const line =
      err
        .split('\n')
        .slice(lines - 1)
        .find((l) => / watch: /.test(l)) ?? '';
    const m = / in (\d+) ms \(cpu (\d+) ms\)/.exec(line);
    console.log(
      `${to} | ${Math.round(wall)} | ${m?.[1] ?? '?'} | ${m?.[2] ?? '?'} | ${cpu} | ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  ${line}`);
  }
  console.log(`rss after: ${rssMb(pid)} MB`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
