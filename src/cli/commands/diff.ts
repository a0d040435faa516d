import { UsageError } from '../../errors.js';
import { DiskRepoFs, type RepoFs } from '../../repo/repo-fs.js';
import { GitRepoFs } from '../../git/git-repo-fs.js';
import { WithRemoteUrls } from '../../repo/with-remote-urls.js';
import { discoverClusters, type ClusterEntry } from '../../discovery/clusters.js';
import { diffFleet } from '../../diff/fleet-diff.js';
import { fluxRenderer } from '../../diff/cluster-renderer.js';
import { hasDifferences, hasUnfollowed, renderJson, renderMarkdown, renderText } from '../../diff/render.js';
import { parseFleet } from '../../spec/load.js';
import { repoContext } from '../repo-context.js';
import type { Command } from '../command.js';
import { CLUSTER_FLAGS, RENDER_FLAGS, RENDER_USAGE, clusterSelection, renderSession } from '../render-options.js';
import { withChartFetch } from '../fetch-charts.js';
import { choice } from '../help/choice.js';
import { finishRunStores, openRunStores } from '../content-stores.js';
import { withContentStores } from '../../session/session.js';

function clustersOf(fs: RepoFs): ClusterEntry[] {
  if (fs.isFile('fleet.yaml')) {
    try {
      const fleet = parseFleet(fs.readFile('fleet.yaml'), 'fleet.yaml');
      return discoverClusters(
        fs,
        fleet.spec.clusters.map((c) => c.name),
      );
    } catch {
      // an invalid fleet.yaml on one side: fall back to the folder layout
    }
  }
  return discoverClusters(fs);
}

/**
 * The clusters of one side to diff. With --path, the folder on the sides that have it: a side
 * without it has no such cluster (the layout changed between the refs: its objects are all
 * added or all removed), not a build error.
 */
function select(fs: RepoFs, list: ClusterEntry[], cluster?: string, path?: string): ClusterEntry[] {
  if (path) {
    const p = path.replace(/^\.\/|\/$/g, '');
    return fs.isDir(p) ? [{ name: path.split('/').pop() ?? path, path: p }] : [];
  }
  if (cluster) return list.filter((c) => c.name === cluster);
  return list;
}

const command: Command = {
  usage:
    `aksfleet diff [repo] --base REF [--head REF] [--cluster NAME | --path P] [--format text|markdown|json] ` +
    `[--strict] [--no-cache] ${RENDER_USAGE}`,
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    ...CLUSTER_FLAGS,
    format: { type: 'string' },
    strict: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    ...RENDER_FLAGS,
  },
  async run({ io, args, flags, session: given }) {
    const base = flags.base as string | undefined;
    if (!base) throw new UsageError('diff needs --base REF (e.g. --base env/qa)');
    if (args.length > 1) throw new UsageError('diff takes at most one repository argument');
    const format = choice('diff', 'format', flags.format, 'text');
    const { cluster, path } = clusterSelection(flags);
    const ctx = repoContext(io.cwd, args[0]);
    if (!ctx.isGit) throw new UsageError(`${ctx.root} is not a git repository`);
    // Chart renders and compiled validators kept between runs unless --no-cache (content-store.ts).
    const stores = openRunStores(ctx.root, io, flags);
    const session = renderSession(withContentStores(given, stores), flags, io, ctx.root);
    const head = flags.head as string | undefined;
    // Both sides know the checkout's remotes, so both decide "this repository" alike.
    const work = new DiskRepoFs(ctx.root);
    const urls = work.remoteUrls;
    const baseFs = new WithRemoteUrls(new GitRepoFs(ctx.root, base), urls);
    const headFs: RepoFs = head ? new WithRemoteUrls(new GitRepoFs(ctx.root, head), urls) : work;
    const baseClusters = select(baseFs, path ? [] : clustersOf(baseFs), cluster, path);
    const headClusters = select(headFs, path ? [] : clustersOf(headFs), cluster, path);
    if (cluster !== undefined && baseClusters.length + headClusters.length === 0)
      throw new UsageError(`no cluster named '${cluster}' on either side`);
    if (path !== undefined && baseClusters.length + headClusters.length === 0)
      throw new UsageError(`--path '${path}' is a directory on neither side`);
    const fd = await withChartFetch(session, ctx.root, io, (s) =>
      diffFleet({
        baseFs,
        headFs,
        baseLabel: base,
        headLabel: head ?? 'working tree',
        baseClusters,
        headClusters,
        render: fluxRenderer({ session: s }),
      }),
    ).finally(() => finishRunStores(stores, session, io.err));
    io.out(format === 'json' ? renderJson(fd) : format === 'markdown' ? renderMarkdown(fd) : renderText(fd, io.color));
    if (fd.clusters.some((c) => c.errors.length > 0)) return 2;
    // Parts not rendered: never "no changes" (exit 0); --strict makes them an error.
    if (hasUnfollowed(fd)) {
      const n = fd.clusters.reduce((k, c) => k + c.unfollowed.length, 0);
      io.err(
        `${flags.strict === true ? 'error' : 'warning'}: the diff is incomplete: ${n} part(s) of the ` +
          `clusters not followed (listed ` +
          `above)${flags.strict === true ? ' and --strict is set' : '; map their sources with --source, or --strict to make this an error'}\n`,
      );
      if (flags.strict === true) return 2;
      return 1;
    }
    return hasDifferences(fd) ? 1 : 0;
  },
};
export default command;
