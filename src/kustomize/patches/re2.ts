/**
 * Go RE2 patterns (kustomize selectors use Go's `regexp`) translated to JS RegExp with the same
 * meaning, for the syntax RE2 accepts:
 * - flags `(?i)`, `(?s)`, `(?m)`, `(?i-s)` anywhere (until the end of the group) and in groups
 *   `(?i:…)`: JS (Node 20) has no inline flags, so case-insensitivity is spelled out (`[kK\u212A]`,
 *   Go's simple case folding for ASCII plus the K/k/Kelvin and S/s/long-s folds), `.` with and
 *   without `s`, and `^`/`$` with `m` become explicit lookarounds;
 * - `.` never matches `\n` only (JS would also exclude `\r`, U+2028, U+2029); `\s` is `[\t\n\f\r ]`;
 * - `(?P<name>…)`, `\A`, `\z`, `\Q…\E`, `\pL`/`\p{Greek}`, `\x{…}`, `[[:alpha:]]`, escaped punctuation;
 * and RE2's refusals: lookaround, backreferences, `\C`, `(?U)`, repeat counts over 1000, nested
 * repetition (JS refuses `a**` too). Throws a plain Error with Go's wording.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** JS (u mode) accepts these escaped; other escaped punctuation is written as \x{..}. */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A code point as a JS regex atom (escaped when it is syntax; `-` only inside a class). */
function lit(cp: number, inClass = true): string {
  const ch = String.fromCodePoint(cp);
  if (JS_SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x2028 && cp <= 0x2029)) return hex(cp);
  return ch;
}

