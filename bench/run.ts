/**
 * `npm run bench`: aksfleet against its peers, measured in the same run on the same machine so
 * the ratios hold on a noisy machine. Not part of `npm test`.
 *
 *   1. whole-repo `aksfleet build` vs `kubectl kustomize` once per kustomization folder
 *      (what CI scripts and flux-local do), on the largest corpus repo and on synthetic fleets;
 *   2. `aksfleet check` throughput (objects/s), and the part of it that is the build;
 *   3. `aksfleet generate` time;
 *   4. incremental: `check --changed-since HEAD` after one file changes (one cluster's file, an
 *      environment overlay), after a first run that records the inputs at HEAD;
 *   5. peak resident memory of each aksfleet process;
 *   6. per build stage (src/flux/build/stages.ts), its runs and time in the whole-repo build;
 *   7. admission: `check` with the fleet's own policies (the default) against `check` with the
 *      admission rule off (`.aksfleet.yaml` `admission: off`), same fleet, same run (#17: at most +20%);
 *   8. charts on (#21): the synthetic fleets' add-ons at the versions ../shared/charts holds and
 *      mapped to it with --chart-source (build, check and incremental render their HelmReleases;
 *      home-ops pins chart versions ../shared/charts does not hold, so its build has no charts);
 *      HelmRelease rendering against
 *      `helm template` as a process on every chart, cold and warm (bench/helm-speed.ts);
 *   9. start-up: `--version` and `check --list-rules` against `node -e 0`, CPU and wall time,
 *      minimum and median of interleaved runs (bench/startup.ts).
 *
 * Results: bench/results.json and the table in docs/performance.md.
 * Usage: npm run bench [-- --sizes 10,100,1000] [--kubectl-sample N] [--kubectl PATH] [--no-charts] [--skip-helm]
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, tmpdir, platform, release } from 'node:os';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { sharedChartSourceArgs, syntheticFleet } from '../src/bench/synthetic-fleet.js';
import { helmSpeed } from './helm-speed.js';
import { startup } from './startup.js';
import { generateAll } from '../src/generators/index.js';
import { toYaml } from '../src/yaml/emit.js';
import { oracle } from '../test/oracles/index.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const args = process.argv.slice(2);
const argOf = (k: string, d: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1]! : d;
};
const SIZES = argOf('--sizes', '10,100,1000').split(',').map(Number);
const KUBECTL_SAMPLE = Number(argOf('--kubectl-sample', '60'));
/**
 * The peer: the oracle kubectl 1.35 (kustomize v5.7.1, what Flux 2.7+ runs; built by
 * test/oracles/build.sh), `--kubectl PATH` to use another, else `kubectl` on PATH.
 */
const KUBECTL = ((): string => {
  const given = argOf('--kubectl', '');
  if (given) return given;
  try {
    const k = oracle('kubectl-1.35');
    if (!k.skip) return k.path;
  } catch {
    // not built and cannot be: fall back to PATH
  }
  return 'kubectl';
})();
const SHARED_CHARTS = join(ROOT, '..', 'shared', 'charts', 'charts');
/** Charts on (#21): the add-ons rendered from ../shared/charts; --no-charts for the second round's setting. */
const CHARTS_ON = !args.includes('--no-charts') && existsSync(SHARED_CHARTS);
const CHART_ARGS = CHARTS_ON ? sharedChartSourceArgs(SHARED_CHARTS) : [];
const TENANTS = 20;
const APPS = 2;

interface Timed {
  ms: number;
  /** user + system CPU time of the process */
  cpuMs?: number;
  maxRssMb?: number;
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI in a child process; reports wall time and peak RSS. */
function cli(argv: string[], cwd: string): Timed {
  const wrapper = `import { main } from ${JSON.stringify(join(ROOT, 'dist/bundle/main.js'))};
const code = await main(process.argv.slice(1));
const u = process.resourceUsage();
process.stderr.write('\\n@@RSS ' + u.maxRSS + ' ' + Math.round((u.userCPUTime + u.systemCPUTime) / 1000) + '\\n');
process.exitCode = code;`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', wrapper, '--', ...argv], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t0;
  const m = /@@RSS (\d+) (\d+)/.exec(r.stderr);
  return {
    ms,
    cpuMs: m ? Number(m[2]) : undefined,
    maxRssMb: m ? Number(m[1]) / 1024 : undefined,
    status: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

function kustomizationDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      if (n === '.git' || n === 'node_modules' || n === '.aksfleet') continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'kustomization.yaml' || n === 'kustomization.yml' || n === 'Kustomization') {
        if (!/^kind:\s*Component/m.test(readFileSync(p, 'utf8'))) out.push(d);
      }
    }
  };
  walk(root);
  return out;
}

