/**
 * The closest of some known words to a mistyped one (an unknown command or option): the one at
 * the smallest edit distance, when that distance is small for the word's length.
 */

import { closestWithin } from '../../did-you-mean.js';

/**
 * The known word closest to `word`, or undefined when none is close: at most a third of the
 * word's length away (at least 1, at most 3), or a word that starts with it (a prefix typed short).
 * Ties go to the earlier word of `known`.
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const best = closestWithin(w, known, Math.min(3, Math.max(1, Math.floor(w.length / 3))) + 1);
  if (best !== undefined) return best;
  const prefixed = w.length >= 3 ? known.filter((k) => k.toLowerCase().startsWith(w)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
