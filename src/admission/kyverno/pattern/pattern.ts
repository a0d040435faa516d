/**
 * One scalar of a validate pattern against one resource value (pkg/engine/pattern.Validate):
 * booleans, numbers, null, maps, and string patterns with `|` (or), `&` (and), the operators of
 * operator.ts, durations, quantities and wildcards.
 */
import { wildcardMatch } from '../wildcard/match.js';
import { parseDuration } from './duration.js';
import { formatFloatE, goParseFloat, isMap } from './go-values.js';
import { IN_RANGE, NOT_IN_RANGE, operatorOf, type PatternOperator } from './operator.js';
import { compareQuantity, parseQuantity } from './quantity.js';

/** True when the value satisfies the pattern scalar. Arrays are never patterns here. */
export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') return validateNumber(value, pattern);
  if (pattern === null || pattern === undefined) return validateNil(value);
  if (typeof pattern === 'string') return validateStringPatterns(value, pattern);
  if (Array.isArray(pattern)) return false;
  if (isMap(pattern)) return isMap(value);
  return false;
}

function validateNumber(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') return goParseFloat(value) === pattern;
  return false;
}

function validateNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alt) =>
    alt
      .trim()
      .split('&')
      .every((c) => validateStringPattern(value, c.trim())),
  );
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const m = IN_RANGE.exec(pattern);
    return !!m && validateStringPattern(value, `>= ${m[1]}`) && validateStringPattern(value, `<= ${m[2]}`);
  }
  if (op === '!-') {
    const m = NOT_IN_RANGE.exec(pattern);
    return !!m && (validateStringPattern(value, `< ${m[1]}`) || validateStringPattern(value, `> ${m[2]}`));
  }
  const rest = pattern.slice(op.length).trim();
  return compareDuration(value, rest, op) ?? compareAsQuantities(value, rest, op) ?? compareString(value, rest, op);
}

/** convertNumberToString: nil is "0", floats as %f. */
function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function byOperator(cmp: number, op: PatternOperator): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}

function compareDuration(value: unknown, pattern: string, op: PatternOperator): boolean | undefined {
  const p = parseDuration(pattern);
  if (p === undefined) return undefined;
  const s = numberToString(value);
  if (s === undefined) return undefined;
  const v = parseDuration(s);
  if (v === undefined) return undefined;
  return byOperator(Math.sign(v - p), op);
}

function compareAsQuantities(value: unknown, pattern: string, op: PatternOperator): boolean | undefined {
  const p = parseQuantity(pattern);
  if (!p) return undefined;
  const s = numberToString(value);
  if (s === undefined) return undefined;
  const v = parseQuantity(s);
  if (!v) return undefined;
  return byOperator(compareQuantity(v, p), op);
}

function compareString(value: unknown, pattern: string, op: PatternOperator): boolean {
  if (op !== '' && op !== '!') return false;
  let s: string;
  if (typeof value === 'number') s = Number.isInteger(value) ? String(value) : formatFloatE(value);
  else if (typeof value === 'string') s = value;
  else if (typeof value === 'boolean') s = String(value);
  else return false;
  const matched = wildcardMatch(pattern, s);
  return op === '!' ? !matched : matched;
}
