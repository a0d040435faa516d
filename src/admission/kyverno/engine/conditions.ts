/**
 * `preconditions` and `deny.conditions` (pkg/engine/variables/evaluate.go): `any`/`all` blocks or
 * the legacy list; keys and values are substituted first, then the operator decides.
 */
import { conditionOperator } from '../operator/conditions.js';
import { isMap } from '../pattern/go-values.js';
import type { EvalContext } from '../variables/context.js';

export interface ConditionOutcome {
  readonly result: boolean;
  readonly message: string;
}

const joinNonEmpty = (xs: string[], sep: string): string => xs.filter((x) => x !== '').join(sep);

function evaluateOne(ctx: EvalContext, c: Record<string, unknown>): ConditionOutcome {
  let key: unknown;
  let value: unknown;
  try {
    key = ctx.substitute(c.key ?? null);
  } catch (e) {
    throw new Error(`failed to substitute variables in condition key: ${(e as Error).message}`, { cause: e });
  }
  try {
    value = ctx.substitute(c.value ?? null);
  } catch (e) {
    throw new Error(`failed to substitute variables in condition value: ${(e as Error).message}`, { cause: e });
  }
  const op = conditionOperator(String(c.operator));
  if (!op) throw new Error(`failed to create handler for condition operator: ${String(c.operator)}`);
  return { result: op(key, value), message: typeof c.message === 'string' ? c.message : '' };
}

function anyAll(ctx: EvalContext, block: Record<string, unknown>): ConditionOutcome {
  const trueMsgs: string[] = [];
  const falseMsgs: string[] = [];
  let anyResult = true;
  let allResult = true;
  if (Array.isArray(block.any)) {
    anyResult = false;
    for (const c of block.any.filter(isMap)) {
      const r = evaluateOne(ctx, c);
      if (r.result) {
        anyResult = true;
        trueMsgs.push(r.message);
        break;
      }
      falseMsgs.push(r.message);
    }
  }
  for (const c of (Array.isArray(block.all) ? block.all : []).filter(isMap)) {
    const r = evaluateOne(ctx, c);
    if (!r.result) {
      allResult = false;
      falseMsgs.push(r.message);
      break;
    }
    trueMsgs.push(r.message);
  }
  const result = anyResult && allResult;
  return { result, message: joinNonEmpty(result ? trueMsgs : falseMsgs, '; ') };
}

/** Evaluates conditions (undefined: true). Throws on substitution errors (a rule error). */
export function evaluateConditions(ctx: EvalContext, conditions: unknown): ConditionOutcome {
  if (conditions === undefined || conditions === null) return { result: true, message: '' };
  if (Array.isArray(conditions)) {
    const trueMsgs: string[] = [];
    for (const c of conditions.filter(isMap)) {
      const r = evaluateOne(ctx, c);
      if (!r.result) return { result: false, message: r.message };
      trueMsgs.push(r.message);
    }
    return { result: true, message: joinNonEmpty(trueMsgs, ';') };
  }
  if (isMap(conditions)) return anyAll(ctx, conditions);
  throw new Error('invalid condition');
}
