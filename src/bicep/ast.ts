/**
 * The Bicep file model: typed values plus raw expressions, and the declarations a file holds.
 * Built by generators, turned into text by emit.ts (the only serializer).
 */

/** A raw Bicep expression, written as is: `aks.id`, `guid(...)`, `resourceGroup().location`. */
export class BicepExpr {
  constructor(readonly text: string) {}
}

/** A raw expression. */
export function expr(text: string): BicepExpr {
  return new BicepExpr(text);
}

/** A string literal as an expression (where a type wants an expression). */
export function str(s: string): BicepExpr {
  return new BicepExpr(`'${escapeString(s)}'`);
}

/** A reference to a parameter, variable, resource or output by its symbolic name. */
export function ref(symbol: string, ...path: string[]): BicepExpr {
  return new BicepExpr([symbol, ...path].join('.'));
}

/** A function call: `call('guid', a, b)` -> `guid(a, b)`; arguments are values. */
export function call(fn: string, ...args: BicepValue[]): BicepExpr {
  return new BicepExpr(`${fn}(${args.map((a) => inlineValue(a)).join(', ')})`);
}

/**
 * An interpolated string: interp`${ref('clusterName')}-dns` -> `'${clusterName}-dns'`.
 * Literal parts are escaped; expression parts are inserted as `${...}`; plain strings and
 * numbers are inserted as literal text.
 */
export function interp(strings: TemplateStringsArray, ...values: (BicepExpr | string | number)[]): BicepExpr {
  let out = "'";
  strings.forEach((s, i) => {
    out += escapeString(s);
    if (i < values.length) {
      const v = values[i]!;
      out += v instanceof BicepExpr ? '${' + v.text + '}' : escapeString(String(v));
    }
  });
  return new BicepExpr(out + "'");
}

export type BicepValue = string | number | boolean | null | BicepExpr | readonly BicepValue[] | BicepObject;
export interface BicepObject {
  readonly [key: string]: BicepValue | undefined;
}

/**
 * A value of type T where any part may be a Bicep expression instead: SDK model types become
 * templates whose property names are still checked by the compiler.
 */
export type Bicepable<T> = T extends string | number | boolean
  ? T | BicepExpr
  : T extends readonly (infer U)[]
    ? readonly Bicepable<U>[] | BicepExpr
    : T extends Date
      ? BicepExpr
      : T extends object
        ? { [K in keyof T]?: Bicepable<T[K]> } | BicepExpr
        : T | BicepExpr;

export interface Decorated {
  /** `@description('...')` */
  readonly description?: string;
  /** Further decorators, written as given: `secure()`, `minLength(3)`, `batchSize(1)`. */
  readonly decorators?: readonly string[];
  /** `//` comment lines written above the declaration (and its decorators). */
  readonly comment?: string | readonly string[];
}

export interface ParamDecl extends Decorated {
  readonly kind: 'param';
  readonly name: string;
  readonly type: string;
  readonly default?: BicepValue;
  readonly allowed?: readonly (string | number)[];
}

export interface VarDecl extends Decorated {
  readonly kind: 'var';
  readonly name: string;
  readonly value: BicepValue;
}

export interface ResourceDecl extends Decorated {
  readonly kind: 'resource';
  readonly symbol: string;
  /** `Microsoft.ContainerService/managedClusters` */
  readonly type: string;
  readonly apiVersion: string;
  /** `existing` resource: only name/scope/parent in the body. */
  readonly existing?: boolean;
  /** `= if (cond) { ... }` */
  readonly condition?: BicepExpr;
  /** `= [for item in list: { ... }]` (`loop.item`, `loop.index` optional). */
  readonly loop?: { readonly item: string; readonly index?: string; readonly over: BicepExpr };
  readonly body: BicepObject;
  /** Child resources declared inside the parent's body (`resource x 'type' = {...}` nested). */
  readonly children?: readonly ResourceDecl[];
}

export interface ModuleDecl extends Decorated {
  readonly kind: 'module';
  readonly symbol: string;
  readonly path: string;
  readonly condition?: BicepExpr;
  readonly body: BicepObject;
}

export interface OutputDecl extends Decorated {
  readonly kind: 'output';
  readonly name: string;
  readonly type: string;
  readonly value: BicepValue;
}

export interface CommentLine {
  readonly kind: 'comment';
  readonly text: string | readonly string[];
}

export interface TargetScopeDecl {
  readonly kind: 'targetScope';
  readonly scope: 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant';
}

export type Declaration = ParamDecl | VarDecl | ResourceDecl | ModuleDecl | OutputDecl | CommentLine | TargetScopeDecl;

export interface BicepFile {
  /** Header comment lines (without `//`). */
  readonly header?: readonly string[];
  readonly declarations: readonly Declaration[];
}

/** A `.bicepparam` file: `using` plus parameter values. */
export interface BicepParamFile {
  readonly header?: readonly string[];
  readonly using: string;
  readonly params: readonly { readonly name: string; readonly value: BicepValue; readonly comment?: string }[];
}

// ------------------------------------------------------------------------------------------
// Shared by ast.ts and emit.ts: literal escaping and single-line values.

/** Escapes text for a single-quoted Bicep string (without the quotes). */
export function escapeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '$' && s[i + 1] === '{') out += '\\$';
    else out += c;
  }
  return out;
}

/** A value on one line (function arguments): objects and arrays are written inline. */
export function inlineValue(v: BicepValue): string {
  if (v instanceof BicepExpr) return v.text;
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${escapeString(v)}'`;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`Bicep has no floating point literals: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${(v as readonly BicepValue[]).map(inlineValue).join(', ')}]`;
  const obj = v as BicepObject;
  const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
  return `{ ${entries.map(([k, x]) => `${propertyKey(k)}: ${inlineValue(x!)}`).join(', ')} }`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const EXPR_KEY = '\u0001';

/** An object key computed by an expression (`'${uami.id}': {}`): use the result as the key. */
export function exprKey(e: BicepExpr): string {
  return EXPR_KEY + e.text;
}

/** An object key: bare when an identifier, quoted otherwise (`'max-empty-bulk-delete'`). */
export function propertyKey(k: string): string {
  if (k.startsWith(EXPR_KEY)) return k.slice(1);
  return IDENT.test(k) ? k : `'${escapeString(k)}'`;
}

export function isIdentifier(s: string): boolean {
  return IDENT.test(s);
}
