/**
 * Shell glob matching for the `#`, `##`, `%`, `%%` operators: Go's path.Match as modified in
 * fluxcd/pkg envsubst/path (a trailing `*` matches the rest of the string, `/` included).
 * Works on byte strings.
 */
import { decodeRune } from './bytes.js';

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/** Whether `name` matches `pattern` entirely. Throws BadPatternError for a malformed pattern. */
export function globMatch(pattern: string, name: string): boolean {
  outer: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (star && chunk === '') return true;
    const m = matchChunk(chunk, name);
    if (m.ok && (m.rest.length === 0 || pattern.length > 0)) {
      name = m.rest;
      continue;
    }
    if (m.err) throw new BadPatternError();
    if (star) {
      for (let i = 0; i < name.length; i++) {
        const t = matchChunk(chunk, name.slice(i + 1));
        if (t.ok) {
          if (pattern.length === 0 && t.rest.length > 0) continue;
          name = t.rest;
          continue outer;
        }
        if (t.err) throw new BadPatternError();
      }
    }
    return false;
  }
  return name.length === 0;
}

function scanChunk(pattern: string): { star: boolean; chunk: string; rest: string } {
  let star = false;
  while (pattern.length > 0 && pattern[0] === '*') {
    pattern = pattern.slice(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inrange = true;
        break;
      case ']':
        inrange = false;
        break;
      case '*':
        if (!inrange) break scan;
    }
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) };
}

interface ChunkResult {
  rest: string;
  ok: boolean;
  err: boolean;
}

function matchChunk(chunk: string, s: string): ChunkResult {
  const no: ChunkResult = { rest: '', ok: false, err: false };
  while (chunk.length > 0) {
    if (s.length === 0) return no;
    const c = chunk[0];
    if (c === '[') {
      const [r, n] = decodeRune(s, 0);
      s = s.slice(n);
      chunk = chunk.slice(1);
      let notNegated = true;
      if (chunk.length > 0 && chunk[0] === '^') {
        notNegated = false;
        chunk = chunk.slice(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && nrange > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        if (lo.err) return { rest: '', ok: false, err: true };
        chunk = lo.rest;
        let hi = lo;
        if (chunk[0] === '-') {
          hi = getEsc(chunk.slice(1));
          if (hi.err) return { rest: '', ok: false, err: true };
          chunk = hi.rest;
        }
        if (lo.r <= r && r <= hi.r) match = true;
        nrange++;
      }
      if (match !== notNegated) return no;
    } else if (c === '?') {
      const [, n] = decodeRune(s, 0);
      s = s.slice(n);
      chunk = chunk.slice(1);
    } else {
      if (c === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return { rest: '', ok: false, err: true };
      }
      if (chunk[0] !== s[0]) return no;
      s = s.slice(1);
      chunk = chunk.slice(1);
    }
  }
  return { rest: s, ok: true, err: false };
}

function getEsc(chunk: string): { r: number; rest: string; err: boolean } {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return { r: 0, rest: chunk, err: true };
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return { r: 0, rest: chunk, err: true };
  }
  const [r, n] = decodeRune(chunk, 0);
  const rest = chunk.slice(n);
  return { r, rest, err: (r === 0xfffd && n === 1) || rest.length === 0 };
}
