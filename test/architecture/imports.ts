/** The relative imports of src/ (test helpers in testing/ folders and *.test.ts aside), for the architecture tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';

export const SRC = join(PACKAGE_ROOT, 'src');

export interface Import {
  /** src-relative file that imports, e.g. `flux/build/stages.ts`. */
  readonly from: string;
  /** src-relative file imported. */
  readonly to: string;
  /** `import type` / `export type`: erased at run time. */
  readonly typeOnly: boolean;
}

/** Shipped source files of src/, src-relative, sorted. */
export function sourceFiles(dir = SRC, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (n !== 'testing') sourceFiles(p, out);
    } else if (n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'testing.ts') out.push(relative(SRC, p));
  }
  return out;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every relative import of every shipped source file. */
export function imports(): Import[] {
  const out: Import[] = [];
  for (const from of sourceFiles()) {
    const text = readFileSync(join(SRC, from), 'utf8');
    const to = (spec: string) => normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
    for (const m of text.matchAll(STATIC)) out.push({ from, to: to(m[3]!), typeOnly: m[2] !== undefined });
    for (const m of text.matchAll(DYNAMIC)) out.push({ from, to: to(m[1]!), typeOnly: false });
  }
  return out;
}

/** The folder (layer unit) of a src-relative file: its first path segment, or the file's own name at the root. */
export function folderOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? file.replace(/\.ts$/, '') : file.slice(0, i);
}
