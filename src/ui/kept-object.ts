/**
 * An object of a cluster as the console keeps it until the page asks for it (`/api/object`): its
 * place and the masked object serialised with v8's structured serialisation (exact for every value
 * a parse gives: -0, NaN, bigints, key order), its YAML written only when asked. Writing the YAML
 * of every object up front was most of the first model's CPU, and the parsed objects most of its
 * memory. Clusters that apply the same object (the same chart's CRDs on every cluster) share one
 * copy of it, masked once: most objects of a fleet are the same on many clusters (of the 6,310
 * objects of the 10-cluster synthetic fleet with charts, 685 are distinct).
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { toYaml } from '../yaml/emit.js';
import { maskObject, type MaskContext } from '../resources/mask.js';
import type { ConsoleObject, KeptObject } from './model.js';

/** The serialised objects of one model (or of the watch's models), one copy of each by content. */
export class KeptObjects {
  /** masked object's digest -> its serialisation */
  private byDigest = new Map<string, Buffer>();
  /** digest of an object as rendered, and of the masks -> the digest of the object masked */
  private masked = new Map<string, string>();

  /**
   * Keeps `object` masked with `masks` (nothing unmasked is kept), with its place. `masksKey`
   * names the masks (`masksKey(masks)`: one per cluster): an object kept before with the same masks
   * is not masked again.
   */
  keep(
    head: KeptObject['head'],
    object: unknown,
    tail: KeptObject['tail'],
    masks: MaskContext,
    maskKey: string,
  ): KeptObject {
    const asRendered = `${digestOf(serialize(object))} ${maskKey}`;
    const known = this.masked.get(asRendered);
    const data = known !== undefined ? this.byDigest.get(known) : undefined;
    if (known !== undefined && data) return { head, tail, digest: known, data };
    const fresh = serialize(maskObject(object, masks));
    const digest = digestOf(fresh);
    let shared = this.byDigest.get(digest);
    if (!shared) this.byDigest.set(digest, (shared = fresh));
    this.masked.set(asRendered, digest);
    return { head, tail, digest, data: shared };
  }

  /** Forgets every copy but those of `kept` (the watch, once its new model is made). */
  retain(kept: Iterable<KeptObject>): void {
    const next = new Map<string, Buffer>();
    for (const k of kept) next.set(k.digest, k.data);
    this.byDigest = next;
    this.masked = new Map([...this.masked].filter(([, d]) => next.has(d)));
  }

  /** How many distinct objects are kept. */
  get size(): number {
    return this.byDigest.size;
  }
}

function digestOf(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** The name of a cluster's masks for `KeptObjects.keep` (its Secrets' values, by digest: never kept as they are). */
export function maskKey(masks: MaskContext): string {
  return createHash('sha256')
    .update(JSON.stringify(masks.secretValues ?? []))
    .digest('base64');
}

/** The object as `/api/object` answers it, its YAML written now. */
export function consoleObject(k: KeptObject): ConsoleObject {
  return { ...k.head, yaml: toYaml(deserialize(k.data)), ...k.tail };
}
