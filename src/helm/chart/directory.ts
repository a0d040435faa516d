/**
 * The files of a chart folder, as Helm's loader.LoadDir reads them: a walk in lexical order that
 * applies `.helmignore` (and the default `templates/.?*`), follows symbolic links (only while they
 * stay inside the chart folder: a link out of it is refused, where Helm would follow it), refuses
 * irregular files and files over the size cap, and drops UTF-8 byte order marks.
 */
import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { InputError } from '../../errors.js';
import { trimBom } from './archive.js';
import { parseHelmignore } from './helmignore.js';
import { MAX_CHART_SIZE, MAX_FILE_SIZE, type ChartFile } from './types.js';
import type { LoadLimits } from './load-files.js';

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

/** The files of the chart folder `dir` (an absolute path), names relative to it. */
export function loadDirFiles(dir: string, limits: LoadLimits = {}): ChartFile[] {
  const maxFile = limits.maxFileBytes ?? MAX_FILE_SIZE;
  const maxChart = limits.maxChartBytes ?? MAX_CHART_SIZE;
  const realRoot = realpathSync(dir);
  let ignoreText: string | undefined;
  try {
    ignoreText = readFileSync(join(dir, '.helmignore'), 'utf8');
  } catch {
    ignoreText = undefined;
  }
  const rules = parseHelmignore(ignoreText);
  const files: ChartFile[] = [];
  let total = 0;
  const open = new Set<string>();
  const walk = (abs: string, rel: string): void => {
    const real = realpathSync(abs);
    if (open.has(real)) throw new InputError(`chart folder ${rel} is a symbolic link loop`, { pos: { file: rel } });
    open.add(real);
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const n = rel === '' ? name : `${rel}/${name}`;
      let st = lstatSync(p);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(p);
        } catch {
          throw new InputError(`error reading ${n}: the symbolic link's target does not exist`, { pos: { file: n } });
        }
        if (!inside(realRoot, target))
          throw new InputError(`chart file ${n} is a symbolic link to ${target}, outside the chart folder (refused)`, {
            pos: { file: n },
          });
        st = statSync(p);
      }
      if (st.isDirectory()) {
        if (rules.ignores(n, true)) continue;
        walk(p, n);
        continue;
      }
      if (rules.ignores(n, false)) continue;
      if (!st.isFile()) throw new InputError(`cannot load irregular file ${p} as it has file mode type bits set`);
      if (st.size > maxFile)
        throw new InputError(`chart file "${name}" is larger than the maximum file size ${maxFile}`);
      total += st.size;
      if (total > maxChart) throw new InputError(`chart is larger than the maximum size ${maxChart}`);
      files.push({ name: n, data: trimBom(readFileSync(p)) });
    }
    open.delete(real);
  };
  walk(dir, '');
  return files;
}
