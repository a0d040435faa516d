/**
 * `aksfleet promote` as a library function: environments -> branches, the promotion commit,
 * and the rendered diff of every cluster of the target environment.
 */
import type { Fleet } from '../spec/schema.js';
import { parseFleet } from '../spec/load.js';
import { GitRepoFs } from '../git/git-repo-fs.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { WithRemoteUrls } from '../repo/with-remote-urls.js';
import { promote, type PromoteResult } from './promote.js';
import { discoverClusters, type ClusterEntry } from '../discovery/clusters.js';
import { diffFleet, type ClusterRenderer } from '../diff/fleet-diff.js';
import type { FleetDiff } from '../diff/render.js';
import { isEmptyDiff, type ObjectSetDiff } from '../diff/object-diff.js';
import { InputError } from '../errors.js';

export interface PromotionOptions {
  readonly repo: string;
  readonly from: string;
  readonly to: string;
  readonly fleet?: Fleet;
  readonly render: ClusterRenderer;
  /**
   * The checkout's remote URLs: both sides (trees read from commits, which know no remotes)
   * decide "this repository" by them, as a build of the working tree does.
   */
  readonly remoteUrls?: readonly string[];
  /** Compute only (for the console): no branch is created. */
  readonly preview?: boolean;
}

export interface Promotion {
  readonly result: PromoteResult;
  readonly diff?: FleetDiff;
  readonly fromBranch: string;
  readonly toBranch: string;
}

function branchOf(fleet: Fleet | undefined, env: string): string {
  if (!fleet) return env.includes('/') ? env : `env/${env}`;
  const e = fleet.spec.environments.find((x) => x.name === env);
  if (!e)
    throw new InputError(
      `unknown environment '${env}'; the fleet has: ${fleet.spec.environments.map((x) => x.name).join(', ')}`,
    );
  return e.branch;
}

/** The target environment's clusters as they are on a given commit. */
function targetClusters(fs: RepoFs, fleet: Fleet | undefined, env: string): ClusterEntry[] {
  let f = fleet;
  if (fs.isFile('fleet.yaml')) {
    try {
      f = parseFleet(fs.readFile('fleet.yaml'), 'fleet.yaml');
    } catch {
      // keep the working tree's spec
    }
  }
  if (f)
    return discoverClusters(
      fs,
      f.spec.clusters.filter((c) => c.environment === env).map((c) => c.name),
    );
  return discoverClusters(fs);
}

export function runPromotion(o: PromotionOptions): Promotion {
  if (o.from === o.to) throw new InputError(`cannot promote '${o.from}' to itself`);
  if (o.fleet) {
    const order = o.fleet.spec.environments.map((e) => e.name);
    const i = order.indexOf(o.from);
    const j = order.indexOf(o.to);
    if (i >= 0 && j >= 0 && j < i)
      throw new InputError(
        `'${o.to}' comes before '${o.from}' in the promotion order (${order.join(' -> ')}); promotions move forward`,
      );
  }
  const fromBranch = branchOf(o.fleet, o.from);
  const toBranch = branchOf(o.fleet, o.to);
  let diff: FleetDiff | undefined;
  const result = promote({
    repo: o.repo,
    fromBranch,
    toBranch,
    fromName: o.from.replace(/[^A-Za-z0-9._-]/g, '-'),
    toName: o.to.replace(/[^A-Za-z0-9._-]/g, '-'),
    preview: o.preview,
    summarize: (base, head) => {
      const side = (commit: string): RepoFs =>
        o.remoteUrls?.length
          ? new WithRemoteUrls(new GitRepoFs(o.repo, commit), o.remoteUrls)
          : new GitRepoFs(o.repo, commit);
      const baseFs = side(base);
      const headFs = side(head);
      diff = diffFleet({
        baseFs,
        headFs,
        baseLabel: toBranch,
        headLabel: `${fromBranch} merged`,
        baseClusters: targetClusters(baseFs, o.fleet, o.to),
        headClusters: targetClusters(headFs, o.fleet, o.to),
        render: o.render,
      });
      const counts = (d: ObjectSetDiff) =>
        `${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed` +
        (d.images.length
          ? `; images: ` +
            `${d.images.map((x) => `${x.container} ${x.from ?? '(new)'} -> ${x.to ?? '(removed)'}`).join(', ')}`
          : '') +
        (d.dangers.length ? `; ${d.dangers.length} dangerous` : '');
      return [
        `What changes on the ${o.to} clusters:`,
        ...diff.clusters.flatMap((c) => [
          c.errors.length
            ? `- ${c.cluster}: build error (${c.errors[0]!.split('\n')[0]})`
            : !c.diff || isEmptyDiff(c.diff)
              ? `- ${c.cluster}: no change`
              : `- ${c.cluster}: ${counts(c.diff)}`,
          // Objects the cluster applies to another one (spec.kubeConfig): their own line.
          ...(c.remote ?? [])
            .filter((x) => !isEmptyDiff(x.diff))
            .map((x) => `- ${c.cluster} -> another cluster (kubeConfig ${x.target}): ${counts(x.diff)}`),
        ]),
      ];
    },
  });
  return { result, diff, fromBranch, toBranch };
}
