/**
 * Flux's generated kustomization for a path without a kustomization file (fluxcd/pkg
 * kustomize_generator.go scanManifests): walk the directory in lexical order; a subdirectory
 * holding a kustomization file becomes a directory resource and is not descended into; every
 * other `.yaml`/`.yml` file must decode as Kubernetes YAML and becomes a file resource.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { isPlainObject } from '../../resources/resource.js';

/** kustomize's recognised kustomization file names, in lookup order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const join = (a: string, b: string) => (a ? `${a}/${b}` : b);

/** The kustomization file in `dir`, if there is one (a file, not a directory). */
export function findKustomizationFile(fs: RepoFs, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) if (fs.isFile(join(dir, n))) return join(dir, n);
  return undefined;
}

/** `./relative` resource entries for `dir`, in Flux's walk order. */
export function scanManifests(fs: RepoFs, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.list(d)) {
      const p = join(d, name);
      if (fs.isDir(p)) {
        if (findKustomizationFile(fs, p)) out.push(p);
        else walk(p);
        continue;
      }
      const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
      if (ext !== '.yaml' && ext !== '.yml') continue;
      checkKubernetesYaml(fs.readFile(p), p);
      out.push(p);
    }
  };
  walk(dir);
  return out.map((p) => `./${dir ? p.slice(dir.length + 1) : p}`);
}

/**
 * Fails like kustomize's resource factory does on a file that is not Kubernetes YAML: bad YAML,
 * a document that is not a map, a missing `kind` or `metadata.name`, a null list item.
 */
export function checkKubernetesYaml(text: string, file: string): void {
  const fail = (reason: string, line?: number, fieldPath?: string): never => {
    throw new InputError(`failed to decode Kubernetes YAML from ${file}: ${reason}`, {
      pos: { file, line },
      fieldPath,
    });
  };
  let docs;
  try {
    docs = parseYamlDocuments(text, file);
  } catch (e) {
    const ie = e as InputError;
    return fail(ie.message, ie.pos?.line);
  }
  for (const d of docs) {
    const objs: { v: unknown; path: string }[] = [];
    const v = d.value;
    if (isPlainObject(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      v.items.forEach((it, i) => objs.push({ v: it, path: `items[${i}]` }));
    } else {
      objs.push({ v, path: '' });
    }
    for (const { v: o, path } of objs) {
      const at = (f: string) => (path ? `${path}.${f}` : f);
      if (!isPlainObject(o)) fail('a document is not a map (object)', d.line, path || undefined);
      const obj = o as Record<string, unknown>;
      if (typeof obj.kind !== 'string' || obj.kind === '') fail('missing kind', d.line, at('kind'));
      const md = obj.metadata;
      if (!isPlainObject(md) || typeof md.name !== 'string' || md.name === '')
        fail('missing metadata.name', d.line, at('metadata.name'));
      const nullItem = findNullListItem(obj, '');
      if (nullItem) fail(`empty item at ${nullItem} in object`, d.line, at(nullItem));
    }
  }
}

function findNullListItem(v: unknown, path: string): string | undefined {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null || v[i] === undefined) return `${path}[${i}]`;
      const r = findNullListItem(v[i], `${path}[${i}]`);
      if (r) return r;
    }
  } else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const r = findNullListItem(x, path ? `${path}.${k}` : k);
      if (r) return r;
    }
  }
  return undefined;
}
