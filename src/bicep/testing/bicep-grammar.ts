/**
 * A Bicep grammar check of our own, written from the Bicep language reference (lexical
 * structure, declarations, expressions), independent of src/bicep/emit.ts. It covers the
 * language we emit: comments, strings with escapes and `${}` interpolation, numbers, objects
 * and arrays one entry per line, decorators, targetScope/param/var/resource/module/output
 * declarations (`existing`, `if (...)`, `[for ... in ...: ...]`, nested child resources),
 * `using`/`param` in .bicepparam files, and expressions (member access, indexing, calls,
 * unary !/-, binary operators, ternaries, for-expressions).
 *
 * On top of the syntax it checks what the Bicep compiler would refuse in our output: duplicate
 * symbols, references to undeclared symbols or unknown functions, malformed `type@version`.
 * No Bicep CLI installs from npm without downloading a binary, so this is the check we can run.
 */

export interface BicepCheck {
  readonly errors: string[];
  /** `type@apiVersion` of every resource declaration. */
  readonly resourceTypes: string[];
  /** Module paths. */
  readonly modules: string[];
  /** Declared parameters (name -> has default). */
  readonly params: Map<string, boolean>;
  readonly outputs: string[];
  /** .bicepparam: the `using` path and the assigned parameters. */
  readonly using?: string;
  readonly assigned: string[];
}

type Tok = { t: 'id' | 'num' | 'str' | 'punct' | 'nl' | 'eof'; v: string; line: number; parts?: string[] };

const PUNCT = [
  '==',
  '!=',
  '&&',
  '||',
  '<=',
  '>=',
  '??',
  '.?',
  '=>',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  '.',
  '?',
  '!',
  '=',
  '@',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
];

const FUNCTIONS = new Set([
  'resourceGroup',
  'subscription',
  'tenant',
  'managementGroup',
  'guid',
  'subscriptionResourceId',
  'resourceId',
  'tenantResourceId',
  'extensionResourceId',
  'empty',
  'take',
  'skip',
  'base64',
  'readEnvironmentVariable',
  'uniqueString',
  'concat',
  'union',
  'intersection',
  'range',
  'length',
  'toLower',
  'toUpper',
  'format',
  'split',
  'join',
  'contains',
  'string',
  'int',
  'bool',
  'json',
  'reference',
  'first',
  'last',
  'replace',
  'substring',
  'trim',
  'deployment',
  'environment',
  'items',
  'filter',
  'map',
  'toObject',
  'coalesce',
  'any',
  'array',
  'object',
  'startsWith',
  'endsWith',
  'indexOf',
  'min',
  'max',
  'loadTextContent',
  // decorators
  'description',
  'secure',
  'allowed',
  'batchSize',
  'minLength',
  'maxLength',
  'minValue',
  'maxValue',
  'metadata',
  'sealed',
  'export',
]);
const KEYWORDS = new Set(['true', 'false', 'null', 'if', 'for', 'in', 'existing']);

function tokenize(src: string, errors: string[]): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      out.push({ t: 'nl', v: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) {
        errors.push(`line ${line}: unterminated block comment`);
        break;
      }
      line += src.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ t: 'id', v: src.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      if (src[j] === '.' && /[0-9]/.test(src[j + 1] ?? ''))
        errors.push(`line ${line}: Bicep has no floating point literals`);
      out.push({ t: 'num', v: src.slice(i, j), line });
      i = j;
    } else if (c === "'") {
      // A string: escapes \\ \' \n \r \t \$ \u{...}; `${ expr }` holes (nested strings allowed).
      let j = i + 1;
      let text = '';
      const parts: string[] = [];
      let closed = false;
      while (j < src.length) {
        const d = src[j]!;
        if (d === '\n') break;
        if (d === '\\') {
          const e = src[j + 1];
          if (e === undefined || !"\\'nrt$u".includes(e)) errors.push(`line ${line}: invalid escape \\${e ?? ''}`);
          if (e === 'u') {
            const m = /^\\u\{[0-9A-Fa-f]{1,6}\}/.exec(src.slice(j));
            if (!m) errors.push(`line ${line}: invalid \\u escape`);
            j += m ? m[0].length : 2;
          } else j += 2;
          text += '?';
          continue;
        }
        if (d === '$' && src[j + 1] === '{') {
          // find the matching }
          let depth = 1;
          let k = j + 2;
          let inStr = false;
          while (k < src.length && depth > 0) {
            const x = src[k]!;
            if (x === '\n') break;
            if (inStr) {
              if (x === '\\') k++;
              else if (x === "'") inStr = false;
            } else if (x === "'") inStr = true;
            else if (x === '{') depth++;
            else if (x === '}') depth--;
            k++;
          }
          if (depth !== 0) {
            errors.push(`line ${line}: unterminated interpolation`);
            j = k;
            break;
          }
          parts.push(src.slice(j + 2, k - 1));
          j = k;
          continue;
        }
        if (d === "'") {
          closed = true;
          j++;
          break;
        }
        text += d;
        j++;
      }
      if (!closed) errors.push(`line ${line}: unterminated string`);
      out.push({ t: 'str', v: text, line, parts });
      i = j;
    } else {
      const p = PUNCT.find((x) => src.startsWith(x, i));
      if (!p) {
        errors.push(`line ${line}: unexpected character ${JSON.stringify(c)}`);
        i++;
      } else {
        out.push({ t: 'punct', v: p, line });
        i += p.length;
      }
    }
  }
  out.push({ t: 'eof', v: '', line });
  return out;
}

