/**
 * Shared pieces of the YAML readers' differential tests (fast-block.test.ts, parse-fast.test.ts):
 * the corpus location, the YAML files under a folder, the paths whose positions are compared,
 * and a seeded mutation of YAML text.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/** ../shared/corpus beside the repository (real public Flux repositories; see its README). */
export const CORPUS = join(PACKAGE_ROOT, '..', 'shared', 'corpus');

/** Every *.yaml / *.yml file under `dir` (symlinks not followed), sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name === '.git') continue;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && /\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Paths into a value whose positions are compared: every key and index, one past the end of
 * each collection, and (with `missingChildren`) a missing key below each one; at most `limit`.
 */
export function pathsOf(value: unknown, limit: number, missingChildren: boolean): (string | number)[][] {
  const out: (string | number)[][] = [[], ['no such key']];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (out.length > limit || v === null || typeof v !== 'object') return;
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : Object.entries(v as object);
    for (const [k, x] of entries) {
      out.push([...path, k]);
      if (missingChildren) out.push([...path, 'no such key', k]);
      walk(x, [...path, k]);
    }
    out.push([...path, Array.isArray(v) ? v.length : 'no such key']);
  };
  walk(value, []);
  return out;
}

/**
 * One to three random edits of YAML text: delete or insert (one of `inserts`) a character,
 * indent or dedent, delete or duplicate a line, blank a character, and (with `scalars`) replace a
 * value by another scalar form, as envsubst would insert it.
 */
export function mutateYaml(
  text: string,
  rand: () => number,
  inserts: readonly string[],
  scalars?: readonly string[],
): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  let s = text;
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const lines = s.split('\n');
    const li = Math.floor(rand() * lines.length);
    const line = lines[li]!;
    const col = Math.floor(rand() * (line.length + 1));
    switch (Math.floor(rand() * (scalars ? 8 : 7))) {
      case 0: // delete a character
        lines[li] = line.slice(0, col) + line.slice(col + 1);
        break;
      case 1:
      case 2: // insert something
        lines[li] = line.slice(0, col) + pick(inserts) + line.slice(col);
        break;
      case 3: // indent or dedent the line
        lines[li] = rand() < 0.5 ? ' '.repeat(1 + Math.floor(rand() * 2)) + line : line.replace(/^ {1,2}/, '');
        break;
      case 4: // delete the line
        lines.splice(li, 1);
        break;
      case 5: // duplicate the line
        lines.splice(li, 0, line);
        break;
      case 6: // replace a character with a space
        lines[li] = line.slice(0, col) + ' ' + line.slice(col + 1);
        break;
      case 7: {
        const m = /^(\s*(?:- )?[^:#]*: )(.*)$/.exec(line);
        if (m) lines[li] = m[1] + pick(scalars!);
        break;
      }
    }
    s = lines.join('\n');
  }
  return s;
}
