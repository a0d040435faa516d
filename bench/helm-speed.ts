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
 *     digest, values, capabilities) answers; CPU per build (process.cpuUsage), best of --runs x 10;
 *   - in-build cold: what one HelmRelease costs a build the first time its chart is met. A fresh
 *     node process imports the render engines a build uses (dist/flux/render-engines.js; module
 *     loading is not counted, a build pays it once), then renders the chart once with nothing
 *     cached or pre-parsed (read from disk, values coalesced, schema validated, templates parsed
 *     and executed, manifests sorted), timed by process.cpuUsage and performance.now around the
 *     render only; best of --runs fresh processes. "after another": the same, in a fresh process
 *     that first rendered ONE other chart (the engine's JIT warm-up shared as in a build, this
 *     chart cold). The manifests it renders are compared with the process form's stdout.
 *
 * Every command of a chart runs once per round (helm, aksfleet, --before, in-build, after another),
 * --runs rounds.
 * Ratios are helm / aksfleet (higher is better for aksfleet). Prints JSON lines; used by bench/run.ts.
 * `--before DIR`: another checkout's compiled CLI (an older commit) run cold in the same rounds.
 * `--no-warm`: leave the warm render out. Wall times are the best of --runs too.
 * `--no-in-build`: leave the in-build columns out.
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
  /** In a build, cold: the render alone in a fresh process (module loading not counted), best of --runs. */
  readonly inBuild?: InBuildColumn;
  /** The same after one render of another chart in that process (`other`). */
  readonly inBuildAfterOther?: InBuildColumn & { readonly other: string };
  readonly warmCpuMs?: number;
  readonly coldRatio: number;
  readonly warmRatio?: number;
  /** Both sides failed to render (exit status of each, aksfleet's message). */
  readonly failed?: { helmStatus: number; aksfleetStatus: number; message: string };
  readonly sameOutput: boolean;
  readonly helmObjects: number;
  readonly warmObjects?: number;
}

