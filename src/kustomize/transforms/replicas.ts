/**
 * `replicas:` (kustomize ReplicaCountTransformer): `{name, count}` sets spec/replicas (the
 * replicas fieldSpecs) on resources whose current or any previous id has that name and matches
 * the fieldSpec's GVK. No match at all is an error, as in kustomize.
 */
import { InputError } from '../../errors.js';
import { applyFieldSpec } from '../fieldspecs/apply.js';
import { gvkSelected } from '../resmap.js';
import type { Transformer } from './context.js';
import type { FieldSpec } from '../fieldspecs/index.js';
import type { Replica } from '../kustomization.js';
import type { ResMap } from '../resmap.js';

/** One `{name, count}` over the given fieldSpecs; false when nothing matched. */
export function applyReplica(m: ResMap, rep: Replica, fieldSpecs: readonly FieldSpec[]): boolean {
  const name = rep.name ?? '';
  let found = false;
  for (const fs of fieldSpecs) {
    const list = m.list.filter((r) =>
      [...r.prevIdsNow(), r.curId()].some((id) => id.name === name && gvkSelected(id.gvk, fs)),
    );
    if (list.length === 0) continue;
    found = true;
    for (const r of list) applyFieldSpec(r.obj, fs, 'scalar', (slot) => slot.set(rep.count ?? 0));
  }
  return found;
}

export const replicasTransformer: Transformer = {
  field: 'replicas',
  plugin: 'ReplicaCountTransformer',
  instances: (k) => k.replicas?.length ?? 0,
  run(m, ctx) {
    for (const [i, rep] of (ctx.k.replicas ?? []).entries()) {
      const name = rep.name ?? '';
      const found = applyReplica(m, rep, ctx.config.replicas);
      if (!found) {
        throw new InputError(
          `resource with name ${name} does not match a config with the following ` +
            `GVK [${ctx.config.replicas.map((f) => f.kind ?? '').join(' ')}]`,
          { pos: { file: ctx.file, line: ctx.lineOf(['replicas', i]) }, fieldPath: `replicas[${i}]` },
        );
      }
    }
  },
};
