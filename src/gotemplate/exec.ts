/**
 * The executor of Go's text/template (mirrors text/template/exec.go): walks a template's tree with
 * dot, variables and a function table, writing output. Values are GoValues (value.ts): `undefined`
 * is Go's invalid reflect.Value (a missing key), `null` a nil interface{}.
 */
import { GoTemplateError } from './contract.js';
import { compareGoStrings, formatValue, sprintf, typeString } from './fmt.js';
import type {
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from './node.js';
import { errorLocation, nodeString } from './node.js';
import { quote } from './strconv.js';
import type { WorkBudget } from '../work-budget.js';
import {
  REFLECT_VALUE,
  assignable,
  canBeNil,
  isFloatType,
  isIntType,
  isInterfaceType,
  isUintType,
  zeroOf,
} from './types.js';
import {
  GoError,
  GoInt,
  type GoFunc,
  type GoIntKind,
  GoPanic,
  type GoType,
  type GoValue,
  isGoFunc,
  isGoMap,
  isGoStruct,
  namedTypeOf,
  mapValueType,
  sliceElemType,
} from './value.js';

/** What the executor needs from the template set. */
export interface ExecEnv {
  readonly lookup: (name: string) => Tree | undefined;
  /** User functions first (they may override builtins), then builtins. */
  readonly findFunction: (name: string) => { fn: GoFunc; isBuiltin: boolean } | undefined;
  readonly missingKey: 'default' | 'zero' | 'error';
  readonly maxExecDepth: number;
  readonly budget?: WorkBudget;
  readonly maxOutputBytes?: number;
}

/** Not a value: the absent "final" argument of a pipeline's first command (Go's missingVal). */
const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

interface Variable {
  readonly name: string;
  value: GoValue;
  /** The value sits in an interface{} (a range element of a []interface{}): Go names its type `interface {}`. */
  boxed: boolean;
}

/**
 * The output buffer, shared by nested template calls, with the size cap. UTF-8 takes at most 3 bytes
 * per UTF-16 unit, so bytes are counted exactly only once 3 x the units written could pass the cap.
 */
class Output {
  readonly parts: string[] = [];
  /** UTF-16 units written while not counting bytes; -1 once bytes are counted exactly. */
  private units = 0;
  private bytes = 0;
  constructor(private readonly max?: number) {}
  write(s: string, st: State): void {
    if (s.length === 0) return;
    if (this.max !== undefined) {
      if (this.units >= 0 && (this.units + s.length) * 3 > this.max) {
        for (const p of this.parts) this.bytes += Buffer.byteLength(p);
        this.units = -1;
      }
      if (this.units >= 0) this.units += s.length;
      else {
        this.bytes += Buffer.byteLength(s);
        if (this.bytes > this.max) st.limitError(`output exceeds the limit of ${this.max} bytes`);
      }
    }
    this.parts.push(s);
  }
}

/** Executes template `tree` (named `name`) with `data` as dot. */
export function execute(env: ExecEnv, name: string, tree: Tree, data: GoValue): string {
  const out = new Output(env.maxOutputBytes);
  const st = new State(env, name, out, [{ name: '$', value: data, boxed: false }], 0);
  try {
    if (tree.root === null) st.errorf(`${quote(name)} is an incomplete or empty template`);
    st.walk(data, tree.root!);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new GoTemplateError(
        `template: ${name}: template execution too deep for this engine (JavaScript stack exhausted)`,
        name,
      );
    }
    throw e;
  }
  return out.parts.join('');
}

class State {
  node: Node | null = null;
  /** Whether dot sits in an interface{} (see {@link Variable.boxed}). */
  private dotBoxed = false;
  /** Whether the last evalField result sits in an interface{} (a map[string]interface{} value). */
  private lastBoxed = false;

  constructor(
    readonly env: ExecEnv,
    readonly name: string,
    readonly out: Output,
    private vars: Variable[],
    readonly depth: number,
  ) {}

  // --- errors ---
  errorf(msg: string): never {
    if (this.node === null) throw new GoTemplateError(`template: ${this.name}: ${msg}`, this.name);
    const loc = errorLocation(this.node);
    const [, line, col] = /:(\d+):(\d+)$/.exec(loc)!;
    throw new GoTemplateError(
      `template: ${loc}: executing ${quote(this.name)} at <${nodeString(this.node)}>: ${msg}`,
      this.name,
      Number(line),
      Number(col),
    );
  }
  /** A safety limit stopped execution (our own message, without Go's node context, which may be huge). */
  limitError(msg: string): never {
    const loc = this.node ? errorLocation(this.node) : this.name;
    throw new GoTemplateError(`template: ${loc}: executing ${quote(this.name)}: ${msg}`, this.name);
  }
  at(n: Node): void {
    this.node = n;
  }

