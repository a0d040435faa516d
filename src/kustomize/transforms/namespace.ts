/**
 * `namespace:` (kustomize NamespaceTransformer, api/filters/namespace). Sets metadata.namespace
 * on everything not certainly cluster-scoped, renames `v1 Namespace` objects, sets the
 * namespace fieldSpecs (APIService, CRD conversion webhook) and, on (Cluster)RoleBinding
 * subjects, the namespace of subjects named `default`.
 */
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import { applyFieldSpec } from '../fieldspecs/apply.js';
import type { FieldSpec } from '../fieldspecs/index.js';
import { idString, isClusterScopedGvk, idEquals, type KRes, type ResMap } from '../resmap.js';
import type { Transformer } from './context.js';

export interface NamespaceOptions {
  /** Only set namespaces that are empty (the plugin's `unsetOnly`). */
  readonly unsetOnly?: boolean;
  /** RoleBinding subjects: `defaultOnly` (the default), `allServiceAccounts` or `none`. */
  readonly subjects?: 'defaultOnly' | 'allServiceAccounts' | 'none';
}

export function setNamespace(
  m: ResMap,
  namespace: string,
  fieldSpecs: readonly FieldSpec[],
  opts: NamespaceOptions = {},
): void {
  for (const r of m.list) {
    if (!isPlainObject(r.obj) || Object.keys(r.obj).length === 0) continue;
    r.storePreviousId();
    applyNamespace(r, namespace, fieldSpecs, opts);
    const matches = m.list.filter((x) => idEquals(x.curId(), r.curId()));
    if (matches.length !== 1) {
      throw new InputError(
        `namespace transformation produces ID conflict: ${matches.map((x) => idString(x.curId())).join(', ')}`,
      );
    }
  }
}

function applyNamespace(r: KRes, ns: string, fieldSpecs: readonly FieldSpec[], opts: NamespaceOptions): void {
  const obj = r.obj;
  const isEmpty = (v: unknown) => v === undefined || v === null || v === '';
  const setIn = (holder: Record<string, unknown>, key: string) => {
    if (opts.unsetOnly && !isEmpty(holder[key])) return;
    holder[key] = ns;
  };
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const gvk = r.gvk;
  let fss = fieldSpecs.filter(
    (f) => f.path !== 'metadata/namespace' && !(apiVersion !== 'v1' && f.path === 'metadata/name'),
  );
  if (!isClusterScopedGvk(gvk)) setIn(r.meta() as Record<string, unknown>, 'namespace');
  if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
    fss = fss.filter(
      (f) => !((f.kind === 'RoleBinding' || f.kind === 'ClusterRoleBinding') && f.path === 'subjects/namespace'),
    );
    const subjects = obj.subjects;
    const mode = opts.subjects ?? 'defaultOnly';
    if (Array.isArray(subjects) && mode !== 'none') {
      for (const s of subjects) {
        if (!isPlainObject(s)) continue;
        if (mode === 'defaultOnly' ? s.name === 'default' : s.kind === 'ServiceAccount') setIn(s, 'namespace');
      }
    }
  }
  for (const fs of fss) {
    applyFieldSpec(obj, fs, 'scalar', (slot) => {
      const v = slot.get();
      if (v !== null && typeof v === 'object')
        throw new InputError(`namespace field specs must target scalar nodes (${fs.path})`);
      if (opts.unsetOnly && !isEmpty(v)) return;
      slot.set(ns);
    });
  }
}

export const namespaceTransformer: Transformer = {
  field: 'namespace',
  plugin: 'NamespaceTransformer',
  instances: (k) => (k.namespace ? 1 : 0),
  run(m, ctx) {
    if (!ctx.k.namespace) return;
    setNamespace(m, ctx.k.namespace, ctx.config.nameSpace);
  },
};