/**
 * kubectl kustomize once per folder, serially, as a CI script does: one bash loop, timed by wall
 * clock and by the CPU time of its children (bash's `times`), which a busy machine distorts less.
 */
function kubectlPerFolder(
  root: string,
  sample?: number,
): { ms: number; cpuMs: number; folders: number; measured: number; failures: number; extrapolated: boolean } {
  const dirs = kustomizationDirs(root);
  const pick = sample && dirs.length > sample ? dirs.filter((_, i) => i % Math.ceil(dirs.length / sample) === 0) : dirs;
  const list = join(mkdtempSync(join(tmpdir(), 'aksfleet-bench-k-')), 'dirs.txt');
  writeFileSync(list, pick.join('\n') + '\n');
  const script =
    `fail=0; while IFS= read -r d; do "$2" kustomize "$d" >/dev/null 2>&1 || fail=$((fail+1)); done < "$1"; ` +
    `echo "FAIL $fail"; times`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', list, KUBECTL], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = performance.now() - t0;
  const failures = Number(/FAIL (\d+)/.exec(r.stdout)?.[1] ?? 0);
  // `times` prints the shell's then the children's user and system times: "0m1.234s 0m0.567s".
  const lines = r.stdout.trim().split('\n');
  const toMs = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60000 + Number(m[2]) * 1000 : 0;
  };
  const child = (lines[lines.length - 1] ?? '').split(/\s+/);
  const cpu = toMs(child[0] ?? '') + toMs(child[1] ?? '');
  const extrapolated = pick.length < dirs.length;
  const k = extrapolated ? dirs.length / pick.length : 1;
  return { ms: wall * k, cpuMs: cpu * k, folders: dirs.length, measured: pick.length, failures, extrapolated };
}

function haveKubectl(): boolean {
  return spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

function writeTree(dir: string, files: { path: string; content: string }[]): void {
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, f.content);
  }
}

const results: Record<string, unknown> = {};
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
  kubectl: haveKubectl()
    ? (spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).stdout.match(
        /Kustomize Version: (\S+)/,
      )?.[1] ?? 'present')
    : 'absent',
  date: new Date().toISOString().slice(0, 10),
};
results.machine = machine;
console.error(`machine: ${JSON.stringify(machine)}`);

// Build the CLI once (tsc and the precompiled validators) so that child processes run compiled code.
const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (b.status !== 0) throw new Error('build failed');

// 1. The largest corpus repository.
const homeOps = join(CORPUS, 'onedr0p+home-ops');
if (existsSync(homeOps)) {
  // --summary: the exit is 2 on this repo (one configMapGenerator file is not in the corpus copy,
  // and kubectl fails on that folder too); the objects of everything else are still rendered.
  const ours = cli(['build', homeOps, '--path', 'kubernetes/flux/cluster', '--allow-missing-vars', '--summary'], ROOT);
  const m = /(\d+) Kustomizations, (?:[^\n]*?, )?(\d+) objects/.exec(ours.stdout);
  const peer = haveKubectl() ? kubectlPerFolder(homeOps) : undefined;
  results.corpusHomeOps = {
    aksfleet: {
      ms: Math.round(ours.ms),
      cpuMs: ours.cpuMs,
      status: ours.status,
      fluxKustomizations: Number(m?.[1] ?? 0),
      objects: Number(m?.[2] ?? 0),
      maxRssMb: ours.maxRssMb && Math.round(ours.maxRssMb),
    },
    kubectl: peer && { ...peer, ms: Math.round(peer.ms), cpuMs: Math.round(peer.cpuMs) },
    ratioWall: peer ? +(peer.ms / ours.ms).toFixed(1) : undefined,
    ratioCpu: peer && ours.cpuMs ? +(peer.cpuMs / ours.cpuMs).toFixed(1) : undefined,
  };
  console.error(`home-ops: ${JSON.stringify(results.corpusHomeOps)}`);
}

