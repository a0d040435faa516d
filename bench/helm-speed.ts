/**
 * HelmRelease rendering against `helm template` as a process (#21 item 1), on the `defaults` case
 * of every chart of ../shared/charts (cases.tsv: its flags, the chart's own values):
 *
 *   - peer: `helm template` (the oracle helm-4.2, the Helm of Flux 2.9; else helm-4.1), a process
 *     per render, CPU time of the children from bash's `times`, best of --runs;
 *   - cold: `aksfleet helm template` as a process (the compiled bundle), same flags, same way;
 *   - warm: in one process, the chart as a HelmRelease (install.crds Create: the CRDs, as
 *     --include-crds; install.disableSchemaValidation for --skip-schema-validation) built by
 *     buildCluster again in the same session after a first build: the session's render memo (chart
 *     digest, values, capabilities) answers; CPU per build (process.cpuUsage), best of --runs x 10.
 *
 * Ratios are helm / aksfleet (higher is better for aksfleet). Prints JSON lines; used by bench/run.ts.
 * `--before DIR`: another checkout's compiled CLI (an older commit) run cold in the same rounds.
 * `--no-warm`: leave the warm render out. Wall times are the best of --runs too.
 * Usage: npm run build && node --import tsx bench/helm-speed.ts [--runs 3] [--charts a,b] [--before DIR] [--no-warm]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oracle } from '../test/oracles/index.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CHARTS = join(ROOT, '..', 'shared', 'charts');

export interface HelmSpeedRow {
  readonly chart: string;
  readonly flags: string;
  readonly helmCpuMs: number;
  readonly coldCpuMs: number;
  readonly helmWallMs: number;
  readonly coldWallMs: number;
  /** --before: that checkout's cold CPU and wall, and whether its stdout and exit status were the same. */
  readonly before?: { readonly cpuMs: number; readonly wallMs: number; readonly sameOutput: boolean };
  readonly warmCpuMs?: number;
  readonly coldRatio: number;
  readonly warmRatio?: number;
  /** Both sides failed to render (exit status of each, aksfleet's message). */
  readonly failed?: { helmStatus: number; aksfleetStatus: number; message: string };
  readonly sameOutput: boolean;
  readonly helmObjects: number;
  readonly warmObjects?: number;
}

/** The helm oracle to compare with: helm-4.2 (Flux 2.9), else helm-4.1. */
export function helmPeer(): { name: string; path: string } | undefined {
  for (const name of ['helm-4.2', 'helm-4.1']) {
    try {
      const o = oracle(name);
      if (!o.skip) return { name, path: o.path };
    } catch {
      // not built: try the next
    }
  }
  return undefined;
}

