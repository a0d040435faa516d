/** The errors of the Rego evaluator, as OPA reports them (`file:row:col: code: message`). */

/** An error as OPA reports it: `file:row:col: code: message`. */
export interface RegoError {
  readonly code:
    | 'rego_parse_error'
    | 'rego_compile_error'
    | 'rego_type_error'
    | 'rego_recursion_error'
    | 'rego_unsafe_var_error'
    | 'eval_conflict_error'
    | 'eval_builtin_error'
    | 'eval_type_error'
    | 'eval_cancel_error';
  readonly message: string;
  readonly file: string;
  readonly row: number;
  readonly col: number;
}

/** Thrown by compile (the list of problems) and by evaluate (one problem). */
export class RegoFailure extends Error {
  readonly errors: readonly RegoError[];
  constructor(errors: readonly RegoError[]) {
    super(errors.map((e) => `${e.file}:${e.row}:${e.col}: ${e.code}: ${e.message}`).join('\n'));
    this.name = 'RegoFailure';
    this.errors = errors;
  }
}

/** Where a piece of Rego source is (for errors). */
export interface Loc {
  readonly file: string;
  readonly row: number;
  readonly col: number;
}

export function regoError(code: RegoError['code'], message: string, loc: Loc): RegoFailure {
  return new RegoFailure([{ code, message, file: loc.file, row: loc.row, col: loc.col }]);
}
