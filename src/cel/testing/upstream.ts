/**
 * Test helpers: find upstream test sources in the Go module cache (downloaded when the cel oracle
 * is built) and pull the CEL expressions out of their Go test tables (`expr: "..."`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The module's directory in the Go module cache, or undefined (no Go, not downloaded). */
export function goModuleDir(module: string, version: string): string | undefined {
  try {
    const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOFLAGS: '-mod=mod' },
      timeout: 300_000,
    });
    const dir = (JSON.parse(out) as { Dir?: string }).Dir;
    return dir && existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** A Go string literal ("..." or `...`) as its value. */
export function unquoteGo(lit: string): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  return lit.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

const EXPR = /\bexpr:\s*("(?:[^"\\\n]|\\.)*"|`[^`]*`)/g;

/** Every `expr:` string of the *_test.go files in `dir`, with the file it came from. */
export function goTestExpressions(dir: string): { file: string; expr: string }[] {
  const out: { file: string; expr: string }[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('_test.go'))
    .sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(EXPR)) out.push({ file: f, expr: unquoteGo(m[1]) });
  }
  return out;
}