/** The code points Go's (?i) treats as equal to `cp` (simple folding orbit). */
function folds(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const set = new Set<number>([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    if ([...v].length === 1) set.add(v.codePointAt(0)!);
  }
  // Go's orbits that JS case mapping does not give from every member
  const orbits = [
    [0x4b, 0x6b, 0x212a],
    [0x53, 0x73, 0x17f],
  ];
  for (const o of orbits) if (o.some((x) => set.has(x))) o.forEach((x) => set.add(x));
  return [...set].sort((a, b) => a - b);
}

function unicodeClass(name: string, negated: boolean): string {
  const n = name.startsWith('^') ? name.slice(1) : name;
  const neg = negated !== name.startsWith('^');
  const prop = /^[A-Z][a-z]?$/.test(n) ? n : n === 'Any' ? 'Any' : `Script=${n}`;
  try {
    new RegExp(`\\p{${prop}}`, 'u');
  } catch {
    throw new Error(`invalid character class range: \`\\p{${name}}\``);
  }
  return `\\${neg ? 'P' : 'p'}{${prop}}`;
}

/** Translates a Go RE2 pattern; the result is used with the `u` flag only. */
export function translateRe2(pattern: string): string {
  const cps = [...pattern].map((c) => c.codePointAt(0)!);
  let pos = 0;
  const peek = (k = 0): number | undefined => cps[pos + k];
  const ch = (k = 0): string => (peek(k) === undefined ? '' : String.fromCodePoint(peek(k)!));
  const rest = (): string =>
    cps
      .slice(pos)
      .map((c) => String.fromCodePoint(c))
      .join('');
  const stack: Flags[] = [];
  let flags: Flags = { i: false, s: false, m: false };
  let out = '';
  /** Whether the last thing emitted can be repeated, and whether it already was. */
  let lastAtom: 'none' | 'atom' | 'repeated' = 'none';

  const parseFlags = (spec: string, base: Flags): Flags => {
    const f = { ...base };
    let on = true;
    let any = false;
    for (const c of spec) {
      if (c === '-') {
        if (!on) throw new Error(`invalid or unsupported Perl syntax: \`(?${spec}\``);
        on = false;
        continue;
      }
      if (c === 'i' || c === 's' || c === 'm') {
        f[c] = on;
        any = true;
      } else throw new Error(`invalid or unsupported Perl syntax: \`(?${spec}\``);
    }
    if (!any) throw new Error(`missing argument to repetition operator: \`(?${spec}\``);
    return f;
  };

  const escape = (inClass: boolean): string => {
    // at a backslash
    const d = ch(1);
    if (d === '') throw new Error('trailing backslash at end of expression: ``');
    pos += 2;
    if (/[1-9]/.test(d)) throw new Error(`invalid escape sequence: \`\\${d}\``);
    switch (d) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${d}`;
      case 's':
        return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S':
        if (inClass) throw new Error('\\S inside a character class is not supported here');
        return '[^\\t\\n\\f\\r ]';
      case 'b':
      case 'B':
        if (inClass) throw new Error(`invalid escape sequence: \`\\${d}\``);
        return `\\${d}`;
      case 'A':
        if (inClass) throw new Error('invalid escape sequence: `\\A`');
        return '^';
      case 'z':
        if (inClass) throw new Error('invalid escape sequence: `\\z`');
        return '$';
      case 'a':
        return hex(7);
      case 'f':
        return '\\f';
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'v':
        return '\\v';
      case '0': {
        const m = /^[0-7]{0,2}/.exec(rest())![0];
        pos += m.length;
        return hex(parseInt('0' + m, 8));
      }
      case 'x': {
        if (ch() === '{') {
          const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(rest());
          if (!m) throw new Error('invalid escape sequence: `\\x{`');
          pos += m[0].length;
          return hex(parseInt(m[1]!, 16));
        }
        const m = /^[0-9a-fA-F]{2}/.exec(rest());
        if (!m) throw new Error('invalid escape sequence: `\\x`');
        pos += 2;
        return hex(parseInt(m[0], 16));
      }
      case 'p':
      case 'P': {
        let name: string;
        if (ch() === '{') {
          const end = cps.indexOf(0x7d, pos);
          if (end < 0) throw new Error(`invalid character class range: \`\\${d}{\``);
          name = cps
            .slice(pos + 1, end)
            .map((c) => String.fromCodePoint(c))
            .join('');
          pos = end + 1;
        } else {
          name = ch();
          pos += 1;
        }
        return unicodeClass(name, d === 'P');
      }
      case 'Q': {
        const r = rest();
        const end = r.indexOf('\\E');
        const text = end < 0 ? r : r.slice(0, end);
        pos += [...text].length + (end < 0 ? 0 : 2);
        return [...text].map((c) => atomFor(c.codePointAt(0)!, inClass)).join('');
      }
      default: {
        const cp = d.codePointAt(0)!;
        if (/[!-/:-@[-`{-~]/.test(d)) return atomFor(cp, inClass);
        throw new Error(`invalid escape sequence: \`\\${d}\``);
      }
    }
  };

  /** A literal code point, case-folded when (?i) is on. */
  function atomFor(cp: number, inClass: boolean): string {
    if (!flags.i) return lit(cp, inClass);
    const f = folds(cp);
    if (f.length === 1) return lit(cp, inClass);
    const body = f.map((x) => lit(x)).join('');
    return inClass ? body : `[${body}]`;
  }

  /** An escape inside [...]: one code point, or a class fragment (\\d, \\p{L}, \\Q…\\E). */
  const classEscape = (): { cp: number } | { raw: string } => {
    const d = ch(1);
    if (/[dDwWsSpPQ]/.test(d)) return { raw: escape(true) };
    const single: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (d in single) {
      pos += 2;
      return { cp: single[d]! };
    }
    if (d === 'x' || d === '0') {
      const e = escape(true); // \u{..}
      return { cp: parseInt(/^\\u\{([0-9a-f]+)\}$/.exec(e)![1]!, 16) };
    }
    if (d !== '' && /[!-/:-@[-`{-~]/.test(d)) {
      pos += 2;
      return { cp: d.codePointAt(0)! };
    }
    if (d === '') throw new Error('trailing backslash at end of expression: ``');
    throw new Error(`invalid escape sequence: \`\\${d}\``);
  };

  const parseClass = (): string => {
    // at '['
    pos++;
    let body = '';
    let negated = false;
    if (ch() === '^') {
      negated = true;
      pos++;
    }
    let first = true;
    const items: Array<{ lo: number; hi: number } | string> = [];
    for (;;) {
      const c = ch();
      if (c === '') throw new Error(`missing closing ]: \`${pattern}\``);
      if (c === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      if (c === '[' && ch(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(rest());
        if (m) {
          const cls = POSIX_CLASSES[m[2]!];
          if (!cls) throw new Error(`invalid character class range: \`${m[0]}\``);
          if (m[1]) throw new Error(`negated POSIX classes are not supported here: \`${m[0]}\``);
          items.push(flags.i && (m[2] === 'lower' || m[2] === 'upper') ? 'A-Za-z' : cls);
          pos += m[0].length;
          continue;
        }
      }
      let lo: number;
      if (c === '\\') {
        const e = classEscape();
        if ('raw' in e) {
          items.push(e.raw);
          continue;
        }
        lo = e.cp;
      } else {
        lo = peek()!;
        pos++;
      }
      if (ch() === '-' && ch(1) !== ']' && ch(1) !== '') {
        pos++;
        let hi: number;
        if (ch() === '\\') {
          const e = classEscape();
          if ('raw' in e) throw new Error(`invalid character class range: \`${String.fromCodePoint(lo)}-\``);
          hi = e.cp;
        } else {
          hi = peek()!;
          pos++;
        }
        if (hi < lo)
          throw new Error(`invalid character class range: \`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}\``);
        items.push({ lo, hi });
      } else {
        items.push({ lo, hi: lo });
      }
    }
    for (const it of items) {
      if (typeof it === 'string') {
        body += it;
        continue;
      }
      body += it.lo === it.hi ? lit(it.lo) : `${lit(it.lo)}-${lit(it.hi)}`;
      if (flags.i) {
        // add the other case of every letter in the range (ASCII ranges mapped as ranges)
        const a = Math.max(it.lo, 0x41);
        const b = Math.min(it.hi, 0x5a);
        if (a <= b) body += `${lit(a + 32)}-${lit(b + 32)}`;
        const c = Math.max(it.lo, 0x61);
        const e = Math.min(it.hi, 0x7a);
        if (c <= e) body += `${lit(c - 32)}-${lit(e - 32)}`;
        if (it.lo <= 0x6b && it.hi >= 0x6b) body += lit(0x212a);
        if (it.lo <= 0x4b && it.hi >= 0x4b) body += lit(0x212a);
        if (it.lo <= 0x73 && it.hi >= 0x73) body += lit(0x17f);
        if (it.lo <= 0x53 && it.hi >= 0x53) body += lit(0x17f);
        if (it.hi - it.lo < 256 && it.hi > 0x7f) {
          for (let cp = Math.max(it.lo, 0x80); cp <= it.hi; cp++)
            for (const f of folds(cp)) if (f !== cp) body += lit(f);
        }
      }
    }
    return `[${negated ? '^' : ''}${body}]`;
  };

  const repeatable = (): void => {
    if (lastAtom === 'none') throw new Error(`missing argument to repetition operator: \`${ch()}\``);
    if (lastAtom === 'repeated') throw new Error(`invalid nested repetition operator: \`${ch(-1)}${ch()}\``);
  };

  while (pos < cps.length) {
    const c = ch();
    if (c === '\\') {
      out += escape(false);
      lastAtom = 'atom';
      continue;
    }
    if (c === '[') {
      out += parseClass();
      lastAtom = 'atom';
      continue;
    }
    if (c === '(') {
      if (ch(1) === '?') {
        const r = rest();
        if (/^\(\?(=|!|<=|<!)/.test(r))
          throw new Error(`invalid or unsupported Perl syntax: \`${r.slice(0, r[2] === '<' ? 4 : 3)}\``);
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(r);
        if (named) {
          stack.push(flags);
          out += `(?<${named[1]}>`;
          pos += [...named[0]].length;
          lastAtom = 'none';
          continue;
        }
        const fl = /^\(\?([a-zA-Z-]*)(:|\))/.exec(r);
        if (!fl) throw new Error(`invalid or unsupported Perl syntax: \`${r.slice(0, 3)}\``);
        if (fl[1]!.includes('U')) throw new Error('invalid or unsupported Perl syntax: `(?U`');
        pos += fl[0].length;
        if (fl[2] === ')') {
          flags = parseFlags(fl[1]!, flags);
          continue;
        }
        stack.push(flags);
        if (fl[1] !== '') flags = parseFlags(fl[1]!, flags);
        out += '(?:';
        lastAtom = 'none';
        continue;
      }
      stack.push(flags);
      out += '(';
      pos++;
      lastAtom = 'none';
      continue;
    }
    if (c === ')') {
      if (stack.length === 0) throw new Error(`unexpected ): \`${pattern}\``);
      flags = stack.pop()!;
      out += ')';
      pos++;
      lastAtom = 'atom';
      continue;
    }
    if (c === '|') {
      out += '|';
      pos++;
      lastAtom = 'none';
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      repeatable();
      out += c;
      pos++;
      if (ch() === '?') {
        out += '?';
        pos++;
      }
      lastAtom = 'repeated';
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest());
      if (m) {
        repeatable();
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : m[3] === '' ? undefined : Number(m[3]);
        if (lo > 1000 || (hi !== undefined && (hi > 1000 || hi < lo)))
          throw new Error(`invalid repeat count: \`${m[0]}\``);
        out += m[0];
        pos += m[0].length;
        if (ch() === '?') {
          out += '?';
          pos++;
        }
        lastAtom = 'repeated';
        continue;
      }
      out += '\\{';
      pos++;
      lastAtom = 'atom';
      continue;
    }
    if (c === '.') {
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
      pos++;
      lastAtom = 'atom';
      continue;
    }
    if (c === '^') {
      out += flags.m ? '(?<=^|\\n)' : '^';
      pos++;
      lastAtom = 'none';
      continue;
    }
    if (c === '$') {
      out += flags.m ? '(?=\\n|$)' : '$';
      pos++;
      lastAtom = 'none';
      continue;
    }
    out += atomFor(peek()!, false);
    pos++;
    lastAtom = 'atom';
  }
  if (stack.length > 0) throw new Error(`missing closing ): \`${pattern}\``);
  return out;
}

/** A JS RegExp for a Go RE2 pattern, anchored as kustomize anchors selector fields: `^(?:…)$`. */
export function compileRe2(pattern: string): RegExp {
  const body = translateRe2(pattern);
  return new RegExp(pattern === '' ? '' : `^(?:${body})$`, 'u');
}
