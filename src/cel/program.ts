/**
 * compileCel: parse, rewrite namespaced calls, type-check (variables are dyn), meter; then
 * CelProgram.evaluate with JSON-shaped activations under a cost limit and a time cap.
 */
import { EvaluationError, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
import {
  collapseDoubleUnary,
  meterNodes,
  rejectAnyRanges,
  rewriteHasOnExpressions,
  type HasOps,
  rewriteComprehensions,
  rewriteOverriddenMethods,
  rewriteNamespacedCalls,
  type CelAstNode,
} from './ast.js';
import { DEFAULT_TIMEOUT_MS, PER_CALL_COST_LIMIT, metered, type CostMeter } from './cost.js';
import { WorkBudget, type EngineClock } from '../work-budget.js';
import {
  environmentFor,
  FUNCTION_NAMESPACES,
  KYVERNO_NAMESPACES,
  operatorOf,
  type CelLibraries,
} from './environment.js';
import { CelCompileError, CelEvalError, positionOf } from './errors.js';
import { isKyvernoAny } from './library/kyverno.js';
import { OVERRIDDEN_FUNCTIONS, OVERRIDDEN_METHODS } from './library/strings-ext.js';
import { fromCel, toCel } from './values.js';

/** The longest expression accepted. */
export const MAX_EXPRESSION_LENGTH = 100_000;

/** Options of compileCel. */
export interface CompileOptions {
  /**
   * The variables the expression may use (each of type dyn); a reference to any other is a
   * compile error, as in Kubernetes. @default undefined: any identifier is a variable.
   */
  readonly variables?: readonly string[];
  /**
   * The libraries beyond the Kubernetes ones: 'kyverno' adds Kyverno's (`resource`, `image`,
   * `time` variables, `parseServiceAccount`), whose values come from kyvernoActivation.
   * @default 'kubernetes'
   */
  readonly libraries?: CelLibraries;
}

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** Runtime cost limit. @default 1_000_000 (Kubernetes' PerCallLimit) */
  readonly costLimit?: number;
  /** The time backstop, ms of running time, not of waiting (src/work-budget.ts). @default 1000 */
  readonly timeoutMs?: number;
  /** The backstop's clocks (tests). @default threadClock */
  readonly clock?: EngineClock;
}

/** The outcome of an evaluation with its cost. */
export interface CelResult {
  /** The CEL value (int = bigint, uint = UnsignedInt, map = Map, ...). */
  readonly value: unknown;
  /** The runtime cost spent. */
  readonly cost: number;
}

/** A compiled expression; evaluate it any number of times. */
export interface CelProgram {
  readonly expression: string;
  /**
   * Evaluates with `activation` (variable name -> JSON-shaped value) and returns the result as
   * JSON-shaped data (ints as numbers, maps as objects). Throws CelEvalError.
   */
  evaluate(activation: Record<string, unknown>, options?: EvaluateOptions): unknown;
  /** As evaluate, but returns the CEL value itself (types kept apart) and the cost. */
  evaluateCel(activation: Record<string, unknown>, options?: EvaluateOptions): CelResult;
}

let callOp: { name: string; check: Function; evaluate: Function } | undefined;

function theCallOp(): { name: string; check: Function; evaluate: Function } {
  if (!callOp) {
    const node = environmentFor(undefined).parse('f()').ast as CelAstNode;
    callOp = { name: 'call', check: node.meta.check as Function, evaluate: node.meta.evaluate as Function };
  }
  return callOp;
}

function theHasOps(): HasOps {
  return {
    receiverCall: operatorOf('rcall', 'a.?b.hasValue()', []),
    optionalSelect: operatorOf('.?', 'a.?b.hasValue()', [1]),
  };
}

/** Compiles a CEL expression. Throws CelCompileError with the position of the problem. */
export function compileCel(expression: string, options: CompileOptions = {}): CelProgram {
  if (typeof expression !== 'string') throw new CelCompileError('expression is not a string', String(expression));
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new CelCompileError(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`, expression.slice(0, 100));
  }
  const env = environmentFor(options.variables, options.libraries);
  const namespaces = options.libraries === 'kyverno' ? KYVERNO_NAMESPACES : FUNCTION_NAMESPACES;
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(expression);
    rewriteComprehensions(parsed.ast as CelAstNode);
    rewriteOverriddenMethods(parsed.ast as CelAstNode, OVERRIDDEN_METHODS, OVERRIDDEN_FUNCTIONS);
    collapseDoubleUnary(parsed.ast as CelAstNode);
    rewriteHasOnExpressions(parsed.ast as CelAstNode, theHasOps());
    rewriteNamespacedCalls(parsed.ast as CelAstNode, namespaces, (n) => env.hasVariable(n), theCallOp());
  } catch (e) {
    throw compileError(e, expression);
  }
  const checked = parsed.check();
  if (!checked.valid) throw compileError(checked.error, expression);
  if (options.libraries === 'kyverno') {
    try {
      rejectAnyRanges(parsed.ast as CelAstNode, isKyvernoAny);
    } catch (e) {
      const start = (e as { range?: { start: number } }).range?.start ?? 0;
      const pos = positionOf(expression, start);
      throw new CelCompileError((e as Error).message, expression, pos);
    }
  }
  meterNodes(parsed.ast as CelAstNode);
  const run = (activation: Record<string, unknown>, opts: EvaluateOptions): CelResult => {
    const ctx: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(activation)) ctx[k] = toCel(v);
    const meter: CostMeter = {
      cost: 0,
      limit: opts.costLimit ?? PER_CALL_COST_LIMIT,
      budget: new WorkBudget({
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(opts.clock ? { clock: opts.clock } : {}),
      }),
    };
    try {
      const value = metered(meter, () => parsed(ctx));
      if (value instanceof Promise) throw new CelEvalError('asynchronous evaluation is not supported');
      return { value, cost: meter.cost };
    } catch (e) {
      throw evalError(e);
    }
  };
  return {
    expression,
    evaluate: (activation, opts = {}) => fromCel(run(activation, opts).value),
    evaluateCel: (activation, opts = {}) => run(activation, opts),
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

function compileError(e: unknown, expression: string): CelCompileError {
  if (e instanceof CelCompileError) return e;
  const range = (e as { range?: { start: number } })?.range;
  const pos = range && typeof range.start === 'number' ? positionOf(expression, range.start) : undefined;
  const known = e instanceof ParseError || e instanceof CelTypeError || e instanceof EvaluationError;
  return new CelCompileError(known ? firstLine(e) : `internal: ${firstLine(e)}`, expression, pos, { cause: e });
}

function evalError(e: unknown): CelEvalError {
  if (e instanceof CelEvalError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return new CelEvalError(`evaluation too deep: ${e.message}`, 'error', { cause: e });
  return new CelEvalError(firstLine(e), 'error', { cause: e });
}
