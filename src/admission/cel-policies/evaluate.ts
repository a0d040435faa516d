/**
 * Evaluates one compiled policy (with one binding and parameter object) against one resource,
 * as Kubernetes' validating admission policy plugin does: match constraints, match conditions,
 * variables, validations with their messages, audit annotations; under the runtime cost budget.
 * Whatever cannot be evaluated (a compile error, `authorizer`, a CEL error) is an `error`
 * result, never a pass.
 */
import {
  CelEvalError,
  MATCH_CONDITIONS_COST_BUDGET,
  PER_CALL_COST_LIMIT,
  RUNTIME_COST_BUDGET,
  fromCel,
  kyvernoActivation,
  type KyvernoData,
} from '../../cel/index.js';
import type { AdmissionContext, PolicyResult, ResourceRef } from '../types.js';
import { matchResources, type MatchResources } from './match.js';
import type { CompiledExpression, CompiledPolicy } from './policy.js';
import { admissionRequest, metadataOf, type UserInfo } from './request.js';

/** What a binding adds to a policy. */
export interface BindingView {
  readonly name: string;
  readonly matchResources?: MatchResources;
  readonly validationActions: readonly string[];
  /** The parameter object (null: none). */
  readonly params: Record<string, unknown> | null;
}

/** The longest message kept (Kubernetes' MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE = 5 * 1024;

class Budget {
  constructor(private remaining: number) {}
  limit(): number {
    return Math.max(0, Math.min(PER_CALL_COST_LIMIT, this.remaining));
  }
  spend(cost: number): void {
    this.remaining -= cost;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function run(
  e: CompiledExpression,
  activation: Record<string, unknown>,
  budget: Budget,
  timeoutMs: number | undefined,
  failedVariables: ReadonlyMap<string, string>,
): Outcome {
  if (e.error) return { ok: false, error: e.error };
  if (e.usesAuthorizer) return { ok: false, error: `${e.field}: uses authorizer, which cannot be evaluated offline` };
  for (const [name, error] of failedVariables) {
    if (new RegExp(`\\bvariables\\s*(\\.\\s*\\??\\s*${name}\\b|\\[\\s*\\??\\s*['"]${name}['"])`).test(e.expression)) {
      return { ok: false, error: `${e.field}: variable ${name} failed: ${error}` };
    }
  }
  try {
    const r = e.program!.evaluateCel(activation, { costLimit: budget.limit(), timeoutMs });
    budget.spend(r.cost);
    return { ok: true, value: r.value };
  } catch (err) {
    const kind = err instanceof CelEvalError ? err.kind : 'error';
    if (kind === 'offline') return { ok: false, error: `${e.field}: ${(err as Error).message}` };
    const what =
      kind === 'cost' ? 'exceeded the runtime cost budget' : kind === 'timeout' ? 'exceeded the time limit' : 'failed';
    return { ok: false, error: `${e.field}: evaluation ${what}: ${(err as Error).message}` };
  }
}

function refOf(obj: Record<string, unknown>): ResourceRef {
  const md = metadataOf(obj);
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    ...(typeof md.namespace === 'string' && md.namespace ? { namespace: md.namespace } : {}),
    name: String(md.name ?? ''),
  };
}

/** Options beyond the admission context. */
export interface EvaluateOptions {
  readonly userInfo?: UserInfo;
  /**
   * What Kyverno's CEL libraries know offline (a Kyverno CLI context file, the clock) for
   * Kyverno's policies. Default: no cluster state nor image data (their calls are not evaluable),
   * the clock at the evaluation.
   */
  readonly kyverno?: KyvernoData;
}

