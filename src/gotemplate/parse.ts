/**
 * The parser of Go's text/template (mirrors text/template/parse/parse.go): items from the lexer
 * become a tree of nodes per template; `define` and `block` add further trees to the set. Errors
 * are Go's, byte for byte: `template: NAME:LINE: MESSAGE`.
 */
import { GoTemplateError } from './contract.js';
import { type Item, ItemType, Lexer, itemString } from './lex.js';
import type {
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from './node.js';
import { isEmptyTree, nodeString } from './node.js';
import { parseGoFloat, parseGoInt, quote, unquote, unquoteChar } from './strconv.js';

/** Go's maxStackDepth is 10000 nested parentheses; a JavaScript stack holds fewer frames. */
export const MAX_PAREN_DEPTH = 1000;
/** Nested control structures (if/range/with/define bodies); Go has no limit but Go's stack grows. */
export const MAX_CONTROL_DEPTH = 1000;

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

class ParseAbort {
  constructor(readonly error: GoTemplateError) {}
}

interface Shared {
  readonly lex: Lexer;
  readonly treeSet: Map<string, Tree>;
  readonly hasFunction: (name: string) => boolean;
  readonly text: string;
  readonly parseName: string;
  /** Nesting of control structures across the trees parsed from one text. */
  controlDepth: number;
}

/**
 * Parses `text` as template `name`; returns every tree it defines (the named one and those of
 * `define`/`block`), in the order Go's treeSet would add them.
 */
export function parse(
  name: string,
  text: string,
  delims: readonly [string, string],
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lex = new Lexer(text, delims[0], delims[1]);
  lex.options = { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') };
  const shared: Shared = { lex, treeSet, hasFunction, text, parseName: name, controlDepth: 0 };
  const p = new TreeParser(name, shared);
  try {
    p.parseTop();
    p.add();
  } catch (e) {
    if (e instanceof ParseAbort) throw e.error;
    if (e instanceof RangeError)
      throw new GoTemplateError(`template: ${name}: template nesting too deep for this engine`, name);
    throw e;
  }
  return treeSet;
}

class TreeParser {
  readonly tree: Tree;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  /** Three-token lookahead; each tree has its own, as in Go (errors report the line of token[0]). */
  private readonly token: Item[] = [];
  private peekCount = 0;

  constructor(
    name: string,
    private readonly s: Shared,
  ) {
    this.tree = { name, parseName: s.parseName, text: s.text, root: null };
  }

  // --- token stream (shared between the trees parsed from one text) ---
  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.s.lex.nextItem();
    return this.token[this.peekCount]!;
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.s.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== ItemType.Space) return t;
    }
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---
  errorf(msg: string): never {
    this.tree.root = null;
    const line = this.token[0]?.line ?? 0;
    throw new ParseAbort(new GoTemplateError(`template: ${this.s.parseName}:${line}: ${msg}`, this.s.parseName, line));
  }
  private expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }
  private expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.s.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token, qs)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token, qs)} in ${context}`);
  }

  // --- building the set ---
  add(): void {
    const old = this.s.treeSet.get(this.tree.name);
    if (!old || isEmptyTree(old.root)) {
      this.s.treeSet.set(this.tree.name, this.tree);
      return;
    }
    if (!isEmptyTree(this.tree.root)) this.errorf(`template: multiple definition of template ${quote(this.tree.name)}`);
  }

  parseTop(): void {
    this.tree.root = this.newList(this.peek().pos);
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          const def = new TreeParser('definition', this.s);
          def.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.tree.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.tree.name = this.unquoteOrFail(name.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.tree.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch {
      return this.errorf('invalid syntax');
    }
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    if (++this.s.controlDepth > MAX_CONTROL_DEPTH)
      this.errorf(`max nesting depth of control structures exceeded (${MAX_CONTROL_DEPTH})`);
    try {
      while (this.peekNonSpace().typ !== ItemType.EOF) {
        const n = this.textOrAction();
        if (n.type === 'end' || n.type === 'else') return [list, n];
        list.nodes.push(n);
      }
    } finally {
      this.s.controlDepth--;
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return { type: 'text', pos: token.pos, tree: this.tree, text: token.val };
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return { type: 'comment', pos: token.pos, tree: this.tree, text: token.val };
      default:
        return this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block:
        return this.blockControl();
      case ItemType.Break:
        return this.breakControl(token.pos, token.line, 'break');
      case ItemType.Continue:
        return this.breakControl(token.pos, token.line, 'continue');
      case ItemType.Else:
        return this.elseControl();
      case ItemType.End:
        return { type: 'end', pos: this.expect(ItemType.RightDelim, 'end').pos, tree: this.tree };
      case ItemType.If:
        return this.newBranch('if', this.parseControl('if'));
      case ItemType.Range:
        return this.newBranch('range', this.parseControl('range'));
      case ItemType.Template:
        return this.templateControl();
      case ItemType.With:
        return this.newBranch('with', this.parseControl('with'));
    }
    this.backup();
    const t = this.peek();
    return {
      type: 'action',
      pos: t.pos,
      line: t.line,
      tree: this.tree,
      pipe: this.pipeline('command', ItemType.RightDelim),
    };
  }

  private breakControl(pos: number, line: number, kind: 'break' | 'continue'): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos, line, tree: this.tree };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: 'pipe',
      pos: token.pos,
      line: token.line,
      tree: this.tree,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === ItemType.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
          pipe.isAssign = next.typ === ItemType.Assign;
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === ItemType.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const t = this.peekNonSpace().typ;
            if (t === ItemType.Variable || t === ItemType.RightDelim || t === ItemType.RightParen) continue;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === ItemType.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool:
        case ItemType.CharConstant:
        case ItemType.Complex:
        case ItemType.Dot:
        case ItemType.Field:
        case ItemType.Identifier:
        case ItemType.Number:
        case ItemType.Nil:
        case ItemType.RawString:
        case ItemType.String:
        case ItemType.Variable:
        case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string')
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
    }
  }

  private parseControl(context: 'if' | 'range' | 'with'): [number, number, PipeNode, ListNode, ListNode | null] {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === ItemType.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.newBranch('if', this.parseControl('if')));
        } else if (context === 'with' && this.peek().typ === ItemType.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.newBranch('with', this.parseControl('with')));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return [pipe.pos, pipe.line, pipe, list, elseList];
    } finally {
      this.vars.length = mark;
    }
  }

  private newBranch(
    type: 'if' | 'range' | 'with',
    [pos, line, pipe, list, elseList]: [number, number, PipeNode, ListNode, ListNode | null],
  ): BranchNode {
    return { type, pos, line, pipe, list, elseList, tree: this.tree };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If || peek.typ === ItemType.With)
      return { type: 'else', pos: peek.pos, line: peek.line, tree: this.tree };
    const token = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', pos: token.pos, line: token.line, tree: this.tree };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new TreeParser(name, this.s);
    const [list, end] = block.itemList();
    block.tree.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return this.newTemplate(token.pos, token.line, name, pipe);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return this.newTemplate(token.pos, token.line, name, pipe);
  }

  private newTemplate(pos: number, line: number, name: string, pipe: PipeNode | null): TemplateNode {
    return { type: 'template', pos, line, name, pipe, tree: this.tree };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) return this.unquoteOrFail(token.val);
    return this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, tree: this.tree, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().typ === ItemType.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === ItemType.Field) fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, tree: this.tree, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos, tree: this.tree, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        // biome-ignore lint/suspicious/noFallthroughSwitchClause: errorf throws (it returns never)
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
        default:
          node = { type: 'chain', pos, tree: this.tree, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.s.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, tree: this.tree, ident: token.val };
      case ItemType.Dot:
        return { type: 'dot', pos: token.pos, tree: this.tree };
      case ItemType.Nil:
        return { type: 'nil', pos: token.pos, tree: this.tree };
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return { type: 'field', pos: token.pos, tree: this.tree, ident: token.val.slice(1).split('.') };
      case ItemType.Bool:
        return { type: 'bool', pos: token.pos, tree: this.tree, value: token.val === 'true' };
      case ItemType.CharConstant:
      case ItemType.Complex:
      case ItemType.Number:
        return this.newNumber(token);
      case ItemType.LeftParen: {
        if (this.stackDepth >= MAX_PAREN_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', ItemType.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case ItemType.String:
      case ItemType.RawString:
        return {
          type: 'string',
          pos: token.pos,
          tree: this.tree,
          quoted: token.val,
          text: this.unquoteOrFail(token.val),
        };
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, tree: this.tree, ident: name.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${quote(v.ident[0]!)}`);
    return v;
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, tree: this.tree, nodes: [] };
  }

  private newNumber(token: Item): NumberNode {
    const text = token.val;
    const base = { type: 'number' as const, pos: token.pos, tree: this.tree, text, isComplex: false };
    if (token.typ === ItemType.CharConstant) {
      let r: number;
      let next: number;
      try {
        ({ value: r, next } = unquoteChar(text, 1, "'"));
      } catch {
        return this.errorf('invalid syntax');
      }
      if (text.slice(next) !== "'") this.errorf(`malformed character constant: ${text}`);
      const b = BigInt(r);
      return { ...base, isInt: true, isUint: true, isFloat: true, int64: b, uint64: b, float64: r };
    }
    if (token.typ === ItemType.Complex) this.errorf(`complex constants are not supported: ${text}`);
    if (text.endsWith('i')) {
      const f = parseGoFloat(text.slice(0, -1));
      if (f !== undefined) {
        if (f !== 0) this.errorf(`complex constants are not supported: ${text}`);
        return { ...base, isInt: true, isUint: true, isFloat: true, int64: 0n, uint64: 0n, float64: 0 };
      }
    }
    const i = parseGoInt(text);
    let isInt = false;
    let isUint = false;
    let int64 = 0n;
    let uint64 = 0n;
    let isFloat = false;
    let float64 = 0;
    if (i !== undefined) {
      if (i >= 0n && i <= MAX_UINT64 && !text.startsWith('-')) {
        isUint = true;
        uint64 = i;
      }
      if (i >= MIN_INT64 && i <= MAX_INT64) {
        isInt = true;
        int64 = i;
        if (i === 0n) {
          isUint = true;
          uint64 = 0n;
        }
      }
    }
    if (isInt) {
      isFloat = true;
      float64 = Number(int64);
    } else if (isUint) {
      isFloat = true;
      float64 = Number(uint64);
    } else {
      const f = parseGoFloat(text);
      if (f !== undefined && Number.isFinite(f)) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${quote(text)}`);
        isFloat = true;
        float64 = f;
        if (Number.isInteger(f) && f >= -9223372036854775808 && f < 9223372036854775808) {
          isInt = true;
          int64 = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 18446744073709551616) {
          isUint = true;
          uint64 = BigInt(f);
        }
      } else if (f !== undefined && /[.eEpP]/.test(text) && !/inf|nan/i.test(text)) {
        // Go's ParseFloat returns ±Inf with a range error: not a number for the template.
      }
    }
    if (!isInt && !isUint && !isFloat) this.errorf(`illegal number syntax: ${quote(text)}`);
    return { ...base, isInt, isUint, isFloat, int64, uint64, float64 };
  }
}

function qs(s: string, maxRunes?: number): string {
  return quote(s, false, maxRunes ?? -1);
}
