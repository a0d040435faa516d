/** Did-you-mean for an unknown field: the closest known name, if one is close enough to be a typo. */

import { closestWithin } from '../did-you-mean.js';

/**
 * The known name closest to `name` (case-insensitive edit distance at most 2, and less than
 * half the name's length), ties broken by the order of `known`; undefined when none is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  return closestWithin(name, known, Math.min(3, Math.ceil(name.length / 2)));
}
