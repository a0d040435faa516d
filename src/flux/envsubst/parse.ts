/**
 * The parser of Flux's envsubst dialect: `${...}` expressions only, `$$` escapes, nested
 * expressions in function arguments. Same grammar, same error messages as fluxcd/pkg
 * envsubst/parse. Text and values are byte strings (bytes.ts).
 */
import {
  Scanner,
  Token,
  SCAN_IDENT,
  SCAN_LBRACK,
  SCAN_RBRACK,
  SCAN_ESCAPE,
  ESC_DOLLAR,
  ESC_ALL,
  acceptRune,
  acceptIdent,
  acceptColon,
  acceptOneHash,
  acceptNotClosing,
  acceptHashFunc,
  acceptPercentFunc,
  acceptDefaultFunc,
  acceptReplaceFunc,
  acceptOneEqual,
  acceptOneColon,
  rejectColonClose,
  acceptSlash,
  acceptNotSlash,
  acceptCasingFunc,
  type AcceptFn,
} from './scanner.js';

export type EnvNode = TextNode | FuncNode;
export interface TextNode {
  readonly type: 'text';
  readonly value: string;
}
/** `${param}` (name ''), or `${param<name>args...}` such as `${v:-d}` (name `:-`, args [d]). */
export interface FuncNode {
  readonly type: 'func';
  readonly param: string;
  readonly name: string;
  readonly args: EnvNode[];
}

/** The parse errors of the dialect (messages as in Flux). */
export const PARSE_ERRORS = {
  badSubstitution: 'bad substitution',
  missingClosingBrace: 'missing closing brace',
  variableName: 'unable to parse variable name',
  funcSubstitution: 'unable to parse substitution within function',
  defaultFunction: 'unable to parse default function',
} as const;

export class EnvsubstParseError extends Error {}

const fail = (m: string): never => {
  throw new EnvsubstParseError(m);
};

const text = (value: string): TextNode => ({ type: 'text', value });

/** Parses a byte string into a flat sequence of text and function nodes. */
export function parseTemplate(buf: string): EnvNode[] {
  const s = new Scanner(buf);
  const out: EnvNode[] = [];
  for (;;) {
    s.accept = acceptRune;
    s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
    s.escapeChars = ESC_DOLLAR;
    const t = s.scan();
    if (t === Token.EOF) return out;
    if (t === Token.Ident) out.push(text(s.text()));
    else if (t === Token.Lbrack) out.push(parseFunc(s));
    else fail(PARSE_ERRORS.badSubstitution);
  }
}

function parseFunc(s: Scanner): FuncNode {
  s.escapeChars = ESC_ALL;
  if (s.peek() === 0x23) return parseLenFunc(s);
  s.accept = acceptIdent;
  s.mode = SCAN_IDENT;
  if (s.scan() !== Token.Ident) fail(PARSE_ERRORS.variableName);
  const name = s.text();
  switch (s.peek()) {
    case 0x3a:
      return parseDefaultOrSubstr(s, name); // :
    case 0x3d:
      return parseDefaultFunc(s, name); // =
    case 0x2c:
    case 0x5e:
      return parseCasingFunc(s, name); // , ^
    case 0x2f:
      return parseReplaceFunc(s, name); // /
    case 0x23:
      return parseRemoveFunc(s, name, acceptHashFunc); // #
    case 0x25:
      return parseRemoveFunc(s, name, acceptPercentFunc); // %
  }
  s.accept = acceptIdent;
  s.mode = SCAN_RBRACK;
  if (s.scan() !== Token.Rbrack) fail(PARSE_ERRORS.missingClosingBrace);
  return { type: 'func', param: name, name: '', args: [] };
}

/** One function argument: a nested `${...}` or a run of accepted text. */
function parseParam(s: Scanner, accept: AcceptFn, mode: number): EnvNode {
  s.accept = accept;
  s.mode = mode | SCAN_LBRACK;
  const t = s.scan();
  if (t === Token.Lbrack) return parseFunc(s);
  if (t === Token.Ident || t === Token.Rbrack) return text(s.text());
  return fail(PARSE_ERRORS.funcSubstitution);
}

