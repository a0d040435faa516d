/**
 * `vars:` (deprecated in kustomize, still supported): after hashing and name references,
 * `$(NAME)` in the varReference fieldSpecs is replaced by the value of the field a var points at.
 * Unresolved references stay as they are.
 */
import { InputError } from '../errors.js';
import { isPlainObject } from '../resources/resource.js';
import { applyFieldSpec, type Slot } from './fieldspecs/apply.js';
import type { TransformerConfig } from './fieldspecs/index.js';
import type { Var } from './kustomization.js';
import type { ResMap } from './resmap.js';

function lookup(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.split('.')) {
    const m = /^(.*)\[(\d+)\]$/.exec(seg);
    if (m) {
      if (!isPlainObject(cur)) return undefined;
      const arr = cur[m[1]!];
      if (!Array.isArray(arr)) return undefined;
      cur = arr[Number(m[2])];
    } else if (isPlainObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function expand(s: string, values: Map<string, unknown>): unknown {
  const whole = /^\$\(([^)]+)\)$/.exec(s);
  if (whole && values.has(whole[1]!)) {
    const v = values.get(whole[1]!);
    return typeof v === 'object' && v !== null ? s : v;
  }
  return s.replace(/\$\$|\$\(([^)]*)\)/g, (all, name?: string) => {
    if (all === '$$') return '$';
    if (name !== undefined && values.has(name)) return String(values.get(name));
    return all;
  });
}

export function resolveVars(m: ResMap, vars: readonly Var[], config: TransformerConfig): void {
  if (vars.length === 0) return;
  const values = new Map<string, unknown>();
  for (const v of vars) {
    const r = m.list.find((x) => x.refVarNames.includes(v.name));
    if (!r)
      throw new InputError(`var '${v.name}' cannot be mapped to a field in the set of known resources`, {
        fieldPath: 'vars',
      });
    const fp = v.fieldref?.fieldpath || 'metadata.name';
    const val = lookup(r.obj, fp);
    if (val === undefined)
      throw new InputError(
        `field specified in var '${v.name}' (${fp}) not found in corresponding resource ${r.gvk.kind}/${r.name}`,
        { fieldPath: 'vars' },
      );
    values.set(v.name, val);
  }
  const visit = (slot: Slot) => {
    const x = slot.get();
    if (typeof x === 'string') slot.set(expand(x, values));
    else if (Array.isArray(x)) x.forEach((e, i) => typeof e === 'string' && (x[i] = expand(e, values)));
    else if (isPlainObject(x))
      for (const [k, e] of Object.entries(x)) if (typeof e === 'string') x[k] = expand(e, values);
  };
  for (const r of m.list) for (const fs of config.varReference) applyFieldSpec(r.obj, fs, undefined, visit);
}