  // --- variables ---
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private push(name: string, value: GoValue): void {
    this.vars.push({ name, value, boxed: false });
  }
  private setVar(name: string, value: GoValue, boxed = false): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        this.vars[i]!.boxed = boxed;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: GoValue, boxed = false): void {
    const v = this.vars[this.vars.length - n]!;
    v.value = value;
    v.boxed = boxed;
  }
  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!;
    return this.errorf(`undefined variable: ${name}`);
  }

  /** When walk's step count (counted there) reaches the budget's next check: its caps. */
  private checkBudget(b: WorkBudget): void {
    const passed = b.check();
    if (passed === 'steps') this.limitError(`execution exceeded ${b.maxSteps} steps (a resource limit)`);
    if (passed === 'time')
      this.limitError(`execution deadline exceeded (${b.timeoutMs} ms of CPU time, a resource limit)`);
  }

  // --- walking ---
  walk(dot: GoValue, node: Node): void {
    this.node = node;
    const b = this.env.budget;
    if (b !== undefined && ++b.steps >= b.next) this.checkBudget(b);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list': {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) this.walk(dot, nodes[i]!);
        return;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.write(node.text, this);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: GoValue): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        if (node.type === 'with') this.walkWithDot(val, false, node.list);
        else this.walk(dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.pop(mark);
    }
  }

  /** Walks `node` with a new dot, remembering whether it sits in an interface{}. */
  private walkWithDot(dot: GoValue, boxed: boolean, node: Node): void {
    const outer = this.dotBoxed;
    this.dotBoxed = boxed;
    try {
      this.walk(dot, node);
    } finally {
      this.dotBoxed = outer;
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val === null) val = undefined;
      const mark = this.mark();
      const decl = r.pipe.decl;
      const boxed =
        (Array.isArray(val) && isInterfaceType(sliceElemType(val))) ||
        (isGoMap(val) && isInterfaceType(mapValueType(val)));
      const oneIteration = (index: GoValue, elem: GoValue): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index);
            else this.setVar(decl[0]!.ident[0]!, elem, boxed);
          } else this.setTopVar(1, elem, boxed);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, boxed);
          else this.setTopVar(2, index);
        }
        try {
          this.walkWithDot(elem, boxed, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
        return true;
      };
      if (val instanceof GoInt) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        if (val.value > 0n) {
          for (let i = 0n; i < val.value; i++) if (!oneIteration(undefined, new GoInt(i, val.kind))) break;
          return;
        }
      } else if (Array.isArray(val)) {
        if (val.length > 0) {
          for (let i = 0; i < val.length; i++) {
            const e = val[i];
            if (!oneIteration(new GoInt(BigInt(i)), e === undefined ? null : e)) break;
          }
          return;
        }
      } else if (val instanceof Uint8Array) {
        if (val.length > 0) {
          for (let i = 0; i < val.length; i++)
            if (!oneIteration(new GoInt(BigInt(i)), new GoInt(BigInt(val[i]!), 'uint8'))) break;
          return;
        }
      } else if (isGoMap(val)) {
        const keys = Object.keys(val).sort(compareKeys);
        if (keys.length > 0) {
          for (const k of keys) {
            const e = val[k];
            if (!oneIteration(k, e === undefined ? null : e)) break;
          }
          return;
        }
      } else if (val !== undefined) {
        // Go indirects the value first: a pointer struct prints as its struct.
        this.errorf(`range can't iterate over ${formatValue(derefStruct(val))}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.env.lookup(t.name);
    if (!tmpl) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= this.env.maxExecDepth) this.errorf(`exceeded maximum template depth (${this.env.maxExecDepth})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const st = new State(this.env, t.name, this.out, [{ name: '$', value: newDot, boxed: false }], this.depth + 1);
    if (tmpl.root === null) return st.errorf(`${quote(t.name)} is an incomplete or empty template`);
    st.walk(newDot, tmpl.root);
  }

  // --- pipelines and commands ---
  evalPipeline(dot: GoValue, pipe: PipeNode | null): GoValue {
    if (pipe === null) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value === null) value = undefined;
    }
    const v = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0]!, v);
      else this.push(variable.ident[0]!, v);
    }
    return v;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    return this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): GoValue {
    this.at(c);
    const isHexInt =
      c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRuneInt = c.text[0] === "'";
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return c.float64;
    if (c.isInt) return new GoInt(c.int64, 'int');
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: Node[], final: Final): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotBoxed, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: Node[], final: Final): GoValue {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    this.lastBoxed = false;
    const pipe = this.evalArg(dot, undefined, chain.node);
    const boxed =
      chain.node.type === 'dot'
        ? this.dotBoxed
        : chain.node.type === 'pipe' || chain.node.type === 'identifier'
          ? false
          : this.lastBoxed;
    return this.evalFieldChain(dot, pipe, boxed, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: GoValue, variable: VariableNode, args: Node[], final: Final): GoValue {
    this.at(variable);
    const v = this.variable(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      this.lastBoxed = v.boxed;
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.boxed, variable, variable.ident, 1, args, final);
  }

  private evalFieldChain(
    dot: GoValue,
    receiver: GoValue,
    boxed: boolean,
    node: Node,
    ident: readonly string[],
    from: number,
    args: Node[],
    final: Final,
  ): GoValue {
    const n = ident.length;
    for (let i = from; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, [], MISSING, receiver, boxed);
      boxed = this.lastBoxed;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, boxed);
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: Node, args: Node[], final: Final): GoValue {
    this.at(node);
    const name = node.ident;
    const found = this.env.findFunction(name);
    if (!found) return this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, found.fn, found.isBuiltin, cmd, name, args, final);
  }

  private evalField(
    dot: GoValue,
    fieldName: string,
    node: Node,
    args: Node[],
    final: Final,
    receiver: GoValue,
    boxed: boolean,
  ): GoValue {
    this.lastBoxed = false;
    if (receiver === undefined) {
      if (this.env.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    // Go looks for a method first, whatever the kind (a named map or slice type has some).
    const namedMethod = namedTypeOf(receiver)?.methods[fieldName];
    if (namedMethod) return this.evalCall(dot, namedMethod, false, node, fieldName, args, final);
    if (isGoStruct(receiver)) {
      const method = receiver.methods?.[fieldName];
      if (method) return this.evalCall(dot, method, false, node, fieldName, args, final);
      if (Object.prototype.hasOwnProperty.call(receiver.fields, fieldName)) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        const v = receiver.fields[fieldName];
        return v === undefined ? null : v;
      }
    } else if (isGoMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      this.lastBoxed = isInterfaceType(mapValueType(receiver));
      if (Object.prototype.hasOwnProperty.call(receiver, fieldName) && receiver[fieldName] !== undefined)
        return receiver[fieldName]!;
      switch (this.env.missingKey) {
        case 'zero':
          return zeroOf(mapValueType(receiver));
        case 'error':
          return this.errorf(`map has no entry for key ${quote(fieldName)}`);
        default:
          return undefined;
      }
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${boxed ? 'interface {}' : typeString(receiver)}`);
  }

  private evalCall(
    dot: GoValue,
    fun: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    argNodes: Node[],
    final: Final,
  ): GoValue {
    // The arguments are argNodes after the first (the function or field itself), read in place.
    const first = argNodes.length > 0 ? 1 : 0;
    const nArgs = argNodes.length - first;
    let numIn = nArgs;
    if (final !== MISSING) numIn++;
    let numFixed = nArgs;
    const numParams = fun.params.length + (fun.variadic !== undefined ? 1 : 0);
    if (fun.variadic !== undefined) {
      numFixed = fun.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${nArgs}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }
    const bad = goodFunc(name, fun);
    if (bad) this.errorf(bad);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: GoValue;
      for (let i = first; i < argNodes.length; i++) {
        v = this.evalArg(dot, REFLECT_VALUE, argNodes[i]!);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, REFLECT_VALUE);
      return v;
    }

    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < nArgs; i++) argv.push(this.evalArg(dot, fun.params[i]!, argNodes[first + i]!));
    if (fun.variadic !== undefined)
      for (; i < nArgs; i++) argv.push(this.evalArg(dot, fun.variadic, argNodes[first + i]!));
    if (final !== MISSING) {
      let t: GoType;
      if (fun.variadic !== undefined) t = numIn - 1 < numFixed ? fun.params[numIn - 1]! : fun.variadic;
      else t = fun.params[fun.params.length - 1]!;
      argv.push(this.validateType(final, t));
    }
    if (isBuiltin && name === 'call') {
      const calleeName = nArgs === 0 ? stringOfFinal(final) : nodeString(argNodes[first]!);
      argv.unshift(calleeName);
    }
    let result: GoValue;
    try {
      result = fun.call(argv);
    } catch (e) {
      if (e instanceof GoError || e instanceof GoPanic || e instanceof GoTemplateError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
    if (result === undefined && fun.results[0] !== undefined && isInterfaceType(fun.results[0])) result = null;
    return result;
  }

  private validateType(value: GoValue, typ: GoType | undefined): GoValue {
    if (value === undefined) {
      if (typ === undefined) return undefined;
      if (typ === REFLECT_VALUE) return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typeName(typ)}`);
    }
    if (typ === undefined || typ === REFLECT_VALUE) return value;
    if (!assignable(value, typ)) {
      this.errorf(
        `wrong type for value; expected ${typeName(typ)}; got ${value === null ? 'interface {}' : typeString(value)}`,
      );
    }
    return value;
  }

  private evalArg(dot: GoValue, typ: GoType | undefined, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === undefined) return this.errorf('cannot assign nil to <nil>');
        if (typ === REFLECT_VALUE) return undefined;
        if (canBeNil(typ)) return zeroOf(typ);
        return this.errorf(`cannot assign nil to ${typeName(typ)}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, [], MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    if (typ === undefined) return this.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
    if (typ === 'bool') {
      if (n.type === 'bool') return n.value;
      return this.errorf(`expected bool; found ${nodeString(n)}`);
    }
    if (isFloatType(typ)) {
      if (n.type === 'number' && n.isFloat) return n.float64;
      return this.errorf(`expected float; found ${nodeString(n)}`);
    }
    if (isIntType(typ)) {
      if (n.type === 'number' && n.isInt) return new GoInt(wrapInt(n.int64, typ), typ as GoIntKind);
      return this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    if (isUintType(typ)) {
      if (n.type === 'number' && n.isUint)
        return new GoInt(wrapInt(n.uint64, typ), (typ === 'byte' ? 'uint8' : typ) as GoIntKind);
      return this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    if (typ === 'string') {
      if (n.type === 'string') return n.text;
      return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    if (isInterfaceType(typ) || typ === REFLECT_VALUE) return this.evalEmptyInterface(dot, n);
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typeName(typ)}`);
  }

  private evalEmptyInterface(_dot: GoValue, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: GoValue): void {
    this.at(n);
    if (v === undefined || v === null) {
      this.out.write('<no value>', this);
      return;
    }
    if (isGoFunc(v)) this.errorf(`can't print ${nodeString(n)} of type ${typeString(v)}`);
    this.out.write(formatValue(derefStruct(v)), this);
  }
}