// 2-5. Synthetic fleets.
/** Whole-repo build (every cluster, no rules) in one child process of compiled code. */
function buildAll(dir: string): Timed & { objects?: number; memo?: unknown; stages?: unknown } {
  const script = `import { buildCluster, allResources } from ${JSON.stringify(join(ROOT, 'dist/flux/index.js'))};
import { DiskRepoFs } from ${JSON.stringify(join(ROOT, 'dist/repo/repo-fs.js'))};
import { createSession, fluxBuildOptions } from ${JSON.stringify(join(ROOT, 'dist/session/session.js'))};
const fs = new DiskRepoFs(process.argv[1]);
import { openChartStore } from ${JSON.stringify(join(ROOT, 'dist/helm/sources/store.js'))};
const mappings = JSON.parse(process.argv[2]);
const session = createSession({ timeStages: true, ...(Object.keys(mappings).length ? { helm: { store: openChartStore({ mappings }) } } : {}) });
let objects = 0;
for (const cluster of fs.list('clusters')) objects += allResources(buildCluster(fs, { cluster, allowMissingVars: true, ...fluxBuildOptions(session) })).length;
const u = process.resourceUsage();
process.stdout.write(JSON.stringify({ objects, memo: session.memo.stats(), stages: session.timings.list() }));
process.stderr.write('\\n@@RSS ' + u.maxRSS + ' ' + Math.round((u.userCPUTime + u.systemCPUTime) / 1000) + '\\n');`;
  const t0 = performance.now();
  const mappings = Object.fromEntries(
    CHART_ARGS.filter((_, i) => i % 2 === 1).map((a) => a.split('=') as [string, string]),
  );
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', dir, JSON.stringify(mappings)], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t0;
  const m = /@@RSS (\d+) (\d+)/.exec(r.stderr);
  let out: { objects?: number; memo?: unknown; stages?: unknown } = {};
  try {
    out = JSON.parse(r.stdout) as typeof out;
  } catch {
    // reported through status
  }
  return {
    ms,
    cpuMs: m ? Number(m[2]) : undefined,
    maxRssMb: m ? Number(m[1]) / 1024 : undefined,
    status: r.status ?? -1,
    stdout: '',
    stderr: r.stderr,
    ...out,
  };
}

function git(dir: string, argv: string[]): void {
  const r = spawnSync(
    'git',
    ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...argv],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
}

const round = (t: Timed) => ({
  ms: Math.round(t.ms),
  cpuMs: t.cpuMs,
  maxRssMb: t.maxRssMb && Math.round(t.maxRssMb),
  status: t.status,
});

