/**
 * A Kyverno CLI test's `globalContextEntries` (kyverno 1.19 cmd/cli apis/v1alpha1 Test): mock data
 * for GlobalContextEntry resources, which CEL's `globalContext.Get(name[, projection])` reads.
 * Each entry has exactly one of `data` (a JSON object), `resources` (inline manifests) or
 * `resourceFiles` (YAML files beside the test, never outside its folder); `fieldPath` (JMESPath)
 * picks the root, `projections` (name + JMESPath path) turn it into an object of named values,
 * as the CLI resolves them (store/gctx_resolve.go). Errors carry the CLI's wording.
 */
import * as path from 'node:path';
import { KYVERNO_FUNCTIONS } from './kyverno/jmespath/kyverno-functions.js';
import { searchJmesPath } from './kyverno/jmespath/interpreter.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One entry's data, resolved; `readFile(path)` gives the documents of a resource file. */
export function resolveGlobalContextEntry(
  entry: Obj,
  dir: string,
  readFile: (file: string) => readonly Obj[],
): { name: string; data: unknown } {
  const name = String(entry.name ?? '').trim();
  if (name === '') throw new Error('globalContextEntries: name is required');
  const sources = ['data', 'resources', 'resourceFiles'].filter((k) => entry[k] !== undefined && entry[k] !== null);
  if (sources.length > 1)
    throw new Error(`globalContextEntries entry "${name}": data, resources, and resourceFiles are mutually exclusive`);
  if (sources.length === 0)
    throw new Error(`globalContextEntries entry "${name}": one of data, resources, or resourceFiles is required`);
  let root: unknown;
  if (entry.data !== undefined && entry.data !== null) {
    if (!isObject(entry.data)) throw new Error(`globalContextEntries entry "${name}": data must be a JSON object`);
    root = entry.data;
  } else if (entry.resources !== undefined && entry.resources !== null) {
    const list = Array.isArray(entry.resources) ? entry.resources : [];
    list.forEach((r, j) => {
      if (!isObject(r))
        throw new Error(
          `globalContextEntries entry "${name}" resources[${j}]: must be a JSON object (Kubernetes resource manifest)`,
        );
    });
    root = list;
  } else {
    const files = Array.isArray(entry.resourceFiles) ? entry.resourceFiles.map(String) : [];
    root = files.flatMap((f, j) => {
      const trimmed = f.trim();
      if (trimmed === '')
        throw new Error(`globalContextEntries entry "${name}" resourceFiles[${j}]: file path must not be empty`);
      if (path.isAbsolute(trimmed))
        throw new Error(`globalContextEntries entry "${name}" resourceFiles[${j}]: file path must not be absolute`);
      const clean = path.posix.normalize(trimmed.split(path.sep).join('/'));
      if (clean === '..' || clean.startsWith('../'))
        throw new Error(
          `globalContextEntries entry "${name}" resourceFiles[${j}]: file path must not escape the test directory`,
        );
      return readFile(path.join(dir, clean));
    });
  }
  const search = (expr: string, data: unknown, what: string): unknown => {
    try {
      return searchJmesPath(expr, data, KYVERNO_FUNCTIONS);
    } catch (e) {
      throw new Error(`globalContextEntries "${name}" ${what}: ${(e as Error).message}`);
    }
  };
  if (typeof entry.fieldPath === 'string' && entry.fieldPath !== '') root = search(entry.fieldPath, root, 'fieldPath');
  const projections = Array.isArray(entry.projections) ? entry.projections.filter(isObject) : [];
  if (projections.length === 0) return { name, data: root };
  const out: Obj = {};
  for (const p of projections) {
    const pname = String(p.name ?? '').trim();
    const ppath = String(p.path ?? '').trim();
    if (pname === '') throw new Error(`globalContextEntries entry "${name}": projection name is required`);
    if (ppath === '') throw new Error(`globalContextEntries entry "${name}" projection "${pname}": path is required`);
    out[pname] = search(ppath, root, `projection "${pname}" path "${ppath}"`);
  }
  return { name, data: out };
}

/** Every entry of a test, by name (a duplicate name is an error, as in the CLI). */
export function resolveGlobalContextEntries(
  entries: readonly unknown[],
  dir: string,
  readFile: (file: string) => readonly Obj[],
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const e of entries) {
    if (!isObject(e)) throw new Error('globalContextEntries: each entry must be an object');
    const { name, data } = resolveGlobalContextEntry(e, dir, readFile);
    if (out.has(name)) throw new Error(`globalContextEntries: duplicate name "${name}"`);
    out.set(name, data);
  }
  return out;
}
