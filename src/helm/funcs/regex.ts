/**
 * sprig's regex functions (regex.go) with Go's regexp semantics through re2js (RE2, linear time,
 * so untrusted patterns are safe): FindAll/Split/ReplaceAll with Go's rules for empty matches and
 * Go's `$1` / `${name}` template expansion. The non-must variants panic on a bad pattern as
 * regexp.MustCompile does (regexMatch returns false).
 */
import { RE2JS } from 're2js';
import { GoError, GoPanic, goFunc, typedSlice, type GoFunc } from '../../gotemplate/value.js';
import { intArg } from './cast.js';

interface Compiled {
  readonly re: ReturnType<RE2JS['re2']>;
  readonly named: Record<string, number>;
  readonly groups: number;
}

const cache = new Map<string, Compiled>();

/** regexp.Compile; throws GoError with Go's message. */
export function compile(expr: string): Compiled {
  const hit = cache.get(expr);
  if (hit) return hit;
  let p: RE2JS;
  try {
    p = RE2JS.compile(expr);
  } catch (e) {
    throw new GoError((e as Error).message);
  }
  const c = { re: p.re2(), named: p.namedGroups(), groups: p.groupCount() };
  if (cache.size > 1000) cache.clear();
  cache.set(expr, c);
  return c;
}

/** regexp.MustCompile: a panic with Go's wording. */
function mustCompile(expr: string): Compiled {
  try {
    return compile(expr);
  } catch (e) {
    throw new GoPanic(`regexp: Compile(${quoteBackticks(expr)}): ${(e as Error).message}`);
  }
}
/** strconv.Quote-or-backquote as regexp's MustCompile uses (`expr` unless it contains a backtick). */
function quoteBackticks(s: string): string {
  return s.includes('`') ? JSON.stringify(s) : '`' + s + '`';
}

/** FindAllStringIndex with submatches: [start, end, g1s, g1e, ...] per match (UTF-16 offsets). */
function allMatches(c: Compiled, s: string, n: number): number[][] {
  if (n === 0) return [];
  return (c.re.findAllSubmatchIndex(s, n) as number[][] | null) ?? [];
}

export function findAll(c: Compiled, s: string, n: number): string[] {
  return allMatches(c, s, n).map((m) => s.slice(m[0], m[1]));
}

export function find(c: Compiled, s: string): string {
  const m = allMatches(c, s, 1)[0];
  return m ? s.slice(m[0], m[1]) : '';
}

/** Regexp.Split. */
export function split(c: Compiled, expr: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (expr.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of allMatches(c, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m[0]!;
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1]!;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Regexp.Expand's template language: $1, ${1}, $name, ${name}, $$. */
function expand(c: Compiled, template: string, s: string, m: number[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === '{') {
      const close = template.indexOf('}', i);
      const inner = close < 0 ? '' : template.slice(i + 1, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      if (mm) {
        name = mm[0];
        i += name.length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    let g = -1;
    if (/^(0|[1-9]\d{0,7})$/.test(name)) g = Number(name);
    else if (Object.prototype.hasOwnProperty.call(c.named, name)) g = c.named[name]!;
    if (g >= 0 && g <= c.groups && m[2 * g]! >= 0) out += s.slice(m[2 * g], m[2 * g + 1]);
  }
  return out;
}

/** Regexp.ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(c: Compiled, s: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  for (const m of allMatches(c, s, -1)) {
    out += s.slice(last, m[0]) + (literal ? repl : expand(c, repl, s, m));
    last = m[1]!;
  }
  return out + s.slice(last);
}

/** regexp.QuoteMeta. */
export const quoteMeta = (s: string): string => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

const S = 'string';
const strs = (a: string[]): string[] => typedSlice(a, 'string');

export const regexFuncs: Record<string, GoFunc> = {
  regexMatch: goFunc([S, S], ['bool'], ([r, s]) => {
    try {
      return compile(r as string).re.match(s as string) as boolean;
    } catch (e) {
      if (e instanceof GoError) return false;
      throw e;
    }
  }),
  mustRegexMatch: goFunc([S, S], ['bool', 'error'], ([r, s]) => compile(r as string).re.match(s as string) as boolean),
  regexFindAll: goFunc([S, S, 'int'], ['[]string'], ([r, s, n]) =>
    strs(findAll(mustCompile(r as string), s as string, intArg(n ?? null))),
  ),
  mustRegexFindAll: goFunc([S, S, 'int'], ['[]string', 'error'], ([r, s, n]) =>
    strs(findAll(compile(r as string), s as string, intArg(n ?? null))),
  ),
  regexFind: goFunc([S, S], [S], ([r, s]) => find(mustCompile(r as string), s as string)),
  mustRegexFind: goFunc([S, S], [S, 'error'], ([r, s]) => find(compile(r as string), s as string)),
  regexReplaceAll: goFunc([S, S, S], [S], ([r, s, p]) =>
    replaceAll(mustCompile(r as string), s as string, p as string, false),
  ),
  mustRegexReplaceAll: goFunc([S, S, S], [S, 'error'], ([r, s, p]) =>
    replaceAll(compile(r as string), s as string, p as string, false),
  ),
  regexReplaceAllLiteral: goFunc([S, S, S], [S], ([r, s, p]) =>
    replaceAll(mustCompile(r as string), s as string, p as string, true),
  ),
  mustRegexReplaceAllLiteral: goFunc([S, S, S], [S, 'error'], ([r, s, p]) =>
    replaceAll(compile(r as string), s as string, p as string, true),
  ),
  regexSplit: goFunc([S, S, 'int'], ['[]string'], ([r, s, n]) =>
    strs(split(mustCompile(r as string), r as string, s as string, intArg(n ?? null))),
  ),
  mustRegexSplit: goFunc([S, S, 'int'], ['[]string', 'error'], ([r, s, n]) =>
    strs(split(compile(r as string), r as string, s as string, intArg(n ?? null))),
  ),
  regexQuoteMeta: goFunc([S], [S], ([s]) => quoteMeta(s as string)),
};
