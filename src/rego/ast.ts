/** The Rego syntax tree (what src/rego/parser.ts builds and src/rego/eval.ts walks). */
import type { Loc } from './errors.js';
import type { Value } from './value.js';

export type Term =
  | { readonly type: 'scalar'; readonly value: Value; readonly loc: Loc }
  | { readonly type: 'var'; readonly name: string; readonly loc: Loc }
  | { readonly type: 'ref'; readonly head: Term; readonly path: readonly Term[]; readonly loc: Loc }
  | { readonly type: 'array'; readonly items: readonly Term[]; readonly loc: Loc }
  | { readonly type: 'set'; readonly items: readonly Term[]; readonly loc: Loc }
  | { readonly type: 'object'; readonly pairs: readonly (readonly [Term, Term])[]; readonly loc: Loc }
  | { readonly type: 'arraycompr'; readonly term: Term; readonly body: Body; readonly loc: Loc }
  | { readonly type: 'setcompr'; readonly term: Term; readonly body: Body; readonly loc: Loc }
  | { readonly type: 'objectcompr'; readonly key: Term; readonly value: Term; readonly body: Body; readonly loc: Loc }
  /** A call: `op` is the dotted name as written (`sprintf`, `regex.match`, `data.lib.f`, `lib.f`). */
  | {
      readonly type: 'call';
      readonly op: string;
      readonly opTerm: Term;
      readonly args: readonly Term[];
      readonly loc: Loc;
    };

export interface With {
  readonly target: Term;
  readonly value: Term;
  readonly loc: Loc;
}

export type ExprKind =
  | { readonly kind: 'term'; readonly term: Term }
  | { readonly kind: 'unify'; readonly left: Term; readonly right: Term }
  | { readonly kind: 'assign'; readonly left: Term; readonly right: Term }
  | { readonly kind: 'some'; readonly vars: readonly string[] }
  | { readonly kind: 'somein'; readonly key?: Term; readonly value: Term; readonly collection: Term }
  | {
      readonly kind: 'every';
      readonly key?: string;
      readonly value: string;
      readonly collection: Term;
      readonly body: Body;
    };

export type Expr = ExprKind & { readonly negated: boolean; readonly withs: readonly With[]; readonly loc: Loc };

export type Body = readonly Expr[];

export type RuleKind = 'complete' | 'set' | 'object' | 'function';

export interface RuleDef {
  readonly kind: RuleKind;
  /** The rule's path below its package (`p`, or `a.b.c` for a ref head; `p` for `p[x]`). */
  readonly path: readonly string[];
  /** For set rules: the element; for object rules: the key. */
  readonly key?: Term;
  /** The value (complete, object, function); `true` when not written. */
  readonly value?: Term;
  readonly args?: readonly Term[];
  readonly body: Body;
  readonly isDefault: boolean;
  /** `else` branches, in order (complete rules and functions). */
  readonly elses: readonly { readonly value: Term; readonly body: Body; readonly loc: Loc }[];
  readonly loc: Loc;
}

export interface Import {
  /** The imported path: root (`data`, `input`, `future`, `rego`) and keys. */
  readonly path: readonly string[];
  readonly alias?: string;
  readonly loc: Loc;
}

export interface Module {
  readonly file: string;
  readonly pkg: readonly string[];
  readonly imports: readonly Import[];
  readonly rules: readonly RuleDef[];
  readonly v1: boolean;
  readonly loc: Loc;
}
