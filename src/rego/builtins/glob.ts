/**
 * OPA's `glob.match` (gobwas/glob): `*` any run of non-delimiter characters, `**` any run,
 * `?` one non-delimiter character, `[abc]`, `[!abc]`, `[a-z]`, `{a,b}` alternatives, `\` escapes.
 * Compiled to a RegExp without nested quantifiers (no catastrophic backtracking).
 */
import { BuiltinError } from './types.js';

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function globToRegExp(pattern: string, delimiters: readonly string[]): RegExp {
  const notDelim = delimiters.length === 0 ? '[^]' : `[^${delimiters.map(esc).join('')}]`;
  let i = 0;
  const parse = (inAlt: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (inAlt && (c === ',' || c === '}')) return out;
      if (c === '\\') {
        if (i + 1 >= pattern.length) throw new BuiltinError('glob.match: unexpected end of input');
        out += esc(pattern[i + 1]!);
        i += 2;
      } else if (c === '*') {
        if (pattern[i + 1] === '*') {
          out += '[^]*';
          i += 2;
        } else {
          out += notDelim + '*';
          i++;
        }
      } else if (c === '?') {
        out += notDelim;
        i++;
      } else if (c === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end < 0) throw new BuiltinError('glob.match: unexpected end of input');
        let body = pattern.slice(i + 1, end);
        let neg = false;
        if (body.startsWith('!')) {
          neg = true;
          body = body.slice(1);
        }
        let cls = '';
        for (let j = 0; j < body.length; j++) {
          if (body[j + 1] === '-' && j + 2 < body.length) {
            cls += esc(body[j]!) + '-' + esc(body[j + 2]!);
            j += 2;
          } else cls += esc(body[j]!);
        }
        out += neg ? `[^${cls}]` : `[${cls}]`;
        i = end + 1;
      } else if (c === '{') {
        i++;
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          if (i >= pattern.length) throw new BuiltinError('glob.match: unexpected end of input');
          if (pattern[i] === ',') {
            i++;
            continue;
          }
          i++;
          break;
        }
        out += '(?:' + alts.join('|') + ')';
      } else {
        out += esc(c);
        i++;
      }
    }
    return out;
  };
  const body = parse(false);
  return new RegExp('^' + body + '$', 'u');
}

export function globMatch(pattern: string, delimiters: readonly string[], s: string): boolean {
  return globToRegExp(pattern, delimiters).test(s);
}
