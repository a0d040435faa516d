/**
 * One validate rule on one resource (pkg/engine/handlers/validation/validate_resource.go): context,
 * preconditions, then `deny`, `pattern`/`anyPattern` or `foreach` (nested, with `element`,
 * `elementIndex` and `elementScope`), with Kyverno's messages.
 */
import { isMap } from '../pattern/go-values.js';
import { matchPattern } from '../validate/validate.js';
import type { EvalContext } from '../variables/context.js';
import { evaluateConditions } from './conditions.js';
import { loadContextEntries, type EntryEnvironment } from './context-entries.js';

/**
 * The steps a foreach element costs (MAX_STEPS in evaluate.ts): an element's evaluation (its JSON
 * copy, the fork, substitution, the check) measured 15-30 us of CPU, about ten rules' worth, so a
 * runaway list meets the step cap (10,000 elements, about 0.15-0.3 s) long before the time backstop.
 */
export const FOREACH_ELEMENT_STEPS = 10;

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error' | 'warn';

export interface RuleResponse {
  readonly status: RuleStatus;
  readonly message: string;
}

/** Deepest foreach nesting evaluated (Kyverno has no cap; hostile policies get one here). */
export const MAX_FOREACH_NESTING = 10;

interface Validation {
  readonly contextEntries: unknown;
  readonly conditions: unknown;
  readonly pattern: unknown;
  readonly anyPattern: unknown;
  readonly deny: Record<string, unknown> | undefined;
  readonly forEach: Record<string, unknown>[] | undefined;
}

export interface RuleEnv {
  /** The rule (after autogen), for its name and message. */
  readonly rule: Record<string, unknown>;
  readonly entries: EntryEnvironment;
  /** DELETE requests validate the old object. */
  readonly isDelete: boolean;
  /** Counts `steps` (default 1) of the policy's budget; throws when a cap is passed. */
  readonly checkDeadline: (steps?: number) => void;
}

const err = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const ruleName = (env: RuleEnv): string => String(env.rule.name);
const ruleMessage = (env: RuleEnv): string => {
  const v = env.rule.validate;
  return isMap(v) && typeof v.message === 'string' ? v.message : '';
};

function fromRule(rule: Record<string, unknown>): Validation {
  const v = isMap(rule.validate) ? rule.validate : {};
  return {
    contextEntries: undefined,
    conditions: rule.preconditions,
    pattern: v.pattern,
    anyPattern: v.anyPattern,
    deny: isMap(v.deny) ? v.deny : undefined,
    forEach: Array.isArray(v.foreach) ? v.foreach.filter(isMap) : undefined,
  };
}

function fromForEach(fe: Record<string, unknown>): Validation {
  return {
    contextEntries: fe.context,
    conditions: fe.preconditions,
    pattern: fe.pattern,
    anyPattern: fe.anyPattern,
    deny: isMap(fe.deny) ? fe.deny : undefined,
    forEach: Array.isArray(fe.foreach) ? fe.foreach.filter(isMap) : undefined,
  };
}

/** Validates; undefined when nothing applied (a foreach over no elements), as Kyverno's nil response. */
export function validateRule(ctx: EvalContext, env: RuleEnv): RuleResponse | undefined {
  return validate(ctx, env, fromRule(env.rule), 0, undefined);
}

function validate(
  ctx: EvalContext,
  env: RuleEnv,
  v: Validation,
  nesting: number,
  element: Record<string, unknown> | undefined,
): RuleResponse | undefined {
  env.checkDeadline();
  try {
    loadContextEntries(ctx, v.contextEntries, env.entries);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${err(e)}` };
  }
  let pre;
  try {
    pre = evaluateConditions(ctx, v.conditions);
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${err(e)}` };
  }
  if (!pre.result)
    return { status: 'skip', message: ['preconditions not met', pre.message].filter(Boolean).join('; ') };
  if (v.deny) return validateDeny(ctx, env, v.deny);
  if (v.pattern !== undefined || v.anyPattern !== undefined) {
    let pattern: unknown;
    let anyPattern: unknown;
    try {
      pattern = v.pattern === undefined ? undefined : ctx.substitute(v.pattern);
      anyPattern = v.anyPattern === undefined ? undefined : ctx.substitute(v.anyPattern);
    } catch (e) {
      return { status: 'error', message: `variable substitution failed: ${err(e)}` };
    }
    if (element) return validatePatterns(ctx, env, element, pattern, anyPattern);
    if (env.isDelete) return undefined;
    const resource = ctx.json.request && isMap(ctx.json.request) ? ctx.json.request.object : undefined;
    return validatePatterns(ctx, env, isMap(resource) ? resource : {}, pattern, anyPattern);
  }
  if (v.forEach) return validateForEach(ctx, env, v.forEach, nesting);
  return undefined;
}

function validateForEach(
  ctx: EvalContext,
  env: RuleEnv,
  forEach: Record<string, unknown>[],
  nesting: number,
): RuleResponse | undefined {
  if (nesting >= MAX_FOREACH_NESTING)
    return { status: 'error', message: `foreach nested deeper than ${MAX_FOREACH_NESTING} levels` };
  let applyCount = 0;
  for (const fe of forEach) {
    let elements: unknown[];
    try {
      const list = ctx.query(String(fe.list ?? ''));
      elements = Array.isArray(list) ? list : [list];
    } catch {
      continue;
    }
    const { response, count } = validateElements(ctx, env, fe, elements, nesting);
    if (response.status !== 'pass') return response;
    applyCount += count;
  }
  if (applyCount === 0) return undefined;
  return { status: 'pass', message: 'rule passed' };
}

