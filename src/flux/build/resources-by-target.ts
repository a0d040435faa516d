/**
 * Which cluster each object of a build lands on. A Kustomization with `spec.kubeConfig` applies
 * to another cluster, and so does every Kustomization below it; a HelmRelease with
 * `spec.kubeConfig` installs its chart there, wherever the HelmRelease object itself is applied.
 * `check` judges each target on its own; `diff` and `promote` show each apart.
 */
import type { Resource } from '../../resources/resource.js';
import type { ClusterBuild, KustomizationBuild } from './types.js';
import { kubeConfigTarget } from './kube-config-target.js';

/** Kustomization id -> `namespace/secret` of the first remote Kustomization of its chain (none: this cluster). */
export function kustomizationTargets(build: ClusterBuild): Map<string, string | undefined> {
  const byId = new Map(build.kustomizations.map((k) => [k.id, k]));
  const targetOf = (k: KustomizationBuild): string | undefined => {
    for (const id of k.chain) {
      const a = byId.get(id);
      const t = a?.remote ? kubeConfigTarget(a.object) : undefined;
      if (t) return t;
    }
    return undefined;
  };
  return new Map(build.kustomizations.map((k) => [k.id, targetOf(k)]));
}

/** The objects another cluster gets from this build, named by its kubeConfig reference. */
export interface TargetResources {
  /** `namespace/name` of the kubeConfig Secret (or ConfigMap) reference. */
  readonly target: string;
  readonly resources: Resource[];
}

/**
 * The build's objects split by the cluster they land on: this cluster's in `allResources` order,
 * then one group per other cluster (sorted by target): its Kustomizations' objects and their
 * charts, then the charts of HelmReleases with their own kubeConfig.
 */
export function resourcesByTarget(build: ClusterBuild): {
  readonly local: Resource[];
  readonly remote: TargetResources[];
} {
  const targets = kustomizationTargets(build);
  const charts = (ks: string) =>
    build.helmReleases.filter((h) => h.kustomization === ks && h.remote === undefined).flatMap((h) => h.resources);
  const local: Resource[] = [...build.root.resources, ...charts('')];
  const remote = new Map<string, Resource[]>();
  const group = (t: string) => remote.get(t) ?? remote.set(t, []).get(t)!;
  for (const k of build.kustomizations) {
    const t = targets.get(k.id);
    (t === undefined ? local : group(t)).push(...k.resources, ...charts(k.id));
  }
  for (const h of build.helmReleases)
    if (h.remote !== undefined && h.resources.length > 0) group(h.remote).push(...h.resources);
  return {
    local,
    remote: [...remote].sort(([a], [b]) => (a < b ? -1 : 1)).map(([target, resources]) => ({ target, resources })),
  };
}
