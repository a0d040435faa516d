import { InputError, UsageError } from '../../errors.js';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseVarsFile } from '../../flux/substitute/vars-file.js';
import { DiskRepoFs, type RepoFs } from '../../repo/repo-fs.js';
import { GitRepoFs } from '../../git/git-repo-fs.js';
import { discoverClusters, type ClusterEntry } from '../../discovery/clusters.js';
import { diffFleet } from '../../diff/fleet-diff.js';
import { fluxRenderer } from '../../diff/cluster-renderer.js';
import { hasDifferences, renderJson, renderMarkdown, renderText } from '../../diff/render.js';
import { parseFleet } from '../../spec/load.js';
import { repoContext } from '../repo-context.js';
import type { Command } from '../command.js';
import { HELM_FLAGS, HELM_USAGE, helmSession } from '../helm-flags.js';

function clustersOf(fs: RepoFs): ClusterEntry[] {
  if (fs.isFile('fleet.yaml')) {
    try {
      const fleet = parseFleet(fs.readFile('fleet.yaml'), 'fleet.yaml');
      return discoverClusters(fs, fleet.spec.clusters.map((c) => c.name));
    } catch {
      // an invalid fleet.yaml on one side: fall back to the folder layout
    }
  }
  return discoverClusters(fs);
}

/** A --vars file (KEY=VALUE lines or a YAML map) for variables that live only in the cluster. */
function readVars(cwd: string, file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(resolvePath(cwd, file), 'utf8');
  } catch {
    throw new InputError(`cannot read --vars file '${file}'`, { pos: { file } });
  }
  return parseVarsFile(text, file);
}

function select(list: ClusterEntry[], cluster?: string, path?: string): ClusterEntry[] {
  if (path) return [{ name: path.split('/').pop() ?? path, path: path.replace(/^\.\/|\/$/g, '') }];
  if (cluster) return list.filter((c) => c.name === cluster);
  return list;
}

const command: Command = {
  usage: `aksfleet diff [repo] --base REF [--head REF] [--cluster NAME | --path P] [--format text|markdown|json] [--vars FILE] ${HELM_USAGE}`,
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    cluster: { type: 'string' },
    path: { type: 'string' },
    format: { type: 'string' },
    vars: { type: 'string' },
    ...HELM_FLAGS,
  },
  async run({ io, args, flags, session: given }) {
    const base = flags.base as string | undefined;
    if (!base) throw new UsageError('diff needs --base REF (e.g. --base env/qa)');
    if (args.length > 1) throw new UsageError('diff takes at most one repository argument');
    const format = (flags.format as string | undefined) ?? 'text';
    if (!['text', 'markdown', 'json'].includes(format)) throw new UsageError(`unknown --format '${format}'; use text, markdown or json`);
    if (flags.cluster && flags.path) throw new UsageError('use --cluster or --path, not both');
    const ctx = repoContext(io.cwd, args[0]);
    if (!ctx.isGit) throw new UsageError(`${ctx.root} is not a git repository`);
    const session = helmSession(given, flags, io, ctx.root);
    const head = flags.head as string | undefined;
    const baseFs = new GitRepoFs(ctx.root, base);
    const headFs: RepoFs = head ? new GitRepoFs(ctx.root, head) : new DiskRepoFs(ctx.root);
    const baseClusters = select(clustersOf(baseFs), flags.cluster as string, flags.path as string);
    const headClusters = select(clustersOf(headFs), flags.cluster as string, flags.path as string);
    if (flags.cluster && baseClusters.length + headClusters.length === 0) throw new UsageError(`no cluster named '${String(flags.cluster)}' on either side`);
    const fd = diffFleet({
      baseFs,
      headFs,
      baseLabel: base,
      headLabel: head ?? 'working tree',
      baseClusters,
      headClusters,
      render: fluxRenderer({ session, ...(typeof flags.vars === 'string' ? { vars: readVars(io.cwd, flags.vars) } : {}) }),
    });
    io.out(format === 'json' ? renderJson(fd) : format === 'markdown' ? renderMarkdown(fd) : renderText(fd, io.color));
    if (fd.clusters.some((c) => c.errors.length > 0)) return 2;
    return hasDifferences(fd) ? 1 : 0;
  },
};
export default command;
