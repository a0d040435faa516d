/**
 * The lexical scanner of Flux's envsubst dialect (fluxcd/pkg envsubst/parse, a fork of
 * drone/envsubst), re-implemented over byte strings (see bytes.ts) so that offsets, widths and
 * the quirks of its read/unread/peek bookkeeping behave as in Go.
 */
import { decodeRune } from './bytes.js';

/** Go's scanner returns rune(0) at the end of input. */
export const EOF = 0;

export const enum Token {
  Illegal,
  EOF,
  Ident,
  Lbrack,
  Rbrack,
}

/** Mode bits: which tokens scan() may recognise. */
export const SCAN_IDENT = 1;
export const SCAN_LBRACK = 2;
export const SCAN_RBRACK = 4;
export const SCAN_ESCAPE = 8;

/** Escape bits: which escapes are active (`$$` outside and inside `${}`, `\\` and `\/` inside). */
export const ESC_DOLLAR = 1;
export const ESC_BACKSLASH = 2;
export const ESC_ALL = ESC_DOLLAR | ESC_BACKSLASH;

/** Whether rune `r` is accepted as the `i`-th byte offset (1-based, after reading it) of a token. */
export type AcceptFn = (r: number, i: number) => boolean;

const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;

export class Scanner {
  buf: string;
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: AcceptFn = () => true;

  constructor(buf: string) {
    this.buf = buf;
  }

  read(): number {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const [r, w] = decodeRune(this.buf, this.pos);
    this.width = w;
    this.pos += w;
    return r;
  }

  unread(): void {
    this.pos -= this.width;
  }

  /** Drops the byte just read (an escape character) from the buffer. */
  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }

  peek(): number {
    const r = this.read();
    this.unread();
    return r;
  }

  /** The text of the token scanned last. */
  text(): string {
    return this.buf.slice(this.start, this.pos);
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return Token.EOF;
    if (this.scanLbrack(r)) return Token.Lbrack;
    if (this.scanRbrack(r)) return Token.Rbrack;
    if (this.scanIdent(r)) return Token.Ident;
    return Token.Illegal;
  }

  private scanIdent(r: number): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.scanEscaped(r)) this.skip();
    else if (!this.accept(r, this.pos - this.start)) return false;
    for (;;) {
      const c = this.read();
      if (c === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: number): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) return false;
    if (r === DOLLAR) {
      if (this.read() === LBRACE) return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: number): boolean {
    if ((this.mode & SCAN_RBRACK) === 0) return false;
    return r === RBRACE;
  }

  private scanEscaped(r: number): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (r === DOLLAR && (this.escapeChars & ESC_DOLLAR) !== 0) {
      if (this.peek() === DOLLAR) return true;
    }
    if (r === BACKSLASH && (this.escapeChars & ESC_BACKSLASH) !== 0) {
      const n = this.peek();
      return n === SLASH || n === BACKSLASH;
    }
    return false;
  }
}

// Accept functions (which runes a token may contain).
const isLetterOrDigit = (r: number) => /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r));
export const acceptRune: AcceptFn = () => true;
export const acceptIdent: AcceptFn = (r) =>
  r === 0x5f || (r < 0x80 ? /[A-Za-z0-9]/.test(String.fromCharCode(r)) : isLetterOrDigit(r));
export const acceptColon: AcceptFn = (r) => r === 0x3a;
export const acceptOneHash: AcceptFn = (r, i) => r === 0x23 && i === 1;
export const acceptNotClosing: AcceptFn = (r) => r !== RBRACE;
export const acceptHashFunc: AcceptFn = (r, i) => r === 0x23 && i < 3;
export const acceptPercentFunc: AcceptFn = (r, i) => r === 0x25 && i < 3;
export const acceptDefaultFunc: AcceptFn = (r, i) =>
  (i === 1 && r === 0x3a) || (i === 2 && (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b));
export const acceptReplaceFunc: AcceptFn = (r, i) =>
  (i === 1 && r === SLASH) || (i === 2 && (r === SLASH || r === 0x23 || r === 0x25));
export const acceptOneEqual: AcceptFn = (r, i) => i === 1 && r === 0x3d;
export const acceptOneColon: AcceptFn = (r, i) => i === 1 && r === 0x3a;
export const rejectColonClose: AcceptFn = (r) => r !== 0x3a && r !== RBRACE;
export const acceptSlash: AcceptFn = (r) => r === SLASH;
export const acceptNotSlash: AcceptFn = (r) => r !== SLASH;
export const acceptCasingFunc: AcceptFn = (r, i) => (r === 0x2c || r === 0x5e) && i < 3;
