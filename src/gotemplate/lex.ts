/**
 * The lexer of Go's text/template (mirrors text/template/parse/lex.go): turns a template's text
 * into items (text, delimiters, identifiers, fields, numbers, strings...). Positions are indexes
 * into the JavaScript string; lines are 1-based.
 */

export const enum ItemType {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // only a separator: the item types after it are keywords
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

/** A token of the template language. */
export interface Item {
  readonly typ: ItemType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const keywords: Record<string, ItemType> = {
  '.': ItemType.Dot,
  block: ItemType.Block,
  break: ItemType.Break,
  continue: ItemType.Continue,
  define: ItemType.Define,
  else: ItemType.Else,
  end: ItemType.End,
  if: ItemType.If,
  range: ItemType.Range,
  nil: ItemType.Nil,
  template: ItemType.Template,
  with: ItemType.With,
};

const EOF = -1;
const NO_DELIM = 0;
const DELIM = 1;
const TRIM_DELIM = 2;
const leftComment = '/*';
const rightComment = '*/';

export interface LexOptions {
  readonly breakOK: boolean;
  readonly continueOK: boolean;
}

/** Go's item.String(), used in parse errors (`unexpected "}" in operand`). */
export function itemString(i: Item, quote: (s: string, maxRunes?: number) => string): string {
  if (i.typ === ItemType.EOF) return 'EOF';
  if (i.typ === ItemType.Error) return i.val;
  if (i.typ > ItemType.Keyword) return `<${i.val}>`;
  if ([...i.val].length > 10) return `${quote(i.val, 10)}...`;
  return quote(i.val);
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const letterOrDigit = /^[\p{L}\p{Nd}]$/u;
export function isAlphaNumeric(c: number): boolean {
  if (c === 0x5f) return true;
  if (c < 0) return false;
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return letterOrDigit.test(String.fromCodePoint(c));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === '-' && isSpace(s.charCodeAt(at + 1));
}
function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s[at + 1] === '-';
}
function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
function isAsciiAlphaNumeric(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** The lexer: call {@link Lexer.nextItem} until EOF or Error. */
export class Lexer {
  // The state functions below read and move these fields directly (no accessors: a cold process
  // runs the lexer mostly in V8's interpreter, where every accessor is a call).
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  item: Item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  insideAction = false;
  options: LexOptions = { breakOK: true, continueOK: true };

  constructor(
    public input: string,
    public readonly leftDelim = '{{',
    public readonly rightDelim = '}}',
  ) {
    if (leftDelim === '') this.leftDelim = '{{';
    if (rightDelim === '') this.rightDelim = '}}';
  }

  nextItem(): Item {
    // Every state ends in emit, emitItem or errorf, which set this.item.
    let state: StateFn | null = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // --- helpers used by the state functions ---
  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const c = this.input.codePointAt(this.pos)!;
    this.pos += c > 0xffff ? 2 : 1;
    if (c === 0x0a) this.line++;
    return c;
  }
  /** next() then backup(), without moving: the code point at pos, or EOF (which sticks, as in Go). */
  peek(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    return this.input.codePointAt(this.pos)!;
  }
  /**
   * Moves past a run of letters, digits and `_` (Go's loop of next() while isAlphaNumeric, then
   * backup()); returns the code point it stopped at, or EOF. ASCII is scanned by index.
   */
  acceptAlphaNumericRun(): number {
    const input = this.input;
    let pos = this.pos;
    while (pos < input.length && isAsciiAlphaNumeric(input.charCodeAt(pos))) pos++;
    this.pos = pos;
    for (;;) {
      const r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        return r;
      }
    }
  }
  /** Moves past a run of spaces (Go's lexSpace loop of peek() and next()); returns how many. */
  acceptSpaceRun(): number {
    const input = this.input;
    const from = this.pos;
    let pos = from;
    for (;;) {
      if (pos >= input.length) {
        this.atEOF = true;
        break;
      }
      const c = input.charCodeAt(pos);
      if (!isSpace(c)) break;
      if (c === 0x0a) this.line++;
      pos++;
    }
    this.pos = pos;
    return pos - from;
  }
  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const lo = this.input.charCodeAt(this.pos - 1);
      const w =
        lo >= 0xdc00 &&
        lo <= 0xdfff &&
        this.pos > 1 &&
        this.input.charCodeAt(this.pos - 2) >= 0xd800 &&
        this.input.charCodeAt(this.pos - 2) <= 0xdbff
          ? 2
          : 1;
      this.pos -= w;
      if (lo === 0x0a) this.line--;
    }
  }
  thisItem(t: ItemType): Item {
    const i = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }
  emit(t: ItemType): null {
    return this.emitItem(this.thisItem(t));
  }
  emitItem(i: Item): null {
    this.item = i;
    return null;
  }
  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }
  accept(valid: string): boolean {
    const c = this.next();
    if (c !== EOF && valid.includes(String.fromCodePoint(c))) return true;
    this.backup();
    return false;
  }
  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || !valid.includes(String.fromCodePoint(c))) break;
    }
    this.backup();
  }
  errorf(msg: string): null {
    this.item = { typ: ItemType.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }
  /** Go's atRightDelim: {@link NO_DELIM}, {@link DELIM} or {@link TRIM_DELIM} (` -` before the delimiter). */
  atRightDelim(): number {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2))
      return TRIM_DELIM;
    if (this.input.startsWith(this.rightDelim, this.pos)) return DELIM;
    return NO_DELIM;
  }
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }
  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

type StateFn = (l: Lexer) => StateFn | null;

/** How many spaces end s[from:to]. */
function rightTrimLength(s: string, from: number, to: number): number {
  let n = 0;
  while (to - n > from && isSpace(s.charCodeAt(to - 1 - n))) n++;
  return n;
}
function leftTrimLength(s: string, from: number): number {
  let n = 0;
  while (from + n < s.length && isSpace(s.charCodeAt(from + n))) n++;
  return n;
}