/**
 * One result for `policy` x `binding` on `resource`, or undefined when the resource is not
 * matched by the policy's (and the binding's) match constraints.
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  binding: BindingView,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: EvaluateOptions = {},
): PolicyResult | undefined {
  const operation = ctx.operation ?? 'CREATE';
  const md = metadataOf(resource);
  const ns = typeof md.namespace === 'string' && md.namespace ? md.namespace : undefined;
  const namespaceObject = ns ? (ctx.namespaces.get(ns) ?? null) : null;
  const nsLabels =
    resource.kind === 'Namespace'
      ? (md.labels as Record<string, unknown>)
      : (metadataOf(namespaceObject).labels as Record<string, unknown> | undefined);
  if (!(policy.matchConstraints?.resourceRules ?? []).length) return undefined;
  if (!matchResources(policy.matchConstraints, resource, operation, nsLabels).matches) return undefined;
  if (binding.matchResources && !matchResources(binding.matchResources, resource, operation, nsLabels).matches)
    return undefined;

  const base = {
    policy: policy.name,
    rule: policy.rule || binding.name,
    resource: refOf(resource),
    source: policy.source,
  };
  const random = usesRandomness(policy);
  const result = (r: PolicyResult['result'], message?: string, enforcing?: boolean): PolicyResult => {
    // As the classic engine marks JMESPath's random(): the verdict may differ on the next run.
    if (random && r !== 'error') message = `${message ?? 'passed'} (depends on randomness: not deterministic)`;
    return resultOf(r, message, enforcing);
  };
  const resultOf = (r: PolicyResult['result'], message?: string, enforcing?: boolean): PolicyResult => ({
    ...base,
    result: r,
    ...(message !== undefined
      ? { message: message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message }
      : {}),
    ...(enforcing ? { enforcing } : {}),
  });

  const activation: Record<string, unknown> = {
    object: resource,
    oldObject: null,
    request: admissionRequest(resource, operation, opts.userInfo),
    params: binding.params,
    namespaceObject,
    variables: new Map(),
    authorizer: null,
    ...(policy.libraries === 'kyverno' ? kyvernoActivation(opts.kyverno ?? { now: new Date() }, policy.namespace) : {}),
  };
  const noFailed = new Map<string, string>();

  // Match conditions: any false -> skip; else an error -> the failure policy decides (we report it).
  const mcBudget = new Budget(MATCH_CONDITIONS_COST_BUDGET);
  const mcErrors: string[] = [];
  for (const m of policy.matchConditions) {
    const o = run(m.expression, activation, mcBudget, ctx.timeoutMs, noFailed);
    if (!o.ok) mcErrors.push(o.error);
    else if (o.value === false) return result('skip', `match condition ${m.name} is false`);
    else if (o.value !== true)
      mcErrors.push(
        `${m.expression.field}: match condition ${m.name} returned ${JSON.stringify(fromCel(o.value))}, not a bool`,
      );
  }
  if (mcErrors.length) return result('error', mcErrors.join('; '));

  const budget = new Budget(RUNTIME_COST_BUDGET);
  const variables = activation.variables as Map<string, unknown>;
  const failedVariables = new Map<string, string>();
  for (const v of policy.variables) {
    const o = run(v.expression, activation, budget, ctx.timeoutMs, failedVariables);
    if (o.ok) variables.set(v.name, o.value);
    else failedVariables.set(v.name, o.error);
  }

  const failures: string[] = [];
  const errors: string[] = [];
  for (const v of policy.validations) {
    const o = run(v.expression, activation, budget, ctx.timeoutMs, failedVariables);
    if (!o.ok) {
      errors.push(o.error);
      continue;
    }
    if (o.value === true) continue;
    if (o.value !== false) {
      errors.push(`${v.expression.field}: returned ${JSON.stringify(fromCel(o.value))}, not a bool`);
      continue;
    }
    failures.push(messageOf(v, activation, budget, ctx.timeoutMs, failedVariables));
  }
  for (const a of policy.auditAnnotations) {
    const o = run(a.valueExpression, activation, budget, ctx.timeoutMs, failedVariables);
    if (!o.ok) errors.push(o.error);
  }

  if (failures.length) {
    const actions = binding.validationActions;
    const message = [...failures, ...errors].join('; ');
    if (actions.includes('Deny')) return result('fail', message, true);
    // Kyverno reports a failed ValidatingPolicy as `fail` whatever its actions (Warn only changes
    // what the API server says); `kyverno apply` and `kyverno test` 1.19.1 agree.
    if (actions.includes('Warn') && policy.libraries !== 'kyverno') return result('warn', message);
    return result('fail', message);
  }
  if (errors.length) {
    const ignored = policy.failurePolicy === 'Ignore' ? ' (failurePolicy Ignore: the API server would admit it)' : '';
    return result('error', errors.join('; ') + ignored);
  }
  return result('pass');
}

/** True when an expression of the policy calls Kyverno's `random`. */
function usesRandomness(policy: CompiledPolicy): boolean {
  const all = [
    ...policy.matchConditions.map((m) => m.expression),
    ...policy.variables.map((v) => v.expression),
    ...policy.validations.flatMap((v) => (v.messageExpression ? [v.expression, v.messageExpression] : [v.expression])),
    ...policy.auditAnnotations.map((a) => a.valueExpression),
  ];
  return all.some((e) => e.usesRandomness === true);
}

function messageOf(
  v: CompiledPolicy['validations'][number],
  activation: Record<string, unknown>,
  budget: Budget,
  timeoutMs: number | undefined,
  failedVariables: ReadonlyMap<string, string>,
): string {
  // As k8s.io/apiserver's validator: a trimmed one-line messageExpression result of at most 5 KiB,
  // else the trimmed message, else the trimmed expression.
  if (v.messageExpression) {
    const o = run(v.messageExpression, activation, budget, timeoutMs, failedVariables);
    const m = o.ok && typeof o.value === 'string' ? o.value.trim() : '';
    if (m !== '' && Buffer.byteLength(m) <= MAX_MESSAGE && !m.includes('\n')) return m;
  }
  if (v.message !== undefined && v.message.trim() !== '') return v.message.trim();
  return `failed expression: ${v.expression.expression.trim()}`;
}
