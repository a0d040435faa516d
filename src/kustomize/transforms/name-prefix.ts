/**
 * `namePrefix:` and `nameSuffix:` (kustomize PrefixTransformer / SuffixTransformer). Skips
 * CustomResourceDefinition, apiregistration.k8s.io APIService and Namespace (matched on the
 * original id); records the prefix/suffix and the previous id for name references.
 */
import { applyFieldSpec } from '../fieldspecs/apply.js';
import type { FieldSpec } from '../fieldspecs/index.js';
import { gvkSelected, type ResMap } from '../resmap.js';
import type { Transformer } from './context.js';

const SKIP = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

export function addAffix(m: ResMap, affix: string, fieldSpecs: readonly FieldSpec[], which: 'prefix' | 'suffix'): void {
  for (const r of m.list) {
    const org = r.orgId();
    if (SKIP.some((s) => gvkSelected(org.gvk, s))) continue;
    for (const fs of fieldSpecs) {
      if (!gvkSelected(r.orgId().gvk, fs)) continue;
      if (fs.path === 'metadata/name') {
        if (which === 'prefix') r.prefixes.push(affix);
        else r.suffixes.push(affix);
        r.buildAnnotated = true;
        if (affix !== '') r.storePreviousId();
      }
      applyFieldSpec(r.obj, fs, 'scalar', (slot) => {
        const v = slot.get();
        const s = v === null || v === undefined ? '' : String(v);
        slot.set(which === 'prefix' ? affix + s : s + affix);
      });
    }
  }
}

export const namePrefixTransformer: Transformer = {
  field: 'namePrefix',
  plugin: 'PrefixTransformer',
  instances: (k) => (k.namePrefix ? 1 : 0),
  run(m, ctx) {
    if (!ctx.k.namePrefix) return;
    addAffix(m, ctx.k.namePrefix, ctx.config.namePrefix, 'prefix');
  },
};
