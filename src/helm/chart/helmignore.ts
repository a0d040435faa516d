/**
 * `.helmignore` rules, as Helm's pkg/ignore applies them when loading a chart folder: one
 * pattern per line (Go path.Match syntax, `#` comments, `!` negation, a trailing `/` for folders
 * only, a leading `/` or any `/` for a path match, else the base name is matched), plus the
 * default `templates/.?*`. `**` is an error. Helm's quirk is kept: a negated pattern that does
 * not match ignores the path.
 */
import { InputError } from '../../errors.js';
import { BadPatternError, goPathMatch } from './go-path-match.js';

interface Rule {
  readonly raw: string;
  readonly negate: boolean;
  readonly mustDir: boolean;
  readonly match: (path: string) => boolean;
}

/** Parsed ignore rules. */
export interface IgnoreRules {
  /** True when the chart-relative slash path is ignored. */
  ignores(path: string, isDir: boolean): boolean;
}

function safeMatch(pattern: string, name: string): boolean {
  try {
    return goPathMatch(pattern, name);
  } catch {
    return false;
  }
}

function parseRule(line: string, file: string, lineNo: number): Rule | undefined {
  let rule = line.trim();
  if (rule === '' || rule.startsWith('#')) return undefined;
  if (rule.includes('**'))
    throw new InputError('double-star (**) syntax is not supported', { pos: { file, line: lineNo } });
  try {
    goPathMatch(rule, 'abc');
  } catch (e) {
    if (e instanceof BadPatternError) throw new InputError('syntax error in pattern', { pos: { file, line: lineNo } });
    throw e;
  }
  const raw = rule;
  let negate = false;
  let mustDir = false;
  if (rule.startsWith('!')) {
    negate = true;
    rule = rule.slice(1);
  }
  if (rule.endsWith('/')) {
    mustDir = true;
    rule = rule.slice(0, -1);
  }
  let match: (n: string) => boolean;
  if (rule.startsWith('/')) {
    const r = rule.slice(1);
    match = (n) => safeMatch(r, n);
  } else if (rule.includes('/')) {
    match = (n) => safeMatch(rule, n);
  } else {
    match = (n) => safeMatch(rule, n.slice(n.lastIndexOf('/') + 1));
  }
  return { raw, negate, mustDir, match };
}

/** The rules of a `.helmignore` text (may be undefined: no file), with Helm's default appended. */
export function parseHelmignore(text: string | undefined, file = '.helmignore'): IgnoreRules {
  const rules: Rule[] = [];
  if (text !== undefined) {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((l, i) => {
      const r = parseRule(l, file, i + 1);
      if (r) rules.push(r);
    });
  }
  rules.push(parseRule('templates/.?*', file, 0)!);
  return {
    ignores(path: string, isDir: boolean): boolean {
      if (path === '' || path === '.' || path === './') return false;
      for (const p of rules) {
        if (p.negate) {
          if (p.mustDir && !isDir) return true;
          if (!p.match(path)) return true;
          continue;
        }
        if (p.mustDir && !isDir) continue;
        if (p.match(path)) return true;
      }
      return false;
    },
  };
}
