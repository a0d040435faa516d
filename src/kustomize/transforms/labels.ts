/**
 * `labels:` (one LabelTransformer per entry) then `commonLabels:` (kustomize LabelTransformer,
 * api/filters/labels). `labels[]` entries write metadata/labels only, plus template labels with
 * `includeTemplates`, or every commonLabels fieldSpec (selectors included) with
 * `includeSelectors`; `fields:` adds custom fieldSpecs.
 */
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import { byteCompare, resolveV3 } from '../../yaml/go-yaml.js';
import { applyFieldSpec } from '../fieldspecs/apply.js';
import { mergeFieldSpecs, type FieldSpec } from '../fieldspecs/index.js';
import type { ResMap } from '../resmap.js';
import type { Transformer } from './context.js';

/** Sets every `key: value` of `entries` in the maps the fieldSpecs reach (creating them when allowed). */
export function setMapEntries(
  m: ResMap,
  entries: Record<string, string>,
  fieldSpecs: readonly FieldSpec[],
  what: string,
): void {
  const keys = Object.keys(entries).sort(byteCompare);
  if (keys.length === 0) return;
  for (const k of keys) {
    const kind = resolveV3(k, '').kind;
    if (kind === 'int' || kind === 'float' || kind === 'bool') {
      // kustomize writes the key unquoted, reads it back as a non-string and fails (verified with kubectl).
      throw new InputError(
        `${what}: key '${k}' reads as a ${kind === 'bool' ? 'boolean' : 'number'} in YAML; ` +
          `kustomize fails on it (json: unsupported type)`,
      );
    }
  }
  for (const r of m.list) {
    for (const k of keys) {
      for (const fs of fieldSpecs) {
        applyFieldSpec(r.obj, fs, 'map', (slot) => {
          const v = slot.get();
          if (v === null || v === undefined) return;
          if (!isPlainObject(v))
            throw new InputError(`${what}: field '${fs.path}' of ${r.gvk.kind}/${r.name} is not a map`);
          v[k] = entries[k]!;
        });
      }
    }
  }
}

export const labelsTransformer: Transformer = {
  field: 'labels',
  plugin: 'LabelTransformer',
  // one per labels[] entry plus one for commonLabels, whenever either is set
  instances: (k) =>
    (k.labels?.length ?? 0) > 0 || Object.keys(k.commonLabels ?? {}).length > 0 ? (k.labels?.length ?? 0) + 1 : 0,
  run(m, ctx) {
    const tc = ctx.config;
    for (const label of ctx.k.labels ?? []) {
      let fss: FieldSpec[] = mergeFieldSpecs(label.fields ?? [], tc.labels);
      if (label.includeSelectors) fss = mergeFieldSpecs(fss, tc.commonLabels);
      else {
        if (label.includeTemplates) fss = mergeFieldSpecs(fss, tc.templateLabels);
        fss = mergeFieldSpecs(fss, [{ path: 'metadata/labels', create: true }]);
      }
      setMapEntries(m, label.pairs ?? {}, fss, 'labels');
    }
    if (ctx.k.commonLabels) setMapEntries(m, ctx.k.commonLabels, tc.commonLabels, 'commonLabels');
  },
};