class Parser {
  private i = 0;
  readonly refs: { name: string; line: number; scope: Set<string> }[] = [];
  readonly calls: { name: string; line: number }[] = [];
  private locals: Set<string>[] = [];
  constructor(
    private readonly toks: Tok[],
    readonly errors: string[],
  ) {}
  peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  next(): Tok {
    return this.toks[this.i++] ?? this.toks[this.toks.length - 1]!;
  }
  is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return (t.t === 'punct' || t.t === 'id') && t.v === v;
  }
  expect(v: string): Tok {
    const t = this.next();
    if (t.v !== v || (t.t !== 'punct' && t.t !== 'id'))
      throw new SyntaxError(`line ${t.line}: expected '${v}', got ${t.t === 'nl' ? 'end of line' : `'${t.v}'`}`);
    return t;
  }
  ident(): Tok {
    const t = this.next();
    if (t.t !== 'id') throw new SyntaxError(`line ${t.line}: expected an identifier, got '${t.v}'`);
    return t;
  }
  skipNl(): void {
    while (this.peek().t === 'nl') this.next();
  }
  endOfLine(): void {
    const t = this.peek();
    if (t.t !== 'nl' && t.t !== 'eof') throw new SyntaxError(`line ${t.line}: expected end of line, got '${t.v}'`);
  }
  withLocals<T>(names: string[], f: () => T): T {
    this.locals.push(new Set(names));
    try {
      return f();
    } finally {
      this.locals.pop();
    }
  }
  private ref(t: Tok): void {
    if (this.locals.some((s) => s.has(t.v))) return;
    this.refs.push({ name: t.v, line: t.line, scope: new Set() });
  }

  // ------------------------------------------------------------------ expressions
  expr(): void {
    this.binary(0);
    if (this.is('?')) {
      this.next();
      this.skipNl();
      this.expr();
      this.skipNl();
      this.expect(':');
      this.skipNl();
      this.expr();
    }
  }
  private static LEVELS = [['??'], ['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  private binary(level: number): void {
    if (level >= Parser.LEVELS.length) return this.unary();
    this.binary(level + 1);
    while (this.peek().t === 'punct' && Parser.LEVELS[level]!.includes(this.peek().v)) {
      this.next();
      this.binary(level + 1);
    }
  }
  private unary(): void {
    if (this.is('!') || this.is('-')) {
      this.next();
      return this.unary();
    }
    this.postfix();
  }
  private postfix(): void {
    this.primary();
    for (;;) {
      if (this.is('.') || this.is('.?')) {
        this.next();
        this.ident();
      } else if (this.is('[')) {
        this.next();
        this.expr();
        this.expect(']');
      } else if (this.is('!') && this.peek(1).t !== 'id' && !this.is('=', 1)) {
        this.next(); // non-null assertion
      } else break;
    }
  }
  private args(): void {
    this.expect('(');
    if (!this.is(')')) {
      this.expr();
      while (this.is(',')) {
        this.next();
        this.expr();
      }
    }
    this.expect(')');
  }
  private primary(): void {
    const t = this.peek();
    if (t.t === 'num') return void this.next();
    if (t.t === 'str') {
      this.next();
      for (const part of t.parts ?? []) this.sub(part, t.line);
      return;
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false' || t.v === 'null') return void this.next();
      if (KEYWORDS.has(t.v)) throw new SyntaxError(`line ${t.line}: unexpected keyword '${t.v}'`);
      this.next();
      if (this.is('(')) {
        this.calls.push({ name: t.v, line: t.line });
        this.args();
      } else if (this.is('=>')) {
        this.next();
        this.withLocals([t.v], () => this.expr());
      } else this.ref(t);
      return;
    }
    if (this.is('(')) {
      this.next();
      this.expr();
      this.expect(')');
      return;
    }
    if (this.is('{')) return this.object();
    if (this.is('[')) return this.array();
    throw new SyntaxError(`line ${t.line}: expected an expression, got ${t.t === 'nl' ? 'end of line' : `'${t.v}'`}`);
  }
  /** An interpolation hole: its own expression. */
  private sub(text: string, line: number): void {
    const errs: string[] = [];
    const toks = tokenize(text, errs).map((x) => ({ ...x, line }));
    for (const e of errs) this.errors.push(`line ${line}: in interpolation: ${e}`);
    const p = new Parser(toks, this.errors);
    p.locals = this.locals.map((s) => new Set(s));
    try {
      p.expr();
      if (p.peek().t !== 'eof') throw new SyntaxError(`line ${line}: unexpected '${p.peek().v}' in interpolation`);
    } catch (e) {
      this.errors.push((e as Error).message);
    }
    this.refs.push(...p.refs);
    this.calls.push(...p.calls);
  }
  object(children?: (p: Parser) => void): void {
    this.expect('{');
    if (this.is('}')) return void this.next();
    if (this.peek().t !== 'nl')
      throw new SyntaxError(`line ${this.peek().line}: an object's properties go one per line`);
    for (;;) {
      this.skipNl();
      if (this.is('}')) {
        this.next();
        return;
      }
      if (this.peek().t === 'eof') throw new SyntaxError(`line ${this.peek().line}: unbalanced '{'`);
      if (children && (this.is('resource') || this.is('@'))) {
        children(this);
        continue;
      }
      const k = this.next();
      if (k.t === 'str') for (const part of k.parts ?? []) this.sub(part, k.line);
      else if (k.t !== 'id') throw new SyntaxError(`line ${k.line}: expected a property name, got '${k.v}'`);
      this.expect(':');
      this.expr();
      this.endOfLine();
    }
  }
  array(): void {
    this.expect('[');
    if (this.is(']')) return void this.next();
    if (this.is('for')) {
      this.next();
      const names: string[] = [];
      if (this.is('(')) {
        this.next();
        names.push(this.ident().v);
        this.expect(',');
        names.push(this.ident().v);
        this.expect(')');
      } else names.push(this.ident().v);
      this.expect('in');
      this.expr();
      this.expect(':');
      this.withLocals(names, () => {
        if (this.is('if')) {
          this.next();
          this.expect('(');
          this.expr();
          this.expect(')');
        }
        this.expr();
      });
      this.skipNl();
      this.expect(']');
      return;
    }
    if (this.peek().t !== 'nl') throw new SyntaxError(`line ${this.peek().line}: array items go one per line`);
    for (;;) {
      this.skipNl();
      if (this.is(']')) {
        this.next();
        return;
      }
      if (this.peek().t === 'eof') throw new SyntaxError(`line ${this.peek().line}: unbalanced '['`);
      this.expr();
      this.endOfLine();
    }
  }
}

