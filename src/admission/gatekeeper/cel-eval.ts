/**
 * A template's K8sNativeValidation code on one review, as Gatekeeper's k8scel driver runs it
 * (pkg/drivers/k8scel/driver.go over k8s.io/apiserver's validator): `object` (null on DELETE),
 * `oldObject`, `request`, `params` (the whole Constraint), `namespaceObject`, and the variables
 * `variables.anyObject` (object, or oldObject on DELETE) and `variables.params` (the constraint's
 * `spec.parameters`, or null) before the template's own. A false match condition: no violation.
 * Each false validation is one violation with its message (messageExpression, else message, else
 * `failed expression: ...`). A CEL error is returned as an error, never as a pass.
 */
import {
  CelEvalError,
  MATCH_CONDITIONS_COST_BUDGET,
  PER_CALL_COST_LIMIT,
  RUNTIME_COST_BUDGET,
  fromCel,
} from '../../cel/index.js';
import type { CompiledExpression } from '../cel-policies/policy.js';
import { resourceOfKind } from '../cel-policies/request.js';
import type { Review } from './review.js';
import type { CelCode } from './template.js';

/** The longest message kept (Kubernetes' MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE = 5 * 1024;

export interface CelOutcome {
  readonly violations: readonly string[];
  readonly errors: readonly string[];
}

type Run = { ok: true; value: unknown } | { ok: false; error: string };

interface Budget {
  remaining: number;
}

function run(
  e: CompiledExpression,
  activation: Record<string, unknown>,
  budget: Budget,
  timeoutMs: number | undefined,
): Run {
  if (e.error || !e.program) return { ok: false, error: e.error ?? `${e.field}: not compiled` };
  if (e.usesAuthorizer) return { ok: false, error: `${e.field}: uses authorizer, which cannot be evaluated offline` };
  try {
    const r = e.program.evaluateCel(activation, {
      costLimit: Math.max(0, Math.min(PER_CALL_COST_LIMIT, budget.remaining)),
      timeoutMs,
    });
    budget.remaining -= r.cost;
    return { ok: true, value: r.value };
  } catch (err) {
    const kind = err instanceof CelEvalError ? err.kind : 'error';
    const what =
      kind === 'cost' ? 'exceeded the runtime cost budget' : kind === 'timeout' ? 'exceeded the time limit' : 'failed';
    return { ok: false, error: `${e.field}: evaluation ${what}: ${(err as Error).message}` };
  }
}

/** The request CEL sees, from the review. */
function requestOf(review: Review): Record<string, unknown> {
  const { object: _o, oldObject: _old, namespaceObject: _ns, ...rest } = review;
  const k = review.kind;
  const resource = { group: k.group, version: k.version, resource: resourceOfKind(k.kind) };
  return {
    uid: '',
    dryRun: false,
    resource,
    requestKind: k,
    requestResource: resource,
    ...rest,
    operation: review.operation,
  };
}

/** Evaluates the CEL code for one constraint on one review. */
export function evaluateCel(
  code: CelCode,
  review: Review,
  constraint: Record<string, unknown>,
  parameters: unknown,
  namespaceObject: Record<string, unknown> | null,
  timeoutMs: number | undefined,
): CelOutcome {
  const isDelete = review.operation === 'DELETE';
  const object = isDelete ? null : (review.object ?? null);
  const oldObject = review.oldObject ?? null;
  const variables = new Map<string, unknown>();
  const activation: Record<string, unknown> = {
    object,
    oldObject,
    request: requestOf(review),
    params: constraint,
    namespaceObject,
    variables,
    authorizer: null,
  };
  variables.set('anyObject', isDelete && object === null ? oldObject : object);
  variables.set('params', parameters ?? null);

  const mcBudget: Budget = { remaining: MATCH_CONDITIONS_COST_BUDGET };
  const errors: string[] = [];
  for (const m of code.matchConditions) {
    const o = run(m.expression, activation, mcBudget, timeoutMs);
    if (!o.ok) errors.push(o.error);
    else if (o.value === false) return { violations: [], errors: [] };
    else if (o.value !== true)
      errors.push(
        `${m.expression.field}: match condition ${m.name} returned ${JSON.stringify(fromCel(o.value))}, not a bool`,
      );
  }
  if (errors.length) return { violations: [], errors };

  const budget: Budget = { remaining: RUNTIME_COST_BUDGET };
  const failed = new Map<string, string>();
  for (const v of code.variables) {
    // A variable that fails makes every expression that reads it fail (lazily, as Kubernetes does).
    const o = run(v.expression, activation, budget, timeoutMs);
    if (o.ok) variables.set(v.name, o.value);
    else failed.set(v.name, o.error);
  }
  const usesFailed = (e: CompiledExpression): string | undefined => {
    for (const [name, error] of failed)
      if (new RegExp(`\\bvariables\\s*\\.\\s*${name}\\b`).test(e.expression))
        return `${e.field}: variable ${name} failed: ${error}`;
    return undefined;
  };
  const violations: string[] = [];
  for (const v of code.validations) {
    const bad = usesFailed(v.expression);
    if (bad) {
      errors.push(bad);
      continue;
    }
    const o = run(v.expression, activation, budget, timeoutMs);
    if (!o.ok) errors.push(o.error);
    else if (o.value === false) violations.push(messageOf(v, activation, budget, timeoutMs, usesFailed));
    else if (o.value !== true)
      errors.push(`${v.expression.field}: returned ${JSON.stringify(fromCel(o.value))}, not a bool`);
  }
  return { violations, errors };
}

function messageOf(
  v: CelCode['validations'][number],
  activation: Record<string, unknown>,
  budget: Budget,
  timeoutMs: number | undefined,
  usesFailed: (e: CompiledExpression) => string | undefined,
): string {
  if (v.messageExpression && !usesFailed(v.messageExpression)) {
    const o = run(v.messageExpression, activation, budget, timeoutMs);
    const m = o.ok && typeof o.value === 'string' ? o.value.trim() : '';
    if (m !== '' && Buffer.byteLength(m) <= MAX_MESSAGE && !m.includes('\n')) return m;
  }
  if (v.message !== undefined && v.message.trim() !== '') return v.message.trim();
  return `failed expression: ${v.expression.expression.trim()}`;
}
