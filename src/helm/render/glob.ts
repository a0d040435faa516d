/**
 * github.com/gobwas/glob with `/` as the separator, as `.Files.Glob` uses it: `*` any run of
 * non-`/` characters, `**` any run, `?` one non-`/` character, `[abc]`, `[a-z]`, `[!...]`,
 * `{a,b}` alternatives (nestable), `\` escapes. Compiled to an RE2 pattern (re2js: linear time,
 * the pattern is untrusted); lengths and nesting are capped.
 */
import { RE2JS } from 're2js';

const MAX_PATTERN = 4096;

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Compiles a glob; undefined when gobwas would fail to compile it. */
export function compileGlob(pattern: string): RE2JS | undefined {
  if (pattern.length > MAX_PATTERN) return undefined;
  const chars = [...pattern];
  let i = 0;
  let depth = 0;
  const parse = (inAlt: boolean): string | undefined => {
    let out = '';
    while (i < chars.length) {
      const c = chars[i]!;
      if (inAlt && (c === ',' || c === '}')) return out;
      if (c === '\\') {
        i++;
        if (i >= chars.length) return undefined;
        out += escapeRe(chars[i]!);
        i++;
      } else if (c === '*') {
        if (chars[i + 1] === '*') {
          out += '.*';
          i += 2;
        } else {
          out += '[^/]*';
          i++;
        }
      } else if (c === '?') {
        out += '[^/]';
        i++;
      } else if (c === '[') {
        i++;
        let neg = false;
        if (chars[i] === '!') {
          neg = true;
          i++;
        }
        let cls = '';
        let n = 0;
        while (i < chars.length && chars[i] !== ']') {
          const lo = chars[i]!;
          if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
            const hi = chars[i + 2]!;
            if (hi < lo) return undefined;
            cls += `${escapeRe(lo)}-${escapeRe(hi)}`;
            i += 3;
          } else {
            cls += escapeRe(lo);
            i++;
          }
          n++;
        }
        if (i >= chars.length || n === 0) return undefined;
        i++;
        out += neg ? `[^${cls}]` : `[${cls}]`;
      } else if (c === '{') {
        i++;
        depth++;
        if (depth > 16) return undefined;
        const alts: string[] = [];
        for (;;) {
          const a = parse(true);
          if (a === undefined) return undefined;
          alts.push(a);
          if (i >= chars.length) return undefined;
          if (chars[i] === '}') {
            i++;
            break;
          }
          i++; // ','
        }
        depth--;
        out += `(?:${alts.join('|')})`;
      } else {
        out += escapeRe(c);
        i++;
      }
    }
    return inAlt ? undefined : out;
  };
  const re = parse(false);
  if (re === undefined) return undefined;
  try {
    return RE2JS.compile(`(?s)^(?:${re})$`);
  } catch {
    return undefined;
  }
}

/** Matches as `.Files.Glob` does: a pattern that does not compile matches everything (Helm falls back to `**`). */
export function globMatcher(pattern: string): (name: string) => boolean {
  const re = compileGlob(pattern);
  return re ? (name) => re.matches(name) : () => true;
}