/** Parses a .bicep or .bicepparam text. */
export function checkBicep(text: string, kind: 'bicep' | 'bicepparam' = 'bicep'): BicepCheck {
  const errors: string[] = [];
  const toks = tokenize(text, errors);
  const p = new Parser(toks, errors);
  const symbols = new Map<string, number>();
  const resourceTypes: string[] = [];
  const modules: string[] = [];
  const params = new Map<string, boolean>();
  const outputs: string[] = [];
  const assigned: string[] = [];
  let using: string | undefined;
  const declare = (t: Tok) => {
    if (symbols.has(t.v)) errors.push(`line ${t.line}: '${t.v}' is already declared (line ${symbols.get(t.v)})`);
    else symbols.set(t.v, t.line);
  };
  const typeName = () => {
    const t = p.ident();
    if (!['string', 'int', 'bool', 'object', 'array'].includes(t.v))
      errors.push(`line ${t.line}: unknown type '${t.v}'`);
  };
  const resourceDecl = (q: Parser, nested: boolean): void => {
    q.expect('resource');
    const sym = q.ident();
    declare(sym);
    const ty = q.next();
    if (ty.t !== 'str' || (ty.parts?.length ?? 0) > 0)
      throw new SyntaxError(`line ${ty.line}: expected the resource type string`);
    if (
      !(
        nested
          ? /^([A-Za-z0-9.]+\/)?[A-Za-z0-9]+(\/[A-Za-z0-9]+)*@\d{4}-\d{2}-\d{2}(-preview)?$/
          : /^[A-Za-z0-9.]+\/[A-Za-z0-9]+(\/[A-Za-z0-9]+)*@\d{4}-\d{2}-\d{2}(-preview)?$/
      ).test(ty.v)
    )
      errors.push(`line ${ty.line}: malformed resource type '${ty.v}' (expected Namespace/type@yyyy-mm-dd)`);
    resourceTypes.push(ty.v);
    if (q.is('existing')) q.next();
    q.expect('=');
    const body = () =>
      q.object((qq) => {
        while (qq.is('@')) decorator(qq);
        resourceDecl(qq, true);
      });
    if (q.is('if')) {
      q.next();
      q.expect('(');
      q.expr();
      q.expect(')');
      body();
    } else if (q.is('[')) q.array();
    else body();
    q.endOfLine();
  };
  const decorator = (q: Parser) => {
    q.expect('@');
    const name = q.ident();
    q.calls.push({ name: name.v, line: name.line });
    q.expect('(');
    if (!q.is(')')) {
      q.expr();
      while (q.is(',')) {
        q.next();
        q.expr();
      }
    }
    q.expect(')');
    q.endOfLine();
    q.skipNl();
  };
  try {
    for (;;) {
      p.skipNl();
      const t = p.peek();
      if (t.t === 'eof') break;
      while (p.is('@')) decorator(p);
      const kw = p.peek();
      if (kw.t !== 'id') throw new SyntaxError(`line ${kw.line}: expected a declaration, got '${kw.v}'`);
      if (kind === 'bicepparam') {
        if (kw.v === 'using') {
          p.next();
          const s = p.next();
          if (s.t !== 'str') throw new SyntaxError(`line ${s.line}: using needs a path string`);
          if (using !== undefined) errors.push(`line ${s.line}: second 'using'`);
          using = s.v;
        } else if (kw.v === 'param') {
          p.next();
          const n = p.ident();
          if (using === undefined) errors.push(`line ${n.line}: 'using' must come first`);
          declare(n);
          assigned.push(n.v);
          p.expect('=');
          p.expr();
        } else throw new SyntaxError(`line ${kw.line}: unexpected '${kw.v}' in a .bicepparam file`);
        p.endOfLine();
        continue;
      }
      switch (kw.v) {
        case 'targetScope': {
          p.next();
          p.expect('=');
          const s = p.next();
          if (s.t !== 'str' || !['resourceGroup', 'subscription', 'managementGroup', 'tenant'].includes(s.v))
            errors.push(`line ${s.line}: invalid targetScope`);
          break;
        }
        case 'param': {
          p.next();
          const n = p.ident();
          declare(n);
          typeName();
          let def = false;
          if (p.is('=')) {
            p.next();
            p.expr();
            def = true;
          }
          params.set(n.v, def);
          break;
        }
        case 'var': {
          p.next();
          declare(p.ident());
          p.expect('=');
          p.expr();
          break;
        }
        case 'resource':
          resourceDecl(p, false);
          break;
        case 'module': {
          p.next();
          declare(p.ident());
          const path = p.next();
          if (path.t !== 'str' || !/\.bicep$/.test(path.v))
            throw new SyntaxError(`line ${path.line}: expected the module path string`);
          modules.push(path.v);
          p.expect('=');
          if (p.is('if')) {
            p.next();
            p.expect('(');
            p.expr();
            p.expect(')');
          }
          if (p.is('[')) p.array();
          else p.object();
          break;
        }
        case 'output': {
          p.next();
          const n = p.ident();
          if (outputs.includes(n.v)) errors.push(`line ${n.line}: duplicate output '${n.v}'`);
          outputs.push(n.v);
          typeName();
          p.expect('=');
          p.expr();
          break;
        }
        default:
          throw new SyntaxError(`line ${kw.line}: unknown declaration '${kw.v}'`);
      }
      p.endOfLine();
    }
  } catch (e) {
    errors.push((e as Error).message);
  }
  for (const r of p.refs) if (!symbols.has(r.name)) errors.push(`line ${r.line}: '${r.name}' is not declared`);
  for (const c of p.calls) if (!FUNCTIONS.has(c.name)) errors.push(`line ${c.line}: unknown function '${c.name}'`);
  return { errors, resourceTypes, modules, params, outputs, using, assigned };
}
