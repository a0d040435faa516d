/**
 * Compiling parsed modules into a program: rules grouped by their path under `data`, the package
 * tree, each module's name scope (imports, the package's rules) and the checks OPA's compiler makes
 * that matter here (conflicting rule kinds, unknown functions, built-ins that need the network).
 */
import type { RE2JS } from 're2js';
import type { Body, Expr, Module, RuleDef, RuleKind, Term } from './ast.js';
import { BUILTINS, DEPRECATED_IN_V1, OFFLINE_UNSUPPORTED } from './builtins/index.js';
import type { Builtin } from './builtins/types.js';
import type { Loc, RegoError } from './errors.js';
import { hoistBody } from './hoist.js';
import { argVars, reorderBody, varLoc } from './reorder.js';

export interface Scope {
  readonly pkg: readonly string[];
  /** Import aliases to their root and path. */
  readonly imports: ReadonlyMap<string, Global>;
  /** First path segment of the package's rules. */
  readonly ruleNames: ReadonlySet<string>;
}

export interface Global {
  readonly root: 'input' | 'data';
  /** Below the root; for data, the full data path. */
  readonly path: readonly string[];
}

export interface RuleGroup {
  readonly path: readonly string[];
  readonly kind: RuleKind;
  readonly defs: RuleDef[];
  defaultDef?: RuleDef;
  readonly scopes: Map<RuleDef, Scope>;
  readonly loc: Loc;
}

export type CallTarget = { kind: 'builtin'; builtin: Builtin } | { kind: 'user'; group: RuleGroup; arity: number };

const pathKey = (p: readonly string[]): string => p.join('\u0000');

export class Program {
  readonly groups = new Map<string, RuleGroup>();
  readonly nodes = new Map<string, Set<string>>();
  readonly packages: string[];
  readonly regexCache = new Map<string, RE2JS>();

  constructor(
    modules: readonly Module[],
    readonly errors: RegoError[],
  ) {
    this.nodes.set('', new Set());
    const pkgs = new Set<string>();
    for (const m of modules) {
      pkgs.add('data.' + m.pkg.join('.'));
      this.addNode(m.pkg);
      const scope = makeScope(m);
      const isGlobal = (n: string): boolean =>
        n === 'input' || n === 'data' || scope.imports.has(n) || scope.ruleNames.has(n);
      for (const def of m.rules) this.addRule(m, scope, reorderRule(def, isGlobal, this.errors));
    }
    this.packages = [...pkgs].sort();
    for (const m of modules) this.check(m, makeScope(m));
  }

  private addNode(path: readonly string[]): void {
    for (let i = 0; i < path.length; i++) {
      const key = pathKey(path.slice(0, i));
      let set = this.nodes.get(key);
      if (!set) this.nodes.set(key, (set = new Set()));
      set.add(path[i]!);
    }
    if (!this.nodes.has(pathKey(path))) this.nodes.set(pathKey(path), new Set());
  }

  private addRule(m: Module, scope: Scope, def: RuleDef): void {
    const path = [...m.pkg, ...def.path];
    const key = pathKey(path);
    // A rule's path prefix must not be a rule itself.
    for (let i = m.pkg.length + 1; i < path.length; i++) {
      if (this.groups.has(pathKey(path.slice(0, i)))) {
        this.errors.push({
          code: 'rego_type_error',
          message: `rule data.${path.join('.')} conflicts with rule data.${path.slice(0, i).join('.')}`,
          file: def.loc.file,
          row: def.loc.row,
          col: def.loc.col,
        });
        return;
      }
    }
    let g = this.groups.get(key);
    if (!g) {
      if (this.nodes.has(key) && (this.nodes.get(key)?.size ?? 0) > 0) {
        this.errors.push({
          code: 'rego_type_error',
          message: `rule data.${path.join('.')} conflicts with rules below it`,
          file: def.loc.file,
          row: def.loc.row,
          col: def.loc.col,
        });
        return;
      }
      g = { path, kind: def.kind, defs: [], scopes: new Map(), loc: def.loc };
      this.groups.set(key, g);
      this.addNode(path.slice(0, -1));
      this.nodes.get(pathKey(path.slice(0, -1)))!.add(path[path.length - 1]!);
    }
    if (g.kind !== def.kind) {
      this.errors.push({
        code: 'rego_type_error',
        message: `conflicting rules data.${path.join('.')} found`,
        file: def.loc.file,
        row: def.loc.row,
        col: def.loc.col,
      });
      return;
    }
    g.scopes.set(def, scope);
    if (def.isDefault) {
      if (g.defaultDef) {
        this.errors.push({
          code: 'rego_type_error',
          message: `multiple default rules data.${path.join('.')} found`,
          file: def.loc.file,
          row: def.loc.row,
          col: def.loc.col,
        });
      }
      g.defaultDef = def;
    } else g.defs.push(def);
  }

  children(prefix: readonly string[]): string[] {
    return [...(this.nodes.get(pathKey(prefix)) ?? [])].sort();
  }

  resolveGlobal(scope: Scope, name: string): Global | undefined {
    if (name === 'input') return { root: 'input', path: [] };
    if (name === 'data') return { root: 'data', path: [] };
    const imp = scope.imports.get(name);
    if (imp) return imp;
    if (scope.ruleNames.has(name)) return { root: 'data', path: [...scope.pkg, name] };
    return undefined;
  }

