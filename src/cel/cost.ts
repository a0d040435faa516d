/**
 * Runtime cost and time caps, tracked during evaluation (as cel-go's runtimecost.go does), not
 * estimated afterwards. Every evaluated expression node costs 1; library functions whose work
 * grows with their input (string and list operations, regexes) charge extra in proportion.
 *
 * Evaluation is synchronous, so the meter of the evaluation that is running is kept in one
 * module-level slot while it runs (set and restored by `metered`); nothing survives a call.
 */
import { CelEvalError } from './errors.js';
import type { WorkBudget } from '../work-budget.js';

/** Kubernetes' per-expression runtime cost limit (k8s.io/apiserver/pkg/apis/cel PerCallLimit). */
export const PER_CALL_COST_LIMIT = 1_000_000;
/** Kubernetes' cost budget for all expressions of one ValidatingAdmissionPolicy binding and object. */
export const RUNTIME_COST_BUDGET = 10_000_000;
/** Kubernetes' cost budget for the matchConditions of one binding and object. */
export const MATCH_CONDITIONS_COST_BUDGET = 2_500_000;
/**
 * Our time backstop per evaluation, ms of running time (src/work-budget.ts): the cost limit is the
 * cap that decides; this one is for a single built-in call the cost does not see.
 */
export const DEFAULT_TIMEOUT_MS = 1_000;

/** One evaluation's meter. */
export interface CostMeter {
  cost: number;
  readonly limit: number;
  /** Counts the charges; samples the time backstop every 256 of them. */
  readonly budget: WorkBudget;
}

let running: CostMeter | undefined;

/** Runs `fn` with `meter` as the running meter. */
export function metered<T>(meter: CostMeter, fn: () => T): T {
  const outer = running;
  running = meter;
  try {
    return fn();
  } finally {
    running = outer;
  }
}

/** Adds `units` to the running evaluation's cost; throws when the limit or the time cap is passed. */
export function charge(units: number): void {
  const m = running;
  if (!m) return;
  m.cost += units;
  if (m.cost > m.limit) throw new CelEvalError('operation cancelled: actual cost limit exceeded', 'cost');
  if (++m.budget.steps >= m.budget.next && m.budget.check() === 'time') {
    throw new CelEvalError('operation interrupted: evaluation time limit exceeded', 'timeout');
  }
}

/** The cost of a function over a string or list of `size` units: cel-go charges 0.1 per unit, at least 1. */
export function sizeCost(size: number, factor = 0.1): number {
  return Math.ceil(size * factor);
}
