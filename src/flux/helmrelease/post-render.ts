/**
 * What helm-controller does to a chart's output before Helm applies it (internal/postrender):
 * each `spec.postRenderers[].kustomize` (patches and images, a kustomize build over the output),
 * then `spec.commonMetadata`, then the origin labels `helm.toolkit.fluxcd.io/name` and
 * `/namespace` on every object's own metadata (set since helm-controller v0.9.0 / Flux 0.10, on
 * CRDs too); and what Helm's apply does: a namespaced object without a namespace goes to the
 * release namespace.
 */
import { buildKustomization } from '../../kustomize/index.js';
import { CLUSTER_SCOPED } from '../../kustomize/fieldspecs/cluster-scoped.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import { toYamlStream } from '../../yaml/emit.js';
import { commonMetadata } from '../build/common-metadata.js';

export const HELM_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const HELM_NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';

/** One object of the release with the template it came from. */
export interface ReleaseObject {
  readonly object: KObject;
  readonly template: string;
  /** A Helm hook (run by the install, not kept in the release manifest). */
  readonly hook?: boolean;
}

/** The kustomize post-renderers of the spec, in order (patches and images). */
export function kustomizePostRender(objs: readonly ReleaseObject[], postRenderers: unknown): ReleaseObject[] {
  if (!Array.isArray(postRenderers)) return [...objs];
  let cur = [...objs];
  for (const pr of postRenderers) {
    const k = isPlainObject(pr) && isPlainObject(pr.kustomize) ? pr.kustomize : undefined;
    if (!k) continue;
    const patches = Array.isArray(k.patches) ? k.patches : [];
    const images = Array.isArray(k.images) ? k.images : [];
    if (patches.length === 0 && images.length === 0) continue;
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['helm-output.yaml'],
      ...(images.length ? { images } : {}),
      ...(patches.length ? { patches } : {}),
    };
    const fs = new MemoryRepoFs(
      {
        'helm-output.yaml': toYamlStream(cur.map((o) => o.object)),
        'kustomization.yaml': JSON.stringify(kustomization),
      },
      'post-renderer',
    );
    const out = buildKustomization(fs, '', { loadRestrictions: 'None', defaultSortOrder: 'fifo' });
    // A post-renderer keeps objects in place (fifo) and rarely renames; find each one's template by position, else by
    // kind and name.
    const byId = new Map(cur.map((o) => [idOf(o.object), o]));
    cur = out.map((r, i) => {
      const was = byId.get(idOf(r.object)) ?? cur[i];
      return { object: r.object, template: was?.template ?? '', ...(was?.hook ? { hook: true } : {}) };
    });
  }
  return cur;
}

const idOf = (o: KObject) =>
  `${o.apiVersion ?? ''}/${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** helm-controller's origin labels (they win over commonMetadata). */
export function originLabels(o: KObject, hr: { name: string; namespace: string }): KObject {
  const md = { ...(o.metadata ?? {}) };
  md.labels = { ...(md.labels ?? {}), [HELM_NAME_LABEL]: hr.name, [HELM_NAMESPACE_LABEL]: hr.namespace };
  return { ...o, metadata: md };
}

/** commonMetadata, then the origin labels. */
export function releaseMetadata(o: KObject, cm: unknown, hr: { name: string; namespace: string }): KObject {
  return originLabels(commonMetadata(o, cm), hr);
}

/**
 * Whether a kind is namespaced: cluster-scoped when kyaml's table says so, or when a CRD of the
 * cluster's build (or the chart) defines it with `scope: Cluster`.
 */
export function isNamespaced(o: KObject, clusterScopedCrds: ReadonlySet<string>): boolean {
  const av = o.apiVersion ?? '';
  const kind = o.kind ?? '';
  if (CLUSTER_SCOPED.has(`${av} ${kind}`)) return false;
  const group = av.includes('/') ? av.split('/')[0]! : '';
  return !clusterScopedCrds.has(`${group}/${kind}`);
}

/** Helm's apply puts a namespaced object without a namespace in the release namespace. */
export function defaultNamespace(o: KObject, ns: string, clusterScopedCrds: ReadonlySet<string>): KObject {
  if (o.metadata?.namespace || !isNamespaced(o, clusterScopedCrds)) return o;
  return { ...o, metadata: { ...(o.metadata ?? {}), namespace: ns } };
}

/** `group/Kind` of every cluster-scoped CRD among the objects. */
export function clusterScopedKinds(objs: Iterable<KObject>): Set<string> {
  const out = new Set<string>();
  for (const o of objs) {
    if (o.kind !== 'CustomResourceDefinition' || !isPlainObject(o.spec)) continue;
    const names = isPlainObject(o.spec.names) ? o.spec.names : {};
    if (o.spec.scope === 'Cluster' && typeof o.spec.group === 'string' && typeof names.kind === 'string')
      out.add(`${o.spec.group}/${names.kind}`);
  }
  return out;
}

/** `.Capabilities.APIVersions` entries a CRD adds: `group/version` and `group/version/Kind` of each served version. */
export function crdApiVersions(objs: Iterable<KObject>): string[] {
  const out = new Set<string>();
  for (const o of objs) {
    if (o.kind !== 'CustomResourceDefinition' || !isPlainObject(o.spec)) continue;
    const group = typeof o.spec.group === 'string' ? o.spec.group : '';
    const names = isPlainObject(o.spec.names) ? o.spec.names : {};
    const kind = typeof names.kind === 'string' ? names.kind : '';
    const versions = Array.isArray(o.spec.versions) ? o.spec.versions : [];
    for (const v of versions) {
      if (!isPlainObject(v) || typeof v.name !== 'string' || v.served === false) continue;
      out.add(`${group}/${v.name}`);
      if (kind) out.add(`${group}/${v.name}/${kind}`);
    }
  }
  return [...out].sort();
}