function scanName(s: Scanner, accept: AcceptFn, err: string): string {
  s.accept = accept;
  s.mode = SCAN_IDENT;
  if (s.scan() !== Token.Ident) fail(err);
  return s.text();
}

function parseDefaultOrSubstr(s: Scanner, name: string): FuncNode {
  s.read();
  const r = s.peek();
  s.unread();
  if (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b) return parseDefaultFunc(s, name);
  return parseSubstrFunc(s, name);
}

function parseSubstrFunc(s: Scanner, param: string): FuncNode {
  const fname = scanName(s, acceptOneColon, PARSE_ERRORS.badSubstitution);
  const args: EnvNode[] = [parseParam(s, rejectColonClose, SCAN_IDENT)];
  s.accept = acceptColon;
  s.mode = SCAN_IDENT | SCAN_RBRACK;
  const t = s.scan();
  if (t === Token.Rbrack) return { type: 'func', param, name: fname, args };
  if (t !== Token.Ident) fail(PARSE_ERRORS.badSubstitution);
  args.push(parseParam(s, acceptNotClosing, SCAN_IDENT));
  consumeRbrack(s);
  return { type: 'func', param, name: fname, args };
}

function parseRemoveFunc(s: Scanner, param: string, accept: AcceptFn): FuncNode {
  const fname = scanName(s, accept, PARSE_ERRORS.badSubstitution);
  const args = [parseParam(s, acceptNotClosing, SCAN_IDENT)];
  consumeRbrack(s);
  return { type: 'func', param, name: fname, args };
}

function parseReplaceFunc(s: Scanner, param: string): FuncNode {
  const fname = scanName(s, acceptReplaceFunc, PARSE_ERRORS.badSubstitution);
  const args: EnvNode[] = [parseParam(s, acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE)];
  scanName(s, acceptSlash, PARSE_ERRORS.badSubstitution);
  if (s.peek() === 0x7d) {
    consumeRbrack(s);
    return { type: 'func', param, name: fname, args };
  }
  args.push(parseParam(s, acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
  consumeRbrack(s);
  return { type: 'func', param, name: fname, args };
}

/**
 * `${v=d}`, `${v:=d}`, `${v:-d}`, `${v:?d}`, `${v:+d}`. The default is a sequence of text and
 * nested expressions (Go keeps them as separate args and joins them without a separator).
 */
function parseDefaultFunc(s: Scanner, param: string): FuncNode {
  s.accept = acceptDefaultFunc;
  if (s.peek() === 0x3d) s.accept = acceptOneEqual;
  s.mode = SCAN_IDENT;
  if (s.scan() !== Token.Ident) fail(PARSE_ERRORS.defaultFunction);
  const fname = s.text();
  const parts: EnvNode[] = [];
  for (;;) {
    if (s.peek() === 0x7d) {
      consumeRbrack(s);
      return { type: 'func', param, name: fname, args: parts };
    }
    parts.push(parseParam(s, acceptNotClosing, SCAN_IDENT));
  }
}

function parseCasingFunc(s: Scanner, param: string): FuncNode {
  const fname = scanName(s, acceptCasingFunc, PARSE_ERRORS.badSubstitution);
  consumeRbrack(s);
  return { type: 'func', param, name: fname, args: [] };
}

function parseLenFunc(s: Scanner): FuncNode {
  const fname = scanName(s, acceptOneHash, PARSE_ERRORS.badSubstitution);
  const param = scanName(s, acceptIdent, PARSE_ERRORS.badSubstitution);
  consumeRbrack(s);
  return { type: 'func', param, name: fname, args: [] };
}

function consumeRbrack(s: Scanner): void {
  s.mode = SCAN_RBRACK;
  if (s.scan() !== Token.Rbrack) fail(PARSE_ERRORS.badSubstitution);
}
