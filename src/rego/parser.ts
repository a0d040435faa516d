/**
 * The Rego parser: tokens to a module (src/rego/ast.ts), for the language as OPA v1 parses it and
 * the v0 syntax (rules without `if`/`contains`). Errors are `rego_parse_error`s at the token's row
 * and column (shifted by the module's `lineOffset`).
 */
import type { Body, Expr, ExprKind, Import, Module, RuleDef, Term, With } from './ast.js';
import { regoError } from './errors.js';
import type { Loc } from './errors.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { RObject, RSet, numberFromText } from './value.js';

export interface ParseInput {
  readonly file: string;
  readonly text: string;
  readonly lineOffset?: number;
  /** Rego v0 unless the module imports rego.v1. */
  readonly v0: boolean;
  readonly v0UnlessImported?: boolean;
}

/** Infix operators to their built-in names, by precedence level (loosest first). */
const RELATIONS: Record<string, string> = {
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
};
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };
const INFIX_OPS = new Set([
  ...Object.values(RELATIONS),
  ...Object.values(ARITH),
  ...Object.values(FACTOR),
  'and',
  'or',
  'internal.member_2',
]);

class Parser {
  private pos = 0;
  private fresh = 0;
  private readonly toks: Token[];
  private readonly lineOffset: number;
  constructor(
    private readonly file: string,
    text: string,
    lineOffset: number,
  ) {
    this.lineOffset = lineOffset;
    this.toks = lex({ file, text, lineOffset });
  }

