/**
 * The Rego lexer: source text to tokens, as OPA's scanner splits them. Each token records whether a
 * newline came before it (`nl`): newlines end body expressions, so the parser needs to see them.
 */
import { RegoFailure } from './errors.js';
import type { RegoError } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, operator spelling, number text, or the decoded string value. */
  readonly text: string;
  readonly row: number;
  readonly col: number;
  /** A newline (or the start of the file) came between the previous token and this one. */
  readonly nl: boolean;
  /** For strings: written as a raw (back-quoted) string. */
  readonly raw?: boolean;
}

const OPS3 = [':='] as const;
const OPS2 = [':=', '==', '!=', '<=', '>='];
const OPS1 = '{}[](),.;:=<>+-*/%|&';

/** Position helper: 1-based row and column (columns count code points like OPA's byte columns). */
export interface LexSource {
  readonly file: string;
  readonly text: string;
  readonly lineOffset: number;
}

export function lex(src: LexSource): Token[] {
  const { text } = src;
  const out: Token[] = [];
  let i = 0;
  let row = 1;
  let lineStart = 0;
  let nl = true;
  const err = (r: number, c: number, message: string): never => {
    const e: RegoError = { code: 'rego_parse_error', message, file: src.file, row: r + src.lineOffset - 1, col: c };
    throw new RegoFailure([e]);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      i++;
      row++;
      lineStart = i;
      nl = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    const push = (kind: TokenKind, t: string, raw?: boolean): void => {
      out.push(raw === undefined ? { kind, text: t, row, col, nl } : { kind, text: t, row, col, nl, raw });
      nl = false;
    };
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      push('ident', text.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
      if (!m) err(row, col, 'illegal number format');
      const t = m![0];
      if (/^[0-9]/.test(text[i + t.length] ?? '') || /[A-Za-z_]/.test(text[i + t.length] ?? '')) {
        err(row, col, 'illegal number format');
      }
      push('number', t);
      i += t.length;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length || text[j] === '\n') err(row, col, 'non-terminated string');
        const c = text[j]!;
        if (c === '"') break;
        if (c === '\\') {
          const e = text[j + 1];
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
          };
          if (e !== undefined && simple[e] !== undefined) {
            value += simple[e];
            j += 2;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          err(row, j - lineStart + 1, `illegal escape sequence`);
        }
        value += c;
        j++;
      }
      push('string', value, false);
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) err(row, col, 'non-terminated string');
      const value = text.slice(i + 1, end);
      push('string', value, true);
      for (let k = i + 1; k < end; k++) {
        if (text[k] === '\n') {
          row++;
          lineStart = k + 1;
        }
      }
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if ((OPS2 as readonly string[]).includes(two) || (OPS3 as readonly string[]).includes(two)) {
      push('op', two);
      i += 2;
      continue;
    }
    if (OPS1.includes(ch) || ch === '!') {
      if (ch === '!') err(row, col, 'illegal ! character');
      push('op', ch);
      i++;
      continue;
    }
    err(row, col, `illegal token`);
  }
  out.push({ kind: 'eof', text: '', row, col: i - lineStart + 1, nl: true });
  return out;
}
