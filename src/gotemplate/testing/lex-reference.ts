/**
 * The lexer as it was before its scans by index (commit 588d170), kept only as the reference its
 * test compares the lexer with (lex.test.ts): the same items, positions and lines on every input.
 * Not used by the engine.
 */
import { type Item, ItemType, type LexOptions, isAlphaNumeric, isSpace, quoteRuneU } from '../lex.js';

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
const spaceChars = ' \t\r\n';
const leftComment = '/*';
const rightComment = '*/';

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === '-' && isSpace(s.charCodeAt(at + 1));
}
function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s[at + 1] === '-';
}
function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

/** The reference lexer: call {@link ReferenceLexer.nextItem} until EOF or Error. */
export class ReferenceLexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  private insideAction = false;
  options: LexOptions = { breakOK: true, continueOK: true };

  constructor(
    private input: string,
    private readonly leftDelim = '{{',
    private readonly rightDelim = '}}',
  ) {
    if (leftDelim === '') this.leftDelim = '{{';
    if (rightDelim === '') this.rightDelim = '}}';
  }

  nextItem(): Item {
    this.item = { typ: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
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
  peek(): number {
    const c = this.next();
    this.backup();
    return c;
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
  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2))
      return { delim: true, trimSpaces: true };
    if (this.input.startsWith(this.rightDelim, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
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
  // state accessors
  get text(): string {
    return this.input;
  }
  get p(): number {
    return this.pos;
  }
  set p(v: number) {
    this.pos = v;
  }
  get s(): number {
    return this.start;
  }
  get l(): number {
    return this.line;
  }
  set l(v: number) {
    this.line = v;
  }
  get ld(): string {
    return this.leftDelim;
  }
  get rd(): string {
    return this.rightDelim;
  }
  get inside(): boolean {
    return this.insideAction;
  }
  set inside(v: boolean) {
    this.insideAction = v;
  }
  get depth(): number {
    return this.parenDepth;
  }
  set depth(v: number) {
    this.parenDepth = v;
  }
}

type StateFn = (l: ReferenceLexer) => StateFn | null;

function rightTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && spaceChars.includes(s[s.length - 1 - n]!)) n++;
  return n;
}
function leftTrimLength(s: string, from: number): number {
  let n = 0;
  while (from + n < s.length && spaceChars.includes(s[from + n]!)) n++;
  return n;
}

function lexText(l: ReferenceLexer): StateFn | null {
  const input = l.text;
  const x = input.indexOf(l.ld, l.p);
  if (x >= 0) {
    if (x > l.p) {
      l.p = x;
      let trimLength = 0;
      const delimEnd = l.p + l.ld.length;
      if (hasLeftTrimMarker(input, delimEnd)) trimLength = rightTrimLength(input.slice(l.s, l.p));
      l.p -= trimLength;
      l.l += countNewlines(input, l.s, l.p);
      const i = l.thisItem(ItemType.Text);
      l.p += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.p = input.length;
  if (l.p > l.s) {
    l.l += countNewlines(input, l.s, l.p);
    return l.emit(ItemType.Text);
  }
  return l.emit(ItemType.EOF);
}

function lexLeftDelim(l: ReferenceLexer): StateFn | null {
  l.p += l.ld.length;
  const trimSpace = hasLeftTrimMarker(l.text, l.p);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.text.startsWith(leftComment, l.p + afterMarker)) {
    l.p += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(ItemType.LeftDelim);
  l.inside = true;
  l.p += afterMarker;
  l.ignore();
  l.depth = 0;
  return l.emitItem(i);
}

function lexComment(l: ReferenceLexer): StateFn | null {
  l.p += leftComment.length;
  const x = l.text.indexOf(rightComment, l.p);
  if (x < 0) return l.errorf('unclosed comment');
  l.p = x + rightComment.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.l += countNewlines(l.text, l.s, l.p);
  l.thisItem(ItemType.Comment);
  if (trimSpaces) l.p += 2;
  l.p += l.rd.length;
  if (trimSpaces) l.p += leftTrimLength(l.text, l.p);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: ReferenceLexer): StateFn | null {
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.p += 2;
    l.ignore();
  }
  l.p += l.rd.length;
  const i = l.thisItem(ItemType.RightDelim);
  if (trimSpaces) {
    l.p += leftTrimLength(l.text, l.p);
    l.ignore();
  }
  l.inside = false;
  return l.emitItem(i);
}

function lexInsideAction(l: ReferenceLexer): StateFn | null {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.depth === 0) return lexRightDelim;
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
      if (l.p < l.text.length) {
        const c = l.text.charCodeAt(l.p);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      l.backup();
      return lexNumber;
    }
    case 0x28:
      l.depth++;
      return l.emit(ItemType.LeftParen);
    case 0x29:
      l.depth--;
      if (l.depth < 0) return l.errorf('unexpected right paren');
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

function lexSpace(l: ReferenceLexer): StateFn | null {
  let numSpaces = 0;
  for (;;) {
    const r = l.peek();
    if (!isSpace(r)) break;
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.text, l.p - 1) && l.text.startsWith(l.rd, l.p - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(ItemType.Space);
}

function lexIdentifier(l: ReferenceLexer): StateFn | null {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.text.slice(l.s, l.p);
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
}

function lexField(l: ReferenceLexer): StateFn | null {
  return lexFieldOrVariable(l, ItemType.Field);
}
function lexVariable(l: ReferenceLexer): StateFn | null {
  if (l.atTerminator()) return l.emit(ItemType.Variable);
  return lexFieldOrVariable(l, ItemType.Variable);
}
function lexFieldOrVariable(l: ReferenceLexer, typ: ItemType): StateFn | null {
  if (l.atTerminator()) return l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${quoteRuneU(r)}`);
  return l.emit(typ);
}

function lexChar(l: ReferenceLexer): StateFn | null {
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

function lexNumber(l: ReferenceLexer): StateFn | null {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuoteSimple(l.text.slice(l.s, l.p))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!l.scanNumber() || l.text[l.p - 1] !== 'i')
      return l.errorf(`bad number syntax: ${goQuoteSimple(l.text.slice(l.s, l.p))}`);
    return l.emit(ItemType.Complex);
  }
  return l.emit(ItemType.Number);
}

function goQuoteSimple(s: string): string {
  return JSON.stringify(s);
}

function lexQuote(l: ReferenceLexer): StateFn | null {
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

function lexRawQuote(l: ReferenceLexer): StateFn | null {
  for (;;) {
    const c = l.next();
    if (c === EOF) return l.errorf('unterminated raw quoted string');
    if (c === 0x60) break;
  }
  return l.emit(ItemType.RawString);
}