  get tok(): Token {
    return this.toks[this.pos]!;
  }
  peek(n = 1): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.tok;
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  loc(t: Token = this.tok): Loc {
    return { file: this.file, row: t.row + this.lineOffset - 1, col: t.col };
  }
  describe(t: Token): string {
    if (t.kind === 'eof') return 'EOF';
    if (t.kind === 'ident') return isKeyword(t.text) ? `${t.text} keyword` : 'ident';
    if (t.kind === 'string') return 'string';
    if (t.kind === 'number') return 'number';
    return t.text;
  }
  fail(message: string, t: Token = this.tok): never {
    throw regoError('rego_parse_error', message, this.loc(t));
  }
  unexpected(expected: string, t: Token = this.tok): never {
    this.fail(`unexpected ${this.describe(t)} token: expected ${expected}`, t);
  }
  isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.text === text;
  }
  isIdent(text: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text === text;
  }
  expectOp(text: string): Token {
    if (!this.isOp(text)) this.unexpected(text);
    return this.next();
  }

  // ---- module ----

  module(opts: ParseInput): Module {
    const start = this.tok;
    if (!this.isIdent('package')) this.fail(start.kind === 'eof' ? 'empty module' : 'package expected', start);
    this.next();
    const pkg = this.dottedPath('package');
    const imports: Import[] = [];
    while (this.isIdent('import')) {
      const at = this.next();
      const path = this.dottedPath('import');
      let alias: string | undefined;
      if (this.isIdent('as') && !this.tok.nl) {
        this.next();
        if (this.tok.kind !== 'ident') this.unexpected('ident');
        alias = this.next().text;
      }
      if (!['data', 'input', 'future', 'rego'].includes(path[0]!)) {
        this.fail(`invalid path ${path.join('.')}: path must begin with input or data`, at);
      }
      imports.push(alias === undefined ? { path, loc: this.loc(at) } : { path, alias, loc: this.loc(at) });
    }
    const v1 = imports.some((i) => i.path.join('.') === 'rego.v1') || !(opts.v0 || opts.v0UnlessImported);
    const rules: RuleDef[] = [];
    while (this.tok.kind !== 'eof') {
      if (!this.tok.nl) this.unexpected('rule');
      rules.push(...this.rule(v1));
    }
    return { file: this.file, pkg, imports, rules, v1, loc: this.loc(start) };
  }

  /** `a.b.c` or `a["b"].c` after package/import. */
  dottedPath(what: string): string[] {
    if (this.tok.kind !== 'ident') this.unexpected(what === 'package' ? 'ident' : 'ident');
    const out = [this.next().text];
    for (;;) {
      if (this.isOp('.') && this.peek().kind === 'ident') {
        this.next();
        out.push(this.next().text);
      } else if (this.isOp('[') && !this.tok.nl && this.peek().kind === 'string' && this.isOp(']', this.peek(2))) {
        this.next();
        out.push(this.next().text);
        this.next();
      } else break;
    }
    return out;
  }

  // ---- rules ----

  rule(v1: boolean): RuleDef[] {
    const start = this.tok;
    const loc = this.loc(start);
    let isDefault = false;
    if (this.isIdent('default')) {
      isDefault = true;
      this.next();
    }
    // Keywords may name rules when a ref follows (`as.foo := 1`, OPA's keyword refs).
    const keywordRef =
      this.tok.kind === 'ident' &&
      isKeyword(this.tok.text) &&
      (this.isOp('.', this.peek()) || this.isOp('[', this.peek())) &&
      !this.peek().nl &&
      !isDefault;
    if (this.tok.kind !== 'ident' || (isKeyword(this.tok.text) && !keywordRef)) this.unexpected('ident');
    const path: string[] = [this.next().text];
    const brackets: Term[] = [];
    for (;;) {
      if (this.isOp('.') && this.peek().kind === 'ident' && !this.tok.nl && brackets.length === 0) {
        this.next();
        path.push(this.next().text);
      } else if (this.isOp('[') && !this.tok.nl) {
        this.next();
        brackets.push(this.expr());
        this.expectOp(']');
      } else break;
    }
    let args: Term[] | undefined;
    if (this.isOp('(') && !this.tok.nl) {
      this.next();
      args = [];
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.term());
          if (this.isOp(',')) {
            this.next();
            if (this.isOp(')')) break;
            continue;
          }
          break;
        }
      }
      this.expectOp(')');
    }
    if (args && args.length === 0) args = undefined;
    let kind: RuleDef['kind'] = args ? 'function' : 'complete';
    let key: Term | undefined;
    if (this.isIdent('contains') && !this.tok.nl) {
      this.next();
      kind = 'set';
      key = this.term();
      for (const b of brackets)
        path.push(constantKey(b) ?? this.fail('rule head: non-constant path before contains', start));
      brackets.length = 0;
    }
    let value: Term | undefined;
    if ((this.isOp('=') || this.isOp(':=')) && !this.tok.nl) {
      this.next();
      value = this.expr();
    }
    if (brackets.length > 0) {
      const last = brackets.pop()!;
      for (const b of brackets)
        path.push(constantKey(b) ?? this.fail('rule head: only the last bracket may hold a variable', start));
      if (value === undefined && !v1) {
        kind = 'set';
        key = last;
      } else if (value === undefined) {
        // v1: `p[x] if ...` is `p[x] := true` (only `contains` makes a set).
        kind = 'object';
        key = last;
        value = { type: 'scalar', value: true, loc };
      } else {
        kind = 'object';
        key = last;
      }
    }
    if (isDefault) {
      if (value === undefined) this.fail('default rule must have a value', start);
      if (kind === 'set' || kind === 'object') this.fail('default rules must not have a key', start);
      return [{ kind, path, value: value!, ...(args ? { args } : {}), body: [], isDefault: true, elses: [], loc }];
    }
    const hasIf = this.isIdent('if') && !this.tok.nl;
    if (hasIf) this.next();
    let body: Body;
    let braced = false;
    if (this.isOp('{') && (hasIf || !this.tok.nl)) {
      body = this.braceBody();
      braced = true;
    } else if (hasIf) {
      body = [this.literal()];
    } else {
      body = [{ kind: 'term', term: { type: 'scalar', value: true, loc }, negated: false, withs: [], loc }];
      if (value === undefined && kind === 'complete' && !args) this.fail(`rule must have a value or a body`, start);
    }
    if (v1 && braced && !hasIf) this.fail('`if` keyword is required before rule body', start);
    const elses: { value: Term; body: Body; loc: Loc }[] = [];
    while (this.isIdent('else')) {
      const at = this.next();
      let ev: Term = { type: 'scalar', value: true, loc: this.loc(at) };
      if (this.isOp('=') || this.isOp(':=')) {
        this.next();
        ev = this.expr();
      }
      const eIf = this.isIdent('if');
      if (eIf) this.next();
      let eb: Body;
      if (this.isOp('{')) eb = this.braceBody();
      else if (eIf) eb = [this.literal()];
      else
        eb = [
          {
            kind: 'term',
            term: { type: 'scalar', value: true, loc: this.loc(at) },
            negated: false,
            withs: [],
            loc: this.loc(at),
          },
        ];
      elses.push({ value: ev, body: eb, loc: this.loc(at) });
    }
    if (elses.length > 0 && kind !== 'complete' && kind !== 'function')
      this.fail('else keyword cannot be used on multi-value rules', start);
    const def: RuleDef = {
      kind,
      path,
      ...(key ? { key } : {}),
      ...(value ? { value } : {}),
      ...(args ? { args } : {}),
      body,
      isDefault: false,
      elses,
      loc,
    };
    const out: RuleDef[] = [def];
    // v0: `p { a } { b }` defines p twice.
    while (this.isOp('{') && !this.tok.nl && !v1) out.push({ ...def, body: this.braceBody(), elses: [] });
    return out;
  }

  braceBody(): Body {
    this.expectOp('{');
    const body: Expr[] = [];
    for (;;) {
      if (this.isOp('}')) break;
      if (body.length > 0) {
        if (this.isOp(';')) this.next();
        else if (!this.tok.nl) this.unexpected('; or \\n or }');
        if (this.isOp('}')) break;
      }
      body.push(this.literal());
    }
    this.next();
    if (body.length === 0) this.fail('found empty body', this.toks[this.pos - 1]!);
    return body;
  }

  literal(): Expr {
    const start = this.tok;
    const loc = this.loc(start);
    let negated = false;
    if (this.isIdent('not')) {
      this.next();
      negated = true;
    }
    let e: ExprKind;
    if (this.isIdent('some') && !negated) {
      this.next();
      const terms: Term[] = [this.termLevel('relation')];
      while (this.isOp(',')) {
        this.next();
        terms.push(this.termLevel('relation'));
      }
      if (this.isIdent('in')) {
        this.next();
        const collection = this.termLevel('relation');
        if (terms.length > 2) this.fail('unexpected , token', start);
        e =
          terms.length === 2
            ? { kind: 'somein', key: terms[0]!, value: terms[1]!, collection }
            : { kind: 'somein', value: terms[0]!, collection };
      } else {
        const vars = terms.map((t) => (t.type === 'var' ? t.name : this.fail('expected var', start)));
        e = { kind: 'some', vars };
      }
    } else if (this.isIdent('every') && !negated) {
      this.next();
      const first = this.termLevel('relation');
      let keyName: string | undefined;
      let valueTerm = first;
      if (this.isOp(',')) {
        this.next();
        valueTerm = this.termLevel('relation');
        keyName = first.type === 'var' ? first.name : this.fail('every: expected var', start);
      }
      const valueName = valueTerm.type === 'var' ? valueTerm.name : this.fail('every: expected var', start);
      if (!this.isIdent('in')) this.unexpected('in keyword');
      this.next();
      const collection = this.termLevel('relation');
      const body = this.braceBody();
      e =
        keyName === undefined
          ? { kind: 'every', value: valueName, collection, body }
          : { kind: 'every', key: keyName, value: valueName, collection, body };
    } else {
      const left = this.expr(true);
      if (this.isOp(',') && !this.tok.nl) {
        // `k, v in xs` as an expression
        this.next();
        const v = this.termLevel('or');
        if (!this.isIdent('in')) this.unexpected('in keyword');
        const inTok = this.next();
        const coll = this.termLevel('relation');
        e = {
          kind: 'term',
          term: {
            type: 'call',
            op: 'internal.member_3',
            opTerm: opVar('internal.member_3', this.loc(inTok)),
            args: [left, v, coll],
            loc: this.loc(inTok),
          },
        };
      } else if ((this.isOp('=') || this.isOp(':=')) && !this.tok.nl) {
        const op = this.next().text;
        const right = this.expr(true);
        e = op === '=' ? { kind: 'unify', left, right } : { kind: 'assign', left, right };
        if (op === ':=' && negated) this.fail('cannot assign vars inside negated expression', start);
      } else {
        e = { kind: 'term', term: left };
      }
    }
    const withs: With[] = [];
    while (this.isIdent('with')) {
      const at = this.next();
      const target = this.termLevel('postfix');
      if (!this.isIdent('as')) this.unexpected('as keyword');
      this.next();
      const value = this.termLevel('relation');
      withs.push({ target, value, loc: this.loc(at) });
    }
    return { ...e, negated, withs, loc };
  }

  // ---- terms ----

  /** A full expression term (membership, relations, set ops, arithmetic). */
  expr(_top = false): Term {
    return this.termLevel('in');
  }

  term(): Term {
    return this.termLevel('in');
  }

  private noOr = 0;
  /** Terms written in parentheses (a comprehension head may be an operator call only then). */
  private readonly parenthesized = new WeakSet<Term>();

  /**
   * OPA reads `|` after an operator call as the set union operator, so `[x * 2 | ...]` does not
   * parse there (`[(x * 2) | ...]` does): the same error here.
   */
  private checkComprehensionHead(head: Term): void {
    if (
      head.type === 'call' &&
      INFIX_OPS.has(head.op) &&
      head.opTerm.type === 'var' &&
      head.opTerm.name === head.op &&
      !this.parenthesized.has(head)
    ) {
      this.unexpected('term', this.peek());
    }
  }

  termLevel(level: 'in' | 'relation' | 'or' | 'and' | 'arith' | 'factor' | 'postfix'): Term {
    switch (level) {
      case 'in': {
        let left = this.termLevel('relation');
        while (this.isIdent('in') && !this.tok.nl) {
          const at = this.next();
          const right = this.termLevel('relation');
          left = {
            type: 'call',
            op: 'internal.member_2',
            opTerm: opVar('internal.member_2', this.loc(at)),
            args: [left, right],
            loc: left.loc,
          };
        }
        return left;
      }
      case 'relation': {
        let left = this.termLevel('or');
        while (this.tok.kind === 'op' && RELATIONS[this.tok.text] !== undefined && !this.tok.nl) {
          const at = this.next();
          const right = this.termLevel('or');
          const op = RELATIONS[at.text]!;
          left = { type: 'call', op, opTerm: opVar(op, this.loc(at)), args: [left, right], loc: left.loc };
        }
        return left;
      }
      case 'or': {
        let left = this.termLevel('and');
        while (this.isOp('|') && !this.tok.nl && this.noOr === 0) {
          const at = this.next();
          const right = this.termLevel('and');
          left = { type: 'call', op: 'or', opTerm: opVar('or', this.loc(at)), args: [left, right], loc: left.loc };
        }
        return left;
      }
      case 'and': {
        let left = this.termLevel('arith');
        while (this.isOp('&') && !this.tok.nl) {
          const at = this.next();
          const right = this.termLevel('arith');
          left = { type: 'call', op: 'and', opTerm: opVar('and', this.loc(at)), args: [left, right], loc: left.loc };
        }
        return left;
      }
      case 'arith': {
        let left = this.termLevel('factor');
        while (this.tok.kind === 'op' && ARITH[this.tok.text] !== undefined && !this.tok.nl) {
          const at = this.next();
          const right = this.termLevel('factor');
          const op = ARITH[at.text]!;
          left = { type: 'call', op, opTerm: opVar(op, this.loc(at)), args: [left, right], loc: left.loc };
        }
        return left;
      }
      case 'factor': {
        let left = this.termLevel('postfix');
        while (this.tok.kind === 'op' && FACTOR[this.tok.text] !== undefined && !this.tok.nl) {
          const at = this.next();
          const right = this.termLevel('postfix');
          const op = FACTOR[at.text]!;
          left = { type: 'call', op, opTerm: opVar(op, this.loc(at)), args: [left, right], loc: left.loc };
        }
        return left;
      }
      case 'postfix':
        return this.postfix();
    }
  }

  postfix(): Term {
    const start = this.tok;
    let t = this.primary();
    for (;;) {
      if (this.isOp('.') && this.peek().kind === 'ident' && !this.tok.nl) {
        this.next();
        const name = this.next();
        t = appendRef(t, { type: 'scalar', value: name.text, loc: this.loc(name) }, this.loc(start));
      } else if (this.isOp('[') && !this.tok.nl) {
        this.next();
        const saved = this.noOr;
        this.noOr = 0;
        const k = this.term();
        this.noOr = saved;
        this.expectOp(']');
        t = appendRef(t, k, this.loc(start));
      } else if (this.isOp('(') && !this.tok.nl && (t.type === 'var' || (t.type === 'ref' && isDotted(t)))) {
        const at = this.next();
        const args: Term[] = [];
        const saved = this.noOr;
        this.noOr = 0;
        if (!this.isOp(')')) {
          for (;;) {
            args.push(this.term());
            if (this.isOp(',')) {
              this.next();
              if (this.isOp(')')) break;
              continue;
            }
            break;
          }
        }
        this.noOr = saved;
        this.expectOp(')');
        const op = dottedName(t);
        if (op === 'set' && args.length === 0) t = { type: 'set', items: [], loc: this.loc(start) };
        else t = { type: 'call', op, opTerm: t, args, loc: this.loc(at.row === start.row ? start : at) };
      } else break;
    }
    return t;
  }

  primary(): Term {
    const t = this.tok;
    const loc = this.loc(t);
    if (t.kind === 'number') {
      this.next();
      return { type: 'scalar', value: numberFromText(t.text), loc };
    }
    if (t.kind === 'string') {
      this.next();
      return { type: 'scalar', value: t.text, loc };
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') {
        this.next();
        return { type: 'scalar', value: t.text === 'true', loc };
      }
      if (t.text === 'null') {
        this.next();
        return { type: 'scalar', value: null, loc };
      }
      const refFollows = (this.isOp('.', this.peek()) || this.isOp('[', this.peek())) && !this.peek().nl;
      if (isKeyword(t.text) && !(t.text === 'contains' && this.isOp('(', this.peek())) && !refFollows) {
        this.unexpected('term');
      }
      this.next();
      if (t.text === '_') return { type: 'var', name: `_$${this.fresh++}`, loc };
      return { type: 'var', name: t.text, loc };
    }
    if (this.isOp('-') && this.peek().kind === 'number' && !this.peek().nl) {
      this.next();
      const n = this.next();
      return { type: 'scalar', value: numberFromText('-' + n.text), loc };
    }
    if (this.isOp('-')) {
      this.next();
      const operand = this.postfix();
      return {
        type: 'call',
        op: 'minus',
        opTerm: opVar('minus', loc),
        args: [{ type: 'scalar', value: 0, loc }, operand],
        loc,
      };
    }
    if (this.isOp('(')) {
      this.next();
      const saved = this.noOr;
      this.noOr = 0;
      const inner = this.term();
      this.noOr = saved;
      this.expectOp(')');
      this.parenthesized.add(inner);
      return inner;
    }
    if (this.isOp('[')) return this.arrayLike();
    if (this.isOp('{')) return this.braceLike();
    return this.unexpected('term');
  }

  arrayLike(): Term {
    const loc = this.loc(this.next());
    if (this.isOp(']')) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    const saved = this.noOr;
    this.noOr = 1;
    const first = this.term();
    this.noOr = 0;
    if (this.isOp('|')) {
      this.checkComprehensionHead(first);
      this.next();
      const body = this.comprBody(']');
      this.noOr = saved;
      return { type: 'arraycompr', term: first, body, loc };
    }
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(']')) break;
      items.push(this.term());
    }
    this.noOr = saved;
    this.expectOp(']');
    return { type: 'array', items, loc };
  }

  braceLike(): Term {
    const loc = this.loc(this.next());
    if (this.isOp('}')) {
      this.next();
      return { type: 'object', pairs: [], loc };
    }
    const saved = this.noOr;
    this.noOr = 1;
    const first = this.term();
    if (this.isOp(':')) {
      this.next();
      const firstValue = this.term();
      this.noOr = 0;
      if (this.isOp('|')) {
        this.checkComprehensionHead(firstValue);
        this.next();
        const body = this.comprBody('}');
        this.noOr = saved;
        return { type: 'objectcompr', key: first, value: firstValue, body, loc };
      }
      const pairs: [Term, Term][] = [[first, firstValue]];
      while (this.isOp(',')) {
        this.next();
        if (this.isOp('}')) break;
        const k = this.term();
        this.expectOp(':');
        pairs.push([k, this.term()]);
      }
      this.noOr = saved;
      this.expectOp('}');
      return { type: 'object', pairs, loc };
    }
    this.noOr = 0;
    if (this.isOp('|')) {
      this.checkComprehensionHead(first);
      this.next();
      const body = this.comprBody('}');
      this.noOr = saved;
      return { type: 'setcompr', term: first, body, loc };
    }
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp('}')) break;
      items.push(this.term());
    }
    this.noOr = saved;
    this.expectOp('}');
    return { type: 'set', items, loc };
  }

  comprBody(close: string): Body {
    const body: Expr[] = [];
    for (;;) {
      if (this.isOp(close)) break;
      if (body.length > 0) {
        if (this.isOp(';')) this.next();
        else if (!this.tok.nl) this.unexpected(`; or \\n or ${close}`);
        if (this.isOp(close)) break;
      }
      body.push(this.literal());
    }
    if (body.length === 0) this.fail('found empty body');
    this.next();
    return body;
  }
}

