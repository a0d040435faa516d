/**
 * Which Flux Kustomization at the cluster path is the one that syncs it from this repository,
 * decided as Flux's bootstrap makes it: the Kustomization whose source is the checkout itself.
 *
 * Several Kustomizations may have the cluster path as `spec.path` (a multi-repo layout: the
 * bootstrap `flux-system` from this repository, and `apps` syncing `./clusters/prod` of another
 * repository). In order:
 *  1. when the checkout's remote URLs are known, the ones whose source (a GitRepository or
 *     OCIRepository defined at the cluster path) has one of those URLs;
 *  2. among those (or all, when none matches or no URL is known), the bootstrap one: source
 *     `GitRepository/flux-system/flux-system` (what `flux bootstrap` and the AKS Flux extension
 *     create), then the Kustomization `flux-system/flux-system`;
 *  3. then a source that is not known to be another repository (its URL, when defined here, does
 *     not differ from every remote);
 *  4. then by `namespace/name`.
 * The others are not this repository: their source stays unmapped, so the build reports them as
 * not buildable (with the `--source` that would map them) instead of following them.
 * A URL that matches no candidate never excludes one on its own (a fork or a mirror has other
 * URLs than the GitRepository names).
 */
import { isPlainObject, type KObject } from '../../resources/resource.js';

const BOOTSTRAP_SOURCE = 'GitRepository/flux-system/flux-system';

/**
 * A git or OCI URL reduced to host and path, lower case: `https://github.com/Org/Repo.git`,
 * `ssh://git@github.com/org/repo` and `git@github.com:org/repo` are the same repository.
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(u);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `${scp[1]}/${scp[2]}`;
  else u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  u = u.replace(/^([^/]+):\d+\//, '$1/');
  return u
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

export interface SyncCandidate {
  readonly object: KObject;
  /** `Kind/namespace/name` of its sourceRef. */
  readonly sourceId: string;
}

/** The source object's URL, when it is defined at the cluster path. */
function urlOf(source: KObject | undefined): string | undefined {
  const spec = source && isPlainObject(source.spec) ? source.spec : undefined;
  return typeof spec?.url === 'string' ? normalizeRepoUrl(spec.url) : undefined;
}

const idOf = (o: KObject) => `${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`;

/**
 * The candidate that syncs the cluster path from this repository (undefined when there is
 * none). `sourceObject` finds a source defined at the cluster path by `Kind/namespace/name`.
 */
export function pickClusterSync<T extends SyncCandidate>(
  candidates: readonly T[],
  sourceObject: (id: string) => KObject | undefined,
  remoteUrls: readonly string[] = [],
): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const remotes = new Set(remoteUrls.map(normalizeRepoUrl));
  const url = (c: T) => urlOf(sourceObject(c.sourceId));
  const matching = remotes.size
    ? candidates.filter((c) => {
        const u = url(c);
        return u !== undefined && remotes.has(u);
      })
    : [];
  const pool = matching.length ? matching : [...candidates];
  const rank = (c: T): number => {
    if (c.sourceId === BOOTSTRAP_SOURCE) return 0;
    if (idOf(c.object) === 'flux-system/flux-system') return 1;
    const u = url(c);
    // Known to be another repository: its URL is defined and differs from every remote.
    if (remotes.size && u !== undefined && !remotes.has(u)) return 3;
    return 2;
  };
  return pool.sort(
    (a, b) => rank(a) - rank(b) || (idOf(a.object) < idOf(b.object) ? -1 : idOf(a.object) > idOf(b.object) ? 1 : 0),
  )[0];
}
