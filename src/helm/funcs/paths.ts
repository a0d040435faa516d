/** sprig's path functions: Go's path package (and path/filepath, identical on Linux where Flux runs). */
import { goFunc, type GoFunc } from '../../gotemplate/value.js';

/** path.Clean. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** path.Base. */
export function base(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  return p === '' ? '/' : p;
}

/** path.Dir. */
export function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return clean(p.slice(0, i + 1));
}

/** path.Ext. */
export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const s1 = (f: (s: string) => string | boolean, result = 'string'): GoFunc =>
  goFunc(['string'], [result], ([s]) => f(s as string));
const isAbs = (p: string): boolean => p.startsWith('/');

export const pathFuncs: Record<string, GoFunc> = {
  base: s1(base),
  dir: s1(dir),
  clean: s1(clean),
  ext: s1(ext),
  isAbs: s1(isAbs, 'bool'),
  osBase: s1(base),
  osDir: s1(dir),
  osClean: s1(clean),
  osExt: s1(ext),
  osIsAbs: s1(isAbs, 'bool'),
};
