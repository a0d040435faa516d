/**
 * How many times a session rendered each cluster: the Flux build calls back once per cluster
 * build (`BuildClusterOptions.onBuild`, given by fluxBuildOptions), keyed by the repository view
 * (its label: the working tree's root, or `ref@commit`) and the cluster path. A command that
 * renders each cluster once per view shows a count of 1 for every key (the console, `check`).
 */
export interface RenderCountEntry {
  /** The RepoFs label of the view built (an absolute root, or `ref@commit` for a git tree). */
  readonly view: string;
  /** The repo-relative cluster path. */
  readonly path: string;
  readonly count: number;
}

export class RenderCount {
  private readonly counts = new Map<string, number>();

  /**
   * One more cluster build of `path` in the view `view` (`times` more: builds counted in other
   * threads, `check --jobs`).
   */
  note(view: string, path: string, times = 1): void {
    const k = JSON.stringify([view, path]);
    this.counts.set(k, (this.counts.get(k) ?? 0) + times);
  }

  /** The builds of `path` in `view` so far. */
  of(view: string, path: string): number {
    return this.counts.get(JSON.stringify([view, path])) ?? 0;
  }

  /** Every (view, path) built, in the order first built. */
  entries(): RenderCountEntry[] {
    return [...this.counts].map(([k, count]) => {
      const [view, path] = JSON.parse(k) as [string, string];
      return { view, path, count };
    });
  }
}
