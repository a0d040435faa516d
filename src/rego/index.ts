/**
 * A Rego evaluator in TypeScript (the language as OPA v1 parses it, with v0 syntax accepted where
 * OPA's `--v0-compatible` accepts it): modules in, a compiled program out, queries evaluated over
 * an `input` document and a `data` document. No Gatekeeper or Kubernetes knowledge here (that is
 * src/admission/gatekeeper); no network, filesystem or environment access from any built-in.
 *
 * CONTRACT (issue #18): the signatures below are what src/admission/gatekeeper codes against.
 */

/** One Rego source file. */
export interface RegoModuleInput {
  /** Shown in errors, e.g. `template.yaml#targets[0].rego` or `policy.rego`. */
  readonly file: string;
  readonly text: string;
  /** Line of `text`'s first line in `file` (1 unless the Rego is embedded in YAML), for errors. */
  readonly lineOffset?: number;
}

/** An error as OPA reports it: `file:row:col: code: message`. */
export interface RegoError {
  readonly code: 'rego_parse_error' | 'rego_compile_error' | 'rego_type_error' | 'rego_recursion_error' | 'rego_unsafe_var_error' | 'eval_conflict_error' | 'eval_builtin_error' | 'eval_type_error' | 'eval_cancel_error';
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
    this.errors = errors;
  }
}

/** Caps for untrusted policies: evaluation stops with `eval_cancel_error` when one is reached. */
export interface EvalLimits {
  /** Wall clock per evaluate call (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Evaluation steps per evaluate call (default 5,000,000). */
  readonly maxSteps?: number;
}

export interface EvalOptions extends EvalLimits {
  /** The `input` document (JSON). Absent: input is undefined. */
  readonly input?: unknown;
  /** Base documents under `data` (JSON), merged with the compiled rules (a conflict is an error). */
  readonly data?: Record<string, unknown>;
}

/** A compiled set of modules. */
export interface RegoProgram {
  /**
   * Evaluates a reference such as `data.k8srequiredlabels.violation` and returns its value as
   * JSON (sets become arrays in OPA's sort order; objects with non-string keys get the keys'
   * JSON text, as `opa eval --format json` prints them), or `undefined` when it is undefined.
   * Throws {@link RegoFailure} for evaluation errors (conflicts, built-in errors, caps).
   */
  evaluate(ref: string, opts?: EvalOptions): unknown;
  /** The package paths of the compiled modules (`data.x.y`), sorted. */
  readonly packages: readonly string[];
}

export interface CompileOptions {
  /** Parse as Rego v0 (OPA `--v0-compatible`); default v1 (`if`/`contains` required). */
  readonly v0?: boolean;
  /** Modules are v0 unless they `import rego.v1`; gatekeeper templates are written this way. */
  readonly v0UnlessImported?: boolean;
}

/** Parses and compiles modules; throws {@link RegoFailure} with every problem found. */
export function compileRego(_modules: readonly RegoModuleInput[], _opts: CompileOptions = {}): RegoProgram {
  throw new RegoFailure([{ code: 'rego_compile_error', message: 'the Rego evaluator is not built yet', file: '', row: 0, col: 0 }]);
}
