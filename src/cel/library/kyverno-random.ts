/**
 * Kyverno's `random` library (github.com/kyverno/sdk extensions/cel/libs/random): `random()` is 8
 * characters of `[0-9a-z]`; `random(pattern)` a string the regular expression matches, as
 * goregen generates it: the pattern parsed by Go's regexp/syntax with no flags (POSIX syntax: no
 * `\d`, `\w`, `(?...)`, which are errors with Go's message), unbounded repetitions (`*`, `+`,
 * `{n,}`) at most 4096 times. Differences: `.` and negated classes draw printable ASCII here (Go
 * any rune), and more than 100,000 characters is an error. Also `random.random` (since 1.18).
 * The results differ on every evaluation: evaluations that call it are marked not deterministic
 * (src/admission/cel-policies).
 */
import { randomInt } from 'node:crypto';
import { RE2JS } from 're2js';
import { CelEvalError } from '../errors.js';
import { charge } from '../cost.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

/** goregen's default MaxUnboundedRepeatCount (the upper bound of `*`, `+` and `{n,}`). */
const MAX_UNBOUNDED = 4096;
/** The longest string generated (a pattern such as `(a{1000}){1000}` is an error, not a hang). */
export const MAX_RANDOM_LENGTH = 100_000;

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

type Node =
  | { t: 'lit'; c: string }
  | { t: 'set'; chars: readonly string[] }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'empty' };

