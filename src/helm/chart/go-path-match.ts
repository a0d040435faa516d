/**
 * Go's path.Match / filepath.Match (on a slash-separated OS): `*` matches any run of non-`/`
 * characters, `?` one non-`/` character, `[...]` a class (`^` negates, `a-z` ranges, `\` escapes).
 * A malformed pattern is an error (Go's ErrBadPattern), which callers report or treat as no match.
 */

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/** True when `name` matches `pattern` as Go's path.Match decides. Throws BadPatternError on a bad pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  const p = [...pattern];
  const s = [...name];
  return matchFrom(p, 0, s, 0);
}

function matchFrom(p: string[], pi: number, s: string[], si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (pi < p.length && p[pi] === '*') pi++;
      if (pi === p.length) {
        for (let k = si; k < s.length; k++) if (s[k] === '/') return checkRest(p, pi);
        return true;
      }
      for (let k = si; k <= s.length; k++) {
        if (matchFrom(p, pi, s, k)) return true;
        if (k < s.length && s[k] === '/') break;
      }
      return checkRest(p, pi);
    }
    if (si >= s.length) return checkRest(p, pi);
    if (c === '?') {
      if (s[si] === '/') return checkRest(p, pi);
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const r = matchClass(p, pi + 1, s[si]!);
      if (!r.ok) return checkRest(p, r.next);
      pi = r.next;
      si++;
      continue;
    }
    let lit = c;
    if (c === '\\') {
      pi++;
      if (pi >= p.length) throw new BadPatternError();
      lit = p[pi]!;
    }
    if (s[si] !== lit) return checkRest(p, pi + 1);
    pi++;
    si++;
  }
  return si === s.length;
}

/** Go validates the rest of the pattern even when the match already failed. */
function checkRest(p: string[], pi: number): false {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '\\') {
      if (pi + 1 >= p.length) throw new BadPatternError();
      pi += 2;
    } else if (c === '[') {
      pi = matchClass(p, pi + 1, '\0').next;
    } else pi++;
  }
  return false;
}

function classChar(p: string[], i: number): { ch: string; next: number } {
  let c = p[i];
  if (c === undefined || c === '-' || c === ']') throw new BadPatternError();
  if (c === '\\') {
    i++;
    c = p[i];
    if (c === undefined) throw new BadPatternError();
  }
  return { ch: c, next: i + 1 };
}

function matchClass(p: string[], i: number, ch: string): { ok: boolean; next: number } {
  if (ch === '/') {
    // Go: a class never matches '/', but the pattern must still be valid.
  }
  let negated = false;
  if (p[i] === '^') {
    negated = true;
    i++;
  }
  let matched = false;
  let n = 0;
  for (;;) {
    if (i >= p.length) throw new BadPatternError();
    if (p[i] === ']' && n > 0) {
      i++;
      break;
    }
    const lo = classChar(p, i);
    i = lo.next;
    let hi = lo.ch;
    if (p[i] === '-') {
      const h = classChar(p, i + 1);
      hi = h.ch;
      i = h.next;
    }
    if (lo.ch.codePointAt(0)! <= ch.codePointAt(0)! && ch.codePointAt(0)! <= hi.codePointAt(0)!) matched = true;
    n++;
  }
  return { ok: ch !== '/' && matched !== negated, next: i };
}
