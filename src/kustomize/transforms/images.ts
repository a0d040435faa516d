/**
 * `images:` (kustomize ImageTagTransformer, api/filters/imagetag), one entry at a time:
 * (a) the legacy walk that rewrites `image` in every `containers`/`initContainers` list anywhere
 * in any kind but CustomResourceDefinition, then (b) the images fieldSpecs.
 * Matching is kustomize's regex `^<name>(:tag)?(@sha256:digest)?$` with `name` inserted unescaped.
 */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { isPlainObject } from '../../resources/resource.js';
import { applyFieldSpec } from '../fieldspecs/apply.js';
import type { FieldSpec } from '../fieldspecs/index.js';
import type { Image } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import type { Transformer } from './context.js';

export function isImageMatched(s: string, name: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp('^' + name + '(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$');
  } catch {
    return false;
  }
  return re.test(s);
}

/** kustomize's image.Split: name, tag, digest. */
export function splitImage(image: string): [string, string, string] {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return [image, '', ''];
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return [image.slice(0, id), '', image.slice(id + 1)];
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return [image.slice(0, ic), image.slice(ic + 1, id), image.slice(id + 1)];
  }
  ic += slash;
  return [image.slice(0, ic), image.slice(ic + 1), ''];
}

export function updateImage(value: string, img: Image): string | undefined {
  if (!isImageMatched(value, img.name ?? '')) return undefined;
  let [name, tag, digest] = splitImage(value);
  if (img.newName) name = img.newName;
  if (img.newTag && img.digest) {
    tag = img.newTag;
    digest = img.digest;
  } else if (img.newTag) {
    tag = img.newTag;
    digest = '';
  } else if (img.digest) {
    tag = '';
    digest = img.digest;
  } else if (img.tagSuffix) {
    tag += img.tagSuffix;
    digest = '';
  }
  if (tag) name += ':' + tag;
  if (digest) name += '@' + digest;
  return name;
}

function setImageIn(holder: Record<string, unknown>, img: Image): void {
  if (!('image' in holder)) return;
  const v = holder.image;
  if (v === null || v === undefined) return;
  if (typeof v === 'object') throw new InputError(`images: 'image' must be a scalar`);
  const nv = updateImage(String(v), img);
  if (nv !== undefined) holder.image = nv;
}

function legacyWalk(node: unknown, img: Image): void {
  if (Array.isArray(node)) {
    for (const e of node) legacyWalk(e, img);
  } else if (isPlainObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      legacyWalk(v, img);
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
        for (const c of v) if (isPlainObject(c)) setImageIn(c, img);
      }
    }
  }
}

export function applyImage(m: ResMap, img: Image, fieldSpecs: readonly FieldSpec[]): void {
  for (const r of m.list) {
    if (r.obj.kind === 'CustomResourceDefinition') continue;
    legacyWalk(r.obj as KObject, img);
  }
  for (const r of m.list) {
    if (r.obj.kind === 'CustomResourceDefinition') continue;
    for (const fs of fieldSpecs) {
      applyFieldSpec(r.obj, fs, undefined, (slot) => {
        const v = slot.get();
        if (v === null || v === undefined) return;
        if (typeof v === 'object') throw new InputError(`images: field '${fs.path}' must be a scalar`);
        const nv = updateImage(String(v), img);
        if (nv !== undefined) slot.set(nv);
      });
    }
  }
}

export const imagesTransformer: Transformer = {
  field: 'images',
  plugin: 'ImageTagTransformer',
  instances: (k) => k.images?.length ?? 0,
  run(m, ctx) {
    for (const img of ctx.k.images ?? []) applyImage(m, img, ctx.config.images);
  },
};