/** One in-build column: CPU and wall of the render, helm's process CPU / that CPU, same text as the process form. */
export interface InBuildColumn {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly ratio: number;
  readonly sameOutput: boolean;
  /** The render failed (both forms must fail for sameOutput): its message. */
  readonly error?: string;
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

/** One run of a command: CPU time (user + system) of the child from bash's `times`, wall, stdout, exit status. */
function processRun(argv: string[], env: Record<string, string>): Measured & { stdout: string; status: number } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = argv.map(q).join(' ');
  const out = mkdtempSync(join(tmpdir(), 'aksfleet-helm-speed-'));
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `${cmd} > ${q(join(out, 'out'))} 2>/dev/null; echo "RC $?"; times`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const wallMs = performance.now() - t0;
  const status = Number(/RC (\d+)/.exec(r.stdout)?.[1] ?? -1);
  const lines = r.stdout.trim().split('\n');
  const toMs = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60000 + Number(m[2]) * 1000 : 0;
  };
  const child = (lines[lines.length - 1] ?? '').split(/\s+/);
  const stdout = readFileSync(join(out, 'out'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return { cpuMs: toMs(child[0] ?? '') + toMs(child[1] ?? ''), wallMs, stdout, status };
}

interface Measured {
  cpuMs: number;
  wallMs: number;
}

/** The best CPU and the best wall of several runs (each minimum on its own). */
function best<T extends Measured>(runs: readonly T[]): T {
  return {
    ...runs[runs.length - 1]!,
    cpuMs: Math.min(...runs.map((r) => r.cpuMs)),
    wallMs: Math.min(...runs.map((r) => r.wallMs)),
  };
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

/**
 * The in-build child: a fresh node process that imports the build's render engines (not timed),
 * renders `warmUp` first if given (not timed), then `target` once, timed around the render only.
 * Prints one JSON line: CPU and wall of the timed render, the text `helm template` would print for
 * it (CRDs with --include-crds, manifests, hooks: the defaults cases use no other output flag), or
 * the error. Plain JavaScript (node -e): no loader hooks in the measured process.
 */
const IN_BUILD_CHILD = `
const [engines, spec] = process.argv.slice(-2);
const { RENDER_ENGINES } = await import(engines);
const { target, warmUp } = JSON.parse(spec);
const opts = (c) => ({
  args: [c.release, c.dir],
  namespace: c.namespace,
  kubeVersion: c.kubeVersion,
  apiVersions: [],
  skipSchemaValidation: c.skipSchemaValidation,
});
if (warmUp) {
  try { RENDER_ENGINES.renderRelease(opts(warmUp)); } catch {}
}
const t0 = performance.now();
const u0 = process.cpuUsage();
let r, error;
try { r = RENDER_ENGINES.renderRelease(opts(target)); } catch (e) { error = String(e && e.message); }
const u = process.cpuUsage(u0);
const wallMs = performance.now() - t0;
let text;
if (r) {
  let manifest = '';
  if (target.includeCrds)
    for (const c of r.crds)
      manifest += '---\\n# Source: ' + c.filename + '\\n' + new TextDecoder().decode(c.data) + '\\n';
  for (const m of r.manifests) manifest += '---\\n# Source: ' + m.name + '\\n' + m.content + '\\n';
  text = manifest.trim() + '\\n';
  for (const h of r.hooks) text += '---\\n# Source: ' + h.path + '\\n' + h.manifest + '\\n';
}
console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, wallMs, text, error }));
`;

interface InBuildCase {
  readonly release: string;
  readonly dir: string;
  readonly namespace: string;
  readonly kubeVersion?: string;
  readonly skipSchemaValidation: boolean;
  readonly includeCrds: boolean;
}

function inBuildCase(c: Case): InBuildCase {
  const k = c.flags.indexOf('--kube-version');
  return {
    release: c.release,
    dir: join(CHARTS, 'charts', c.chart),
    namespace: c.namespace,
    ...(k >= 0 ? { kubeVersion: c.flags[k + 1]! } : {}),
    skipSchemaValidation: c.flags.includes('--skip-schema-validation'),
    includeCrds: c.flags.includes('--include-crds'),
  };
}

/** One fresh process: the render of `target` (after one render of `warmUp` if given), as the child measured it. */
function inBuildRun(target: Case, warmUp?: Case): Measured & { text?: string; error?: string } {
  const engines = join(ROOT, 'dist', 'flux', 'render-engines.js');
  const spec = JSON.stringify({ target: inBuildCase(target), ...(warmUp ? { warmUp: inBuildCase(warmUp) } : {}) });
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', IN_BUILD_CHILD, engines, spec], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`in-build child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured & { text?: string; error?: string };
}

/** The chart rendered first by the "after another" column: podinfo (gatekeeper before podinfo itself). */
function warmUpChart(cases: readonly Case[], c: Case): Case | undefined {
  const name = c.chart === 'podinfo' ? 'gatekeeper' : 'podinfo';
  return cases.find((x) => x.chart === name) ?? defaultsCases([name])[0];
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

/** Every chart's defaults case: helm as a process, aksfleet as a process (cold), in a build (cold), warm. */
export async function helmSpeed(
  runs = 3,
  only?: readonly string[],
  opts: { before?: string; warm?: boolean; inBuild?: boolean } = {},
): Promise<{ peer: string; rows: HelmSpeedRow[] } | undefined> {
  const peer = helmPeer();
  if (!peer) return undefined;
  const home = mkdtempSync(join(tmpdir(), 'aksfleet-helm-home-'));
  const env = { HELM_CACHE_HOME: join(home, 'c'), HELM_CONFIG_HOME: join(home, 'f'), HELM_DATA_HOME: join(home, 'd') };
  const rows: HelmSpeedRow[] = [];
  const cases = defaultsCases(only);
  for (const c of cases) {
    const args = ['template', c.release, join(CHARTS, 'charts', c.chart), '-n', c.namespace, ...c.flags];
    const helmRuns: ReturnType<typeof processRun>[] = [];
    const coldRuns: ReturnType<typeof processRun>[] = [];
    const beforeRuns: ReturnType<typeof processRun>[] = [];
    const inBuildRuns: ReturnType<typeof inBuildRun>[] = [];
    const afterRuns: ReturnType<typeof inBuildRun>[] = [];
    const other = warmUpChart(cases, c);
    for (let r = 0; r < runs; r++) {
      helmRuns.push(processRun([peer.path, ...args], env));
      coldRuns.push(processRun([process.execPath, join(ROOT, 'bin', 'aksfleet'), 'helm', ...args], env));
      if (opts.before)
        beforeRuns.push(processRun([process.execPath, join(opts.before, 'bin', 'aksfleet'), 'helm', ...args], env));
      if (opts.inBuild !== false) {
        inBuildRuns.push(inBuildRun(c));
        if (other) afterRuns.push(inBuildRun(c, other));
      }
    }
    const helm = best(helmRuns);
    const cold = best(coldRuns);
    const before = opts.before ? best(beforeRuns) : undefined;
    const sameAsCold = (x: { text?: string }) => (x.text === undefined ? cold.status !== 0 : x.text === cold.stdout);
    const inBuild = (xs: ReturnType<typeof inBuildRun>[]) =>
      xs.length === 0
        ? undefined
        : {
            cpuMs: +best(xs).cpuMs.toFixed(1),
            wallMs: +best(xs).wallMs.toFixed(1),
            ratio: +(helm.cpuMs / best(xs).cpuMs).toFixed(2),
            sameOutput: xs.every(sameAsCold),
            ...(xs[0]!.error !== undefined ? { error: xs[0]!.error } : {}),
          };
    const ib = inBuild(inBuildRuns);
    const after = inBuild(afterRuns);
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
              sameOutput: beforeRuns.every((b) => b.status === cold.status && b.stdout === cold.stdout),
            },
          }
        : {}),
      ...(ib ? { inBuild: ib } : {}),
      ...(after && other ? { inBuildAfterOther: { ...after, other: other.chart } } : {}),
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
    inBuild: !args.includes('--no-in-build'),
  });
  if (!r) {
    console.error('no helm oracle (helm-4.2 or helm-4.1) in the oracle cache');
    process.exit(1);
  }
  console.log(JSON.stringify({ ...r, load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] }, null, 2));
}
