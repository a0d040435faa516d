/**
 * A template's Rego on one review, as the constraint framework's Rego driver runs it: input
 * `{review, parameters}` (parameters default to `{}`), `data.inventory` beside it, the query
 * `data.<package>.violation`; every element with a `msg` is one violation (its `details`
 * default to `{}`). Time and step caps per template and object; an evaluation error (a cap, a
 * conflict, a built-in error) is returned as an error naming the template, never as a pass.
 */
import { RegoFailure } from '../../rego/index.js';
import type { Review } from './review.js';
import type { RegoCode } from './template.js';

export interface Violation {
  readonly msg: string;
  readonly details: unknown;
}

export interface RegoOutcome {
  readonly violations: readonly Violation[];
  readonly error?: string;
}

/**
 * Default caps (per template and object): the step cap decides (1,000,000 steps take about 0.25 s
 * of CPU, a healthy template a few thousand); the time backstop, running time (src/work-budget.ts),
 * is far above it. Gatekeeper has no step cap (its webhook's timeoutSeconds, 3 s, bounds a request).
 */
export const REGO_TIMEOUT_MS = 2000;
export const REGO_MAX_STEPS = 1_000_000;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A message as Gatekeeper prints it: strings as they are, anything else as JSON. */
function msgText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function evaluateRego(
  code: RegoCode,
  templateName: string,
  review: Review,
  parameters: unknown,
  inventory: Record<string, unknown>,
  limits: { timeoutMs?: number; maxSteps?: number } = {},
): RegoOutcome {
  if (code.externalData)
    return {
      violations: [],
      error: `template ${templateName} calls external_data (Gatekeeper external data providers): not evaluable offline`,
    };
  if (!code.program) return { violations: [], error: `template ${templateName} did not compile` };
  let value: unknown;
  try {
    value = code.program.evaluate(code.query, {
      input: { review, parameters: parameters ?? {} },
      data: { inventory },
      timeoutMs: limits.timeoutMs ?? REGO_TIMEOUT_MS,
      maxSteps: limits.maxSteps ?? REGO_MAX_STEPS,
    });
  } catch (e) {
    if (e instanceof RegoFailure) {
      const first = e.errors[0];
      const capped = e.errors.some((x) => x.code === 'eval_cancel_error');
      const where = first ? `${first.file}:${first.row}:${first.col}: ${first.code}: ${first.message}` : e.message;
      return {
        violations: [],
        error: `template ${templateName}: ${capped ? 'evaluation cancelled (time or step cap): ' : ''}${where}`,
      };
    }
    return { violations: [], error: `template ${templateName}: evaluation failed: ${(e as Error).message}` };
  }
  if (value === undefined) return { violations: [] };
  if (!Array.isArray(value))
    return {
      violations: [],
      error: `template ${templateName}: ${code.query} is not a set (got ${JSON.stringify(value).slice(0, 80)})`,
    };
  const violations: Violation[] = [];
  for (const r of value) {
    if (!isObj(r) || !('msg' in r)) continue;
    violations.push({ msg: msgText(r.msg), details: 'details' in r ? r.details : {} });
  }
  return { violations };
}
