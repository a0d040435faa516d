/**
 * An object of a cluster as the console keeps it until the page asks for it (`/api/object`): its
 * place and the masked object serialised with v8's structured serialisation (exact for every value
 * a parse gives: -0, NaN, bigints, key order), its YAML written only when asked. Writing the YAML
 * of every object up front was most of the first model's CPU, and the parsed objects most of its
 * memory. Clusters that apply the same object (the same chart's CRDs on every cluster) share one
 * copy of it: most objects of a fleet are the same on many clusters.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { toYaml } from '../yaml/emit.js';
import type { ConsoleObject, KeptObject } from './model.js';

/** The serialised objects of one model (or of the watch's models), one copy of each by content. */
export class KeptObjects {
  private byDigest = new Map<string, Buffer>();

  /** Keeps `masked` (already masked: nothing unmasked is kept) with its place. */
  keep(head: KeptObject['head'], masked: unknown, tail: KeptObject['tail']): KeptObject {
    const data = serialize(masked);
    const digest = createHash('sha256').update(data).digest('base64');
    let shared = this.byDigest.get(digest);
    if (!shared) this.byDigest.set(digest, (shared = data));
    return { head, tail, digest, data: shared };
  }

  /** Forgets every copy but those of `kept` (the watch, once its new model is made). */
  retain(kept: Iterable<KeptObject>): void {
    const next = new Map<string, Buffer>();
    for (const k of kept) next.set(k.digest, k.data);
    this.byDigest = next;
  }

  /** How many distinct objects are kept. */
  get size(): number {
    return this.byDigest.size;
  }
}

/** The object as `/api/object` answers it, its YAML written now. */
export function consoleObject(k: KeptObject): ConsoleObject {
  return { ...k.head, yaml: toYaml(deserialize(k.data)), ...k.tail };
}
