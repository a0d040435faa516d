/**
 * The seam between the build engine and the patch implementations in ./patches/ (strategic
 * merge with kyaml's schema rules, JSON 6902), which are the default. A small schemaless
 * fallback (maps merge, lists are replaced, `$patch: delete|replace`, `null`; JSON 6902
 * add/remove/replace/move/copy/test) stays available as `fallbackPatchEngine` for comparison.
 */
import * as patches from './patches/index.js';
import { InputError } from '../errors.js';
import type { KObject } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { parseGoYaml } from '../yaml/go-yaml.js';

export interface PatchEngine {
  applyStrategicMerge(target: KObject, patch: KObject): KObject | null;
  parseJson6902(text: string, file: string): unknown[];
  applyJson6902(target: KObject, ops: unknown[], file?: string): KObject;
}

function smpMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (isPlainObject(v)) {
      const m = smpMerge(out[k], v);
      if (m === undefined) delete out[k];
      else out[k] = m;
    } else if (Array.isArray(v)) {
      const items = v.filter((x) => !(isPlainObject(x) && x['$patch'] === 'replace' && Object.keys(x).length === 1));
      out[k] = structuredClone(items);
    } else out[k] = v;
  }
  return out;
}

function decodePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new InputError(`JSON patch path '${p}' must start with '/'`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: unknown, segs: string[]): unknown {
  let cur = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isPlainObject(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function applyOp(doc: unknown, op: Record<string, unknown>): unknown {
  const kind = op.op;
  const path = decodePointer(String(op.path ?? ''));
  const parentOf = (segs: string[]) => getAt(doc, segs.slice(0, -1));
  const add = (segs: string[], value: unknown) => {
    if (segs.length === 0) return value;
    const parent = parentOf(segs);
    const last = segs[segs.length - 1]!;
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new InputError(`JSON patch: index '${last}' out of range for add at ${op.path}`);
      parent.splice(i, 0, value);
    } else if (isPlainObject(parent)) parent[last] = value;
    else throw new InputError(`JSON patch: missing parent for add at ${op.path}`);
    return doc;
  };
  const remove = (segs: string[]) => {
    const parent = parentOf(segs);
    const last = segs[segs.length - 1]!;
    if (Array.isArray(parent)) {
      const i = Number(last);
      if (!(i >= 0 && i < parent.length)) throw new InputError(`JSON patch: cannot remove missing index at ${op.path}`);
      return parent.splice(i, 1)[0];
    }
    if (isPlainObject(parent) && last in parent) {
      const v = parent[last];
      delete parent[last];
      return v;
    }
    throw new InputError(`JSON patch: cannot remove missing path ${op.path}`);
  };
  switch (kind) {
    case 'add':
      return add(path, structuredClone(op.value));
    case 'remove':
      remove(path);
      return doc;
    case 'replace':
      if (path.length === 0) return structuredClone(op.value);
      if (getAt(doc, path) === undefined) throw new InputError(`JSON patch: replace of missing path ${op.path}`);
      remove(path);
      return add(path, structuredClone(op.value));
    case 'move': {
      const from = decodePointer(String(op.from ?? ''));
      const v = remove(from);
      return add(path, v);
    }
    case 'copy': {
      const from = decodePointer(String(op.from ?? ''));
      return add(path, structuredClone(getAt(doc, from)));
    }
    case 'test':
      if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) throw new InputError(`JSON patch: test failed at ${op.path}`);
      return doc;
    default:
      throw new InputError(`JSON patch: unknown op '${String(kind)}'`);
  }
}

export const fallbackPatchEngine: PatchEngine = {
  applyStrategicMerge(target, patch) {
    const r = smpMerge(target, patch);
    return r === undefined ? null : (r as KObject);
  },
  parseJson6902(text, file) {
    const t = text.trim();
    let v: unknown;
    if (t.startsWith('[')) {
      try {
        v = JSON.parse(t);
      } catch (e) {
        throw new InputError(`invalid JSON patch: ${(e as Error).message}`, { pos: { file } });
      }
    } else {
      const docs = parseGoYaml(text, file, { dialect: 'v2' });
      v = docs[0]?.value;
    }
    if (!Array.isArray(v)) throw new InputError('a JSON 6902 patch must be a list of operations', { pos: { file } });
    return v;
  },
  applyJson6902(target, ops, file) {
    let doc: unknown = structuredClone(target);
    for (const op of ops) {
      if (!isPlainObject(op)) throw new InputError('a JSON 6902 operation must be a map', { pos: file ? { file } : undefined });
      try {
        doc = applyOp(doc, op);
      } catch (e) {
        if (e instanceof InputError && file) throw new InputError(e.message, { pos: { file } });
        throw e;
      }
    }
    return doc as KObject;
  },
};

/** The full implementation in ./patches/. */
export const kyamlPatchEngine: PatchEngine = {
  applyStrategicMerge: (target, patch) => patches.applyStrategicMerge(target, patch),
  parseJson6902: (text, file) => patches.parseJson6902(text, file),
  applyJson6902: (target, ops, file) => patches.applyJson6902(target, ops, file),
};

let engine: PatchEngine = kyamlPatchEngine;

/** The patch implementation in use. */
export function patchEngine(): PatchEngine {
  return engine;
}

/** Swaps the implementation (tests). */
export function setPatchEngine(e: PatchEngine): void {
  engine = e;
}
