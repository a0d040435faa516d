/**
 * The values a cluster's postBuild substitution took from Secrets (issue #25, 3): they land in
 * other objects (a ConfigMap, an env value, an annotation), where the Secret's own masking does not
 * reach, so every output masks them by value (src/resources/mask.ts, `MaskContext`).
 */
import type { KObject } from '../../resources/resource.js';
import { dataOf } from '../substitute/variables.js';
import { allResources } from './build-cluster.js';
import type { ClusterBuild } from './types.js';

/**
 * The values of every Secret a Kustomization of the build reads with `substituteFrom` (as
 * substituted: `\n` removed, and as written), plus the `--vars` values when they stood in for a
 * Secret the build does not have. Sorted, each once.
 */
export function substitutedSecretValues(b: ClusterBuild, varsFile?: Readonly<Record<string, string>>): string[] {
  const secrets = new Map<string, KObject>();
  // Keyed as substituteFrom names them (build-cluster.ts: no namespace is `default`).
  for (const r of allResources(b)) {
    const o = r.object;
    if (o.kind === 'Secret' && !secrets.has(`Secret/${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`)) secrets.set(`Secret/${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`, o);
  }
  const out = new Set<string>();
  const add = (v: string) => {
    if (v === '') return;
    out.add(v);
    out.add(v.replace(/\n/g, ''));
  };
  for (const k of b.kustomizations) {
    for (const ref of k.substitution?.substituteFrom ?? []) {
      if (!ref.ref.startsWith('Secret/')) continue;
      const s = secrets.get(ref.ref);
      if (ref.status === 'found' && s) for (const v of Object.values(dataOf(s))) add(v);
      if (ref.status === 'from-vars-file') for (const v of Object.values(varsFile ?? {})) add(v);
    }
  }
  return [...out].filter((v) => v !== '').sort();
}
