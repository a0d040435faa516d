import { InputError } from '../../../errors.js';
import { isPlainObject } from '../../../resources/resource.js';
import type { Override } from './context.js';

/**
 * `spec.images[]`: an entry whose name equals an existing `images[]` name is merged field by
 * field (`newName` if set; `newTag` and `digest` together, so setting one clears the other);
 * otherwise it is appended.
 */
export const images: Override = (k, { spec }) => {
  if (spec.images === undefined || spec.images === null) return;
  if (!Array.isArray(spec.images)) throw new InputError('expected a list', { fieldPath: 'spec.images' });
  const list: Record<string, unknown>[] = Array.isArray(k.images)
    ? (k.images as Record<string, unknown>[]).map((x) => ({ ...x }))
    : [];
  spec.images.forEach((img, i) => {
    const at = `spec.images[${i}]`;
    if (!isPlainObject(img)) throw new InputError('expected a map', { fieldPath: at });
    const str = (f: string): string => {
      const v = img[f];
      if (v === undefined || v === null) return '';
      if (typeof v !== 'string') throw new InputError('expected a string', { fieldPath: `${at}.${f}` });
      return v;
    };
    const name = str('name');
    const newName = str('newName');
    const newTag = str('newTag');
    const digest = str('digest');
    const existing = list.find((e) => e.name === name);
    if (existing) {
      if (newName) existing.newName = newName;
      if (newTag || digest) {
        setOrDelete(existing, 'newTag', newTag);
        setOrDelete(existing, 'digest', digest);
      }
    } else {
      const e: Record<string, unknown> = {};
      if (name) e.name = name;
      if (newName) e.newName = newName;
      if (newTag) e.newTag = newTag;
      if (digest) e.digest = digest;
      list.push(e);
    }
  });
  if (list.length) k.images = list;
};

function setOrDelete(o: Record<string, unknown>, f: string, v: string): void {
  if (v) o[f] = v;
  else delete o[f];
}