const KEYWORDS = new Set([
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'with',
  'every',
  'in',
  'if',
  'contains',
]);

function isKeyword(s: string): boolean {
  return KEYWORDS.has(s);
}

function opVar(name: string, loc: Loc): Term {
  return { type: 'var', name, loc };
}

function constantKey(t: Term): string | undefined {
  return t.type === 'scalar' && typeof t.value === 'string' ? t.value : undefined;
}

function appendRef(t: Term, k: Term, loc: Loc): Term {
  if (t.type === 'ref') return { type: 'ref', head: t.head, path: [...t.path, k], loc: t.loc };
  return { type: 'ref', head: t, path: [k], loc: t.type === 'var' ? t.loc : loc };
}

function isDotted(t: Term & { type: 'ref' }): boolean {
  return (
    t.head.type === 'var' &&
    t.path.every((p) => p.type === 'scalar' && typeof p.value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value))
  );
}

function dottedName(t: Term): string {
  if (t.type === 'var') return t.name;
  if (t.type === 'ref' && t.head.type === 'var')
    return [t.head.name, ...t.path.map((p) => (p.type === 'scalar' ? String(p.value) : '?'))].join('.');
  return '?';
}

/** Parses one module. Throws RegoFailure (rego_parse_error) at the first problem. */
export function parseModule(input: ParseInput): Module {
  const p = new Parser(input.file, input.text, input.lineOffset ?? 1);
  return p.module(input);
}

// Re-exported for tests that build values by hand.
export { RObject, RSet };

/** Parses one term (a query reference such as `data.pkg.rule`). */
export function parseTerm(file: string, text: string): Term {
  const p = new Parser(file, text, 1);
  const t = p.term();
  if (p.tok.kind !== 'eof') p.unexpected('EOF');
  return t;
}
