/**
 * Writes a synthetic fleet repository (fleet.yaml + everything `generate` writes) into a
 * directory, for profiling and for trying `aksfleet check` by hand at scale:
 *   node --import tsx bench/make-fleet.ts DIR [--clusters 100] [--tenants 20] [--apps 2] [--charts]
 * With --charts the add-on versions are the ones ../shared/charts holds, and the `--chart-source`
 * arguments that make their HelmReleases render are printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedChartSourceArgs, syntheticFleet } from '../src/bench/synthetic-fleet.js';
import { generateAll } from '../src/generators/index.js';
import { toYaml } from '../src/yaml/emit.js';

const args = process.argv.slice(2);
const argOf = (k: string, d: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1]! : d;
};
const dir = args[0];
if (!dir || dir.startsWith('--')) {
  console.error('usage: make-fleet.ts DIR [--clusters N] [--tenants N] [--apps N] [--charts]');
  process.exit(2);
}
const fleet = syntheticFleet({
  clusters: Number(argOf('--clusters', '100')),
  tenants: Number(argOf('--tenants', '20')),
  appsPerTenant: Number(argOf('--apps', '2')),
  seed: 7,
  sharedChartVersions: args.includes('--charts'),
});
const files = [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }];
for (const f of files) {
  const p = join(dir, f.path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, f.content);
}
console.error(`${files.length} files in ${dir}`);
if (args.includes('--charts'))
  console.log(sharedChartSourceArgs(join(import.meta.dirname, '..', '..', 'shared', 'charts', 'charts')).join(' '));
