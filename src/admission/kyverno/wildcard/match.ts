/**
 * Kyverno's wildcard match (ext/wildcard over IGLOU-EU/go-wildcard v1.0.3): `*` matches any run of
 * characters, `?` exactly one; everything else literally. An empty pattern matches only the empty
 * string. Implemented with the usual single backtrack point, so a hostile pattern stays linear-ish
 * (the Go original recurses exponentially).
 */

/** True when `name` matches the wildcard `pattern` (code points, as Go's runes). */
export function wildcardMatch(pattern: string, name: string): boolean {
  if (pattern === '') return name === '';
  if (pattern === '*') return true;
  const p = Array.from(pattern);
  const s = Array.from(name);
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === '*') {
      starP = pi++;
      starS = si;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** True when the string has a wildcard character. */
export function containsWildcard(v: string): boolean {
  return v.includes('*') || v.includes('?');
}

/** True when any name matches any pattern. */
export function checkPatterns(patterns: readonly string[], ...names: string[]): boolean {
  return names.some((n) => patterns.some((p) => wildcardMatch(p, n)));
}
