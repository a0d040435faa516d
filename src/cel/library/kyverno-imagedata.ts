/**
 * Kyverno's `imagedata` library (github.com/kyverno/sdk extensions/cel/libs/imagedata), for
 * ValidatingPolicy: `image.GetMetadata(ref)` (and `getMetadata`) gives an image's data (registry,
 * repository, tag, digest, manifest, config...). Offline it comes only from a Kyverno CLI context
 * file's `spec.images`, as the CLI's fake context provider gives it; an image it does not list is
 * an error, as in the CLI; with no image data at all the call is not evaluable offline (it needs a
 * registry).
 */
import { CelEvalError } from '../errors.js';
import { CelLibraryValue, toCel } from '../values.js';
import type { CelRegistrar } from './types.js';

/** The CEL type of the `image` variable. */
export const IMAGE_DATA_CONTEXT_TYPE = 'kyverno.imagedata.Context';

type Obj = Record<string, unknown>;

/** The value of the `image` variable: image data by reference, if any is known. */
export class ImageDataContext extends CelLibraryValue {
  /** @param images image data by image reference (a context file's `spec.images`); undefined: unknown. */
  constructor(readonly images: ReadonlyMap<string, Obj> | undefined) {
    super();
  }
}

/**
 * One `spec.images` entry as the CLI hands it to policies: the fields of its ImageData struct
 * (image, resolvedImage, registry, repository always; tag, digest, imageIndex, manifest, config
 * when set), nothing else.
 */
export function imageDataOf(entry: Obj): Obj {
  const s = (v: unknown): string => (typeof v === 'string' ? v : '');
  const out: Obj = {
    image: s(entry.image),
    resolvedImage: s(entry.resolvedImage),
    registry: s(entry.registry),
    repository: s(entry.repository),
  };
  for (const k of ['tag', 'digest'] as const) if (s(entry[k]) !== '') out[k] = entry[k];
  for (const k of ['imageIndex', 'manifest', 'config'] as const)
    if (entry[k] !== undefined && entry[k] !== null) out[k] = entry[k];
  return out;
}

/** image.GetMetadata: the image's data, or an error. */
export function getImageData(ctx: ImageDataContext, ref: string): Obj {
  if (ctx.images === undefined || ctx.images.size === 0) {
    throw new CelEvalError(
      `image.GetMetadata(${JSON.stringify(ref)}): not evaluable offline: ` +
        `it reads the image from its registry, and no image data (context spec.images) was given`,
      'offline',
    );
  }
  const data = ctx.images.get(ref);
  if (!data) throw new CelEvalError(`failed to get image data: image data for ${ref} not found in the context`);
  return data;
}

export function registerKyvernoImageData(env: CelRegistrar): void {
  const T = IMAGE_DATA_CONTEXT_TYPE;
  env.registerType(T, ImageDataContext);
  for (const name of ['GetMetadata', 'getMetadata']) {
    env.registerFunction(`${T}.${name}(string): map<string, dyn>`, (c: ImageDataContext, ref: string) =>
      toCel(getImageData(c, ref)),
    );
  }
}
