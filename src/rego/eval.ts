/**
 * Top-down evaluation of compiled Rego with backtracking over bindings, in continuation-passing
 * style: every evaluation step calls its continuation once per solution; a continuation returns
 * `true` to stop the enumeration (used by `not`, `every` and early exits).
 *
 * Semantics follow OPA's topdown: undefined vs false, complete rules with two values and object
 * rules with two values for a key are `eval_conflict_error`s, recursion is a `rego_recursion_error`,
 * built-in errors make the expression undefined (OPA's default, non-strict mode), `with` replaces
 * input or data for one expression, and the step and time caps end the evaluation with
 * `eval_cancel_error`.
 */
import type { Body, Expr, RuleDef, Term } from './ast.js';
import { BuiltinError, type BuiltinContext } from './builtins/types.js';
import { regoText } from './builtins/sprintf.js';
import { regoError } from './errors.js';
import type { Loc } from './errors.js';
import type { Program, RuleGroup, Scope } from './program.js';
import { RObject, RSet, equal, fromJson, isObject, isSet, keyOf, type Value } from './value.js';
import { WorkBudget, type EngineClock } from '../work-budget.js';

/** A continuation: returns true to stop the enumeration. */
type K = () => boolean;
type KV = (v: Value) => boolean;

interface Frame {
  readonly vars: Map<string, Value>;
  readonly scope: Scope;
  /** Variables declared local (`:=`, `some`, arguments, `every`): they shadow rules and imports. */
  readonly declared: Set<string>;
}

interface Context {
  input: Value | undefined;
  /** `with data.x as v` replacements, by path key. */
  dataOverrides: Map<string, Value>;
  cache: Map<string, { readonly v: Value | undefined }>;
}

export interface EvalSettings {
  readonly input?: unknown;
  readonly data?: Record<string, unknown>;
  readonly timeoutMs: number;
  readonly maxSteps: number;
  readonly clock?: EngineClock;
}

const pathKey = (p: readonly string[]): string => p.join('\u0000');

export class Evaluator {
  /** maxSteps decides; the time backstop (running time, not waiting: src/work-budget.ts) is read every 1024 steps. */
  private readonly budget: WorkBudget;
  private ctx: Context;
  private readonly base: Value;
  private readonly active = new Set<string>();
  readonly builtinCtx: BuiltinContext;

  constructor(
    private readonly program: Program,
    private readonly settings: EvalSettings,
  ) {
    this.budget = new WorkBudget({
      maxSteps: settings.maxSteps,
      timeoutMs: settings.timeoutMs,
      sampleEvery: 1024,
      ...(settings.clock ? { clock: settings.clock } : {}),
    });
    this.ctx = {
      input: settings.input === undefined ? undefined : fromJson(settings.input),
      dataOverrides: new Map(),
      cache: new Map(),
    };
    this.base = fromJson(settings.data ?? {});
    this.builtinCtx = { nowNs: BigInt(Date.now()) * 1000000n, regexCache: program.regexCache };
  }

  private step(loc: Loc): void {
    const b = this.budget;
    if (++b.steps < b.next) return;
    const passed = b.check();
    if (passed === 'steps')
      throw regoError(
        'eval_cancel_error',
        `caller cancelled query execution: more than ${this.settings.maxSteps} evaluation steps`,
        loc,
      );
    if (passed === 'time') {
      throw regoError(
        'eval_cancel_error',
        `caller cancelled query execution: timed out after ${this.settings.timeoutMs} ms of CPU time`,
        loc,
      );
    }
  }

  /** All values of a term evaluated in a fresh query frame with the given scope. */
  query(term: Term, scope: Scope): Value[] {
    const frame: Frame = { vars: new Map(), scope, declared: new Set() };
    const out: Value[] = [];
    this.evalTerm(frame, term, (v) => {
      if (!out.some((o) => equal(o, v))) out.push(v);
      return false;
    });
    return out;
  }

