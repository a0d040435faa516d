/** What a built-in function is: its arity and a pure function of its arguments. */
import type { RE2JS } from 're2js';
import type { Value } from '../value.js';

/** A built-in's error: the expression is undefined (OPA's default, non-strict built-in errors). */
export class BuiltinError extends Error {}

export interface BuiltinContext {
  /** The evaluation time (OPA's `time.now_ns`: fixed for one evaluation). */
  readonly nowNs: bigint;
  /** Compiled RE2 patterns of the program (pure cache). */
  readonly regexCache: Map<string, RE2JS>;
}

export interface Builtin {
  /** The number of arguments; -1 for variadic (print). */
  readonly arity: number;
  /** Returns the value, or undefined for an undefined result; throws BuiltinError. */
  readonly fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
}

/** The type error OPA's built-ins give for a bad operand. */
export function operandError(name: string, pos: number, got: Value | undefined, want: string): BuiltinError {
  return new BuiltinError(`${name}: operand ${pos} must be ${want} but got ${typeOfValue(got)}`);
}

function typeOfValue(v: Value | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return (v as { size: number }).constructor.name === 'RSet' ? 'set' : 'object';
}
