/**
 * Kyverno pattern anchors (pkg/engine/anchor): a map key written `(key)` (condition), `<(key)`
 * (global condition), `X(key)` (negation), `+(key)` (add if absent, mutation), `=(key)` (equality)
 * or `^(key)` (existence).
 */

/** The anchor modifier; '' is the plain conditional anchor `(key)`. */
export type AnchorType = '' | '<' | 'X' | '+' | '=' | '^';

export interface Anchor {
  readonly type: AnchorType;
  readonly key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/s;

/** The anchor a pattern key is, or undefined for a plain key. */
export function parseAnchor(str: string): Anchor | undefined {
  const m = ANCHOR.exec(str.trim());
  if (!m?.[2]) return undefined;
  return { type: (m[1] ?? '') as AnchorType, key: m[2] };
}

/** The key text of an anchor (`X(key)`). */
export function anchorString(type: AnchorType, key: string): string {
  return key === '' ? '' : `${type}(${key})`;
}

export const isCondition = (a: Anchor | undefined): boolean => a?.type === '';
export const isGlobal = (a: Anchor | undefined): boolean => a?.type === '<';
export const isNegation = (a: Anchor | undefined): boolean => a?.type === 'X';
export const isAddIfNotPresent = (a: Anchor | undefined): boolean => a?.type === '+';
export const isEquality = (a: Anchor | undefined): boolean => a?.type === '=';
export const isExistence = (a: Anchor | undefined): boolean => a?.type === '^';

/** Anchors validateMap handles before the plain keys (condition, existence, equality, negation). */
export function isValidationAnchor(a: Anchor | undefined): boolean {
  return isCondition(a) || isExistence(a) || isEquality(a) || isNegation(a);
}

/** The key without its anchor. */
export function removeAnchor(key: string): string {
  return parseAnchor(key)?.key ?? key;
}