  // ---- bodies and expressions ----

  private evalBody(frame: Frame, body: Body, i: number, k: K): boolean {
    if (i === body.length) return k();
    const expr = body[i]!;
    return this.evalExprWith(frame, expr, () => this.evalBody(frame, body, i + 1, k));
  }

  private evalExprWith(frame: Frame, expr: Expr, k: K): boolean {
    this.step(expr.loc);
    if (expr.withs.length === 0) return this.evalExprNeg(frame, expr, k);
    return this.applyWiths(frame, expr, 0, [], k);
  }

  private applyWiths(frame: Frame, expr: Expr, i: number, values: Value[], k: K): boolean {
    if (i < expr.withs.length) {
      return this.evalTerm(frame, expr.withs[i]!.value, (v) => this.applyWiths(frame, expr, i + 1, [...values, v], k));
    }
    const saved = this.ctx;
    const next: Context = { input: saved.input, dataOverrides: new Map(saved.dataOverrides), cache: new Map() };
    expr.withs.forEach((w, j) => {
      const target = withTarget(w.target);
      if (!target)
        throw regoError(
          'rego_compile_error',
          'with keyword target must reference existing input, data, or a function',
          w.loc,
        );
      if (target.root === 'input') next.input = setPath(next.input, target.path, values[j]!);
      else {
        if (target.path.length === 0)
          throw regoError('rego_compile_error', 'with keyword target must not be data', w.loc);
        next.dataOverrides.set(pathKey(target.path), values[j]!);
      }
    });
    this.ctx = next;
    try {
      return this.evalExprNeg(frame, expr, () => {
        this.ctx = saved;
        try {
          return k();
        } finally {
          this.ctx = next;
        }
      });
    } finally {
      this.ctx = saved;
    }
  }

  private evalExprNeg(frame: Frame, expr: Expr, k: K): boolean {
    if (!expr.negated) return this.evalExpr(frame, expr, k);
    let found = false;
    this.evalExpr(frame, expr, () => {
      found = true;
      return true;
    });
    return found ? false : k();
  }

  private evalExpr(frame: Frame, expr: Expr, k: K): boolean {
    switch (expr.kind) {
      case 'term':
        return this.evalTerm(frame, expr.term, (v) => (v === false ? false : k()));
      case 'unify':
        return this.unify(frame, expr.left, expr.right, k);
      case 'assign': {
        const names = patternVars(expr.left);
        return this.declare(frame, names, () =>
          this.evalTerm(frame, expr.right, (v) => this.unifyValue(frame, expr.left, v, k)),
        );
      }
      case 'some':
        return this.declare(frame, expr.vars, k);
      case 'somein': {
        const names = [...patternVars(expr.value), ...(expr.key ? patternVars(expr.key) : [])];
        return this.declare(frame, names, () =>
          this.evalTerm(frame, expr.collection, (coll) =>
            this.members(coll, expr.loc, (key, val) => {
              if (expr.key)
                return this.unifyValue(frame, expr.key, key, () => this.unifyValue(frame, expr.value, val, k));
              return this.unifyValue(frame, expr.value, val, k);
            }),
          ),
        );
      }
      case 'every': {
        const names = expr.key ? [expr.key, expr.value] : [expr.value];
        let ok = true;
        const stop = this.evalTerm(frame, expr.collection, (coll) => {
          // A domain that is not a collection: every is undefined (OPA's every/non-iter domain).
          if (!Array.isArray(coll) && !isObject(coll) && !isSet(coll)) return false;
          ok = true;
          this.members(coll, expr.loc, (key, val) => {
            let found = false;
            this.declare(frame, names, () => {
              if (expr.key) frame.vars.set(expr.key, key);
              frame.vars.set(expr.value, val);
              return this.evalBody(frame, expr.body, 0, () => {
                found = true;
                return true;
              });
            });
            if (!found) ok = false;
            return !found;
          });
          return ok ? k() : false;
        });
        return stop;
      }
    }
  }

