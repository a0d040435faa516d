/**
 * Kyverno's CEL libraries for its policies (ValidatingPolicy): the ones that read the cluster
 * (`resource`), image registries (`image`), the clock (`time`) and the user (`parseServiceAccount`).
 * The first three are variables whose values carry what is known offline, built per evaluation
 * by kyvernoActivation from a KyvernoData.
 */
import { Clock, registerKyvernoTime } from './kyverno-time.js';
import { ImageDataContext, imageDataOf, registerKyvernoImageData, IMAGE_DATA_CONTEXT_TYPE } from './kyverno-imagedata.js';
import { registerKyvernoResource, ResourceContext, RESOURCE_CONTEXT_TYPE } from './kyverno-resource.js';
import { CLOCK_TYPE } from './kyverno-time.js';
import { registerKyvernoUser } from './kyverno-user.js';
import type { CelRegistrar } from './types.js';

/** The variables Kyverno's libraries declare, with their types. */
export const KYVERNO_LIBRARY_VARIABLES: readonly (readonly [string, string])[] = [
  ['resource', RESOURCE_CONTEXT_TYPE],
  ['image', IMAGE_DATA_CONTEXT_TYPE],
  ['time', CLOCK_TYPE],
];

/** Receivers that are namespaces of Kyverno's global functions (`user.parseServiceAccount`). */
export const KYVERNO_FUNCTION_NAMESPACES: readonly string[] = ['user'];

export function registerKyverno(env: CelRegistrar): void {
  registerKyvernoResource(env);
  registerKyvernoImageData(env);
  registerKyvernoTime(env);
  registerKyvernoUser(env);
}

/** What is known offline to Kyverno's libraries (a Kyverno CLI context file, the clock). */
export interface KyvernoData {
  /** The cluster's objects (`spec.resources`); undefined: unknown, `resource.*` is not evaluable. */
  readonly resources?: readonly Record<string, unknown>[];
  /** Image data entries (`spec.images`: image, registry, tag, config...); undefined: none known. */
  readonly images?: readonly Record<string, unknown>[];
  /** What `time.now()` gives. */
  readonly now: Date;
}

/** The values of the library variables for one evaluation (`namespace`: a namespaced policy's). */
export function kyvernoActivation(data: KyvernoData, namespace?: string): Record<string, unknown> {
  const images = data.images === undefined ? undefined : new Map(data.images.filter((i) => typeof i.image === 'string').map((i) => [i.image as string, imageDataOf(i)]));
  return {
    resource: new ResourceContext(data.resources, namespace),
    image: new ImageDataContext(images),
    time: new Clock(data.now),
  };
}
