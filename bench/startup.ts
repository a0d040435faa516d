/**
 * Start-up (#21 item 5): `node -e 0`, `aksfleet --version` and `aksfleet check --list-rules` (the
 * compiled CLI, bin/aksfleet: `npm run build` first), interleaved round by round in one bash loop
 * so that all three meet the same load. Per run: wall time (bash EPOCHREALTIME) and CPU time (user
 * + system of the child, from bash `times` before and after, ms resolution). Reported: the
 * minimum and the median of each, the ratios of the minima to `node -e 0`'s, and the load average.
 * Part of `npm run bench`; alone: `node --import tsx bench/startup.ts [--runs 20] [--before DIR]`
 * (DIR: another checkout, built, whose bin/aksfleet runs in the same rounds).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

interface Samples {
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

function commands(before?: string): Record<string, readonly string[]> {
  const cli = join(ROOT, 'bin', 'aksfleet');
  return {
    node: ['-e', '0'],
    version: [cli, '--version'],
    listRules: [cli, 'check', '--list-rules'],
    // --before DIR: another checkout's compiled CLI (an older commit), in the same rounds.
    ...(before
      ? {
          versionBefore: [join(before, 'bin', 'aksfleet'), '--version'],
          listRulesBefore: [join(before, 'bin', 'aksfleet'), 'check', '--list-rules'],
        }
      : {}),
  };
}

const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;

/** Parses bash `times` output's second line (children): user and system seconds, in ms. */
function childCpuMs(times: string): number {
  const line = times.trim().split('\n').at(-1) ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60000 + Number(m[2]) * 1000, 0);
}

const min = (xs: readonly number[]) => Math.min(...xs);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

export function startup(runs: number, before?: string): Record<string, unknown> {
  const COMMANDS = commands(before);
  const names = Object.keys(COMMANDS);
  // One line per run: NAME WALL_US, then the `times` output (two lines) after it.
  const body = names
    .map(
      (n) =>
        `s=$EPOCHREALTIME; ${[process.execPath, ...COMMANDS[n]!].map(q).join(' ')} >/dev/null 2>&1; ` +
        `e=$EPOCHREALTIME; echo "@ ${n} $s $e"; times`,
    )
    .join('; ');
  const r = spawnSync('bash', ['-c', `for i in $(seq ${runs}); do ${body}; done`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`start-up bench failed: ${r.stderr}`);
  const samples: Record<string, Samples> = Object.fromEntries(names.map((n) => [n, { wallMs: [], cpuMs: [] }]));
  let lastCpu = 0;
  for (const chunk of r.stdout.split('@ ').slice(1)) {
    const [head, ...times] = chunk.split('\n');
    const [name, s, e] = head!.split(' ') as [string, string, string];
    const cpu = childCpuMs(times.join('\n'));
    samples[name]!.wallMs.push((Number(e) - Number(s)) * 1000);
    samples[name]!.cpuMs.push(cpu - lastCpu);
    lastCpu = cpu;
  }
  const stats = (x: Samples) => ({
    wallMinMs: round1(min(x.wallMs)),
    wallMedianMs: round1(median(x.wallMs)),
    cpuMinMs: round1(min(x.cpuMs)),
    cpuMedianMs: round1(median(x.cpuMs)),
  });
  const node = stats(samples.node!);
  const ratio = (x: ReturnType<typeof stats>) => ({
    wallRatio: +(x.wallMinMs / node.wallMinMs).toFixed(2),
    cpuRatio: +(x.cpuMinMs / node.cpuMinMs).toFixed(2),
  });
  const compared = Object.fromEntries(
    names
      .filter((n) => n !== 'node')
      .map((n) => {
        const x = stats(samples[n]!);
        return [n, { ...x, ...ratio(x) }];
      }),
  );
  return {
    runs,
    node,
    ...compared,
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => {
    const i = process.argv.indexOf(k);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  console.log(JSON.stringify(startup(Number(arg('--runs') ?? 20), arg('--before')), null, 2));
}