function lexText(l: Lexer): StateFn | null {
  const input = l.input;
  const x = input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      let trimLength = 0;
      const delimEnd = l.pos + l.leftDelim.length;
      if (hasLeftTrimMarker(input, delimEnd)) trimLength = rightTrimLength(input, l.start, l.pos);
      l.pos -= trimLength;
      l.line += countNewlines(input, l.start, l.pos);
      const i = l.thisItem(ItemType.Text);
      l.pos += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.pos = input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(input, l.start, l.pos);
    return l.emit(ItemType.Text);
  }
  return l.emit(ItemType.EOF);
}

function lexLeftDelim(l: Lexer): StateFn | null {
  l.pos += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.input.startsWith(leftComment, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(ItemType.LeftDelim);
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn | null {
  l.pos += leftComment.length;
  const x = l.input.indexOf(rightComment, l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + rightComment.length;
  const at = l.atRightDelim();
  if (at === NO_DELIM) return l.errorf('comment ends before closing delimiter');
  const trimSpaces = at === TRIM_DELIM;
  l.line += countNewlines(l.input, l.start, l.pos);
  l.thisItem(ItemType.Comment);
  if (trimSpaces) l.pos += 2;
  l.pos += l.rightDelim.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn | null {
  const trimSpaces = l.atRightDelim() === TRIM_DELIM;
  if (trimSpaces) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  const i = l.thisItem(ItemType.RightDelim);
  if (trimSpaces) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): StateFn | null {
  if (l.atRightDelim() !== NO_DELIM) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      return l.emit(ItemType.Assign);
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit(ItemType.Declare);
    case 0x7c:
      return l.emit(ItemType.Pipe);
    case 0x22:
      return lexQuote;
    case 0x60:
      return lexRawQuote;
    case 0x24:
      return lexVariable;
    case 0x27:
      return lexChar;
    case 0x2e: {
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      l.backup();
      return lexNumber;
    }
    case 0x28:
      l.parenDepth++;
      return l.emit(ItemType.LeftParen);
    case 0x29:
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return l.emit(ItemType.RightParen);
  }
  if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7e && r >= 0x20) return l.emit(ItemType.Char);
  return l.errorf(`unrecognized character in action: ${quoteRuneU(r)}`);
}

/** Go's %#U: U+0001 or U+0041 'A'. */
export function quoteRuneU(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  return isPrintRune(r) ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

const graphic = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(r: number): boolean {
  if (r < 0x20) return false;
  if (r < 0x7f) return true;
  if (r < 0xa1) return false;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return false;
  if (r === 0xad) return false;
  return graphic.test(String.fromCodePoint(r));
}

function lexSpace(l: Lexer): StateFn | null {
  const numSpaces = l.acceptSpaceRun();
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(l.rightDelim, l.pos - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(ItemType.Space);
}

function lexIdentifier(l: Lexer): StateFn | null {
  const r = l.acceptAlphaNumericRun();
  const word = l.input.slice(l.start, l.pos);
  if (!l.atTerminator()) return l.errorf(`bad character ${quoteRuneU(r)}`);
  const kw = keywords[word];
  if (kw !== undefined && Object.prototype.hasOwnProperty.call(keywords, word)) {
    if ((kw === ItemType.Break && !l.options.breakOK) || (kw === ItemType.Continue && !l.options.continueOK))
      return l.emit(ItemType.Identifier);
    return l.emit(kw);
  }
  if (word[0] === '.') return l.emit(ItemType.Field);
  if (word === 'true' || word === 'false') return l.emit(ItemType.Bool);
  return l.emit(ItemType.Identifier);
}

function lexField(l: Lexer): StateFn | null {
  return lexFieldOrVariable(l, ItemType.Field);
}
function lexVariable(l: Lexer): StateFn | null {
  if (l.atTerminator()) return l.emit(ItemType.Variable);
  return lexFieldOrVariable(l, ItemType.Variable);
}
function lexFieldOrVariable(l: Lexer, typ: ItemType): StateFn | null {
  if (l.atTerminator()) return l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
  const r = l.acceptAlphaNumericRun();
  if (!l.atTerminator()) return l.errorf(`bad character ${quoteRuneU(r)}`);
  return l.emit(typ);
}

function lexChar(l: Lexer): StateFn | null {
  for (;;) {
    let c = l.next();
    if (c === 0x5c) {
      const r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      c = EOF;
    }
    if (c === EOF || c === 0x0a) return l.errorf('unterminated character constant');
    if (c === 0x27) break;
  }
  return l.emit(ItemType.CharConstant);
}

function lexNumber(l: Lexer): StateFn | null {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuoteSimple(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!l.scanNumber() || l.input[l.pos - 1] !== 'i')
      return l.errorf(`bad number syntax: ${goQuoteSimple(l.input.slice(l.start, l.pos))}`);
    return l.emit(ItemType.Complex);
  }
  return l.emit(ItemType.Number);
}

function goQuoteSimple(s: string): string {
  return JSON.stringify(s);
}

function lexQuote(l: Lexer): StateFn | null {
  for (;;) {
    let c = l.next();
    if (c === 0x5c) {
      const r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      c = EOF;
    }
    if (c === EOF || c === 0x0a) return l.errorf('unterminated quoted string');
    if (c === 0x22) break;
  }
  return l.emit(ItemType.String);
}

function lexRawQuote(l: Lexer): StateFn | null {
  for (;;) {
    const c = l.next();
    if (c === EOF) return l.errorf('unterminated raw quoted string');
    if (c === 0x60) break;
  }
  return l.emit(ItemType.RawString);
}
