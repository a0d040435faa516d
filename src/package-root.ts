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

/**
 * True inside the CLI bundle, whose chunks each define a module-scoped `require`
 * (scripts/bundle-cli.mjs's banner; esbuild turns the literal `require('...')` calls beside a
 * check of this into its bundled modules); false from the sources, even where a global `require`
 * exists (a `node -e` script defines one, resolving from the working directory).
 */
export function inCliBundle(): boolean {
  return typeof require === 'function' && require !== (globalThis as { require?: unknown }).require;
}
