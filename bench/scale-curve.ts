/**
 * The scale curve of one kustomization (issue #25, point 6): N small ConfigMaps in one file plus
 * one patch, N = 10,000 to 100,000, built by `aksfleet kustomize` (the compiled CLI bundle, as
 * users run it) and by the real kubectl's kustomize (the oracle kubectl-1.35), each measured in CPU
 * time (user + system: wall time on a shared 2-core machine says more about the neighbours) in
 * the same run. Both outputs must be byte-equal, or the row says so.
 *
 * Usage: npm run build && node --import tsx bench/scale-curve.ts [--sizes 10000,20000,40000,100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oracle } from '../test/oracles/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizesArg = process.argv.indexOf('--sizes');
const SIZES = (sizesArg > 0 ? process.argv[sizesArg + 1]! : '10000,20000,40000,100000').split(',').map(Number);

/** Runs a command under bash and returns its children's CPU time (bash `times`) and stdout. */
function cpuOf(cmd: string, args: string[], cwd: string): { cpuMs: number; out: string; status: number } {
  const outFile = join(cwd, 'out.yaml');
  const script = `"$@" > ${JSON.stringify(outFile)} 2>/dev/null; s=$?; times; echo "STATUS $s"`;
  const r = spawnSync('bash', ['-c', script, 'scale', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines = r.stdout.trim().split('\n');
  const toMs = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60000 + Number(m[2]) * 1000 : 0;
  };
  const child = (lines[lines.length - 2] ?? '').split(/\s+/);
  const status = Number(/STATUS (\d+)/.exec(r.stdout)?.[1] ?? -1);
  const out = spawnSync('cat', [outFile], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  return { cpuMs: Math.round(toMs(child[0] ?? '') + toMs(child[1] ?? '')), out, status };
}

const kubectl = oracle('kubectl-1.35').path;
const bundle = join(ROOT, 'dist/bundle/main.js');
/**
 * kubectl's kustomize is superlinear here: after a size that took it longer than this, it is not run on bigger ones.
 */
const PEER_BUDGET_MS = Number(process.env.SCALE_PEER_BUDGET_MS ?? 180_000);
let peerDone = false;
const rows: Record<string, unknown>[] = [];
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-scale-'));
  mkdirSync(join(dir, 'k'));
  writeFileSync(
    join(dir, 'k/objs.yaml'),
    Array.from(
      { length: n },
      (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\ndata:\n  k: v${i}\n`,
    ).join(''),
  );
  writeFileSync(
    join(dir, 'k/kustomization.yaml'),
    'resources:\n- objs.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: cm1\n  patch: |\n' +
      '    - op: add\n      path: /data/x\n      value: y\n',
  );
  const ours = cpuOf(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(bundle)}; process.exitCode = await main(process.argv.slice(1));`,
      '--',
      'kustomize',
      'k',
    ],
    dir,
  );
  if (peerDone) {
    rows.push({
      objects: n,
      aksfleetCpuMs: ours.cpuMs,
      kubectlCpuMs: null,
      note: `kubectl not run: it took over ${PEER_BUDGET_MS / 1000} s CPU at a smaller size`,
    });
  } else {
    const peer = cpuOf('timeout', [String(Math.ceil((PEER_BUDGET_MS * 4) / 1000)), kubectl, 'kustomize', 'k'], dir);
    peerDone = peer.cpuMs > PEER_BUDGET_MS || peer.status !== 0;
    rows.push({
      objects: n,
      aksfleetCpuMs: ours.cpuMs,
      kubectlCpuMs: peer.cpuMs,
      kubectlStatus: peer.status,
      ratio: +(peer.cpuMs / ours.cpuMs).toFixed(2),
      equal: ours.status === 0 && peer.status === 0 && ours.out === peer.out,
    });
  }
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
}
process.stdout.write(JSON.stringify({ date: new Date().toISOString().slice(0, 10), rows }, null, 2) + '\n');