/** CPU time (user + system) of `runs` serial runs of a command, from bash's `times`; also the last stdout. */
function processCpu(
  argv: string[],
  runs: number,
  env: Record<string, string>,
): { cpuMs: number; wallMs: number; stdout: string; status: number } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = argv.map(q).join(' ');
  const out = mkdtempSync(join(tmpdir(), 'aksfleet-helm-speed-'));
  const best: number[] = [];
  const walls: number[] = [];
  let status = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('bash', ['-c', `${cmd} > ${q(join(out, 'out'))} 2>/dev/null; echo "RC $?"; times`], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    walls.push(performance.now() - t0);
    status = Number(/RC (\d+)/.exec(r.stdout)?.[1] ?? -1);
    const lines = r.stdout.trim().split('\n');
    const toMs = (t: string) => {
      const m = /(\d+)m([\d.]+)s/.exec(t);
      return m ? Number(m[1]) * 60000 + Number(m[2]) * 1000 : 0;
    };
    const child = (lines[lines.length - 1] ?? '').split(/\s+/);
    best.push(toMs(child[0] ?? '') + toMs(child[1] ?? ''));
  }
  const stdout = readFileSync(join(out, 'out'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return { cpuMs: Math.min(...best), wallMs: Math.min(...walls), stdout, status };
}

interface Case {
  chart: string;
  release: string;
  namespace: string;
  flags: string[];
}

function defaultsCases(only?: readonly string[]): Case[] {
  const rows = readFileSync(join(CHARTS, 'cases.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const seen = new Set<string>();
  const out: Case[] = [];
  for (const [chart, name, release, namespace, flags, values] of rows) {
    if (name !== 'defaults' || values !== '-' || seen.has(chart!) || (only && !only.includes(chart!))) continue;
    seen.add(chart!);
    out.push({ chart: chart!, release: release!, namespace: namespace!, flags: flags!.split(' ').filter(Boolean) });
  }
  return out;
}

/** The warm render: CPU per buildCluster of a one-HelmRelease cluster after a first build in the same session. */
async function warm(c: Case, runs: number): Promise<{ cpuMs: number; objects: number } | { error: string }> {
  const { buildCluster, allResources } = (await import(
    join(ROOT, 'dist/flux/index.js')
  )) as typeof import('../src/flux/index.js');
  const { DiskRepoFs } = (await import(join(ROOT, 'dist/repo/repo-fs.js'))) as typeof import('../src/repo/repo-fs.js');
  const { createSession, fluxBuildOptions } = (await import(
    join(ROOT, 'dist/session/session.js')
  )) as typeof import('../src/session/session.js');
  const { openChartStore } = (await import(
    join(ROOT, 'dist/helm/sources/store.js')
  )) as typeof import('../src/helm/sources/store.js');
  const version = /^version:\s*(\S+)/m.exec(readFileSync(join(CHARTS, 'charts', c.chart, 'Chart.yaml'), 'utf8'))![1]!;
  const kube = c.flags[c.flags.indexOf('--kube-version') + 1]!;
  const repo = mkdtempSync(join(tmpdir(), 'aksfleet-helm-warm-'));
  try {
    mkdirSync(join(repo, 'clusters', 'c'), { recursive: true });
    const install = c.flags.includes('--skip-schema-validation')
      ? '\n  install:\n    disableSchemaValidation: true'
      : '';
    writeFileSync(
      join(repo, 'clusters', 'c', 'release.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: https://charts.example.com
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${c.release}
  namespace: ${c.namespace}
spec:
  interval: 1h
  chart:
    spec:
      chart: ${c.chart}
      version: "${version}"
      sourceRef: { kind: HelmRepository, name: charts, namespace: flux-system }${install}
`,
    );
    const fs = new DiskRepoFs(repo);
    const session = createSession({
      buildMemo: false,
      helm: {
        store: openChartStore({ mappings: { 'HelmRepository/flux-system/charts': join(CHARTS, 'charts') } }),
        kubeVersion: kube,
      },
    });
    const build = () => buildCluster(fs, { cluster: 'c', ...fluxBuildOptions(session) });
    const first = build();
    const hr = first.helmReleases[0];
    if (hr?.status !== 'rendered')
      return { error: `not rendered: ${(hr?.errors[0] ?? hr?.warnings[0])?.message ?? 'no HelmRelease'}` };
    let best = Infinity;
    let objects = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < 10; i++) objects = allResources(build()).length;
      const d = process.cpuUsage(t0);
      best = Math.min(best, (d.user + d.system) / 1000 / 10);
    }
    return { cpuMs: best, objects: objects - 2 };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** Every chart's defaults case: helm as a process, aksfleet as a process (cold), aksfleet warm. */
export async function helmSpeed(
  runs = 3,
  only?: readonly string[],
  opts: { before?: string; warm?: boolean } = {},
): Promise<{ peer: string; rows: HelmSpeedRow[] } | undefined> {
  const peer = helmPeer();
  if (!peer) return undefined;
  const home = mkdtempSync(join(tmpdir(), 'aksfleet-helm-home-'));
  const env = { HELM_CACHE_HOME: join(home, 'c'), HELM_CONFIG_HOME: join(home, 'f'), HELM_DATA_HOME: join(home, 'd') };
  const rows: HelmSpeedRow[] = [];
  for (const c of defaultsCases(only)) {
    const args = ['template', c.release, join(CHARTS, 'charts', c.chart), '-n', c.namespace, ...c.flags];
    const helm = processCpu([peer.path, ...args], runs, env);
    const cold = processCpu([process.execPath, join(ROOT, 'bin', 'aksfleet'), 'helm', ...args], runs, env);
    const before = opts.before
      ? processCpu([process.execPath, join(opts.before, 'bin', 'aksfleet'), 'helm', ...args], runs, env)
      : undefined;
    const w = opts.warm === false ? undefined : await warm(c, runs);
    const helmObjects = helm.stdout.split(/^---/m).filter((d) => /^kind:/m.test(d)).length;
    rows.push({
      chart: c.chart,
      flags: c.flags.join(' '),
      helmCpuMs: Math.round(helm.cpuMs),
      coldCpuMs: Math.round(cold.cpuMs),
      helmWallMs: Math.round(helm.wallMs),
      coldWallMs: Math.round(cold.wallMs),
      ...(before
        ? {
            before: {
              cpuMs: Math.round(before.cpuMs),
              wallMs: Math.round(before.wallMs),
              sameOutput: before.status === cold.status && before.stdout === cold.stdout,
            },
          }
        : {}),
      coldRatio: +(helm.cpuMs / cold.cpuMs).toFixed(2),
      ...(w === undefined
        ? {}
        : 'error' in w
          ? { failed: { helmStatus: helm.status, aksfleetStatus: cold.status, message: w.error } }
          : { warmCpuMs: +w.cpuMs.toFixed(2), warmRatio: +(helm.cpuMs / w.cpuMs).toFixed(1), warmObjects: w.objects }),
      sameOutput: helm.status === cold.status && helm.stdout === cold.stdout,
      helmObjects,
    });
    console.error(JSON.stringify(rows[rows.length - 1]));
  }
  rmSync(home, { recursive: true, force: true });
  return { peer: peer.name, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const argOf = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
  const before = argOf('--before');
  const r = await helmSpeed(Number(argOf('--runs') ?? 3), argOf('--charts')?.split(','), {
    ...(before ? { before } : {}),
    warm: !args.includes('--no-warm'),
  });
  if (!r) {
    console.error('no helm oracle (helm-4.2 or helm-4.1) in the oracle cache');
    process.exit(1);
  }
  console.log(JSON.stringify({ ...r, load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] }, null, 2));
}