  /** Calls f for each (key, value) of a collection: array index, object key, set element. */
  private members(coll: Value, loc: Loc, f: (key: Value, value: Value) => boolean): boolean {
    if (Array.isArray(coll)) {
      for (let i = 0; i < coll.length; i++) {
        this.step(loc);
        if (f(i, coll[i]!)) return true;
      }
    } else if (isObject(coll)) {
      for (const [key, val] of coll.sortedPairs()) {
        this.step(loc);
        if (f(key, val)) return true;
      }
    } else if (isSet(coll)) {
      for (const el of coll.sorted()) {
        this.step(loc);
        if (f(el, el)) return true;
      }
    }
    return false;
  }

  /** Declares fresh local variables (shadowing outer bindings) for the continuation. */
  private declare(frame: Frame, names: readonly string[], k: K): boolean {
    const saved: [string, Value][] = [];
    const added: string[] = [];
    for (const n of names) {
      const old = frame.vars.get(n);
      if (old !== undefined) saved.push([n, old]);
      frame.vars.delete(n);
      if (!frame.declared.has(n)) {
        frame.declared.add(n);
        added.push(n);
      }
    }
    try {
      return k();
    } finally {
      for (const n of names) frame.vars.delete(n);
      for (const [n, v] of saved) frame.vars.set(n, v);
      for (const n of added) frame.declared.delete(n);
    }
  }

  private bind(frame: Frame, name: string, v: Value, k: K): boolean {
    frame.vars.set(name, v);
    try {
      return k();
    } finally {
      frame.vars.delete(name);
    }
  }

  // ---- unification ----

  /** Whether a term is a pattern that binds variables (an unbound var, or a literal holding one). */
  private isPattern(frame: Frame, t: Term): boolean {
    if (t.type === 'var')
      return (
        !frame.vars.has(t.name) &&
        (frame.declared.has(t.name) || this.program.resolveGlobal(frame.scope, t.name) === undefined)
      );
    if (t.type === 'array') return t.items.some((x) => this.isPattern(frame, x));
    if (t.type === 'object') return t.pairs.some(([, x]) => this.isPattern(frame, x));
    return false;
  }

