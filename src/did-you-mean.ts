/**
 * Did-you-mean for a mistyped name (a fleet.yaml key, a schema field, a command or an option):
 * one edit distance, and the closest known name within a limit the caller sets.
 */

/** Optimal-string-alignment distance: insert, delete, substitute, and an adjacent swap, each one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name`, compared without case, when its distance is below `limit`;
 * ties go to the earlier name of `known`. Undefined when none is that close.
 */
export function closestWithin(name: string, known: readonly string[], limit: number): string | undefined {
  const n = name.toLowerCase();
  let best: string | undefined;
  let bestD = limit;
  for (const k of known) {
    const d = editDistance(n, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
