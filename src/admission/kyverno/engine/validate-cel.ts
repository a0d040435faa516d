/**
 * `validate.cel` rules of ClusterPolicies (pkg/engine/handlers/validation/validate_cel.go), through
 * src/cel: `celPreconditions` (false: skip), `cel.variables`, then each of `cel.expressions`; a false
 * expression fails the rule with its message (or messageExpression), and so does a CEL evaluation
 * error or a non-bool result (Kyverno runs the validator without a failure policy: Deny). What
 * needs a cluster (`paramKind`/`paramRef`, `authorizer`) is an `error`.
 */
import {
  CelCompileError,
  CelEvalError,
  PER_CALL_COST_LIMIT,
  RUNTIME_COST_BUDGET,
  compileCel,
  fromCel,
  type CelProgram,
} from '../../../cel/index.js';
import { isMap } from '../pattern/go-values.js';
import type { RuleResponse } from './validate-rule.js';
import type { EngineClock } from '../../../work-budget.js';

const VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'];

export interface CelInput {
  readonly rule: Record<string, unknown>;
  readonly object: Record<string, unknown> | null;
  readonly oldObject: Record<string, unknown> | null;
  readonly operation: string;
  readonly namespaceObject: Record<string, unknown> | null;
  readonly userInfo?: { readonly username?: string; readonly groups?: readonly string[] };
  readonly timeoutMs?: number;
  readonly clock?: EngineClock;
}

const cache = new Map<string, CelProgram | Error>();

function program(expression: string): CelProgram {
  let p = cache.get(expression);
  if (!p) {
    try {
      p = compileCel(expression, { variables: VARIABLES });
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    if (cache.size > 2000) cache.clear();
    cache.set(expression, p);
  }
  if (p instanceof Error) {
    const where = p instanceof CelCompileError && p.position ? ` (at ${p.position.line}:${p.position.column})` : '';
    throw new Error(`CEL does not compile${where}: ${p.message}`);
  }
  return p;
}

function gvk(obj: Record<string, unknown>): { group: string; version: string; kind: string } {
  const av = String(obj.apiVersion ?? '');
  const i = av.lastIndexOf('/');
  return { group: i < 0 ? '' : av.slice(0, i), version: i < 0 ? av : av.slice(i + 1), kind: String(obj.kind ?? '') };
}

function request(obj: Record<string, unknown>, operation: string, user: CelInput['userInfo']): Record<string, unknown> {
  const md = isMap(obj.metadata) ? obj.metadata : {};
  const k = gvk(obj);
  return {
    uid: '',
    kind: k,
    requestKind: k,
    name: String(md.name ?? ''),
    namespace: String(md.namespace ?? ''),
    operation,
    userInfo: { username: user?.username ?? '', groups: [...(user?.groups ?? [])] },
    dryRun: false,
  };
}

/** Evaluates the rule's CEL validation. */
export function validateCel(input: CelInput): RuleResponse {
  const cel = isMap(input.rule.validate) && isMap(input.rule.validate.cel) ? input.rule.validate.cel : {};
  if (cel.paramKind !== undefined || cel.paramRef !== undefined) {
    return {
      status: 'error',
      message: 'validate.cel: paramKind/paramRef read parameters from the cluster: not evaluable offline',
    };
  }
  const subject = input.object ?? input.oldObject ?? {};
  const ruleMessage =
    isMap(input.rule.validate) && typeof input.rule.validate.message === 'string' ? input.rule.validate.message : '';
  const variables = new Map<string, unknown>();
  const activation: Record<string, unknown> = {
    object: input.object,
    oldObject: input.oldObject,
    request: request(subject, input.operation, input.userInfo),
    params: null,
    namespaceObject: input.namespaceObject,
    variables,
    authorizer: null,
  };
  let remaining = RUNTIME_COST_BUDGET;
  const run = (expression: string): unknown => {
    if (/\bauthorizer\b/.test(expression)) throw new Error('uses authorizer, which cannot be evaluated offline');
    const r = program(expression).evaluateCel(activation, {
      costLimit: Math.max(0, Math.min(PER_CALL_COST_LIMIT, remaining)),
      timeoutMs: input.timeoutMs,
      ...(input.clock ? { clock: input.clock } : {}),
    });
    remaining -= r.cost;
    return r.value;
  };
  const describe = (e: unknown): string =>
    e instanceof CelEvalError
      ? `${e.kind === 'cost' ? 'exceeded the cost budget: ' : ''}${e.message}`
      : e instanceof Error
        ? e.message
        : String(e);
  for (const pre of Array.isArray(input.rule.celPreconditions) ? input.rule.celPreconditions.filter(isMap) : []) {
    try {
      const v = run(String(pre.expression ?? ''));
      if (v === false) return { status: 'skip', message: `cel preconditions not met: ${String(pre.name ?? '')}` };
      if (v !== true)
        return {
          status: 'error',
          message: `cel precondition ${String(pre.name ?? '')} returned ${JSON.stringify(fromCel(v))}, not a bool`,
        };
    } catch (e) {
      return { status: 'error', message: `cel precondition ${String(pre.name ?? '')}: ${describe(e)}` };
    }
  }
  const failedVariables = new Map<string, string>();
  for (const v of Array.isArray(cel.variables) ? cel.variables.filter(isMap) : []) {
    try {
      variables.set(String(v.name), run(String(v.expression ?? '')));
    } catch (e) {
      failedVariables.set(String(v.name), describe(e));
    }
  }
  // Kyverno runs the Kubernetes validator without a failure policy, so an evaluation error is a
  // Deny decision like a false expression: the first decision in expression order is the result.
  for (const [i, x] of (Array.isArray(cel.expressions) ? cel.expressions.filter(isMap) : []).entries()) {
    const expr = String(x.expression ?? '');
    if (/\bauthorizer\b/.test(expr))
      return { status: 'error', message: `expressions[${i}]: uses authorizer, which cannot be evaluated offline` };
    const failedVar = [...failedVariables].find(([n]) => new RegExp(`\\bvariables\\s*\\.\\s*${n}\\b`).test(expr));
    if (failedVar)
      return { status: 'fail', message: `expressions[${i}]: variable ${failedVar[0]} failed: ${failedVar[1]}` };
    let value: unknown;
    try {
      value = run(expr);
    } catch (e) {
      // The Kubernetes validator's wording (cel-go spells a missing key in lower case).
      return {
        status: 'fail',
        message: `expression '${expr}' resulted in error: ${describe(e).replace(/^No such key:/, 'no such key:')}`,
      };
    }
    if (value === true) continue;
    if (value !== false)
      return { status: 'fail', message: `expressions[${i}]: returned ${JSON.stringify(fromCel(value))}, not a bool` };
    // k8s.io/apiserver validating/validator.go: messageExpression's string (trimmed; one line of at
    // most 5 KiB), else the trimmed message, else `failed expression: <expression>`.
    let message = '';
    if (typeof x.messageExpression === 'string') {
      try {
        const m = run(x.messageExpression);
        if (typeof m === 'string') message = m.trim();
        if (message.length > 5 * 1024 || message.includes('\n')) message = '';
      } catch {
        /* Kubernetes falls back to the static message */
      }
    }
    if (message === '') message = (typeof x.message === 'string' ? x.message : '').trim();
    if (message === '') message = ruleMessage !== '' ? ruleMessage : `failed expression: ${expr.trim()}`;
    return { status: 'fail', message };
  }
  // pkg/engine/handlers/validation/validate_cel.go: the pass message names the rule.
  return { status: 'pass', message: `Validation rule '${String(input.rule.name ?? '')}' passed.` };
}