  private unify(frame: Frame, a: Term, b: Term, k: K): boolean {
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return false;
      const go = (i: number): boolean =>
        i === a.items.length ? k() : this.unify(frame, a.items[i]!, b.items[i]!, () => go(i + 1));
      return go(0);
    }
    if (this.isPattern(frame, a) && !this.isPattern(frame, b))
      return this.evalTerm(frame, b, (v) => this.unifyValue(frame, a, v, k));
    if (this.isPattern(frame, a) && a.type === 'var' && b.type === 'var' && this.isPattern(frame, b)) {
      throw regoError('rego_unsafe_var_error', `var ${displayVar(a.name)} is unsafe`, a.loc);
    }
    return this.evalTerm(frame, a, (v) => this.unifyValue(frame, b, v, k));
  }

  /** Unifies a term with a value, binding the term's unbound variables. */
  private unifyValue(frame: Frame, t: Term, v: Value, k: K): boolean {
    if (t.type === 'var') {
      const bound = frame.vars.get(t.name);
      if (bound !== undefined) return equal(bound, v) ? k() : false;
      if (frame.declared.has(t.name) || this.program.resolveGlobal(frame.scope, t.name) === undefined)
        return this.bind(frame, t.name, v, k);
      return this.evalTerm(frame, t, (x) => (equal(x, v) ? k() : false));
    }
    if (t.type === 'array' && this.isPattern(frame, t)) {
      if (!Array.isArray(v) || v.length !== t.items.length) return false;
      const go = (i: number): boolean =>
        i === t.items.length ? k() : this.unifyValue(frame, t.items[i]!, v[i]!, () => go(i + 1));
      return go(0);
    }
    if (t.type === 'object' && this.isPattern(frame, t)) {
      if (!isObject(v) || v.size !== t.pairs.length) return false;
      const go = (i: number): boolean => {
        if (i === t.pairs.length) return k();
        const [kt, vt] = t.pairs[i]!;
        return this.evalTerm(frame, kt, (key) => {
          const x = v.get(key);
          return x === undefined ? false : this.unifyValue(frame, vt, x, () => go(i + 1));
        });
      };
      return go(0);
    }
    return this.evalTerm(frame, t, (x) => (equal(x, v) ? k() : false));
  }

  // ---- terms ----

  evalTerm(frame: Frame, t: Term, k: KV): boolean {
    switch (t.type) {
      case 'scalar':
        return k(t.value);
      case 'var': {
        const v = frame.vars.get(t.name);
        if (v !== undefined) return k(v);
        if (frame.declared.has(t.name))
          throw regoError('rego_unsafe_var_error', `var ${displayVar(t.name)} is unsafe`, t.loc);
        return this.evalGlobal(frame, t, [], k);
      }
      case 'ref': {
        if (t.head.type === 'var' && !frame.vars.has(t.head.name) && !frame.declared.has(t.head.name))
          return this.evalGlobal(frame, t.head, t.path, k);
        return this.evalTerm(frame, t.head, (h) => this.index(frame, h, t.path, 0, k));
      }
      case 'array':
        return this.evalTerms(frame, t.items, 0, [], (vs) => k(vs));
      case 'set':
        return this.evalTerms(frame, t.items, 0, [], (vs) => k(RSet.from(vs)));
      case 'object': {
        const flat = t.pairs.flat();
        return this.evalTerms(frame, flat, 0, [], (vs) => {
          const o = new RObject();
          for (let i = 0; i < vs.length; i += 2) o.set(vs[i]!, vs[i + 1]!);
          return k(o);
        });
      }
      case 'arraycompr': {
        const out: Value[] = [];
        this.comprehension(frame, t.body, () => this.evalTerm(frame, t.term, (v) => (out.push(v), false)));
        return k(out);
      }
      case 'setcompr': {
        const out = new RSet();
        this.comprehension(frame, t.body, () => this.evalTerm(frame, t.term, (v) => (out.add(v), false)));
        return k(out);
      }
      case 'objectcompr': {
        const out = new RObject();
        this.comprehension(frame, t.body, () =>
          this.evalTerm(frame, t.key, (key) =>
            this.evalTerm(frame, t.value, (val) => {
              const old = out.get(key);
              if (old !== undefined && !equal(old, val))
                throw regoError('eval_conflict_error', 'object keys must be unique', t.loc);
              out.set(key, val);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case 'call':
        return this.evalCall(frame, t, k);
    }
  }

  private comprehension(frame: Frame, body: Body, each: K): void {
    // Variables first bound inside the body are local to it: the trail in bind/declare undoes them.
    this.evalBody(frame, body, 0, () => {
      each();
      return false;
    });
  }

  private evalTerms(frame: Frame, ts: readonly Term[], i: number, acc: Value[], k: (vs: Value[]) => boolean): boolean {
    if (i === ts.length) return k(acc.slice());
    return this.evalTerm(frame, ts[i]!, (v) => {
      acc.push(v);
      try {
        return this.evalTerms(frame, ts, i + 1, acc, k);
      } finally {
        acc.pop();
      }
    });
  }

  /** A var that is not bound locally: input, data, an import or a rule of the package. */
  private evalGlobal(frame: Frame, head: Term & { type: 'var' }, path: readonly Term[], k: KV): boolean {
    const g = this.program.resolveGlobal(frame.scope, head.name);
    if (g === undefined) throw regoError('rego_unsafe_var_error', `var ${displayVar(head.name)} is unsafe`, head.loc);
    if (g.root === 'input') {
      if (this.ctx.input === undefined) return false;
      return this.index(frame, this.ctx.input, [...g.path.map(strTerm(head.loc)), ...path], 0, k);
    }
    return this.evalData(frame, g.path, path, 0, k);
  }

  /** Indexes a value by the terms of a ref from position i, enumerating variables. */
  private index(frame: Frame, v: Value, path: readonly Term[], i: number, k: KV): boolean {
    if (i === path.length) return k(v);
    const t = path[i]!;
    this.step(t.loc);
    if (this.isPattern(frame, t)) {
      return this.members(v, t.loc, (key, val) =>
        this.unifyValue(frame, t, key, () => this.index(frame, val, path, i + 1, k)),
      );
    }
    return this.evalTerm(frame, t, (key) => {
      const x = lookup(v, key);
      return x === undefined ? false : this.index(frame, x, path, i + 1, k);
    });
  }

  /** A ref into data: virtual documents (rules), `with` replacements and base documents. */
  private evalData(frame: Frame, prefix: readonly string[], path: readonly Term[], i: number, k: KV): boolean {
    const key = pathKey(prefix);
    const override = this.ctx.dataOverrides.get(key);
    if (override !== undefined) return this.index(frame, override, path, i, k);
    const group = this.program.groups.get(key);
    if (group && group.kind !== 'function') {
      const v = this.groupValue(group);
      return v === undefined ? false : this.index(frame, v, path, i, k);
    }
    if (group) return false;
    if (this.program.nodes.has(key) || prefix.length === 0) {
      if (i === path.length) return k(this.materialize(prefix));
      const t = path[i]!;
      if (this.isPattern(frame, t)) {
        const names = new Set<string>(this.program.children(prefix));
        const b = baseAt(this.base, prefix);
        if (isObject(b)) for (const kk of b.keys()) if (typeof kk === 'string') names.add(kk);
        for (const n of [...names].sort()) {
          if (this.unifyValue(frame, t, n, () => this.evalData(frame, [...prefix, n], path, i + 1, k))) return true;
        }
        return false;
      }
      return this.evalTerm(frame, t, (kv) =>
        typeof kv === 'string' ? this.evalData(frame, [...prefix, kv], path, i + 1, k) : false,
      );
    }
    let b = baseAt(this.base, prefix);
    // `with data.x.y as v` below this base document: the document with the replacements.
    const below = key + '\u0000';
    for (const [ok, ov] of this.ctx.dataOverrides) {
      if (ok.startsWith(below)) b = setPath(b, ok.slice(below.length).split('\u0000'), ov);
    }
    if (b === undefined) return false;
    return this.index(frame, b, path, i, k);
  }

  /** The object of a package node: its rules' values, its sub-packages and base documents. */
  private materialize(prefix: readonly string[]): Value {
    const out = new RObject();
    const b = baseAt(this.base, prefix);
    if (isObject(b)) for (const [kk, vv] of b.pairs()) out.set(kk, vv);
    for (const n of this.program.children(prefix)) {
      const p = [...prefix, n];
      const key = pathKey(p);
      const override = this.ctx.dataOverrides.get(key);
      if (override !== undefined) {
        out.set(n, override);
        continue;
      }
      const g = this.program.groups.get(key);
      if (g) {
        if (g.kind === 'function') continue;
        const v = this.groupValue(g);
        if (v !== undefined) out.set(n, v);
      } else {
        out.set(n, this.materialize(p));
      }
    }
    return out;
  }

  // ---- rules ----

  private groupValue(g: RuleGroup): Value | undefined {
    const key = pathKey(g.path);
    const cached = this.ctx.cache.get(key);
    if (cached) return cached.v;
    if (this.active.has(key))
      throw regoError('rego_recursion_error', `rule data.${g.path.join('.')} is recursive`, g.defs[0]?.loc ?? g.loc);
    this.active.add(key);
    let v: Value | undefined;
    try {
      v = this.computeGroup(g);
    } finally {
      this.active.delete(key);
    }
    this.ctx.cache.set(key, { v });
    return v;
  }

  private computeGroup(g: RuleGroup): Value | undefined {
    if (g.kind === 'set') {
      const out = new RSet();
      for (const def of g.defs) {
        const frame: Frame = { vars: new Map(), scope: g.scopes.get(def)!, declared: new Set() };
        this.evalBody(frame, def.body, 0, () => this.evalTerm(frame, def.key!, (v) => (out.add(v), false)));
      }
      return out;
    }
    if (g.kind === 'object') {
      const out = new RObject();
      for (const def of g.defs) {
        const frame: Frame = { vars: new Map(), scope: g.scopes.get(def)!, declared: new Set() };
        this.evalBody(frame, def.body, 0, () =>
          this.evalTerm(frame, def.key!, (key) =>
            this.evalTerm(frame, def.value!, (val) => {
              const old = out.get(key);
              if (old !== undefined && !equal(old, val))
                throw regoError('eval_conflict_error', 'object keys must be unique', def.loc);
              out.set(key, val);
              return false;
            }),
          ),
        );
      }
      return out;
    }
    const values: Value[] = [];
    const locs: Loc[] = [];
    for (const def of g.defs) {
      this.ruleValues(g, def, [], (v, loc) => {
        if (!values.some((x) => equal(x, v))) {
          values.push(v);
          locs.push(loc);
        }
      });
      if (values.length > 1) break;
    }
    if (values.length > 1) {
      // OPA's wording (v1): the rule, then each value at its definition.
      const lines = values.slice(0, 2).map((v, i) => `  ${regoText(v)} at ${locs[i]!.file}:${locs[i]!.row}`);
      throw regoError(
        'eval_conflict_error',
        `rule data.${g.path.join('.')} produced conflicting values:\n${lines.join('\n')}`,
        locs[1]!,
      );
    }
    if (values.length === 1) return values[0];
    if (g.defaultDef) return this.query(g.defaultDef.value!, g.scopes.get(g.defaultDef)!)[0];
    return undefined;
  }

  /** The values of one definition (with its else chain) for the given arguments. */
  private ruleValues(g: RuleGroup, def: RuleDef, args: readonly Value[], out: (v: Value, loc: Loc) => void): void {
    const scope = g.scopes.get(def)!;
    const branches = [{ value: def.value, body: def.body, loc: def.loc }, ...def.elses];
    const argNames = new Set((def.args ?? []).flatMap(patternVars));
    for (const br of branches) {
      const frame: Frame = { vars: new Map(), scope, declared: new Set(argNames) };
      let any = false;
      const params = def.args ?? [];
      const go = (i: number): boolean => {
        if (i < params.length) return this.unifyValue(frame, params[i]!, args[i]!, () => go(i + 1));
        return this.evalBody(frame, br.body, 0, () => {
          if (br.value === undefined) {
            any = true;
            out(true, br.loc);
            return false;
          }
          return this.evalTerm(frame, br.value, (v) => {
            any = true;
            out(v, br.loc);
            return false;
          });
        });
      };
      go(0);
      if (any) return;
    }
  }

  private callUser(g: RuleGroup, args: Value[], loc: Loc): Value | undefined {
    if (g.kind !== 'function') return this.groupValue(g);
    const key = pathKey(g.path) + '\u0001' + args.map(keyOf).join('\u0002');
    const cached = this.ctx.cache.get(key);
    if (cached) return cached.v;
    const activeKey = pathKey(g.path);
    if (this.active.has(activeKey))
      throw regoError('rego_recursion_error', `rule data.${g.path.join('.')} is recursive`, loc);
    this.active.add(activeKey);
    const values: Value[] = [];
    let conflictLoc: Loc | undefined;
    try {
      for (const def of g.defs) {
        if ((def.args?.length ?? 0) !== args.length) continue;
        this.ruleValues(g, def, args, (v, l) => {
          if (!values.some((x) => equal(x, v))) {
            values.push(v);
            if (values.length > 1) conflictLoc = l;
          }
        });
      }
    } finally {
      this.active.delete(activeKey);
    }
    if (values.length > 1)
      throw regoError(
        'eval_conflict_error',
        'functions must not produce multiple outputs for same inputs',
        conflictLoc ?? loc,
      );
    let v: Value | undefined = values[0];
    if (v === undefined && g.defaultDef) v = this.query(g.defaultDef.value!, g.scopes.get(g.defaultDef)!)[0];
    this.ctx.cache.set(key, { v });
    return v;
  }

  private evalCall(frame: Frame, t: Term & { type: 'call' }, k: KV): boolean {
    const target = this.program.resolveFunction(frame.scope, t.op);
    if (!target) throw regoError('rego_type_error', `undefined function ${t.op}`, t.loc);
    const arity =
      target.kind === 'builtin' ? (target.builtin.arity < 0 ? t.args.length : target.builtin.arity) : target.arity;
    if (t.args.length !== arity && t.args.length !== arity + 1) {
      throw regoError(
        'rego_type_error',
        `${t.op}: arity mismatch: ${t.args.length} arguments given, ${arity} expected`,
        t.loc,
      );
    }
    const inputs = t.args.slice(0, arity);
    const outTerm = t.args.length > arity ? t.args[arity] : undefined;
    return this.evalTerms(frame, inputs, 0, [], (vs) => {
      this.step(t.loc);
      let result: Value | undefined;
      if (target.kind === 'builtin') {
        try {
          result = target.builtin.fn(vs, this.builtinCtx);
        } catch (e) {
          if (e instanceof BuiltinError) return false;
          throw e;
        }
      } else {
        result = this.callUser(target.group, vs, t.loc);
      }
      if (result === undefined) return false;
      if (outTerm) return this.unifyValue(frame, outTerm, result, () => k(true));
      return k(result);
    });
  }
}

function strTerm(loc: Loc): (s: string) => Term {
  return (s) => ({ type: 'scalar', value: s, loc });
}

function displayVar(name: string): string {
  return name.startsWith('_$') ? '_' : name;
}

/** Variables a pattern declares (for `:=`, `some ... in`). */
function patternVars(t: Term): string[] {
  if (t.type === 'var') return [t.name];
  if (t.type === 'array') return t.items.flatMap(patternVars);
  if (t.type === 'object') return t.pairs.flatMap(([, v]) => patternVars(v));
  return [];
}

/** `v[key]`: array index, object key, set membership; undefined when absent. */
export function lookup(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < v.length) return v[key];
    return undefined;
  }
  if (isObject(v)) return v.get(key);
  if (isSet(v)) return v.has(key) ? key : undefined;
  return undefined;
}

function baseAt(base: Value, path: readonly string[]): Value | undefined {
  let cur: Value | undefined = base;
  for (const p of path) {
    if (cur === undefined || !isObject(cur)) return undefined;
    cur = cur.get(p);
  }
  return cur;
}

/** The root and constant path of a `with` target (`input.a.b`, `data.x`). */
function withTarget(t: Term): { root: 'input' | 'data'; path: string[] } | undefined {
  const head = t.type === 'ref' ? t.head : t;
  const path = t.type === 'ref' ? t.path : [];
  if (head.type !== 'var' || (head.name !== 'input' && head.name !== 'data')) return undefined;
  const keys: string[] = [];
  for (const p of path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
    keys.push(p.value);
  }
  return { root: head.name, path: keys };
}

function setPath(doc: Value | undefined, path: readonly string[], v: Value): Value {
  if (path.length === 0) return v;
  const out = new RObject();
  if (isObject(doc)) for (const [a, b] of doc.pairs()) out.set(a, b);
  out.set(path[0]!, setPath(isObject(doc) ? doc.get(path[0]!) : undefined, path.slice(1), v));
  return out;
}
