/**
 * Benchmark (not a test): how long promtool takes on the generated SLO rules and unit tests.
 * Usage: node --import tsx test/slo/bench-promtool.ts [repeats]   (needs promtool and /usr/bin/time)
 * Prints, per file, the median wall time and the median CPU time (user + system) of promtool;
 * CPU time is the number to compare on a shared, loaded machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { exampleFile } from '../../src/package-root.js';
import { generateSloTests } from '../../src/generators/slo/index.js';

const repeats = Number(process.argv[2] ?? '3');
if (spawnSync('promtool', ['--version']).status !== 0 || !existsSync('/usr/bin/time')) {
  console.error('needs promtool and /usr/bin/time');
  process.exit(2);
}
const fleet = parseFleet(readFileSync(exampleFile('fleet.yaml'), 'utf8'), 'fleet.yaml');
const dir = mkdtempSync(join(tmpdir(), 'aksfleet-slo-bench-'));
const files = generateSloTests(fleet);
for (const f of files) {
  mkdirSync(dirname(join(dir, f.path)), { recursive: true });
  writeFileSync(join(dir, f.path), f.content);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
for (const rules of files.filter((f) => f.path.endsWith('/rules.yaml'))) {
  const d = join(dir, dirname(rules.path));
  for (const args of [
    ['check', 'rules', 'rules.yaml'],
    ['test', 'rules', 'tests.yaml'],
    ['test', 'rules', 'tests-3d.yaml'],
  ]) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const r = spawnSync('/usr/bin/time', ['-f', '@@%e %U %S', 'promtool', ...args], { cwd: d, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`promtool ${args.join(' ')} failed in ${d}:\n${r.stdout}${r.stderr}`);
      const m = /@@([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr)!;
      wall.push(Number(m[1]));
      cpu.push(Number(m[2]) + Number(m[3]));
    }
    rows.push(
      `${dirname(rules.path)}  promtool ${args.join(' ')}  wall ${median(wall).toFixed(2)} s  cpu ` +
        `${median(cpu).toFixed(2)} s`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(rows.join('\n'));