function validateElements(
  ctx: EvalContext,
  env: RuleEnv,
  fe: Record<string, unknown>,
  elements: unknown[],
  nesting: number,
): { response: RuleResponse; count: number } {
  let count = 0;
  for (const [index, element] of elements.entries()) {
    if (element === null || element === undefined) continue;
    // Each element forks the context (as Kyverno's checkpoint does; copy-on-write here, so an
    // element costs the same whatever the list's length, not a copy of the request holding it).
    env.checkDeadline(FOREACH_ELEMENT_STEPS);
    const c = ctx.fork();
    const data = JSON.parse(JSON.stringify(element)) as unknown;
    c.setPath(['element'], data);
    c.setPath(['elementIndex'], index);
    c.setPath([`element${nesting}`], data);
    c.setPath([`elementIndex${nesting}`], index);
    let scoped = isMap(data);
    if (typeof fe.elementScope === 'boolean') {
      if (fe.elementScope && !isMap(data)) {
        return {
          response: {
            status: 'error',
            message:
              `failed to process foreach: cannot use elementScope=true foreach rules for elements that are not ` +
              `maps`,
          },
          count,
        };
      }
      scoped = fe.elementScope;
    }
    const r = validate(c, env, fromForEach(fe), nesting + 1, scoped ? (data as Record<string, unknown>) : undefined);
    if (!r || r.status === 'skip') continue;
    if (r.status !== 'pass') {
      if (r.status === 'error' && index < elements.length - 1) continue;
      return { response: { status: r.status, message: `validation failure: ${r.message}` }, count };
    }
    count++;
  }
  return { response: { status: 'pass', message: '' }, count };
}

function substitutedMessage(ctx: EvalContext, text: string): string | Error {
  try {
    const m = ctx.substitute(text);
    return typeof m === 'string' ? m : "the produced message didn't resolve to a string, check your policy definition.";
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function validateDeny(ctx: EvalContext, env: RuleEnv, deny: Record<string, unknown>): RuleResponse {
  let out;
  try {
    out = evaluateConditions(ctx, deny.conditions);
  } catch (e) {
    return { status: 'error', message: `failed to check deny conditions: ${err(e)}` };
  }
  if (!out.result) return { status: 'pass', message: `validation rule '${ruleName(env)}' passed.` };
  const message = ruleMessage(env);
  if (message === '' && out.message === '')
    return { status: 'fail', message: `validation error: rule ${ruleName(env)} failed` };
  const m = substitutedMessage(ctx, [message, out.message].filter(Boolean).join('; '));
  return { status: 'fail', message: m instanceof Error ? out.message : m };
}

function errorMessage(ctx: EvalContext, env: RuleEnv, error: string, path: string): string {
  const message = ruleMessage(env);
  const name = ruleName(env);
  if (message === '')
    return path
      ? `validation error: rule ${name} failed at path ${path}`
      : `validation error: rule ${name} execution error: ${error}`;
  const m = substitutedMessage(ctx, message);
  if (m instanceof Error)
    return `validation error: variables substitution error in rule ${name} execution error: ${error}`;
  const msg = m.endsWith('.') ? m : `${m}.`;
  return path
    ? `validation error: ${msg} rule ${name} failed at path ${path}`
    : `validation error: ${msg} rule ${name} execution error: ${error}`;
}

function validatePatterns(
  ctx: EvalContext,
  env: RuleEnv,
  resource: Record<string, unknown>,
  pattern: unknown,
  anyPattern: unknown,
): RuleResponse {
  const name = ruleName(env);
  if (pattern !== undefined) {
    const r = matchPattern(resource, pattern);
    switch (r.status) {
      case 'pass':
        return { status: 'pass', message: `validation rule '${name}' passed.` };
      case 'skip':
        return { status: 'skip', message: r.message };
      case 'error':
        return { status: 'error', message: errorMessage(ctx, env, r.message, '') };
      case 'fail':
        return { status: 'fail', message: errorMessage(ctx, env, r.message, r.path) };
    }
  }
  if (anyPattern !== undefined) {
    if (!Array.isArray(anyPattern))
      return { status: 'error', message: 'failed to deserialize anyPattern, expected type array' };
    const failed: string[] = [];
    const skipped: string[] = [];
    for (const [idx, p] of anyPattern.entries()) {
      const r = matchPattern(resource, p);
      if (r.status === 'pass')
        return { status: 'pass', message: `validation rule '${name}' anyPattern[${idx}] passed.` };
      if (r.status === 'skip') skipped.push(`rule ${name}[${idx}] skipped: ${r.message}`);
      else if (r.status === 'error') failed.push(`rule ${name}[${idx}] failed: ${r.message}`);
      else failed.push(`rule ${name}[${idx}] failed at path ${r.path}`);
    }
    if (skipped.length > 0 && failed.length === 0) return { status: 'skip', message: skipped.join(' ') };
    if (failed.length > 0) {
      const errStr = failed.join(' ');
      const message = ruleMessage(env);
      if (message === '') return { status: 'fail', message: `validation error: ${errStr}` };
      const m = substitutedMessage(ctx, message);
      // buildAnyPatternErrorMessage: a message whose variables do not resolve is replaced by a note.
      if (m instanceof Error)
        return {
          status: 'fail',
          message: `validation error: variables substitution error in rule ${name} execution error: ${errStr}`,
        };
      return { status: 'fail', message: `validation error: ${m.endsWith('.') ? m : `${m}.`} ${errStr}` };
    }
  }
  return { status: 'pass', message: ruleMessage(env) };
}
