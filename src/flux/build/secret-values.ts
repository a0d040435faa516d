/**
 * The values a cluster's postBuild substitution took from Secrets (issue #25, 3): they land in
 * other objects (a ConfigMap, an env value, an annotation), where the Secret's own masking does not
 * reach, so every output masks them by value (src/resources/mask.ts, `MaskContext`).
 */
import { parse } from 'yaml';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import { dataOf } from '../substitute/variables.js';
import { allResources } from './build-cluster.js';
import type { ClusterBuild } from './types.js';

/**
 * The values of every Secret a Kustomization of the build reads with `substituteFrom` (as
 * substituted: `\n` removed, and as written), plus the `--vars` values when they stood in for a
 * Secret the build does not have, and the string values a HelmRelease takes with `valuesFrom` a
 * Secret. Sorted, each once.
 */
export function substitutedSecretValues(b: ClusterBuild, varsFile?: Readonly<Record<string, string>>): string[] {
  const secrets = new Map<string, KObject>();
  // Keyed as substituteFrom names them (build-cluster.ts: no namespace is `default`).
  for (const r of allResources(b)) {
    const o = r.object;
    if (o.kind === 'Secret' && !secrets.has(`Secret/${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`))
      secrets.set(`Secret/${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`, o);
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
  // HelmRelease valuesFrom a Secret: its values land in what the chart renders.
  for (const h of b.helmReleases ?? []) {
    const spec = h.object.spec as { valuesFrom?: unknown } | undefined;
    const ns = h.object.metadata?.namespace || 'default';
    for (const ref of Array.isArray(spec?.valuesFrom) ? spec.valuesFrom : []) {
      if (!isPlainObject(ref) || ref.kind !== 'Secret' || typeof ref.name !== 'string') continue;
      const s = secrets.get(`Secret/${ns}/${ref.name}`);
      const text = s
        ? dataOf(s)[typeof ref.valuesKey === 'string' && ref.valuesKey ? ref.valuesKey : 'values.yaml']
        : undefined;
      if (text === undefined) continue;
      add(text);
      if (typeof ref.targetPath !== 'string' || ref.targetPath === '') for (const v of leaves(text)) add(v);
    }
  }
  return [...out].filter((v) => v !== '').sort();
}

/** The scalar values of a values YAML (as text), or none when it does not parse. */
function leaves(text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
  };
  walk(doc);
  return out;
}