/** Go's indirect() of a pointer struct: the struct itself (prints without `&`). */
function derefStruct(v: GoValue): GoValue {
  return isGoStruct(v) && v.typeName.startsWith('*') ? { ...v, typeName: v.typeName.slice(1) } : v;
}

function typeName(t: GoType): string {
  return t.replace(/interface\{\}/g, 'interface {}').replace(/^any$/, 'interface {}');
}

function wrapInt(v: bigint, t: GoType): bigint {
  const bitsOf: Record<string, number> = {
    int8: 8,
    int16: 16,
    int32: 32,
    int64: 64,
    int: 64,
    uint8: 8,
    byte: 8,
    uint16: 16,
    uint32: 32,
    uint64: 64,
    uint: 64,
    uintptr: 64,
  };
  const b = bitsOf[t] ?? 64;
  return t.startsWith('u') || t === 'byte' ? BigInt.asUintN(b, v) : BigInt.asIntN(b, v);
}

function stringOfFinal(final: Final): string {
  // Go: final.String() of a reflect.Value: the string itself, or "<T Value>".
  if (typeof final === 'string') return final;
  if (final === MISSING || final === undefined) return '<invalid Value>';
  return `<${final === null ? 'interface {}' : typeString(final)} Value>`;
}

function goodFunc(name: string, fn: GoFunc): string | undefined {
  const n = fn.results.length;
  if (n === 1) return undefined;
  if (n === 2 && fn.results[1] === 'error') return undefined;
  if (n === 2)
    return `invalid function signature for ${name}: second return value should be error; is ${fn.results[1]}`;
  return `function ${name} has ${n} return values; should be 1 or 2`;
}

const compareKeys = compareGoStrings;

/** Go's isTrue (the value after indirectInterface). */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoInt) return v.value !== 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (isGoFunc(v) || isGoStruct(v)) return true;
  if (isGoMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** Go's truth(): isTrue of the value behind an interface. */
export function truth(v: GoValue): boolean {
  return isTrue(v);
}

export { sprintf };
export type { ListNode };
