/**
 * `aksfleet demo [dir]` (what `npm start` runs): the example fleet end to end. Writes the example
 * fleet into a folder (./aksfleet-demo by default), generates the repository, makes it a git
 * repository with the environment branches, builds and checks every cluster, prints a summary.
 * Running it again regenerates in place (a fleet.yaml you edited there is kept).
 *
 * The first environment's branch gets one more commit (the first app's image tag bumped, as a
 * release would), so that `diff --base env/qa --head env/dev` and `promote dev qa` show a change.
 * Made inside a checkout of aksfleet, the folder gets node_modules/.bin/aksfleet (a link to the
 * checkout's bin, excluded from git): `npx aksfleet` there runs this checkout as it is, instead of
 * npm installing the checkout into its cache (which runs `prepare`, a rebuild of the package).
 */
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { exampleFleetText } from '../../spec/example.js';
import { fleetJsonSchema } from '../../spec/schema.js';
import { loadFleet } from '../../spec/load.js';
import { generateAll } from '../../generators/index.js';
import { writeGenerated } from '../../writer/index.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { allResources, buildCluster } from '../../flux/index.js';
import { checkRepository } from '../../checks/index.js';
import { failing } from '../../checks/run.js';
import { git, gitRaw, gitTopLevel } from '../../git/git.js';
import { UsageError } from '../../errors.js';
import { PACKAGE_ROOT, packageVersion } from '../../package-root.js';
import { bumpFirstAppImage } from '../demo-change.js';
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
    const envs = fleet.spec.environments.map(
      (e) =>
        `${e.name}: ${
          fleet.spec.clusters
            .filter((c) => c.environment === e.name)
            .map((c) => c.name)
            .join(', ') || '-'
        }`,
    );
    say(
      `fleet      ${rel}/fleet.yaml: ${fleet.spec.clusters.length} clusters (${envs.join('; ')}), ` +
        `${fleet.spec.tenants.length} tenants`,
    );

    // 2. Generate.
    const files = generateAll(fleet);
    const w = writeGenerated(dir, files);
    const areas = [...new Set(files.map((f) => f.path.split('/')[0]!))].sort();
    say(
      `generate   ${files.length} files (${areas.join(', ')}): ${w.created.length} created, ` +
        `${w.updated.length} updated, ${w.deleted.length} deleted, ${w.unchanged.length} unchanged`,
    );

    // 3. Git: main plus one branch per environment, as the reference architecture has it.
    // Its own repository, even inside another work tree (running `npm start` in a clone of aksfleet
    // puts it in ./aksfleet-demo, which that clone ignores).
    const own = existsSync(join(dir, '.git'));
    if (!own && gitRaw(dir, ['--version']).status === 0) {
      git(dir, ['init', '-q', '-b', fleet.spec.git.mainBranch]);
      git(dir, ['add', '-A']);
      git(dir, [...DEMO_AUTHOR, 'commit', '-q', '-m', 'aksfleet demo: the example fleet']);
      for (const e of fleet.spec.environments) git(dir, ['branch', e.branch]);
      say(
        `git        new repository with branches ` +
          `${[fleet.spec.git.mainBranch, ...fleet.spec.environments.map((e) => e.branch)].join(', ')}`,
      );
      const release = commitRelease(dir, fleetFile, fleet.spec.environments, fleet.spec.git.mainBranch);
      if (release) say(`git        ${release}`);
    } else if (own) {
      say(`git        ${rel} is already a git repository (${gitTopLevel(dir) ?? dir}): left as it is`);
    }

    // 4. Build every cluster (what Flux would apply), with the IaC outputs left as variables.
    const fs = new DiskRepoFs(dir);
    for (const c of fleet.spec.clusters) {
      const b = buildCluster(fs, { cluster: c.name, allowMissingVars: true, ...fluxBuildOptions(session) });
      const errors = b.errors.length + b.root.errors.length + b.kustomizations.reduce((n, k) => n + k.errors.length, 0);
      const built = b.kustomizations.filter((k) => k.status === 'built').length;
      say(
        `build      ${c.name}: ${built}/${b.kustomizations.length} Flux Kustomizations, ` +
          `${allResources(b).length} ` +
          `objects${errors ? `, ${errors} errors (aksfleet build ${rel} --cluster ${c.name})` : ''}`,
      );
    }

    // 5. Check.
    const result = checkRepository(fs, { session });
    const n = (s: string) => result.findings.filter((f) => f.severity === s).length;
    say(
      `check      ${result.rules.length} rules over ${result.clusters.length} clusters: ${n('error')} ` +
        `errors, ${n('warning')} warnings, ${n('info')} info`,
    );
    // 6. `npx aksfleet` in the folder runs this checkout (see the top of this file).
    const linked = linkBin(dir);
    const [from, to] = fleet.spec.environments;
    const cli = linked ? 'npx aksfleet' : `npx aksfleet@${packageVersion()}`;
    say('');
    say(
      `Next, in ${rel} (cd ` +
        `${rel})${linked ? `, where 'npx aksfleet' runs this checkout (${relative(dir, linked)})` : ''}:`,
    );
    const next: [string, string][] = [
      ['check', 'the pull-request gate, finding by finding'],
      ['build --cluster aks-prod --summary', 'what Flux applies to aks-prod'],
      ...(from && to
        ? ([
            [
              `diff --base ${to.branch} --head ${from.branch}`,
              `what the release in ${from.name} changes in ${to.name}`,
            ],
            [`promote ${from.name} ${to.name}`, 'a promotion branch with the rendered diff'],
          ] as [string, string][])
        : []),
      ['ui', 'the web console on http://127.0.0.1:7777/'],
    ];
    const width = Math.max(...next.map(([c]) => c.length));
    for (const [c, what] of next) say(`  ${cli} ${c.padEnd(width)}  ${what}`);
    io.out(`${dir}\n`);
    return failing(result.findings, 'error').length > 0 ? 1 : 0;
  },
};
export default command;

