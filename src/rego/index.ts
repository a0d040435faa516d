/**
 * A Rego evaluator in TypeScript (the language as OPA v1 parses it, with v0 syntax accepted where
 * OPA's `--v0-compatible` accepts it): modules in, a compiled program out, queries evaluated over
 * an `input` document and a `data` document. No Gatekeeper or Kubernetes knowledge here (that is
 * src/admission/gatekeeper); no network, filesystem or environment access from any built-in.
 *
 * CONTRACT (issue #18): the signatures below are what src/admission/gatekeeper codes against.
 */
import type { Module } from './ast.js';
import { RegoFailure } from './errors.js';
import type { RegoError } from './errors.js';
import { Evaluator } from './eval.js';
import { parseModule, parseTerm } from './parser.js';
import { Program } from './program.js';
import { toJson } from './value.js';
import type { EngineClock } from '../work-budget.js';

/** One Rego source file. */
export interface RegoModuleInput {
  /** Shown in errors, e.g. `template.yaml#targets[0].rego` or `policy.rego`. */
  readonly file: string;
  readonly text: string;
  /** Line of `text`'s first line in `file` (1 unless the Rego is embedded in YAML), for errors. */
  readonly lineOffset?: number;
}

export { RegoFailure } from './errors.js';
export type { RegoError } from './errors.js';

/** Caps for untrusted policies: evaluation stops with `eval_cancel_error` when one is reached. */
export interface EvalLimits {
  /** The time backstop per evaluate call, ms of running time, not of waiting (src/work-budget.ts; default 10,000). */
  readonly timeoutMs?: number;
  /** Evaluation steps per evaluate call, the deterministic cap (default 5,000,000). */
  readonly maxSteps?: number;
  /** The backstop's clocks (tests). @default threadClock */
  readonly clock?: EngineClock;
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
export function compileRego(modules: readonly RegoModuleInput[], opts: CompileOptions = {}): RegoProgram {
  const errors: RegoError[] = [];
  const parsed: Module[] = [];
  for (const m of modules) {
    try {
      parsed.push(
        parseModuleSafely({
          file: m.file,
          text: m.text,
          lineOffset: m.lineOffset ?? 1,
          v0: opts.v0 === true,
          v0UnlessImported: opts.v0UnlessImported === true,
        }),
      );
    } catch (e) {
      if (e instanceof RegoFailure) errors.push(...e.errors);
      else throw e;
    }
  }
  if (errors.length > 0) throw new RegoFailure(errors);
  const program = new Program(parsed, errors);
  if (errors.length > 0) throw new RegoFailure(errors);
  const queryScope = { pkg: [], imports: new Map(), ruleNames: new Set<string>() };
  return {
    packages: program.packages,
    evaluate(ref: string, evalOpts: EvalOptions = {}): unknown {
      const term = parseTerm('query', ref);
      const ev = new Evaluator(program, {
        input: evalOpts.input,
        ...(evalOpts.data ? { data: evalOpts.data } : {}),
        timeoutMs: evalOpts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxSteps: evalOpts.maxSteps ?? DEFAULT_MAX_STEPS,
        ...(evalOpts.clock ? { clock: evalOpts.clock } : {}),
      });
      let values;
      try {
        values = ev.query(term, queryScope);
      } catch (e) {
        // Deep recursion through rules or huge bodies: a cap like the others, never a crash.
        if (e instanceof RangeError)
          throw new RegoFailure([
            {
              code: 'eval_cancel_error',
              message: 'caller cancelled query execution: evaluation too deep',
              file: 'query',
              row: 1,
              col: 1,
            },
          ]);
        throw e;
      }
      return values.length === 0 ? undefined : toJson(values[0]!);
    },
  };
}

/** Parses a module; nesting too deep for the parser is a parse error, not a crash. */
function parseModuleSafely(input: Parameters<typeof parseModule>[0]): Module {
  try {
    return parseModule(input);
  } catch (e) {
    if (e instanceof RangeError)
      throw new RegoFailure([
        { code: 'rego_parse_error', message: 'nesting too deep', file: input.file, row: input.lineOffset ?? 1, col: 1 },
      ]);
    throw e;
  }
}

/** The default caps (EvalLimits). */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_STEPS = 5_000_000;
