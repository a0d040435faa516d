/** Errors of the CEL engine: a compile error carries where in the expression it is. */

/** Where in an expression: 0-based offset, 1-based line and column. */
export interface CelPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The expression does not parse or does not type-check (unknown variable, no such overload). */
export class CelCompileError extends Error {
  readonly expression: string;
  readonly position?: CelPosition;
  constructor(message: string, expression: string, position?: CelPosition, options?: { cause?: unknown }) {
    super(position ? `${position.line}:${position.column}: ${message}` : message, options);
    this.name = 'CelCompileError';
    this.expression = expression;
    this.position = position;
  }
}

/**
 * Why an evaluation failed: a CEL error value, the cost limit, the time cap, an input that is not
 * JSON-shaped, or a library call that needs what is not known offline (cluster state, a registry).
 */
export type CelEvalErrorKind = 'error' | 'cost' | 'timeout' | 'input' | 'offline';

/** The evaluation produced an error instead of a value. */
export class CelEvalError extends Error {
  readonly kind: CelEvalErrorKind;
  constructor(message: string, kind: CelEvalErrorKind = 'error', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CelEvalError';
    this.kind = kind;
  }
}

/** The position of a 0-based offset in a text. */
export function positionOf(text: string, offset: number): CelPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { offset, line: lines.length, column: lines[lines.length - 1].length + 1 };
}
