/**
 * An object of a cluster as the console keeps it until the page asks for it (`/api/object`): its
 * place and the masked object serialised with v8's structured serialisation (exact for every value
 * a parse gives: -0, NaN, bigints, key order), its YAML written only when asked. Writing the YAML
 * of every object up front was most of the first model's CPU, and the parsed objects most of its memory.
 */
import { deserialize, serialize } from 'node:v8';
import { toYaml } from '../yaml/emit.js';
import type { ConsoleObject, KeptObject } from './model.js';

/** Keeps `masked` (already masked: nothing unmasked is kept) with its place. */
export function keepObject(head: KeptObject['head'], masked: unknown, tail: KeptObject['tail']): KeptObject {
  return { head, tail, data: serialize(masked) };
}

/** The object as `/api/object` answers it, its YAML written now. */
export function consoleObject(k: KeptObject): ConsoleObject {
  return { ...k.head, yaml: toYaml(deserialize(k.data)), ...k.tail };
}