const DEMO_AUTHOR = [
  '-c',
  'user.name=aksfleet demo',
  '-c',
  'user.email=demo@aksfleet.invalid',
  '-c',
  'commit.gpgsign=false',
];

/**
 * Commits a release on the first environment's branch (the first app's image tag bumped, the
 * repository regenerated), leaving the work tree on `main`. Returns what it did, or undefined
 * when there is no second environment to promote to or no image tag to bump.
 */
function commitRelease(
  dir: string,
  fleetFile: string,
  envs: readonly { name: string; branch: string }[],
  main: string,
): string | undefined {
  const [first, second] = envs;
  if (!first || !second) return undefined;
  const change = bumpFirstAppImage(readFileSync(fleetFile, 'utf8'));
  if (!change) return undefined;
  git(dir, ['checkout', '-q', first.branch]);
  try {
    writeAtomic(fleetFile, change.text);
    writeGenerated(dir, generateAll(loadFleet(fleetFile)));
    git(dir, ['add', '-A']);
    git(dir, [...DEMO_AUTHOR, 'commit', '-q', '-m', `${change.app}: ${change.to} in ${first.name}`]);
  } finally {
    git(dir, ['checkout', '-q', '-f', main]);
  }
  return (
    `${first.branch}: ${change.app} ${change.from} -> ${change.to} (a release in ${first.name}, to promote to ` +
    `${second.name})`
  );
}

/**
 * Inside a checkout of aksfleet: `<dir>/node_modules/.bin/aksfleet`, a relative link to the
 * checkout's bin/aksfleet (kept out of git by .git/info/exclude). npm takes a folder with
 * node_modules for its prefix and runs a bin it finds there, so `npx aksfleet` installs nothing.
 * Returns the link, or undefined outside a checkout (an installed package). `packageRoot`: for tests.
 */
export function linkBin(dir: string, packageRoot: string = PACKAGE_ROOT): string | undefined {
  const inside = relative(packageRoot, dir);
  const bin = join(packageRoot, 'bin', 'aksfleet');
  if (
    inside === '' ||
    inside.startsWith('..') ||
    isAbsolute(inside) ||
    !existsSync(bin) ||
    inside.split(/[\\/]/).includes('node_modules')
  )
    return undefined;
  const binDir = join(dir, 'node_modules', '.bin');
  const link = join(binDir, 'aksfleet');
  let present = false;
  try {
    present = lstatSync(link) !== undefined;
  } catch {
    present = false;
  }
  if (!present) {
    mkdirSync(binDir, { recursive: true });
    symlinkSync(relative(binDir, bin), link);
  }
  const exclude = join(dir, '.git', 'info', 'exclude');
  if (existsSync(join(dir, '.git'))) {
    const text = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
    if (!text.split('\n').includes('/node_modules/')) {
      mkdirSync(join(dir, '.git', 'info'), { recursive: true });
      appendFileSync(exclude, `${text === '' || text.endsWith('\n') ? '' : '\n'}/node_modules/\n`);
    }
  }
  return link;
}
