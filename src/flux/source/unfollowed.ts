/**
 * What a cluster build could not follow offline: every Flux Kustomization whose source is not
 * this repository (status `not-buildable`), with the reason and the `--source` mapping that
 * would let aksfleet follow it. `build`, `check` and `diff` read this one list so that none of
 * them is silent about a part of the cluster it did not render.
 *
 * Hook for HelmReleases: when the Flux build renders HelmReleases (branch `helmrelease`), each
 * HelmRelease whose render status is not "rendered" is added here with kind `HelmRelease`, and
 * the three commands report it the same way with no other change.
 */
import { locationPrefix } from '../../diagnostic.js';
import type { ClusterBuild } from '../build/types.js';

export interface Unfollowed {
  /** `Kustomization`, `HelmRelease`, or a Flux Operator `ResourceSet` whose inputs are only known in the cluster. */
  readonly kind: 'Kustomization' | 'HelmRelease' | 'ResourceSet';
  /** `namespace/name`. */
  readonly id: string;
  /** Why it was not followed (the build's own words). */
  readonly reason: string;
  /** The source it needs (`Kind/namespace/name`), when the reason is an unmapped source. */
  readonly source?: string;
  /** Where the object is defined. */
  readonly file?: string;
  readonly line?: number;
  /** `namespace/name` chain of Flux Kustomizations from the cluster path to it. */
  readonly chain: readonly string[];
}

/** Every part of the cluster the build did not render, in reconcile order. */
export function unfollowedOf(b: ClusterBuild): Unfollowed[] {
  const out: Unfollowed[] = [];
  for (const k of b.kustomizations) {
    if (k.status !== 'not-buildable') continue;
    const why = k.warnings.find((w) => w.fieldPath === 'spec.sourceRef') ?? k.warnings[0];
    out.push({
      kind: 'Kustomization',
      id: k.id,
      reason: why?.message ?? `source ${k.sourceRef.id} cannot be built offline`,
      source: k.sourceRef.id,
      ...(k.origin?.file ? { file: k.origin.file } : {}),
      ...(k.origin?.line !== undefined ? { line: k.origin.line } : {}),
      chain: k.chain,
    });
  }
  // ResourceSets not expanded (src/flux/resourceset): what they generate is not in the build.
  const chains = new Map(b.kustomizations.map((k) => [k.id, k.chain]));
  for (const r of b.resourceSets ?? []) {
    if (r.status !== 'not-followed') continue;
    out.push({
      kind: 'ResourceSet',
      id: r.id.slice('ResourceSet/'.length),
      reason: r.reason ?? 'its inputs are only known in the cluster',
      ...(r.file ? { file: r.file } : {}),
      ...(r.line !== undefined ? { line: r.line } : {}),
      chain: chains.get(r.kustomization) ?? [],
    });
  }
  return out;
}

/** `file:line: ` prefix of an entry, when its place is known. */
function at(u: Unfollowed): string {
  return locationPrefix({ file: u.file, line: u.line });
}

/**
 * One line per source that was not followed (each external source reported once), naming the
 * objects that need it and the mapping that would follow it; entries without a source get a
 * line of their own.
 */
export function formatUnfollowed(list: readonly Unfollowed[]): string[] {
  const bySource = new Map<string, Unfollowed[]>();
  const lines: string[] = [];
  for (const u of list) {
    if (u.source === undefined) {
      lines.push(`${at(u)}${u.kind} ${u.id} not rendered: ${u.reason}`);
      continue;
    }
    const g = bySource.get(u.source);
    if (g) g.push(u);
    else bySource.set(u.source, [u]);
  }
  for (const us of [...bySource.values()]) {
    const names = us.map((u) => `${u.kind} ${u.id}`).join(', ');
    lines.push(`${at(us[0]!)}${names} not followed: ${us[0]!.reason}`);
  }
  return lines;
}
