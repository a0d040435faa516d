/**
 * The installed package's root (where package.json, data/ and examples/ are): the nearest folder
 * above this module whose package.json is aksfleet's. The same from src/ (tsx), dist/ (tsc) and
 * dist/bundle/ (the CLI bundle), which sit at different depths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'aksfleet') return `${dir}/`;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) return `${dirname(here)}/`;
  }
}

export const PACKAGE_ROOT = findRoot();

/** Path of a file shipped with the package, e.g. `dataFile('aks-versions.json')`. */
export function dataFile(name: string): string {
  return join(PACKAGE_ROOT, 'data', name);
}

export function exampleFile(name: string): string {
  return join(PACKAGE_ROOT, 'examples', name);
}

/** The package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