  resolveFunction(scope: Scope, op: string): CallTarget | undefined {
    const segs = op.split('.');
    let path: string[] | undefined;
    const imp = scope.imports.get(segs[0]!);
    if (imp && imp.root === 'data') path = [...imp.path, ...segs.slice(1)];
    else if (segs[0] === 'data') path = segs.slice(1);
    else if (scope.ruleNames.has(segs[0]!)) path = [...scope.pkg, ...segs];
    if (path) {
      const g = this.groups.get(pathKey(path));
      if (g && (g.kind === 'function' || g.kind === 'complete'))
        return { kind: 'user', group: g, arity: (g.defs[0] ?? g.defaultDef)?.args?.length ?? 0 };
      if (!BUILTINS[op]) return undefined;
    }
    const b = BUILTINS[op];
    return b ? { kind: 'builtin', builtin: b } : undefined;
  }

  /** Compile-time checks of calls: unknown functions, network built-ins. */
  private check(m: Module, scope: Scope): void {
    const visitTerm = (t: Term): void => {
      switch (t.type) {
        case 'call':
          if (OFFLINE_UNSUPPORTED.has(t.op)) {
            this.errors.push({
              code: 'rego_compile_error',
              message:
                `${t.op}: not supported offline (aksfleet evaluates Rego without network, ` +
                `filesystem or environment)`,
              file: t.loc.file,
              row: t.loc.row,
              col: t.loc.col,
            });
          } else {
            const target = this.resolveFunction(scope, t.op);
            if (!target || (m.v1 && target.kind === 'builtin' && DEPRECATED_IN_V1.has(t.op))) {
              this.errors.push({
                code: 'rego_type_error',
                message: `undefined function ${t.op}`,
                file: t.loc.file,
                row: t.loc.row,
                col: t.loc.col,
              });
            } else if (
              target.kind === 'builtin' &&
              target.builtin.arity >= 0 &&
              t.args.length !== target.builtin.arity &&
              t.args.length !== target.builtin.arity + 1
            ) {
              const want = target.builtin.arity;
              this.errors.push({
                code: 'rego_type_error',
                message:
                  `${t.op}: ${t.args.length > want ? 'too many' : 'too few'} arguments: ` +
                  `have ${t.args.length}, want ${want}`,
                file: t.loc.file,
                row: t.loc.row,
                col: t.loc.col,
              });
            }
          }
          t.args.forEach(visitTerm);
          return;
        case 'ref':
          visitTerm(t.head);
          t.path.forEach(visitTerm);
          return;
        case 'array':
        case 'set':
          t.items.forEach(visitTerm);
          return;
        case 'object':
          t.pairs.forEach(([a, b]) => (visitTerm(a), visitTerm(b)));
          return;
        case 'arraycompr':
        case 'setcompr':
          visitTerm(t.term);
          visitBody(t.body);
          return;
        case 'objectcompr':
          visitTerm(t.key);
          visitTerm(t.value);
          visitBody(t.body);
          return;
        default:
          return;
      }
    };
    const visitExpr = (e: Expr): void => {
      switch (e.kind) {
        case 'term':
          visitTerm(e.term);
          break;
        case 'unify':
        case 'assign':
          visitTerm(e.left);
          visitTerm(e.right);
          break;
        case 'somein':
          visitTerm(e.collection);
          break;
        case 'every':
          visitTerm(e.collection);
          visitBody(e.body);
          break;
        default:
          break;
      }
      for (const w of e.withs) {
        visitTerm(w.value);
        const head = w.target.type === 'ref' ? w.target.head : w.target;
        const path = w.target.type === 'ref' ? w.target.path : [];
        const constant = path.every((p) => p.type === 'scalar' && typeof p.value === 'string');
        if (head.type !== 'var' || (head.name !== 'input' && head.name !== 'data') || !constant) {
          this.errors.push({
            code: 'rego_compile_error',
            message: 'with keyword target must be input or data (replacing functions with `with` is not supported)',
            file: w.loc.file,
            row: w.loc.row,
            col: w.loc.col,
          });
        }
      }
    };
    const visitBody = (b: Body): void => b.forEach(visitExpr);
    for (const r of m.rules) {
      visitBody(r.body);
      if (r.value) visitTerm(r.value);
      if (r.key) visitTerm(r.key);
      for (const e of r.elses) {
        visitTerm(e.value);
        visitBody(e.body);
      }
    }
  }
}

function makeScope(m: Module): Scope {
  const imports = new Map<string, Global>();
  for (const imp of m.imports) {
    const [root, ...rest] = imp.path;
    if (root !== 'data' && root !== 'input') continue;
    const alias = imp.alias ?? imp.path[imp.path.length - 1]!;
    imports.set(alias, { root, path: rest });
  }
  const ruleNames = new Set(m.rules.map((r) => r.path[0]!));
  return { pkg: m.pkg, imports, ruleNames };
}

function reorderRule(def: RuleDef, isGlobal: (name: string) => boolean, errors: RegoError[]): RuleDef {
  const bound = argVars(def.args ?? []);
  const counter = { n: 0 };
  const reported = new Set<string>();
  const unsafe = (name: string, e: Expr): void => {
    const loc = varLoc(e, name);
    const key = `${name}@${loc.row}:${loc.col}`;
    if (reported.has(key)) return;
    reported.add(key);
    errors.push({
      code: 'rego_unsafe_var_error',
      message: `var ${name.startsWith('_$') ? '_' : name} is unsafe`,
      file: loc.file,
      row: loc.row,
      col: loc.col,
    });
  };
  return {
    ...def,
    body: reorderBody(hoistBody(def.body, counter), bound, isGlobal, unsafe),
    elses: def.elses.map((e) => ({ ...e, body: reorderBody(hoistBody(e.body, counter), bound, isGlobal, unsafe) })),
  };
}
