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

export function setNamespace(m: ResMap, namespace: string, fieldSpecs: readonly FieldSpec[]): void {
  for (const r of m.list) {
    if (!isPlainObject(r.obj) || Object.keys(r.obj).length === 0) continue;
    r.storePreviousId();
    applyNamespace(r, namespace, fieldSpecs);
    const matches = m.list.filter((x) => idEquals(x.curId(), r.curId()));
    if (matches.length !== 1) {
      throw new InputError(`namespace transformation produces ID conflict: ${matches.map((x) => idString(x.curId())).join(', ')}`);
    }
  }
}

function applyNamespace(r: KRes, ns: string, fieldSpecs: readonly FieldSpec[]): void {
  const obj = r.obj;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const gvk = r.gvk;
  let fss = fieldSpecs.filter((f) => f.path !== 'metadata/namespace' && !(apiVersion !== 'v1' && f.path === 'metadata/name'));
  if (!isClusterScopedGvk(gvk)) {
    const meta = r.meta();
    meta.namespace = ns;
  }
  if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
    fss = fss.filter((f) => !((f.kind === 'RoleBinding' || f.kind === 'ClusterRoleBinding') && f.path === 'subjects/namespace'));
    const subjects = obj.subjects;
    if (Array.isArray(subjects)) {
      for (const s of subjects) {
        if (isPlainObject(s) && s.name === 'default') s.namespace = ns;
      }
    }
  }
  for (const fs of fss) {
    applyFieldSpec(obj, fs, 'scalar', (slot) => {
      const v = slot.get();
      if (v !== null && typeof v === 'object') throw new InputError(`namespace field specs must target scalar nodes (${fs.path})`);
      slot.set(ns);
    });
  }
}

export const namespaceTransformer: Transformer = {
  field: 'namespace',
  run(m, ctx) {
    if (!ctx.k.namespace) return;
    setNamespace(m, ctx.k.namespace, ctx.config.nameSpace);
  },
};
