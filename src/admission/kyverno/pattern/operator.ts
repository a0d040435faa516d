/** The value operators of a string pattern (pkg/engine/operator): `>=`, `<=`, `>`, `<`, `!`, ranges `a-b`, `a!-b`. */

export type PatternOperator = '' | '>=' | '<=' | '!' | '>' | '<' | '-' | '!-';

export const IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
export const NOT_IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

/** The operator a string pattern starts with (or is, for ranges). */
export function operatorOf(pattern: string): PatternOperator {
  if (pattern.length < 2) return '';
  if (pattern.startsWith('>=')) return '>=';
  if (pattern.startsWith('<=')) return '<=';
  if (pattern.startsWith('>')) return '>';
  if (pattern.startsWith('<')) return '<';
  if (pattern.startsWith('!')) return '!';
  if (NOT_IN_RANGE.test(pattern)) return '!-';
  if (IN_RANGE.test(pattern)) return '-';
  return '';
}
