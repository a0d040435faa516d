/**
 * Kyverno's `hash` library (github.com/kyverno/sdk extensions/cel/libs/hash): `sha1`, `sha256`,
 * `md5` of a string's UTF-8 bytes as lower-case hex, also under `hash.` (since Kyverno 1.18).
 */
import { createHash } from 'node:crypto';
import { charge, sizeCost } from '../cost.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

export type HashAlgorithm = 'sha1' | 'sha256' | 'md5';

/** The hex digest of `value`'s UTF-8 bytes. */
export function hashString(algorithm: HashAlgorithm, value: string): string {
  charge(sizeCost(value.length));
  return createHash(algorithm).update(value, 'utf8').digest('hex');
}

export function registerKyvernoHash(env: CelRegistrar): void {
  for (const algorithm of ['sha1', 'sha256', 'md5'] as const) {
    const fn = (s: string): string => hashString(algorithm, s);
    env.registerFunction(`${algorithm}(string): string`, fn);
    namespaced(env, `hash.${algorithm}`, ['string'], 'string', fn);
  }
}
