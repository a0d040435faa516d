/**
 * `aksfleet demo [dir]` (what `npm start` runs): the example fleet end to end. Writes the example
 * fleet into a folder (./aksfleet-demo by default), generates the repository, makes it a git
 * repository with the environment branches, builds and checks every cluster, prints a summary.
 * Running it again regenerates in place (a fleet.yaml you edited there is kept).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { exampleFleetText } from '../../spec/example.js';
import { fleetJsonSchema } from '../../spec/schema.js';
import { loadFleet } from '../../spec/load.js';
import { generateAll } from '../../generators/index.js';
import { writeGenerated } from '../../writer/index.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { buildCluster } from '../../flux/build/build-cluster.js';
import { allResources } from '../../flux/index.js';
import { checkRepository } from '../../checks/index.js';
import { failing } from '../../checks/run.js';
import { git, gitRaw, gitTopLevel } from '../../git/git.js';
import { UsageError } from '../../errors.js';
import { fluxBuildOptions } from '../../session/session.js';
import type { Command } from '../command.js';

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.aksfleet-tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

const command: Command = {
  usage: 'aksfleet demo [dir]   (default ./aksfleet-demo)',
  options: {},
  async run({ io, args, session }) {
    if (args.length > 1) throw new UsageError('demo takes at most one directory');
    const dir = resolve(io.cwd, args[0] ?? 'aksfleet-demo');
    const rel = relative(io.cwd, dir) || '.';
    const say = (s: string) => io.err(`${s}\n`);
    mkdirSync(dir, { recursive: true });

    // 1. The example fleet (kept if it is already there: it may have been edited).
    const fleetFile = join(dir, 'fleet.yaml');
    if (!existsSync(fleetFile)) {
      writeAtomic(join(dir, 'fleet.schema.json'), `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`);
      writeAtomic(fleetFile, exampleFleetText('./fleet.schema.json'));
    }
    const fleet = loadFleet(fleetFile);
    const envs = fleet.spec.environments.map((e) => `${e.name}: ${fleet.spec.clusters.filter((c) => c.environment === e.name).map((c) => c.name).join(', ') || '-'}`);
    say(`fleet      ${rel}/fleet.yaml: ${fleet.spec.clusters.length} clusters (${envs.join('; ')}), ${fleet.spec.tenants.length} tenants`);

    // 2. Generate.
    const files = generateAll(fleet);
    const w = writeGenerated(dir, files);
    const areas = [...new Set(files.map((f) => f.path.split('/')[0]!))].sort();
    say(`generate   ${files.length} files (${areas.join(', ')}): ${w.created.length} created, ${w.updated.length} updated, ${w.deleted.length} deleted, ${w.unchanged.length} unchanged`);

    // 3. Git: main plus one branch per environment, as the reference architecture has it.
    // Its own repository, even inside another work tree (running `npm start` in a clone of aksfleet
    // puts it in ./aksfleet-demo, which that clone ignores).
    const own = existsSync(join(dir, '.git'));
    if (!own && gitRaw(dir, ['--version']).status === 0) {
      git(dir, ['init', '-q', '-b', fleet.spec.git.mainBranch]);
      git(dir, ['add', '-A']);
      git(dir, ['-c', 'user.name=aksfleet demo', '-c', 'user.email=demo@aksfleet.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'aksfleet demo: the example fleet']);
      for (const e of fleet.spec.environments) git(dir, ['branch', e.branch]);
      say(`git        new repository with branches ${[fleet.spec.git.mainBranch, ...fleet.spec.environments.map((e) => e.branch)].join(', ')}`);
    } else if (own) {
      say(`git        ${rel} is already a git repository (${gitTopLevel(dir) ?? dir}): left as it is`);
    }

    // 4. Build every cluster (what Flux would apply), with the IaC outputs left as variables.
    const fs = new DiskRepoFs(dir);
    for (const c of fleet.spec.clusters) {
      const b = buildCluster(fs, { cluster: c.name, allowMissingVars: true, ...fluxBuildOptions(session) });
      const errors = b.errors.length + b.root.errors.length + b.kustomizations.reduce((n, k) => n + k.errors.length, 0);
      const built = b.kustomizations.filter((k) => k.status === 'built').length;
      say(`build      ${c.name}: ${built}/${b.kustomizations.length} Flux Kustomizations, ${allResources(b).length} objects${errors ? `, ${errors} errors (aksfleet build ${rel} --cluster ${c.name})` : ''}`);
    }

    // 5. Check.
    const result = checkRepository(fs, { session });
    const n = (s: string) => result.findings.filter((f) => f.severity === s).length;
    say(`check      ${result.rules.length} rules over ${result.clusters.length} clusters: ${n('error')} errors, ${n('warning')} warnings, ${n('info')} info`);
    say('');
    say('Next:');
    say(`  aksfleet check ${rel}                      the pull-request gate, finding by finding`);
    say(`  aksfleet build ${rel} --cluster aks-prod   what Flux applies to aks-prod`);
    say(`  aksfleet ui ${rel}                         the web console on http://127.0.0.1:7777/`);
    say(`  aksfleet promote dev qa ${rel}             a promotion branch with the rendered diff`);
    io.out(`${dir}\n`);
    return failing(result.findings, 'error').length > 0 ? 1 : 0;
  },
};
export default command;
