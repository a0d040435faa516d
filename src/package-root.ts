/**
 * The installed package's root (where package.json, data/ and examples/ are), from src/ via tsx
 * and from dist/ alike: this file sits one level below the root in both.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Path of a file shipped with the package, e.g. `dataFile('aks-versions.json')`. */
export function dataFile(name: string): string {
  return join(PACKAGE_ROOT, 'data', name);
}

export function exampleFile(name: string): string {
  return join(PACKAGE_ROOT, 'examples', name);
}