const range = (a: string, b: string): string[] => {
  const out: string[] = [];
  for (let c = a.codePointAt(0)!; c <= b.codePointAt(0)!; c++) out.push(String.fromCodePoint(c));
  return out;
};
const DIGIT = range('0', '9');
const WORD = [...DIGIT, ...range('A', 'Z'), ...range('a', 'z'), '_'];
const SPACE = ['\t', '\n', '\f', '\r', ' '];
const complement = (s: readonly string[]): string[] => PRINTABLE.filter((c) => !s.includes(c));
const POSIX: Record<string, string[]> = {
  alnum: [...DIGIT, ...range('A', 'Z'), ...range('a', 'z')],
  alpha: [...range('A', 'Z'), ...range('a', 'z')],
  ascii: range('\u0000', '\u007f'),
  blank: ['\t', ' '],
  cntrl: [...range('\u0000', '\u001f'), '\u007f'],
  digit: DIGIT,
  graph: range('!', '~'),
  lower: range('a', 'z'),
  print: range(' ', '~'),
  punct: PRINTABLE.filter((c) => /[!-/:-@[-`{-~]/.test(c)),
  space: ['\t', '\n', '\v', '\f', '\r', ' '],
  upper: range('A', 'Z'),
  word: WORD,
  xdigit: [...DIGIT, ...range('A', 'F'), ...range('a', 'f')],
};
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\u0007' };

/** A parser for the patterns RE2 already accepted: only the shapes that generate text. */
class Parser {
  i = 0;
  constructor(readonly s: string) {}

  alt(): Node {
    const items = [this.cat()];
    while (this.s[this.i] === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  cat(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')')
      items.push(this.repeat(this.atom()));
    return { t: 'cat', items };
  }

  repeat(node: Node): Node {
    for (;;) {
      const c = this.s[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, MAX_UNBOUNDED];
      else if (c === '+') [min, max] = [1, MAX_UNBOUNDED];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.s.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i))!;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Math.max(min, MAX_UNBOUNDED) : Number(m[3]);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      node = { t: 'rep', node, min, max };
    }
  }

  atom(): Node {
    const c = this.s[this.i++]!;
    if (c === '(') {
      const flags = /^\?(P?<[^>]*>|[imsU-]*:|[imsU-]*\))/.exec(this.s.slice(this.i));
      if (flags) {
        this.i += flags[0].length;
        if (flags[0].endsWith(')')) return { t: 'empty' };
      }
      const inner = this.alt();
      this.i++; // ')'
      return inner;
    }
    if (c === '[') return this.cls();
    if (c === '.') return { t: 'set', chars: PRINTABLE };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '\\') return this.escape(false);
    return { t: 'lit', c };
  }

  escape(inClass: boolean): Node {
    const c = this.s[this.i++]!;
    switch (c) {
      case 'd':
        return { t: 'set', chars: DIGIT };
      case 'D':
        return { t: 'set', chars: complement(DIGIT) };
      case 'w':
        return { t: 'set', chars: WORD };
      case 'W':
        return { t: 'set', chars: complement(WORD) };
      case 's':
        return { t: 'set', chars: SPACE };
      case 'S':
        return { t: 'set', chars: complement(SPACE) };
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        return inClass ? { t: 'lit', c } : { t: 'empty' };
      case 'x': {
        const m = /^(\{([0-9a-fA-F]+)\}|[0-9a-fA-F]{2})/.exec(this.s.slice(this.i))!;
        this.i += m[0].length;
        return { t: 'lit', c: String.fromCodePoint(parseInt(m[2] ?? m[1]!, 16)) };
      }
      case 'Q': {
        const end = this.s.indexOf('\\E', this.i);
        const text = this.s.slice(this.i, end === -1 ? undefined : end);
        this.i = end === -1 ? this.s.length : end + 2;
        return { t: 'cat', items: [...text].map((ch) => ({ t: 'lit', c: ch })) };
      }
      default:
        return { t: 'lit', c: ESCAPES[c] ?? c };
    }
  }

  cls(): Node {
    let negate = false;
    if (this.s[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const chars = new Set<string>();
    let first = true;
    while (this.i < this.s.length && (this.s[this.i] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.s.slice(this.i));
      if (posix) {
        this.i += posix[0].length;
        const set = POSIX[posix[2]!] ?? [];
        for (const ch of posix[1] ? complement(set) : set) chars.add(ch);
        continue;
      }
      const lo = this.classChar();
      if (typeof lo !== 'string') {
        for (const ch of lo) chars.add(ch);
        continue;
      }
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length) {
        this.i++;
        const hi = this.classChar();
        for (const ch of range(lo, typeof hi === 'string' ? hi : lo)) chars.add(ch);
      } else chars.add(lo);
    }
    this.i++; // ']'
    const set = [...chars];
    return { t: 'set', chars: negate ? complement(set) : set };
  }

  /** One character of a class, or the set of an escape such as `\d`. */
  classChar(): string | readonly string[] {
    const c = this.s[this.i++]!;
    if (c !== '\\') return String.fromCodePoint(this.s.codePointAt(this.i - 1)!);
    const n = this.escape(true);
    return n.t === 'lit' ? n.c : n.t === 'set' ? n.chars : [];
  }
}

function generate(node: Node, out: string[]): void {
  switch (node.t) {
    case 'lit':
      out.push(node.c);
      break;
    case 'set':
      if (node.chars.length) out.push(node.chars[randomInt(node.chars.length)]!);
      break;
    case 'cat':
      for (const n of node.items) generate(n, out);
      break;
    case 'alt':
      generate(node.items[randomInt(node.items.length)]!, out);
      break;
    case 'rep': {
      const n = node.min + randomInt(node.max - node.min + 1);
      for (let k = 0; k < n; k++) {
        generate(node.node, out);
        if (out.length > MAX_RANDOM_LENGTH)
          throw new CelEvalError(`random: the pattern generates more than ${MAX_RANDOM_LENGTH} characters`);
      }
      break;
    }
    case 'empty':
      break;
  }
}

/**
 * What Go's regexp/syntax refuses with no flags (goregen parses so) and re2js (Perl flags)
 * accepts: Perl escapes (`\d`, `\b`, `\pL`...) and `(?` groups. Returns Go's message.
 */
export function posixSyntaxError(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[A-Za-z89]/.test(n) && !/[xafnrtv]/.test(n))
        return `error parsing regexp: invalid escape sequence: \`\\${n}\``;
      i++;
    } else if (c === '(' && pattern[i + 1] === '?')
      return 'error parsing regexp: missing argument to repetition operator: `?`';
  }
  return undefined;
}

/** random(pattern): a string the pattern matches. */
export function randomFromPattern(pattern: string): string {
  const posix = posixSyntaxError(pattern);
  if (posix) throw new CelEvalError(posix);
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    throw new CelEvalError((e as Error).message);
  }
  const p = new Parser(pattern);
  const out: string[] = [];
  generate(p.alt(), out);
  charge(out.length);
  return out.join('');
}

/** random(): 8 characters of [0-9a-z]. */
export function randomDefault(): string {
  return randomFromPattern('[0-9a-z]{8}');
}

export function registerKyvernoRandom(env: CelRegistrar): void {
  env.registerFunction('random(string): string', randomFromPattern);
  env.registerFunction('random(): string', randomDefault);
  namespaced(env, 'random.random', ['string'], 'string', randomFromPattern);
  namespaced(env, 'random.random', [], 'string', randomDefault);
}