const synthetic: unknown[] = [];
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), `aksfleet-bench-${n}-`));
  const t0 = performance.now();
  const fleet = syntheticFleet({
    clusters: n,
    tenants: TENANTS,
    appsPerTenant: APPS,
    seed: 7,
    sharedChartVersions: CHARTS_ON,
  });
  const files = generateAll(fleet);
  const genMs = performance.now() - t0;
  writeTree(dir, [...files, { path: 'fleet.yaml', content: toYaml(fleet) }]);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'synthetic fleet']);

  const build = buildAll(dir);
  console.error(`  ${n}: build ${JSON.stringify({ ...round(build), objects: build.objects, memo: build.memo })}`);
  const check = cli(['check', dir, '--format', 'json', ...CHART_ARGS], ROOT);
  let findings = 0;
  try {
    findings = (JSON.parse(check.stdout) as { findings?: unknown[] }).findings?.length ?? 0;
  } catch {
    // the json shape is the check command's; a parse failure shows as findings 0 and the status
  }
  console.error(`  ${n}: check ${JSON.stringify(round(check))}`);
  // Admission on (the check above) vs off: the same check with `admission: off`, run right after.
  const configFile = join(dir, '.aksfleet.yaml');
  const hadConfig = existsSync(configFile);
  const config = hadConfig ? readFileSync(configFile, 'utf8') : '';
  if (hadConfig && /^rules:/m.test(config))
    writeFileSync(configFile, config.replace(/^rules:\n/m, 'rules:\n  admission: off\n'));
  else writeFileSync(configFile, `${config}${config && !config.endsWith('\n') ? '\n' : ''}rules:\n  admission: off\n`);
  const noAdmission = cli(['check', dir, '--format', 'json', ...CHART_ARGS], ROOT);
  if (hadConfig) writeFileSync(configFile, config);
  else rmSync(configFile);
  const admission = {
    on: round(check),
    off: round(noAdmission),
    wallRatio: +(check.ms / noAdmission.ms).toFixed(3),
    cpuRatio: check.cpuMs && noAdmission.cpuMs ? +(check.cpuMs / noAdmission.cpuMs).toFixed(3) : undefined,
  };
  console.error(`  ${n}: admission ${JSON.stringify(admission)}`);

  // Incremental: `check --changed-since HEAD`. The first run records every cluster's inputs at
  // HEAD from git objects (once per commit); then one file changes in the working tree.
  const checkedClusters = (t: Timed) => {
    const m = /(\d+) cluster\(s\) to check/.exec(t.stderr);
    return m ? Number(m[1]) : /every cluster/.test(t.stderr) ? n : -1;
  };
  const record = cli(['check', dir, '--changed-since', 'HEAD', '--format', 'json', ...CHART_ARGS], ROOT);
  const incremental: Record<string, unknown> = { record: round(record) };
  const cases: [string, string][] = [
    ['oneCluster', `clusters/${fleet.spec.clusters[0]!.name}/aksfleet/workloads.yaml`],
    ['environmentOverlay', 'workloads/dev/kustomization.yaml'],
  ];
  for (const [name, changed] of cases) {
    writeFileSync(join(dir, changed), readFileSync(join(dir, changed), 'utf8') + '# touched\n');
    const t = cli(['check', dir, '--changed-since', 'HEAD', '--format', 'json', ...CHART_ARGS], ROOT);
    incremental[name] = { changed, checkedClusters: checkedClusters(t), ...round(t) };
    git(dir, ['checkout', '-q', '--', changed]);
  }
  console.error(`  ${n}: incremental ${JSON.stringify(incremental)}`);
  const peer = haveKubectl() ? kubectlPerFolder(dir, KUBECTL_SAMPLE) : undefined;
  const objects = build.objects ?? 0;
  const row = {
    clusters: n,
    charts: CHARTS_ON,
    tenants: TENANTS,
    appsPerTenant: APPS,
    files: files.length,
    objects,
    generateMs: Math.round(genMs),
    build: { ...round(build), memo: build.memo, stages: build.stages },
    check: {
      ...round(check),
      findings,
      objectsPerSecond: Math.round(objects / (check.ms / 1000)),
      objectsPerCpuSecond: check.cpuMs ? Math.round(objects / (check.cpuMs / 1000)) : undefined,
    },
    incremental,
    admission,
    kubectl: peer && { ...peer, ms: Math.round(peer.ms), cpuMs: Math.round(peer.cpuMs) },
    ratio: peer && {
      buildWall: +(peer.ms / build.ms).toFixed(1),
      buildCpu: build.cpuMs ? +(peer.cpuMs / build.cpuMs).toFixed(1) : undefined,
      checkWall: +(peer.ms / check.ms).toFixed(1),
      checkCpu: check.cpuMs ? +(peer.cpuMs / check.cpuMs).toFixed(1) : undefined,
    },
    load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  };
  synthetic.push(row);
  console.error(JSON.stringify(row));
  rmSync(dir, { recursive: true, force: true });
  // Partial results survive a long run that is stopped.
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify({ ...results, synthetic }, null, 2) + '\n');
}
results.synthetic = synthetic;
// 8. HelmRelease rendering against helm template as a process, every chart of ../shared/charts.
if (CHARTS_ON && !args.includes('--skip-helm')) {
  results.helm = await helmSpeed(3);
  console.error(`helm: ${JSON.stringify(results.helm)}`);
}
// 9. Start-up.
results.startup = startup(20);
console.error(`startup: ${JSON.stringify(results.startup)}`);
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.error(`wrote ${relative(process.cwd(), join(ROOT, 'bench', 'results.json'))}`);
